"""SafeTx: the EIP-712 message a Safe's owners sign, its hash, and the signatures
`execTransaction` accepts.

The message is an `eip712.EIP712Message`, the type ape's account plugins sign with
`account.sign_message(...)`: a keyfile account signs it in process, a Ledger shows the
domain and message hashes, a KMS key signs the digest. Nothing here needs a node: the
domain is the chain id and the Safe's address, both carried by the proposal file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from eip712.messages import EIP712Message, hash_message
from eth_account import Account
from eth_pydantic_types import abi
from eth_utils import to_checksum_address

from somchain.constants import ZERO_ADDRESS
from somchain.errors import InputError

CALL, DELEGATECALL = 0, 1


class SafeTx(EIP712Message):
    """Safe v1.3+ SafeTx type; the domain is (chainId, verifyingContract = the Safe)."""

    to: abi.address
    value: abi.uint256
    data: abi.bytes
    operation: abi.uint8
    safeTxGas: abi.uint256
    baseGas: abi.uint256
    gasPrice: abi.uint256
    gasToken: abi.address
    refundReceiver: abi.address
    nonce: abi.uint256


class SafeMessage(EIP712Message):
    """The message a Safe's owners sign for ERC-1271 (CompatibilityFallbackHandler)."""

    message: abi.bytes


@dataclass(frozen=True)
class SafeTxFields:
    """The fields of one SafeTx, as a proposal file stores them."""

    to: str
    value: int
    data: str  # 0x hex
    operation: int
    safeTxGas: int
    baseGas: int
    gasPrice: int
    gasToken: str
    refundReceiver: str
    nonce: int

    @classmethod
    def call(cls, to: str, data: bytes, nonce: int, value: int = 0, operation: int = CALL):
        """A SafeTx with no gas refund (the executor pays its own gas)."""
        return cls(
            to=to_checksum_address(to),
            value=int(value),
            data="0x" + bytes(data).hex(),
            operation=operation,
            safeTxGas=0,
            baseGas=0,
            gasPrice=0,
            gasToken=ZERO_ADDRESS,
            refundReceiver=ZERO_ADDRESS,
            nonce=int(nonce),
        )

    @classmethod
    def from_dict(cls, raw: dict) -> SafeTxFields:
        """Validates a proposal file's `safe_tx` (types, addresses, hex)."""
        try:
            fields: dict[str, Any] = {
                "to": to_checksum_address(raw["to"]),
                "value": int(raw["value"]),
                "data": "0x" + bytes.fromhex(str(raw["data"]).removeprefix("0x")).hex(),
                "operation": int(raw["operation"]),
                "safeTxGas": int(raw["safeTxGas"]),
                "baseGas": int(raw["baseGas"]),
                "gasPrice": int(raw["gasPrice"]),
                "gasToken": to_checksum_address(raw["gasToken"]),
                "refundReceiver": to_checksum_address(raw["refundReceiver"]),
                "nonce": int(raw["nonce"]),
            }
        except (KeyError, ValueError, TypeError) as err:
            raise InputError(f"the proposal's SafeTx fields are malformed ({err})") from None
        if fields["operation"] not in (CALL, DELEGATECALL):
            raise InputError(f"the proposal's SafeTx operation {fields['operation']} is not 0 or 1")
        if min(fields["value"], fields["nonce"], fields["safeTxGas"]) < 0:
            raise InputError("the proposal's SafeTx has a negative number")
        return cls(**fields)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def data_bytes(self) -> bytes:
        return bytes.fromhex(self.data[2:])

    def message(self, chain_id: int, safe: str) -> SafeTx:
        fields: dict[str, Any] = {**self.as_dict(), "data": self.data_bytes}
        return SafeTx(**fields, **_domain(chain_id, safe))

    def hash(self, chain_id: int, safe: str) -> bytes:
        """The SafeTx hash (what `Safe.getTransactionHash` returns)."""
        return bytes(hash_message(self.message(chain_id, safe)))

    def exec_args(self, signatures: bytes) -> list:
        """The arguments of `execTransaction`."""
        return [
            self.to,
            self.value,
            self.data_bytes,
            self.operation,
            self.safeTxGas,
            self.baseGas,
            self.gasPrice,
            self.gasToken,
            self.refundReceiver,
            signatures,
        ]


def safe_message(chain_id: int, safe: str, message: bytes) -> SafeMessage:
    """The SafeMessage whose owners' signatures make `isValidSignature` answer for `safe`."""
    return SafeMessage(message=message, **_domain(chain_id, safe))


def _domain(chain_id: int, safe: str) -> dict[str, Any]:
    """The Safe's EIP-712 domain (v1.3+): chain id and the Safe's address."""
    return {"eip712_chainId": chain_id, "eip712_verifyingContract": to_checksum_address(safe)}


def sign(account: Any, message: EIP712Message, digest: bytes) -> bytes:
    """65 bytes r || s || v (v 27 or 28) from any ape account, checked against `digest`."""
    signature = account.sign_message(message)
    if signature is None:
        raise InputError(f"the account {account.address} declined to sign")
    raw = bytes(signature.encode_rsv()) if hasattr(signature, "encode_rsv") else bytes(signature)
    if len(raw) != 65:
        raise InputError(f"the account {account.address} returned a {len(raw)}-byte signature")
    v = raw[64] + 27 if raw[64] < 27 else raw[64]
    raw = raw[:64] + bytes([v])
    if recover(digest, raw) != to_checksum_address(account.address):
        raise InputError(f"the signature of {account.address} does not recover to it")
    return raw


def recover(digest: bytes, signature: bytes) -> str:
    """The address that signed the 32-byte `digest` (an EIP-712 hash) with r || s || v."""
    try:
        return Account._recover_hash(digest, signature=signature)
    except Exception as err:
        raise InputError(f"unreadable signature: {err}") from None


def pack(signatures: dict[str, bytes]) -> bytes:
    """The owners' signatures concatenated in ascending owner order, as the Safe requires."""
    ordered = sorted(signatures.items(), key=lambda kv: int(kv[0], 16))
    return b"".join(sig for _, sig in ordered)


def sign_for_safe(accounts: list[Any], chain_id: int, safe: str, digest: bytes) -> bytes:
    """A signature the Safe accepts through ERC-1271 for the 32-byte `digest` (an EIP-712
    hash such as a permit's): each owner signs the SafeMessage of `digest`, and the
    CompatibilityFallbackHandler checks them against the Safe's owners and threshold."""
    message = safe_message(chain_id, safe, digest)
    message_hash = bytes(hash_message(message))
    signed = {str(to_checksum_address(a.address)): sign(a, message, message_hash) for a in accounts}
    return pack(signed)
