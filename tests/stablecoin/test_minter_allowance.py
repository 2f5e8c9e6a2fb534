"""Minter allowances changed by a delta, free of configureMinter's replacement race."""

import ape

from tests.utils.constants import ONE

ZERO = "0x0000000000000000000000000000000000000000"


def test_increase_minter_allowance__adds_and_emits(token, master_minter, minter):
    token.configureMinter(minter, 100 * ONE, sender=master_minter)
    receipt = token.increaseMinterAllowance(minter, 50 * ONE, sender=master_minter)
    assert token.minterAllowance(minter) == 150 * ONE
    [event] = token.MinterAllowanceIncreased.from_receipt(receipt)
    assert (event.minter, event.increment, event.allowance) == (minter, 50 * ONE, 150 * ONE)


def test_increase_minter_allowance__after_minting__keeps_what_was_left(
    funded, master_minter, minter, alice
):
    left = funded.minterAllowance(minter)
    funded.mint(alice, ONE, sender=minter)
    funded.increaseMinterAllowance(minter, 10 * ONE, sender=master_minter)
    assert funded.minterAllowance(minter) == left - ONE + 10 * ONE


def test_increase_minter_allowance__not_a_minter__reverts(token, master_minter, alice):
    with ape.reverts(token.StablecoinNotMinter):
        token.increaseMinterAllowance(alice, ONE, sender=master_minter)


def test_increase_minter_allowance__zero__reverts(token, master_minter, minter):
    token.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(token.StablecoinZeroAmount):
        token.increaseMinterAllowance(minter, 0, sender=master_minter)


def test_increase_minter_allowance__above_uint96__reverts(token, master_minter, minter):
    token.configureMinter(minter, 2**96 - 1, sender=master_minter)
    with ape.reverts(token.SafeCastOverflowedUintDowncast):
        token.increaseMinterAllowance(minter, 1, sender=master_minter)


def test_increase_minter_allowance__by_non_master__reverts(token, master_minter, minter, attacker):
    token.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.increaseMinterAllowance(minter, ONE, sender=attacker)


def test_decrease_minter_allowance__subtracts_and_emits(token, master_minter, minter):
    token.configureMinter(minter, 100 * ONE, sender=master_minter)
    receipt = token.decreaseMinterAllowance(minter, 30 * ONE, sender=master_minter)
    assert token.minterAllowance(minter) == 70 * ONE
    [event] = token.MinterAllowanceDecreased.from_receipt(receipt)
    assert (event.minter, event.decrement, event.allowance) == (minter, 30 * ONE, 70 * ONE)


def test_decrease_minter_allowance__below_zero__clamps_to_zero(token, master_minter, minter):
    token.configureMinter(minter, 10 * ONE, sender=master_minter)
    receipt = token.decreaseMinterAllowance(minter, 25 * ONE, sender=master_minter)
    assert token.minterAllowance(minter) == 0
    assert token.isMinter(minter)
    [event] = token.MinterAllowanceDecreased.from_receipt(receipt)
    assert (event.decrement, event.allowance) == (25 * ONE, 0)


def test_decrease_minter_allowance__not_a_minter__reverts(token, master_minter, alice):
    with ape.reverts(token.StablecoinNotMinter):
        token.decreaseMinterAllowance(alice, ONE, sender=master_minter)


def test_decrease_minter_allowance__zero__reverts(token, master_minter, minter):
    token.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(token.StablecoinZeroAmount):
        token.decreaseMinterAllowance(minter, 0, sender=master_minter)


def test_decrease_minter_allowance__by_non_master__reverts(token, master_minter, minter, attacker):
    token.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.decreaseMinterAllowance(minter, ONE, sender=attacker)


def test_mint__after_decrease_to_zero__reverts(funded, master_minter, minter, alice):
    funded.decreaseMinterAllowance(minter, 2**248, sender=master_minter)
    with ape.reverts(funded.StablecoinMinterAllowanceExceeded):
        funded.mint(alice, 1, sender=minter)
