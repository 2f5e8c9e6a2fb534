"""Inflows: anyone deposits a listed asset; every inflow emits Deposited."""

import ape

from somchain.reserve import NATIVE
from tests.utils.constants import ONE


def test_deposit__listed_token__emits_deposited(vault, btcb, alice):
    btcb.mint(alice, 2 * ONE, sender=alice)
    btcb.approve(vault, 2 * ONE, sender=alice)

    receipt = vault.deposit(btcb, 2 * ONE, sender=alice)

    [event] = vault.Deposited.from_receipt(receipt)
    assert (event.asset, event["from"], event.amount, event.received) == (
        btcb.address,
        alice.address,
        2 * ONE,
        2 * ONE,
    )
    assert vault.balanceOf(btcb) == 2 * ONE


def test_deposit__native_with_value__emits_deposited(vault, alice):
    receipt = vault.deposit(NATIVE, 3 * ONE, sender=alice, value=3 * ONE)
    [event] = vault.Deposited.from_receipt(receipt)
    assert (event.asset, event.amount, event.received) == (NATIVE, 3 * ONE, 3 * ONE)
    assert vault.balanceOf(NATIVE) == 3 * ONE


def test_receive__plain_bnb_transfer__emits_deposited(vault, alice):
    receipt = alice.transfer(vault, ONE)
    [event] = vault.Deposited.from_receipt(receipt)
    assert (event.asset, event["from"], event.received) == (NATIVE, alice.address, ONE)
    assert vault.balanceOf(NATIVE) == ONE


def test_receive__bnb_not_listed__reverts(vault, governance, alice):
    governance(vault, ("removeAsset", NATIVE))
    with ape.reverts(vault.ReserveAssetNotListed, asset=NATIVE):
        alice.transfer(vault, ONE)


def test_deposit__unlisted_token__reverts(vault, create_token, alice):
    token = create_token()
    with ape.reverts(vault.ReserveAssetNotListed, asset=token.address):
        vault.deposit(token, 1, sender=alice)


def test_deposit__zero_amount__reverts(vault, btcb, alice):
    with ape.reverts(vault.ReserveZeroAmount):
        vault.deposit(btcb, 0, sender=alice)


def test_deposit__native_value_mismatch__reverts(vault, alice):
    with ape.reverts(vault.ReserveNativeAmountMismatch, value=ONE, amount=2 * ONE):
        vault.deposit(NATIVE, 2 * ONE, sender=alice, value=ONE)


def test_deposit__token_with_bnb_attached__reverts(vault, btcb, alice):
    with ape.reverts(vault.ReserveUnexpectedNativeValue, value=1):
        vault.deposit(btcb, ONE, sender=alice, value=1)


def test_deposit__without_allowance__reverts(vault, btcb, alice):
    btcb.mint(alice, ONE, sender=alice)
    with ape.reverts(vault.ReserveTransferFailed, asset=btcb.address, to=vault.address, amount=ONE):
        vault.deposit(btcb, ONE, sender=alice)


def test_deposit__while_paused__still_accepted(vault, btcb, guardian, deposit):
    vault.pause(sender=guardian)
    receipt = deposit(vault, btcb, ONE)
    assert len(vault.Deposited.from_receipt(receipt)) == 1
