"""EIP-712 signatures for the stablecoin: permit (EIP-2612), transfer authorizations (EIP-3009)."""

from __future__ import annotations

from typing import Any

from eth_account import Account

_AUTH_FIELDS = [
    {"name": "from", "type": "address"},
    {"name": "to", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "validAfter", "type": "uint256"},
    {"name": "validBefore", "type": "uint256"},
    {"name": "nonce", "type": "bytes32"},
]
TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ],
    "TransferWithAuthorization": _AUTH_FIELDS,
    "ReceiveWithAuthorization": _AUTH_FIELDS,
    "CancelAuthorization": [
        {"name": "authorizer", "type": "address"},
        {"name": "nonce", "type": "bytes32"},
    ],
}


def domain_of(token: Any) -> dict:
    """The token's EIP-712 domain, read from its EIP-5267 `eip712Domain()`."""
    domain = token.eip712Domain()
    return {
        "name": domain[1],
        "version": domain[2],
        "chainId": int(domain[3]),
        "verifyingContract": str(domain[4]),
    }


def sign(token: Any, private_key: str | bytes, primary_type: str, message: dict) -> tuple:
    """Signs `message` of `primary_type` for `token`; returns (v, r, s)."""
    signed = Account.sign_typed_data(
        private_key,
        domain_data=domain_of(token),
        message_types={primary_type: TYPES[primary_type]},
        message_data=message,
    )
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def sign_permit(
    token: Any, private_key: str | bytes, owner: str, spender: str, value: int, deadline: int
) -> tuple:
    """(v, r, s) of an EIP-2612 permit at the owner's current nonce."""
    message = {
        "owner": str(owner),
        "spender": str(spender),
        "value": value,
        "nonce": token.nonces(owner),
        "deadline": deadline,
    }
    return sign(token, private_key, "Permit", message)


def sign_authorization(
    token: Any,
    private_key: str | bytes,
    payer: str,
    payee: str,
    value: int,
    valid_after: int,
    valid_before: int,
    nonce: bytes,
    receive: bool = False,
) -> tuple:
    """(v, r, s) of an EIP-3009 transfer (or, with `receive`, receive) authorization."""
    message = {
        "from": str(payer),
        "to": str(payee),
        "value": value,
        "validAfter": valid_after,
        "validBefore": valid_before,
        "nonce": nonce,
    }
    kind = "ReceiveWithAuthorization" if receive else "TransferWithAuthorization"
    return sign(token, private_key, kind, message)


def sign_cancel(token: Any, private_key: str | bytes, authorizer: str, nonce: bytes) -> tuple:
    """(v, r, s) of an EIP-3009 cancellation."""
    return sign(
        token, private_key, "CancelAuthorization", {"authorizer": str(authorizer), "nonce": nonce}
    )
