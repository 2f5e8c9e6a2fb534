"""The audit's `desk` check: what the desk burned on one side equals what it issued on the
other, per direction and in total, by its own events and by the tokens'; both supplies
reconcile; the desk holds nothing."""

from __future__ import annotations

from ape import chain

from somchain.audit import checks, gather, manifest_from_contracts
from somchain.audit.checks import FAIL, PASS
from somchain.audit.rebuild import DESK_FLOWS
from somchain.audit.runner import project_sources
from somchain.cbdc import SOM
from tests.utils.constants import ONE

REF = b"REMIT-1".ljust(32, b"\x00")


def _audit(kgst, som, desk, tmp_path):
    manifest = manifest_from_contracts(chain.chain_id, stablecoin=kgst, cbdc=som, desk=desk)
    sources = project_sources({"NationalStablecoin", "DigitalSom", "ConversionDesk"})
    data = gather(chain.provider.web3, manifest, index_path=tmp_path / "i.sqlite", sources=sources)
    return data[0]


def _convert_both_ways(kgst, som, desk, alice, bob):
    kgst.approve(desk, 120 * ONE, sender=alice)
    desk.convertToSom(120 * SOM, REF, sender=alice)
    kgst.approve(desk, 5 * ONE, sender=bob)
    desk.convertToSom(5 * SOM, REF, sender=bob)
    som.approve(desk, 45 * SOM, sender=alice)
    desk.convertToKgst(45 * SOM, REF, sender=alice)


def test_desk_check__conversions_both_ways__pass_with_exact_flows(
    kgst, som, desk, alice, bob, tmp_path
):
    _convert_both_ways(kgst, som, desk, alice, bob)
    result = checks.check_desk(_audit(kgst, som, desk, tmp_path), "desk")
    assert result.status == PASS, result.summary
    flows = result.details.flows
    assert (flows["to_som"], flows["to_kgst"]) == (2, 1)
    assert flows["kgst_burned"] == flows["said_kgst_burned"] == 125 * ONE
    assert flows["som_issued"] == flows["said_som_issued"] == 125 * SOM
    assert flows["som_redeemed"] == flows["said_som_redeemed"] == 45 * SOM
    assert flows["kgst_minted"] == flows["said_kgst_minted"] == 45 * ONE
    assert "2 conversions to the digital som, 1 to KGST" in result.summary


def test_desk_check__som_sent_to_the_desk__fails(kgst, som, desk, alice, bob, bank, tmp_path):
    _convert_both_ways(kgst, som, desk, alice, bob)
    som.transfer(desk, 3 * SOM, sender=bank)  # the desk is a holder: anyone may pay it
    result = checks.check_desk(_audit(kgst, som, desk, tmp_path), "desk")
    assert result.status == FAIL
    assert "the desk holds 300 units of digital som" in result.details.findings[0]


def test_desk_findings__a_side_not_at_par__named_per_direction_and_net():
    flows = dict.fromkeys(DESK_FLOWS, 0)
    flows.update(kgst_burned=10**16, said_kgst_burned=10**16, som_issued=2, said_som_issued=2)
    findings = checks._desk_findings(flows, 10**16, 1)
    assert findings[0].startswith("KGST -> digital som: 10000000000000000 KGST units against 2")
    assert findings[1].startswith("net:")


def test_desk_findings__events_disagree__named():
    flows = dict.fromkeys(DESK_FLOWS, 0)
    flows.update(said_kgst_minted=1)
    assert checks._desk_findings(flows, 1, 1) == [
        "KGST minted: the desk's events say 1, the token's 0"
    ]
