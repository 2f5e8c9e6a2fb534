"""Reorgs made with anvil snapshots: within the confirmations no alert is made; deeper,
the alerts of the blocks that went away are retracted by id."""

from __future__ import annotations

from tests.utils.constants import ALICE, DEPLOYER, ONE
from tests.watch.conftest import sent


def _mine(w3, blocks: int) -> None:
    for _ in range(blocks):
        w3.provider.make_request("evm_mine", [])


def test_reorg__within_the_confirmations__makes_no_phantom_alert(create_watcher, chain, kgst):
    watched = create_watcher({"confirmations": 2})
    watched.step()
    fork = chain.provider.make_request("evm_snapshot", [])["result"]
    sent(kgst.functions.mint(ALICE, 150_000 * ONE), DEPLOYER)
    _mine(chain, 1)
    watched.step()  # the mint is one block deep: not processed yet

    chain.provider.make_request("evm_revert", [fork])
    _mine(chain, 4)
    result = watched.step()

    assert "large_mint" not in watched.rules()
    assert result.retracted == 0


def test_reorg__deeper_than_the_confirmations__retracts_the_alert(create_watcher, chain, kgst):
    watched = create_watcher(
        {"confirmations": 0, "rules": {"mint_velocity": {"threshold": 200_000}}}
    )
    watched.step()
    fork = chain.provider.make_request("evm_snapshot", [])["result"]
    sent(kgst.functions.mint(ALICE, 150_000 * ONE), DEPLOYER)
    watched.step()
    (mint,) = [a for a in watched.alerts if a["rule"] == "large_mint"]

    chain.provider.make_request("evm_revert", [fork])
    _mine(chain, 3)
    result = watched.step()

    (retraction,) = [a for a in watched.alerts if a["rule"] == "retraction"]
    assert result.retracted == 1
    assert retraction["retracts"] == mint["id"]
    assert retraction["title"].startswith("retracted: stablecoin: minted 150,000 KGST")
    assert watched.step().alerts == 0
    # the minting window forgot the mint that went away: 100,000 more is not a burst
    sent(kgst.functions.mint(ALICE, 100_000 * ONE), DEPLOYER)
    watched.step()
    assert "mint_velocity" not in watched.rules()
