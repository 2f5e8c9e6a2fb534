"""Awkward tokens: fee-on-transfer (credited with what arrived) and USDT-style (no return value)."""

import ape
from ape import project

from somchain.reserve import execute_withdrawal, propose_withdrawal, wait_until_ready
from tests.utils.constants import ONE


def _list(vault, governance, token, create_feed, limit=0):
    governance(vault, ("addAsset", token, create_feed(8, 10**8), limit))


def test_deposit__fee_on_transfer__credits_amount_received(
    vault, governance, fee_token, create_feed, alice
):
    _list(vault, governance, fee_token, create_feed)
    fee_token.mint(alice, 100 * ONE, sender=alice)
    fee_token.approve(vault, 100 * ONE, sender=alice)

    receipt = vault.deposit(fee_token, 100 * ONE, sender=alice)

    [event] = vault.Deposited.from_receipt(receipt)
    assert event.amount == 100 * ONE
    assert event.received == 99 * ONE  # 1% burnt in transit
    assert vault.balanceOf(fee_token) == 99 * ONE
    assert vault.totalValue() == 99 * 10**8


def test_withdraw__fee_on_transfer__sends_amount_recipient_pays_fee(
    vault, governance, fee_token, create_feed, alice, bob, timelock, committee
):
    _list(vault, governance, fee_token, create_feed)
    fee_token.mint(vault, 100 * ONE, sender=alice)

    op = propose_withdrawal(timelock, vault, fee_token, bob, 50 * ONE, committee, salt=9)
    wait_until_ready(timelock, op)
    receipt = execute_withdrawal(timelock, op, committee)

    assert vault.Withdrawn.from_receipt(receipt)[0].amount == 50 * ONE
    assert vault.balanceOf(fee_token) == 50 * ONE
    assert fee_token.balanceOf(bob) == 495 * ONE // 10


def test_deposit__no_return_token__accepted_via_safe_erc20(vault, usdt, alice):
    usdt.mint(alice, 500 * ONE, sender=alice)
    usdt.approve(vault, 500 * ONE, sender=alice)

    receipt = vault.deposit(usdt, 500 * ONE, sender=alice)

    assert vault.Deposited.from_receipt(receipt)[0].received == 500 * ONE
    assert usdt.balanceOf(vault) == 500 * ONE


def test_deposit__no_return_token_without_allowance__reverts(vault, usdt, alice):
    usdt.mint(alice, ONE, sender=alice)
    with ape.reverts(vault.ReserveTransferFailed, asset=usdt.address, to=vault.address, amount=ONE):
        vault.deposit(usdt, ONE, sender=alice)


def test_outflows__no_return_token__move_via_safe_erc20(
    funded_vault, usdt, operator, governance, bob
):
    funded_vault.operationalTransfer(usdt, bob, 1_000 * ONE, sender=operator)
    governance(funded_vault, ("withdraw", usdt, bob, 9_000 * ONE))
    assert usdt.balanceOf(bob) == 10_000 * ONE
    assert usdt.balanceOf(funded_vault) == 20_000 * ONE


def test_deposit__token_that_delivers_nothing__reverts(direct_vault, create_feed, admin, alice):
    full_fee = project.MockFeeOnTransferToken.deploy("Void", "VOID", 10_000, sender=admin)
    direct_vault.addAsset(full_fee, create_feed(8, 10**8), 0, sender=admin)
    full_fee.mint(alice, ONE, sender=alice)
    full_fee.approve(direct_vault, ONE, sender=alice)
    with ape.reverts(direct_vault.ReserveNothingReceived, asset=full_fee.address):
        direct_vault.deposit(full_fee, ONE, sender=alice)
