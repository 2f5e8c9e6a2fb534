"""Address checks for operator input."""

from __future__ import annotations

from eth_utils import is_address, is_checksum_address, to_checksum_address

from somchain.errors import InputError

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def checksummed(text: str, what: str = "address", allow_zero: bool = False) -> str:
    """Returns `text` if it is an EIP-55 checksummed address; explains the problem otherwise."""
    value = str(text).strip()
    if not is_address(value):
        raise InputError(f"{what} {value!r} is not an address")
    if not is_checksum_address(value):
        raise InputError(
            f"{what} {value!r} is not checksummed (EIP-55); did you mean "
            f"{to_checksum_address(value)}?"
        )
    if value == ZERO_ADDRESS and not allow_zero:
        raise InputError(f"{what} must not be the zero address")
    return value
