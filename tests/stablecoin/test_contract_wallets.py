"""ERC-1271: permit and EIP-3009 with a `bytes` signature, for contract wallets (a Safe of
the board) and, with a 65-byte ECDSA signature, for externally owned accounts (USDC v2.2's
overloads). The (v, r, s) forms are tested in test_permit.py and test_authorization.py."""

import os

import ape
import pytest
from ape import chain, project

from somchain.stablecoin.signing import sign_authorization, sign_cancel, sign_permit
from tests.utils.constants import ONE


def _bytes(vrs: tuple) -> bytes:
    v, r, s = vrs
    return r + s + bytes([v])


def _window():
    now = chain.pending_timestamp
    return now - 60, now + 3_600


@pytest.fixture
def wallet(funded, admin, alice):
    """A contract wallet whose signer is alice's key, holding 100 KGST."""
    w = project.MockERC1271Wallet.deploy(alice, sender=admin)
    funded.transfer(w, 100 * ONE, sender=alice)
    return w


@pytest.fixture
def wrong_wallet(funded, admin, alice):
    """A contract wallet that answers every check with a wrong magic value."""
    w = project.MockERC1271WrongMagic.deploy(sender=admin)
    funded.transfer(w, 100 * ONE, sender=alice)
    return w


@pytest.fixture
def reverting_wallet(funded, admin, alice):
    """A contract wallet whose check reverts."""
    w = project.MockERC1271Reverting.deploy(sender=admin)
    funded.transfer(w, 100 * ONE, sender=alice)
    return w


# ---------------------------------------------------------------- permit


def test_permit_bytes__contract_wallet__sets_allowance_and_emits(funded, wallet, alice, bob):
    deadline = chain.pending_timestamp + 3_600
    signature = _bytes(sign_permit(funded, alice.private_key, wallet, bob, 5 * ONE, deadline))
    receipt = funded.permit(wallet, bob, 5 * ONE, deadline, signature, sender=bob)
    assert funded.allowance(wallet, bob) == 5 * ONE
    assert funded.nonces(wallet) == 1
    [event] = funded.Approval.from_receipt(receipt)
    assert (event.owner, event.spender, event.value) == (wallet, bob, 5 * ONE)
    funded.transferFrom(wallet, bob, 5 * ONE, sender=bob)
    assert funded.balanceOf(wallet) == 95 * ONE


def test_permit_bytes__eoa_signature__sets_allowance(funded, alice, bob):
    deadline = chain.pending_timestamp + 3_600
    signature = _bytes(sign_permit(funded, alice.private_key, alice, bob, ONE, deadline))
    funded.permit(alice, bob, ONE, deadline, signature, sender=bob)
    assert funded.allowance(alice, bob) == ONE


def test_permit_bytes__replayed__reverts(funded, wallet, alice, bob):
    deadline = chain.pending_timestamp + 3_600
    signature = _bytes(sign_permit(funded, alice.private_key, wallet, bob, ONE, deadline))
    funded.permit(wallet, bob, ONE, deadline, signature, sender=bob)
    with ape.reverts(funded.StablecoinInvalidSignature):
        funded.permit(wallet, bob, ONE, deadline, signature, sender=bob)


def test_permit_bytes__expired__reverts(funded, wallet, alice, bob):
    deadline = chain.pending_timestamp - 1
    signature = _bytes(sign_permit(funded, alice.private_key, wallet, bob, ONE, deadline))
    with ape.reverts(funded.ERC2612ExpiredSignature):
        funded.permit(wallet, bob, ONE, deadline, signature, sender=bob)


def test_permit_bytes__wrong_signer__reverts(funded, wallet, attacker, bob):
    deadline = chain.pending_timestamp + 3_600
    signature = _bytes(sign_permit(funded, attacker.private_key, wallet, bob, ONE, deadline))
    with ape.reverts(funded.StablecoinInvalidSignature, owner=wallet.address):
        funded.permit(wallet, bob, ONE, deadline, signature, sender=bob)


def test_permit_bytes__wallet_answers_wrong_value__reverts(funded, wrong_wallet, alice, bob):
    deadline = chain.pending_timestamp + 3_600
    signature = _bytes(sign_permit(funded, alice.private_key, wrong_wallet, bob, ONE, deadline))
    with ape.reverts(funded.StablecoinInvalidSignature):
        funded.permit(wrong_wallet, bob, ONE, deadline, signature, sender=bob)


def test_permit_bytes__wallet_check_reverts__reverts(funded, reverting_wallet, alice, bob):
    deadline = chain.pending_timestamp + 3_600
    signature = _bytes(sign_permit(funded, alice.private_key, reverting_wallet, bob, ONE, deadline))
    with ape.reverts(funded.StablecoinInvalidSignature):
        funded.permit(reverting_wallet, bob, ONE, deadline, signature, sender=bob)


def test_permit_bytes__frozen_wallet__reverts(funded, wallet, compliance, alice, bob):
    funded.freeze(wallet, sender=compliance)
    deadline = chain.pending_timestamp + 3_600
    signature = _bytes(sign_permit(funded, alice.private_key, wallet, bob, ONE, deadline))
    with ape.reverts(funded.ComplianceAccountFrozen):
        funded.permit(wallet, bob, ONE, deadline, signature, sender=bob)


def test_permit_vrs__contract_wallet__reverts(funded, wallet, alice, bob):
    """The (v, r, s) form stays ECDSA-only: a contract wallet must use the bytes form."""
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(funded, alice.private_key, wallet, bob, ONE, deadline)
    with ape.reverts(funded.ERC2612InvalidSigner):
        funded.permit(wallet, bob, ONE, deadline, v, r, s, sender=bob)


# -------------------------------------------------------- transfer / receive with authorization


def _auth(funded, key, payer, payee, value, nonce, receive=False):
    after, before = _window()
    vrs = sign_authorization(
        funded, key, payer, payee, value, after, before, nonce, receive=receive
    )
    return after, before, _bytes(vrs)


def test_transfer_with_authorization_bytes__contract_wallet__moves_funds_and_emits(
    funded, wallet, alice, bob, attacker
):
    nonce = os.urandom(32)
    after, before, signature = _auth(funded, alice.private_key, wallet, bob, 7 * ONE, nonce)
    receipt = funded.transferWithAuthorization(
        wallet, bob, 7 * ONE, after, before, nonce, signature, sender=attacker
    )
    assert funded.balanceOf(wallet) == 93 * ONE
    assert funded.authorizationState(wallet, nonce)
    [used] = funded.AuthorizationUsed.from_receipt(receipt)
    assert (used.authorizer, used.nonce) == (wallet, nonce)
    [transfer] = funded.Transfer.from_receipt(receipt)
    assert (transfer["from"], transfer.to, transfer.value) == (wallet, bob, 7 * ONE)


def test_transfer_with_authorization_bytes__eoa_signature__moves_funds(funded, alice, bob):
    nonce = os.urandom(32)
    after, before, signature = _auth(funded, alice.private_key, alice, bob, ONE, nonce)
    funded.transferWithAuthorization(alice, bob, ONE, after, before, nonce, signature, sender=bob)
    assert funded.balanceOf(bob) == 1_001 * ONE


def test_transfer_with_authorization_bytes__replayed__reverts(funded, wallet, alice, bob):
    nonce = os.urandom(32)
    after, before, signature = _auth(funded, alice.private_key, wallet, bob, ONE, nonce)
    funded.transferWithAuthorization(wallet, bob, ONE, after, before, nonce, signature, sender=bob)
    with ape.reverts(funded.AuthorizationAlreadyUsed):
        funded.transferWithAuthorization(
            wallet, bob, ONE, after, before, nonce, signature, sender=bob
        )


def test_transfer_with_authorization_bytes__expired__reverts(funded, wallet, alice, bob):
    nonce = os.urandom(32)
    now = chain.pending_timestamp
    vrs = sign_authorization(
        funded, alice.private_key, wallet, bob, ONE, now - 120, now - 60, nonce
    )
    with ape.reverts(funded.AuthorizationExpired):
        funded.transferWithAuthorization(
            wallet, bob, ONE, now - 120, now - 60, nonce, _bytes(vrs), sender=bob
        )


def test_transfer_with_authorization_bytes__not_yet_valid__reverts(funded, wallet, alice, bob):
    nonce = os.urandom(32)
    now = chain.pending_timestamp
    vrs = sign_authorization(
        funded, alice.private_key, wallet, bob, ONE, now + 600, now + 3_600, nonce
    )
    with ape.reverts(funded.AuthorizationNotYetValid):
        funded.transferWithAuthorization(
            wallet, bob, ONE, now + 600, now + 3_600, nonce, _bytes(vrs), sender=bob
        )


def test_transfer_with_authorization_bytes__wrong_signer__reverts(funded, wallet, attacker, bob):
    nonce = os.urandom(32)
    after, before, signature = _auth(funded, attacker.private_key, wallet, bob, ONE, nonce)
    with ape.reverts(funded.AuthorizationInvalidSignature, expected=wallet.address):
        funded.transferWithAuthorization(
            wallet, bob, ONE, after, before, nonce, signature, sender=bob
        )


def test_transfer_with_authorization_bytes__wallet_answers_wrong_value__reverts(
    funded, wrong_wallet, alice, bob
):
    nonce = os.urandom(32)
    after, before, signature = _auth(funded, alice.private_key, wrong_wallet, bob, ONE, nonce)
    with ape.reverts(funded.AuthorizationInvalidSignature):
        funded.transferWithAuthorization(
            wrong_wallet, bob, ONE, after, before, nonce, signature, sender=bob
        )


def test_transfer_with_authorization_bytes__wallet_check_reverts__reverts(
    funded, reverting_wallet, alice, bob
):
    nonce = os.urandom(32)
    after, before, signature = _auth(funded, alice.private_key, reverting_wallet, bob, ONE, nonce)
    with ape.reverts(funded.AuthorizationInvalidSignature):
        funded.transferWithAuthorization(
            reverting_wallet, bob, ONE, after, before, nonce, signature, sender=bob
        )


def test_transfer_with_authorization_bytes__while_paused__reverts(
    funded, wallet, pauser, alice, bob
):
    funded.pause(sender=pauser)
    nonce = os.urandom(32)
    after, before, signature = _auth(funded, alice.private_key, wallet, bob, ONE, nonce)
    with ape.reverts(funded.CompliancePaused):
        funded.transferWithAuthorization(
            wallet, bob, ONE, after, before, nonce, signature, sender=bob
        )


def test_receive_with_authorization_bytes__by_payee__moves_funds(funded, wallet, alice, bob):
    nonce = os.urandom(32)
    after, before, signature = _auth(
        funded, alice.private_key, wallet, bob, 3 * ONE, nonce, receive=True
    )
    funded.receiveWithAuthorization(
        wallet, bob, 3 * ONE, after, before, nonce, signature, sender=bob
    )
    assert funded.balanceOf(wallet) == 97 * ONE


def test_receive_with_authorization_bytes__by_someone_else__reverts(
    funded, wallet, alice, bob, attacker
):
    nonce = os.urandom(32)
    after, before, signature = _auth(
        funded, alice.private_key, wallet, bob, ONE, nonce, receive=True
    )
    with ape.reverts(funded.AuthorizationCallerNotPayee):
        funded.receiveWithAuthorization(
            wallet, bob, ONE, after, before, nonce, signature, sender=attacker
        )


def test_receive_with_authorization_bytes__transfer_signature__reverts(funded, wallet, alice, bob):
    nonce = os.urandom(32)
    after, before, signature = _auth(funded, alice.private_key, wallet, bob, ONE, nonce)
    with ape.reverts(funded.AuthorizationInvalidSignature):
        funded.receiveWithAuthorization(
            wallet, bob, ONE, after, before, nonce, signature, sender=bob
        )


# ---------------------------------------------------------------- cancel


def test_cancel_authorization_bytes__contract_wallet__blocks_later_use_and_emits(
    funded, wallet, alice, bob
):
    nonce = os.urandom(32)
    cancel = _bytes(sign_cancel(funded, alice.private_key, wallet, nonce))
    receipt = funded.cancelAuthorization(wallet, nonce, cancel, sender=bob)
    assert funded.authorizationState(wallet, nonce)
    [event] = funded.AuthorizationCanceled.from_receipt(receipt)
    assert (event.authorizer, event.nonce) == (wallet, nonce)
    after, before, signature = _auth(funded, alice.private_key, wallet, bob, ONE, nonce)
    with ape.reverts(funded.AuthorizationAlreadyUsed):
        funded.transferWithAuthorization(
            wallet, bob, ONE, after, before, nonce, signature, sender=bob
        )


def test_cancel_authorization_bytes__twice__reverts(funded, wallet, alice, bob):
    nonce = os.urandom(32)
    cancel = _bytes(sign_cancel(funded, alice.private_key, wallet, nonce))
    funded.cancelAuthorization(wallet, nonce, cancel, sender=bob)
    with ape.reverts(funded.AuthorizationAlreadyUsed):
        funded.cancelAuthorization(wallet, nonce, cancel, sender=bob)


def test_cancel_authorization_bytes__wrong_signer__reverts(funded, wallet, attacker):
    nonce = os.urandom(32)
    cancel = _bytes(sign_cancel(funded, attacker.private_key, wallet, nonce))
    with ape.reverts(funded.AuthorizationInvalidSignature):
        funded.cancelAuthorization(wallet, nonce, cancel, sender=attacker)


def test_cancel_authorization_bytes__eoa_signature__cancels(funded, alice, bob):
    nonce = os.urandom(32)
    funded.cancelAuthorization(
        alice, nonce, _bytes(sign_cancel(funded, alice.private_key, alice, nonce)), sender=bob
    )
    assert funded.authorizationState(alice, nonce)


# ---------------------------------------------------------------- the extension


def test_signature_extension__called_directly__reverts(funded, admin, alice, bob):
    """The extension acts only on the token's storage, through the token."""
    extension = project.StablecoinSignatureExtension.deploy(sender=admin)
    with ape.reverts(extension.StablecoinExtensionNotDelegated):
        extension.cancelAuthorization(alice, b"\x01" * 32, b"", sender=bob)
