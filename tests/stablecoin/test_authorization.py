import os

import ape
from ape import chain

from somchain.stablecoin.signing import sign_authorization, sign_cancel
from tests.utils.constants import ONE


def _window():
    now = chain.pending_timestamp
    return now - 60, now + 3_600


def test_transfer_with_authorization__moves_funds_and_marks_nonce(funded, alice, bob, attacker):
    nonce = os.urandom(32)
    after, before = _window()
    v, r, s = sign_authorization(
        funded, alice.private_key, alice, bob, 25 * ONE, after, before, nonce
    )
    receipt = funded.transferWithAuthorization(
        alice, bob, 25 * ONE, after, before, nonce, v, r, s, sender=attacker
    )
    assert funded.balanceOf(bob) == 1_025 * ONE
    assert funded.authorizationState(alice, nonce)
    [used] = funded.AuthorizationUsed.from_receipt(receipt)
    assert (used.authorizer, used.nonce) == (alice, nonce)
    [transfer] = funded.Transfer.from_receipt(receipt)
    assert (transfer["from"], transfer.to, transfer.value) == (alice, bob, 25 * ONE)


def test_transfer_with_authorization__replayed__reverts(funded, alice, bob):
    nonce = os.urandom(32)
    after, before = _window()
    v, r, s = sign_authorization(funded, alice.private_key, alice, bob, ONE, after, before, nonce)
    funded.transferWithAuthorization(alice, bob, ONE, after, before, nonce, v, r, s, sender=bob)
    with ape.reverts(funded.AuthorizationAlreadyUsed):
        funded.transferWithAuthorization(alice, bob, ONE, after, before, nonce, v, r, s, sender=bob)


def test_transfer_with_authorization__not_yet_valid__reverts(funded, alice, bob):
    nonce = os.urandom(32)
    after, before = chain.pending_timestamp + 600, chain.pending_timestamp + 3_600
    v, r, s = sign_authorization(funded, alice.private_key, alice, bob, ONE, after, before, nonce)
    with ape.reverts(funded.AuthorizationNotYetValid):
        funded.transferWithAuthorization(alice, bob, ONE, after, before, nonce, v, r, s, sender=bob)


def test_transfer_with_authorization__expired__reverts(funded, alice, bob):
    nonce = os.urandom(32)
    after, before = 0, chain.pending_timestamp - 1
    v, r, s = sign_authorization(funded, alice.private_key, alice, bob, ONE, after, before, nonce)
    with ape.reverts(funded.AuthorizationExpired):
        funded.transferWithAuthorization(alice, bob, ONE, after, before, nonce, v, r, s, sender=bob)


def test_transfer_with_authorization__wrong_signer__reverts(funded, alice, bob, attacker):
    nonce = os.urandom(32)
    after, before = _window()
    v, r, s = sign_authorization(
        funded, attacker.private_key, alice, attacker, ONE, after, before, nonce
    )
    with ape.reverts(funded.AuthorizationInvalidSigner):
        funded.transferWithAuthorization(
            alice, attacker, ONE, after, before, nonce, v, r, s, sender=attacker
        )


def test_transfer_with_authorization__altered_amount__reverts(funded, alice, bob):
    nonce = os.urandom(32)
    after, before = _window()
    v, r, s = sign_authorization(funded, alice.private_key, alice, bob, ONE, after, before, nonce)
    with ape.reverts(funded.AuthorizationInvalidSigner):
        funded.transferWithAuthorization(
            alice, bob, 2 * ONE, after, before, nonce, v, r, s, sender=bob
        )


def test_transfer_with_authorization__while_paused__reverts(funded, pauser, alice, bob):
    nonce = os.urandom(32)
    after, before = _window()
    v, r, s = sign_authorization(funded, alice.private_key, alice, bob, ONE, after, before, nonce)
    funded.pause(sender=pauser)
    with ape.reverts(funded.CompliancePaused):
        funded.transferWithAuthorization(alice, bob, ONE, after, before, nonce, v, r, s, sender=bob)


def test_transfer_with_authorization__frozen_payer__reverts(funded, compliance, alice, bob):
    nonce = os.urandom(32)
    after, before = _window()
    v, r, s = sign_authorization(funded, alice.private_key, alice, bob, ONE, after, before, nonce)
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen):
        funded.transferWithAuthorization(alice, bob, ONE, after, before, nonce, v, r, s, sender=bob)


def test_receive_with_authorization__by_payee__succeeds(funded, alice, bob):
    nonce = os.urandom(32)
    after, before = _window()
    v, r, s = sign_authorization(
        funded, alice.private_key, alice, bob, ONE, after, before, nonce, receive=True
    )
    funded.receiveWithAuthorization(alice, bob, ONE, after, before, nonce, v, r, s, sender=bob)
    assert funded.balanceOf(bob) == 1_001 * ONE


def test_receive_with_authorization__by_someone_else__reverts(funded, alice, bob, attacker):
    nonce = os.urandom(32)
    after, before = _window()
    v, r, s = sign_authorization(
        funded, alice.private_key, alice, bob, ONE, after, before, nonce, receive=True
    )
    with ape.reverts(funded.AuthorizationCallerNotPayee):
        funded.receiveWithAuthorization(
            alice, bob, ONE, after, before, nonce, v, r, s, sender=attacker
        )


def test_receive_with_authorization__transfer_signature__reverts(funded, alice, bob):
    nonce = os.urandom(32)
    after, before = _window()
    v, r, s = sign_authorization(funded, alice.private_key, alice, bob, ONE, after, before, nonce)
    with ape.reverts(funded.AuthorizationInvalidSigner):
        funded.receiveWithAuthorization(alice, bob, ONE, after, before, nonce, v, r, s, sender=bob)


def test_cancel_authorization__blocks_later_use_and_emits(funded, alice, bob):
    nonce = os.urandom(32)
    after, before = _window()
    v, r, s = sign_authorization(funded, alice.private_key, alice, bob, ONE, after, before, nonce)
    cv, cr, cs = sign_cancel(funded, alice.private_key, alice, nonce)
    receipt = funded.cancelAuthorization(alice, nonce, cv, cr, cs, sender=bob)
    [event] = funded.AuthorizationCanceled.from_receipt(receipt)
    assert (event.authorizer, event.nonce) == (alice, nonce)
    assert funded.authorizationState(alice, nonce)
    with ape.reverts(funded.AuthorizationAlreadyUsed):
        funded.transferWithAuthorization(alice, bob, ONE, after, before, nonce, v, r, s, sender=bob)


def test_cancel_authorization__twice__reverts(funded, alice, bob):
    nonce = os.urandom(32)
    cv, cr, cs = sign_cancel(funded, alice.private_key, alice, nonce)
    funded.cancelAuthorization(alice, nonce, cv, cr, cs, sender=bob)
    with ape.reverts(funded.AuthorizationAlreadyUsed):
        funded.cancelAuthorization(alice, nonce, cv, cr, cs, sender=bob)


def test_cancel_authorization__wrong_signer__reverts(funded, alice, attacker):
    nonce = os.urandom(32)
    cv, cr, cs = sign_cancel(funded, attacker.private_key, alice, nonce)
    with ape.reverts(funded.AuthorizationInvalidSigner):
        funded.cancelAuthorization(alice, nonce, cv, cr, cs, sender=attacker)
