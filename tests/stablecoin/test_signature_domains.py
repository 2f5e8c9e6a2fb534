"""Signatures bound to their EIP-712 domain and to EIP-2: permits and EIP-3009
authorizations signed for another chain id, another proxy of the same token, another
name or version, or with a high-s or malformed signature, in both the (v, r, s) and the
`bytes` forms, and ERC-1271 wallets that answer short. Replays, expiry, wrong signers and
wallets answering a wrong value or reverting are in test_permit.py, test_authorization.py
and test_contract_wallets.py."""

import ape
import pytest
from ape import chain, project
from eth_account import Account

from somchain.stablecoin.signing import TYPES, domain_of
from tests.utils.constants import ONE

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
NONCE = b"\x42" * 32
DOMAINS = {
    "another chain id": {"chainId": 56},
    "another proxy": None,  # filled by the `other_proxy` fixture
    "another name": {"name": "Kyrgyz Som Stablecoin v2"},
    "another version": {"version": "2"},
}


def _sign(token, key, primary: str, message: dict, **domain) -> tuple:
    signed = Account.sign_typed_data(
        key,
        domain_data={**domain_of(token), **domain},
        message_types={primary: TYPES[primary]},
        message_data=message,
    )
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def _permit(token, owner, spender, deadline, **domain):
    message = {
        "owner": owner.address,
        "spender": spender.address,
        "value": ONE,
        "nonce": token.nonces(owner),
        "deadline": deadline,
    }
    return _sign(token, owner.private_key, "Permit", message, **domain)


def _authorization(token, payer, payee, window, primary="TransferWithAuthorization", **domain):
    message = {
        "from": payer.address,
        "to": payee.address,
        "value": ONE,
        "validAfter": window[0],
        "validBefore": window[1],
        "nonce": NONCE,
    }
    return _sign(token, payer.private_key, primary, message, **domain)


def _bytes(v, r, s) -> bytes:
    return r + s + bytes([v])


def _high_s(v, r, s) -> tuple:
    return 55 - v, r, (N - int.from_bytes(s, "big")).to_bytes(32, "big")


@pytest.fixture
def window():
    now = chain.pending_timestamp
    return now - 60, now + 3_600


@pytest.fixture
def other_proxy(create_token, master_minter, minter, alice):
    """A second proxy of the token, same name and version, where alice also holds KGST."""
    t = create_token()
    t.configureMinter(minter, 1_000 * ONE, sender=master_minter)
    t.mint(alice, 100 * ONE, sender=minter)
    return t


@pytest.fixture(params=list(DOMAINS))
def domain(request, other_proxy):
    if request.param == "another proxy":
        return {"verifyingContract": other_proxy.address}
    return DOMAINS[request.param]


# ---------------------------------------------------------------- foreign domains


def test_permit__signed_for_a_foreign_domain__reverts(funded, alice, bob, domain):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = _permit(funded, alice, bob, deadline, **domain)
    with ape.reverts(funded.ERC2612InvalidSigner, owner=alice.address):
        funded.permit(alice, bob, ONE, deadline, v, r, s, sender=bob)
    with ape.reverts(funded.StablecoinInvalidSignature, owner=alice.address):
        funded.permit(alice, bob, ONE, deadline, _bytes(v, r, s), sender=bob)
    assert funded.allowance(alice, bob) == 0


def test_transfer_with_authorization__signed_for_a_foreign_domain__reverts(
    funded, alice, bob, window, domain
):
    v, r, s = _authorization(funded, alice, bob, window, **domain)
    with ape.reverts(funded.AuthorizationInvalidSigner, expected=alice.address):
        funded.transferWithAuthorization(alice, bob, ONE, *window, NONCE, v, r, s, sender=bob)
    with ape.reverts(funded.AuthorizationInvalidSignature, expected=alice.address):
        funded.transferWithAuthorization(
            alice, bob, ONE, *window, NONCE, _bytes(v, r, s), sender=bob
        )
    assert not funded.authorizationState(alice, NONCE)


def test_receive_with_authorization__signed_for_a_foreign_domain__reverts(
    funded, alice, bob, window, domain
):
    v, r, s = _authorization(funded, alice, bob, window, "ReceiveWithAuthorization", **domain)
    with ape.reverts(funded.AuthorizationInvalidSigner, expected=alice.address):
        funded.receiveWithAuthorization(alice, bob, ONE, *window, NONCE, v, r, s, sender=bob)


def test_authorization__used_on_one_proxy__cannot_be_replayed_on_another(
    funded, other_proxy, alice, bob, window
):
    v, r, s = _authorization(funded, alice, bob, window)
    funded.transferWithAuthorization(alice, bob, ONE, *window, NONCE, v, r, s, sender=bob)
    with ape.reverts(other_proxy.AuthorizationInvalidSigner, expected=alice.address):
        other_proxy.transferWithAuthorization(alice, bob, ONE, *window, NONCE, v, r, s, sender=bob)
    assert other_proxy.balanceOf(alice) == 100 * ONE


def test_permit__used_on_one_proxy__cannot_be_replayed_on_another(funded, other_proxy, alice, bob):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = _permit(funded, alice, bob, deadline)
    funded.permit(alice, bob, ONE, deadline, v, r, s, sender=bob)
    with ape.reverts(other_proxy.ERC2612InvalidSigner, owner=alice.address):
        other_proxy.permit(alice, bob, ONE, deadline, v, r, s, sender=bob)


# ---------------------------------------------------------------- EIP-2 and malformed signatures


def test_transfer_with_authorization__high_s__reverts(funded, alice, bob, window):
    v, r, s = _high_s(*_authorization(funded, alice, bob, window))
    with ape.reverts(funded.ECDSAInvalidSignatureS):
        funded.transferWithAuthorization(alice, bob, ONE, *window, NONCE, v, r, s, sender=bob)
    with ape.reverts(funded.AuthorizationInvalidSignature, expected=alice.address):
        funded.transferWithAuthorization(
            alice, bob, ONE, *window, NONCE, _bytes(v, r, s), sender=bob
        )


def test_receive_with_authorization__high_s__reverts(funded, alice, bob, window):
    v, r, s = _high_s(*_authorization(funded, alice, bob, window, "ReceiveWithAuthorization"))
    with ape.reverts(funded.ECDSAInvalidSignatureS):
        funded.receiveWithAuthorization(alice, bob, ONE, *window, NONCE, v, r, s, sender=bob)


def test_cancel_authorization__high_s__reverts(funded, alice):
    message = {"authorizer": alice.address, "nonce": NONCE}
    v, r, s = _high_s(*_sign(funded, alice.private_key, "CancelAuthorization", message))
    with ape.reverts(funded.ECDSAInvalidSignatureS):
        funded.cancelAuthorization(alice, NONCE, v, r, s, sender=alice)
    with ape.reverts(funded.AuthorizationInvalidSignature, expected=alice.address):
        funded.cancelAuthorization(alice, NONCE, _bytes(v, r, s), sender=alice)


def test_permit_bytes__high_s__reverts(funded, alice, bob):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = _high_s(*_permit(funded, alice, bob, deadline))
    with ape.reverts(funded.StablecoinInvalidSignature, owner=alice.address):
        funded.permit(alice, bob, ONE, deadline, _bytes(v, r, s), sender=bob)


def test_permit__invalid_v__reverts(funded, alice, bob):
    deadline = chain.pending_timestamp + 3_600
    _, r, s = _permit(funded, alice, bob, deadline)
    with ape.reverts(funded.ECDSAInvalidSignature):
        funded.permit(alice, bob, ONE, deadline, 29, r, s, sender=bob)


def test_transfer_with_authorization_bytes__truncated_signature__reverts(
    funded, alice, bob, window
):
    v, r, s = _authorization(funded, alice, bob, window)
    with ape.reverts(funded.AuthorizationInvalidSignature, expected=alice.address):
        funded.transferWithAuthorization(alice, bob, ONE, *window, NONCE, r + s, sender=bob)


# ---------------------------------------------------------------- ERC-1271 answers


def test_authorization_bytes__wallet_answers_short__reverts(funded, admin, alice, bob, window):
    wallet = project.MockERC1271ShortAnswer.deploy(sender=admin)
    funded.transfer(wallet, 10 * ONE, sender=alice)
    with ape.reverts(funded.AuthorizationInvalidSignature, expected=wallet.address):
        funded.transferWithAuthorization(wallet, bob, ONE, *window, NONCE, b"\x01" * 65, sender=bob)
    deadline = chain.pending_timestamp + 3_600
    with ape.reverts(funded.StablecoinInvalidSignature, owner=wallet.address):
        funded.permit(wallet, bob, ONE, deadline, b"\x01" * 65, sender=bob)
    assert funded.balanceOf(wallet) == 10 * ONE


def test_authorization_bytes__wallet_of_another_owner__reverts(
    funded, admin, alice, bob, attacker, window
):
    wallet = project.MockERC1271Wallet.deploy(attacker, sender=admin)
    funded.transfer(wallet, 10 * ONE, sender=alice)
    message = {
        "from": wallet.address,
        "to": bob.address,
        "value": ONE,
        "validAfter": window[0],
        "validBefore": window[1],
        "nonce": NONCE,
    }
    signature = _bytes(*_sign(funded, alice.private_key, "TransferWithAuthorization", message))
    with ape.reverts(funded.AuthorizationInvalidSignature, expected=wallet.address):
        funded.transferWithAuthorization(wallet, bob, ONE, *window, NONCE, signature, sender=bob)
