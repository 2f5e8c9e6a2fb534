"""Hostile tokens and receivers: a token calling back into the vault during a deposit or an
outflow, a token that returns false, a fee-on-transfer token under the operator's daily
limit, and BNB receivers re-entering governance outflows. The operator's re-entry through
BNB is in test_reentrancy.py; USDT-style tokens and fee-on-transfer deposits in test_tokens.py."""

import ape
import pytest
from ape import project
from eth_utils import keccak

from somchain.reserve import NATIVE, vault_call
from tests.utils.constants import ONE

REENTERED = keccak(text="ReentrancyGuardReentrantCall()")[:4]


@pytest.fixture
def callback_token(direct_vault, create_feed, admin):
    token = project.MockCallbackToken.deploy(sender=admin)
    direct_vault.addAsset(token, create_feed(8, 10**8), 10 * ONE, sender=admin)
    return token


def _calldata(vault, method, *args) -> bytes:
    return vault_call(vault, method, *args)[2]


def test_deposit__token_reenters_deposit__refused(direct_vault, callback_token, alice):
    callback_token.mint(alice, 10 * ONE, sender=alice)
    callback_token.approve(direct_vault, 10 * ONE, sender=alice)
    callback_token.arm(
        direct_vault, _calldata(direct_vault, "deposit", callback_token, ONE), sender=alice
    )

    receipt = direct_vault.deposit(callback_token, 5 * ONE, sender=alice)

    assert callback_token.callbackResult() == REENTERED
    assert direct_vault.Deposited.from_receipt(receipt)[0].received == 5 * ONE
    assert direct_vault.balanceOf(callback_token) == 5 * ONE


def test_operational_transfer__token_reenters__refused(
    direct_vault, callback_token, admin, operator, bob
):
    callback_token.mint(direct_vault, 10 * ONE, sender=admin)
    direct_vault.grantRole(direct_vault.OPERATOR_ROLE(), callback_token, sender=admin)
    again = _calldata(direct_vault, "operationalTransfer", callback_token, bob.address, 5 * ONE)
    callback_token.arm(direct_vault, again, sender=admin)

    direct_vault.operationalTransfer(callback_token, bob, 5 * ONE, sender=operator)

    assert callback_token.callbackResult() == REENTERED
    assert callback_token.balanceOf(bob) == 5 * ONE
    assert direct_vault.outflowUsed(callback_token) == 5 * ONE


def test_withdraw__token_reenters_withdraw__refused(direct_vault, callback_token, admin, bob):
    callback_token.mint(direct_vault, 10 * ONE, sender=admin)
    direct_vault.grantRole(direct_vault.GOVERNOR_ROLE(), callback_token, sender=admin)
    again = _calldata(direct_vault, "withdraw", callback_token, bob.address, 5 * ONE)
    callback_token.arm(direct_vault, again, sender=admin)

    direct_vault.withdraw(callback_token, bob, 5 * ONE, sender=admin)

    assert callback_token.callbackResult() == REENTERED
    assert direct_vault.balanceOf(callback_token) == 5 * ONE


def test_withdraw__bnb_receiver_reenters_withdraw__refused(direct_vault, admin):
    again = _calldata(direct_vault, "withdraw", NATIVE, admin.address, ONE)
    receiver = project.MockReentrantReceiver.deploy(direct_vault, again, sender=admin)
    direct_vault.grantRole(direct_vault.GOVERNOR_ROLE(), receiver, sender=admin)
    direct_vault.deposit(NATIVE, 5 * ONE, sender=admin, value=5 * ONE)

    direct_vault.withdraw(NATIVE, receiver, ONE, sender=admin)

    assert receiver.reentryResult() == REENTERED
    assert direct_vault.balanceOf(NATIVE) == 4 * ONE


def test_recover_token__receiver_reenters__refused(direct_vault, admin, create_token):
    stray = create_token("STRAY", 18)
    stray.mint(direct_vault, ONE, sender=admin)
    direct_vault.deposit(NATIVE, 2 * ONE, sender=admin, value=2 * ONE)
    direct_vault.removeAsset(NATIVE, sender=admin)  # unlisted BNB becomes recoverable
    again = _calldata(direct_vault, "recoverToken", stray, admin.address, ONE)
    receiver = project.MockReentrantReceiver.deploy(direct_vault, again, sender=admin)
    direct_vault.grantRole(direct_vault.GOVERNOR_ROLE(), receiver, sender=admin)

    direct_vault.recoverToken(NATIVE, receiver, ONE, sender=admin)

    assert receiver.reentryResult() == REENTERED
    assert stray.balanceOf(direct_vault) == ONE


@pytest.fixture
def false_token(direct_vault, create_feed, admin):
    token = project.MockFalseReturnToken.deploy(sender=admin)
    direct_vault.addAsset(token, create_feed(8, 10**8), 10 * ONE, sender=admin)
    return token


def test_deposit__token_returns_false__reverts(direct_vault, false_token, alice):
    false_token.mint(alice, ONE, sender=alice)
    false_token.approve(direct_vault, ONE, sender=alice)
    false_token.setFailing(True, sender=alice)
    with ape.reverts(direct_vault.ReserveTransferFailed, asset=false_token.address, amount=ONE):
        direct_vault.deposit(false_token, ONE, sender=alice)


def test_outflows__token_returns_false__revert_and_count_nothing(
    direct_vault, false_token, admin, operator, bob
):
    false_token.mint(direct_vault, 5 * ONE, sender=admin)
    false_token.setFailing(True, sender=admin)
    with ape.reverts(direct_vault.ReserveTransferFailed, asset=false_token.address, to=bob.address):
        direct_vault.operationalTransfer(false_token, bob, ONE, sender=operator)
    with ape.reverts(direct_vault.ReserveTransferFailed, asset=false_token.address, to=bob.address):
        direct_vault.withdraw(false_token, bob, ONE, sender=admin)
    assert direct_vault.outflowUsed(false_token) == 0
    assert direct_vault.balanceOf(false_token) == 5 * ONE


def test_operational_transfer__fee_on_transfer__counts_the_amount_sent(
    direct_vault, fee_token, create_feed, admin, operator, bob
):
    direct_vault.addAsset(fee_token, create_feed(8, 10**8), 10 * ONE, sender=admin)
    fee_token.mint(direct_vault, 20 * ONE, sender=admin)

    direct_vault.operationalTransfer(fee_token, bob, 10 * ONE, sender=operator)

    assert fee_token.balanceOf(bob) == 99 * ONE // 10  # 1% burnt in transit
    assert direct_vault.balanceOf(fee_token) == 10 * ONE
    assert direct_vault.outflowUsed(fee_token) >= 10 * ONE - 3 * (10 * ONE // 86_400)
    with ape.reverts(direct_vault.ReserveDailyLimitExceeded):
        direct_vault.operationalTransfer(fee_token, bob, ONE, sender=operator)
