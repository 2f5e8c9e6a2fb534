"""Rescue of tokens sent to the contract by mistake, for both tokens: run once per token by the
`token` fixture (tests/compliance/conftest.py), as Circle's behavesLikeX suites do."""

import ape
from ape import project

from tests.utils.constants import ZERO


def test_rescue__returns_stray_tokens_and_emits(token, unit, admin, alice):
    stray = project.MockERC20.deploy("Stray", "STR", 18, sender=admin)
    stray.mint(token, 5 * unit, sender=admin)
    receipt = token.rescueERC20(stray, alice, 5 * unit, sender=admin)
    assert stray.balanceOf(alice) == 5 * unit
    [event] = token.Rescued.from_receipt(receipt)
    assert (event.token, event.to, event.amount) == (stray, alice, 5 * unit)


def test_rescue__by_non_rescuer__reverts(token, attacker):
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.rescueERC20(token, attacker, 1, sender=attacker)


def test_rescue__to_zero_address__reverts(token, admin):
    with ape.reverts(token.ComplianceZeroAddress):
        token.rescueERC20(token, ZERO, 1, sender=admin)


def test_rescue__more_than_held__reverts(token, admin, alice):
    stray = project.MockERC20.deploy("Stray", "STR", 18, sender=admin)
    with ape.reverts(token.ERC20InsufficientBalance):
        token.rescueERC20(stray, alice, 1, sender=admin)
