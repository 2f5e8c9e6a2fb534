"""The drill: a stolen minter key mints in a burst; the watcher alerts and pauses KGST with
a pauser-only key within two blocks of confirmation. A proposal scheduled on the timelock
is alerted with its cancel command, and running that command cancels it."""

from __future__ import annotations

import shlex

import pytest

from somchain.errors import InputError
from somchain.watch import Breaker
from tests.utils.chain import operation_id
from tests.utils.constants import ALICE, DEPLOYER, ONE
from tests.watch.conftest import sent

CONFIRMATIONS = 1


def _breaker(w3, pauser: str, kgst) -> Breaker:
    def send(token: str) -> str:
        assert token.lower() == kgst.address.lower()
        return "0x" + bytes(sent(kgst.functions.pause(), pauser).transactionHash).hex()

    return Breaker(w3, pauser, send)


def test_breaker__key_with_more_than_the_pauser_role__is_refused(create_watcher, kgst, w3):
    with pytest.raises(InputError, match="also holds"):
        create_watcher(breaker=_breaker(w3, DEPLOYER, kgst))
    with pytest.raises(InputError, match="does not hold PAUSER_ROLE on the stablecoin"):
        create_watcher(breaker=_breaker(w3, ALICE, kgst))


def test_drill__minter_burst__alerts_and_pauses_then_a_proposal_is_cancelled(
    create_watcher, chain, kgst, cli, network, breaker_key
):
    config = {
        "confirmations": CONFIRMATIONS,
        "start_block": chain.eth.block_number + 1,
        "rules": {
            "large_mint": {"threshold": 1_000_000},
            "mint_velocity": {"threshold": 200_000, "window_seconds": 3_600, "pause": True},
        },
        "governance": {"network": network, "cancel_account": "TEST::0"},
    }
    watched = create_watcher(config, breaker=_breaker(chain, breaker_key, kgst))

    blocks = []
    for _ in range(4):  # 240,000 KGST from the stolen key, one block each
        blocks.append(sent(kgst.functions.mint(ALICE, 60_000 * ONE), DEPLOYER).blockNumber)
        watched.step()
    chain.provider.make_request("evm_mine", [])
    watched.step()

    (burst,) = [a for a in watched.alerts if a["rule"] == "mint_velocity"]
    assert burst["block"] == blocks[-1]
    assert "240,000 KGST minted" in burst["title"]
    assert burst["action"].startswith("paused KGST (stablecoin) in tx 0x")
    assert kgst.functions.paused().call()
    pause_tx = burst["action"].split("in tx ")[1].split()[0]
    paused_in = chain.eth.get_transaction_receipt(pause_tx).blockNumber
    assert paused_in - (blocks[-1] + CONFIRMATIONS) <= 2

    proposed = cli(
        "stablecoin", "grant-role", "RESCUER_ROLE", ALICE, "--network", network,
        "--account", "TEST::0", "--yes",
    )  # fmt: skip
    assert proposed.exit_code == 0, proposed.output
    op = operation_id(proposed.output)
    chain.provider.make_request("evm_mine", [])
    watched.step()
    (scheduled,) = [a for a in watched.alerts if a.get("event") == "CallScheduled"]
    assert scheduled["details"]["operation"] == op
    command = shlex.split(scheduled["cancel_command"])
    assert command == ["ape", "run", "governance", "cancel", op, "--network", network,
                       "--account", "TEST::0"]  # fmt: skip

    cancelled = cli(*command[2:], input="y\n")

    assert cancelled.exit_code == 0, cancelled.output
    timelock = watched.watcher.addresses["timelock"]
    from eth_utils import keccak, to_checksum_address

    state = chain.eth.call(
        {
            "to": to_checksum_address(timelock),
            "data": "0x"
            + (keccak(text="getOperationState(bytes32)")[:4] + bytes.fromhex(op[2:])).hex(),
        }
    )
    assert int.from_bytes(state, "big") == 0  # unset: cancelled
    chain.provider.make_request("evm_mine", [])
    watched.step()
    assert watched.alerts[-1]["title"] == f"timelock: operation {op} cancelled"
