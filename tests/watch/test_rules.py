"""The rules one by one: on the deployed stack where the stack can show them (sanctions,
attestation age, coverage), on events as the decoder hands them otherwise (Safe changes,
reserve outflows, the digital som)."""

from __future__ import annotations

from somchain.watch import WatchConfig
from somchain.watch.rules import Context, Event, Rules
from tests.utils.chain import advance
from tests.utils.constants import ALICE, BOB, DEPLOYER, ONE
from tests.watch.conftest import sent

SAFE = "0x" + "5a" * 20
RESERVE = "0x" + "7e" * 20
CBDC = "0x" + "cb" * 20
USDT = "0x" + "0d" * 20


def _rules(config: dict | None = None) -> Rules:
    names = {SAFE: "safe:board", RESERVE: "reserve", CBDC: "cbdc"}
    scales = {USDT: ("USDT", 18), CBDC: ("KGSd", 2)}
    ctx = Context(97, names, {}, scales.get)
    return Rules(WatchConfig.model_validate(config or {}), ctx)


def _event(address: str, name: str, **args) -> Event:
    return Event(10, 0, "0x" + "11" * 32, address, name, args, 1_800_000_000)


def test_sanctions__transfer_to_a_listed_address__alerts(create_watcher, chain, kgst):
    listed = {ALICE.lower(): {"currency": "ETH", "name": "LAZARUS GROUP"}}
    watched = create_watcher({"start_block": chain.eth.block_number + 1}, sanctioned=listed)
    sent(kgst.functions.mint(ALICE, 10 * ONE), DEPLOYER)
    sent(kgst.functions.mint(BOB, 10 * ONE), DEPLOYER)

    watched.step()

    (alert,) = [a for a in watched.alerts if a["rule"] == "sanctions"]
    assert alert["details"]["amount"] == "10 KGST"
    assert alert["details"]["listed"] == f"{ALICE} LAZARUS GROUP"
    assert alert["severity"] == "critical"


def test_attestation_age__past_its_share_of_max_age__alerts_once_then_recovers(
    create_watcher, chain, cli, network
):
    watched = create_watcher({"rules": {"attestation_age": {"share_of_max_age": 0.5}}})
    watched.step()
    advance(chain, 60_000)  # of the 90,000 s the stablecoin accepts
    watched.step()
    chain.provider.make_request("evm_mine", [])
    watched.step()
    stamp = chain.eth.get_block("latest").timestamp
    result = cli(
        "stablecoin", "attest-reserve", "500000", "--report-hash", "0x" + "cd" * 32,
        "--as-of", str(stamp), "--network", network, "--account", "TEST::0", "--yes",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    watched.step()

    aged = [a for a in watched.alerts if a["rule"] == "attestation_age"]
    assert len(aged) == 2
    assert "reserve attestation is 16 h" in aged[0]["title"]
    assert "minting stops at 1 d 1 h" in aged[0]["title"]
    assert aged[1]["recovered"] is True


def test_coverage__below_the_minimum__alerts_and_may_pause(create_watcher, chain, kgst):
    watched = create_watcher({"rules": {"coverage": {"minimum_percent": 150}}})
    watched.step()
    sent(kgst.functions.mint(ALICE, 400_000 * ONE), DEPLOYER)

    watched.step()

    (alert,) = [a for a in watched.alerts if a["rule"] == "coverage"]
    assert alert["title"] == "stablecoin: coverage 125.00% (minimum 150%)"
    assert alert["details"]["supply"] == "400,000 KGST"
    assert alert["details"]["attested_reserve"] == "500,000 KGST"


def test_safe__owner_threshold_module_guard__alert_with_names():
    rules = _rules()
    found = []
    for name, args in (
        ("AddedOwner", {"owner": ALICE.lower()}),
        ("RemovedOwner", {"owner": BOB.lower()}),
        ("ChangedThreshold", {"threshold": 1}),
        ("EnabledModule", {"module": ALICE.lower()}),
        ("ChangedGuard", {"guard": "0x" + "00" * 20}),
    ):
        found += rules.on_event(_event(SAFE, name, **args))

    assert [a["title"] for a in found] == [
        "safe:board: AddedOwner",
        "safe:board: RemovedOwner",
        "safe:board: ChangedThreshold",
        "safe:board: EnabledModule",
        "safe:board: ChangedGuard",
    ]
    assert found[0]["details"] == {"owner": ALICE}
    assert {a["severity"] for a in found} == {"critical"}


def test_reserve_outflow__above_the_threshold__alerts_in_the_assets_units():
    rules = _rules({"rules": {"reserve_outflow": {"threshold": 1000}}})
    small = _event(RESERVE, "OperationalTransferMade", asset=USDT, to=ALICE.lower(),
                   operator=BOB.lower(), amount=999 * ONE, used=999 * ONE)  # fmt: skip
    large = _event(RESERVE, "Withdrawn", asset=USDT, to=ALICE.lower(), amount=5_000 * ONE)

    assert rules.on_event(small) == []
    (alert,) = rules.on_event(large)
    assert alert["title"] == "reserve: Withdrawn 5,000 USDT"
    assert alert["details"]["to"] == ALICE


def test_cbdc__tier_limits_issuance_and_batch__alert():
    rules = _rules({"rules": {"cbdc_issuance": {"threshold": 1_000}}})

    tiers = rules.on_event(
        _event(
            CBDC, "TierLimitsSet", tier=1, maxBalance=100_000, maxPayment=50_000, dailyLimit=80_000
        )
    )
    small = rules.on_event(_event(CBDC, "Issued", bank=ALICE.lower(), amount=99_999))
    issued = rules.on_event(_event(CBDC, "Issued", bank=ALICE.lower(), amount=100_000))
    batch = rules.on_event(
        _event(CBDC, "BatchDisbursed", batchId="0x" + "ab" * 32, treasury=BOB.lower(),
               content="0x" + "cd" * 32, recipients=3, paid=1_500, swept=0, skipped=0)
    )  # fmt: skip

    assert tiers[0]["details"]["maxBalance"] == "1,000 KGSd"
    assert small == []
    assert issued[0]["title"] == "cbdc: issued 1,000 KGSd"
    assert batch[0]["rule"] == "cbdc_batch"
    assert batch[0]["details"]["paid"] == "15 KGSd"


def test_rule__disabled__makes_no_alert():
    rules = _rules({"rules": {"safe": {"enabled": False}}})

    assert rules.on_event(_event(SAFE, "AddedOwner", owner=ALICE.lower())) == []
