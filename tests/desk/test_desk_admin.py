"""The desk's own bounds: deployment, the board's rate limits, the pauser's protective
actions (pause, lower a limit at once), and their events and refusals."""

from __future__ import annotations

import ast

import ape
import pytest
from ape import chain, project
from eth_abi import encode
from eth_utils import keccak

from somchain.cbdc import SOM
from somchain.desk import TO_KGST, TO_SOM
from tests.utils.constants import ONE, ZERO

REF = b"\x00" * 32


def _deployment_revert(admin, kgst: str, som: str) -> bytes:
    """The revert data of deploying a desk between `kgst` and `som`, from an eth_call: ape
    decodes a deployment's revert under another class, or fails decoding it, on anvil."""
    args = encode(["address", "address", "address", "uint48"], [kgst, som, admin.address, 0])
    data = project.ConversionDesk.contract_type.deployment_bytecode.bytecode + args.hex()
    try:
        chain.provider.web3.eth.call({"from": admin.address, "data": data})
    except Exception as err:  # web3's ContractCustomError on anvil, eth-tester's own
        found = getattr(err, "data", None)
        if isinstance(found, str) and found.startswith("0x"):
            return bytes.fromhex(found[2:])
        return ast.literal_eval(str(err).split("execution reverted: ", 1)[1])
    raise AssertionError("the deployment did not revert")


def test_deploy__units_from_the_tokens_decimals(desk, kgst, som):
    assert desk.kgst() == kgst
    assert desk.som() == som
    assert desk.kgstPerUnit() == 10**16  # 18 decimals against the som's 2
    assert desk.somPerUnit() == 1


def test_deploy__som_with_more_decimals__the_unit_is_kgst_s(admin, kgst):
    fine = project.MockERC20.deploy("fine", "F", 20, sender=admin)
    desk = project.ConversionDesk.deploy(kgst, fine, admin, 0, sender=admin)
    assert (desk.kgstPerUnit(), desk.somPerUnit()) == (1, 100)


def test_deploy__zero_token__reverts(admin, kgst):
    assert _deployment_revert(admin, kgst.address, ZERO) == keccak(text="DeskZeroAddress()")[:4]


def test_deploy__decimals_too_far_apart__reverts(admin, kgst):
    coarse = project.MockERC20.deploy("coarse", "C", 60, sender=admin)
    expected = keccak(text="DeskUnsupportedDecimals(uint256,uint256)")[:4]
    assert _deployment_revert(admin, kgst.address, coarse.address) == expected + encode(
        ["uint256", "uint256"], [18, 60]
    )


def test_set_rate_limit__board__applies_at_once_and_emits(desk, admin):
    receipt = desk.setRateLimit(TO_SOM, 500 * SOM, 2 * SOM, sender=admin)
    assert desk.rateLimit(TO_SOM) == (500 * SOM, 2 * SOM, 500 * SOM)  # kept, cut to capacity
    [event] = desk.DeskRateLimitSet.from_receipt(receipt)
    assert (event.direction, event.capacity, event.refillPerSecond, event.level) == (
        TO_SOM,
        500 * SOM,
        2 * SOM,
        500 * SOM,
    )
    assert event.by == admin


def test_set_rate_limit__first_limit__starts_full(admin, kgst, som):
    desk = project.ConversionDesk.deploy(kgst, som, admin, 0, sender=admin)
    assert desk.rateLimit(TO_KGST) == (0, 0, 0)
    desk.setRateLimit(TO_KGST, 7 * SOM, 0, sender=admin)
    assert desk.rateLimit(TO_KGST) == (7 * SOM, 0, 7 * SOM)


def test_set_rate_limit__not_the_board__reverts(desk, pauser):
    with ape.reverts(desk.AccessControlUnauthorizedAccount):
        desk.setRateLimit(TO_SOM, SOM, 0, sender=pauser)


@pytest.mark.parametrize(
    ("capacity", "refill"), [(0, 0), (2**80, 0), (SOM, 2**56)], ids=["zero", "cap", "refill"]
)
def test_set_rate_limit__out_of_range__reverts(desk, admin, capacity, refill):
    with ape.reverts(desk.DeskInvalidRateLimit):
        desk.setRateLimit(TO_SOM, capacity, refill, sender=admin)


def test_set_rate_limit__unknown_direction__reverts(desk, admin):
    with ape.reverts(desk.DeskInvalidDirection):
        desk.setRateLimit(2, SOM, 0, sender=admin)
    with ape.reverts(desk.DeskInvalidDirection):
        desk.rateLimit(2)


def test_lower_rate_limit__pauser__applies_at_once(desk, pauser):
    receipt = desk.lowerRateLimit(TO_KGST, 100 * SOM, 0, sender=pauser)
    assert desk.rateLimit(TO_KGST) == (100 * SOM, 0, 100 * SOM)
    [event] = desk.DeskRateLimitSet.from_receipt(receipt)
    assert (event.direction, event.by) == (TO_KGST, pauser)


@pytest.mark.parametrize(("capacity", "refill"), [(10_001 * SOM, SOM), (SOM, 2 * SOM)])
def test_lower_rate_limit__raising__reverts(desk, pauser, capacity, refill):
    with ape.reverts(desk.DeskRateLimitNotLowered):
        desk.lowerRateLimit(TO_SOM, capacity, refill, sender=pauser)


def test_lower_rate_limit__stranger__reverts(desk, attacker):
    with ape.reverts(desk.AccessControlUnauthorizedAccount):
        desk.lowerRateLimit(TO_SOM, SOM, 0, sender=attacker)


def test_pause__pauser__stops_both_directions_until_unpaused(kgst, desk, pauser, alice):
    receipt = desk.pause(sender=pauser)
    assert desk.paused()
    [paused] = desk.Paused.from_receipt(receipt)
    assert paused.account == pauser
    with ape.reverts(desk.DeskPaused):
        desk.pause(sender=pauser)
    receipt = desk.unpause(sender=pauser)
    assert not desk.paused()
    [unpaused] = desk.Unpaused.from_receipt(receipt)
    assert unpaused.account == pauser
    with ape.reverts(desk.DeskNotPaused):
        desk.unpause(sender=pauser)
    kgst.approve(desk, ONE, sender=alice)
    desk.convertToSom(SOM, REF, sender=alice)


def test_pause__keeps_the_limits(desk, pauser):
    before = desk.rateLimit(TO_SOM)
    desk.pause(sender=pauser)
    assert desk.rateLimit(TO_SOM)[:2] == before[:2]
    desk.lowerRateLimit(TO_SOM, SOM, 0, sender=pauser)
    assert desk.paused()


@pytest.mark.parametrize("method", ["pause", "unpause"])
def test_pause__stranger__reverts(desk, attacker, method):
    with ape.reverts(desk.AccessControlUnauthorizedAccount):
        getattr(desk, method)(sender=attacker)
