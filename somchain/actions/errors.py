"""One table from 4-byte selector to custom error, built from every contract of the
project (their compiled ABIs carry the OpenZeppelin errors they can raise), so a revert
is decoded by the ABI of the contract that raised it, wherever in a call chain it was
raised: a withdrawal that the timelock executes and the vault refuses shows
`ReservePaused()`, not the timelock's view of it.

Nested reverts are followed: Solidity's `Error(string)` and `Panic(uint256)`, and any
error whose `bytes` argument is itself revert data (a wrapper that carries the inner
contract's reason) is shown with that reason decoded in place.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import keccak

ERROR_STRING = bytes.fromhex("08c379a0")  # Error(string)
PANIC = bytes.fromhex("4e487b71")  # Panic(uint256)

# Solidity's panic codes (docs: "Panic via assert and error codes").
PANIC_CODES = {
    0x01: "assertion failed",
    0x11: "arithmetic overflow or underflow",
    0x12: "division by zero",
    0x21: "invalid enum value",
    0x22: "invalid storage byte array",
    0x31: "pop on an empty array",
    0x32: "array index out of bounds",
    0x41: "out of memory",
    0x51: "call to an uninitialised function",
}

MAX_DEPTH = 4  # nested reasons followed at most


@dataclass(frozen=True)
class ErrorAbi:
    """A custom error: its name, and its inputs as (name, canonical type) pairs."""

    name: str
    inputs: tuple[tuple[str, str], ...]

    @property
    def signature(self) -> str:
        return f"{self.name}({','.join(t for _, t in self.inputs)})"

    @property
    def selector(self) -> bytes:
        return keccak(text=self.signature)[:4]


def errors_of(contract_type: Any) -> list[ErrorAbi]:
    """The custom errors in one compiled contract type."""
    found = []
    for error in getattr(contract_type, "errors", []):
        inputs = tuple((i.name or f"arg{n}", i.canonical_type) for n, i in enumerate(error.inputs))
        found.append(ErrorAbi(error.name, inputs))
    return found


@functools.cache
def project_errors() -> dict[bytes, ErrorAbi]:
    """selector -> error, over every contract the project compiles."""
    from ape import project

    table: dict[bytes, ErrorAbi] = {}
    for name in project.contracts:
        for error in errors_of(project.contracts[name]):
            table.setdefault(error.selector, error)
    return table


def error_table(contract_type: Any = None) -> dict[bytes, ErrorAbi]:
    """The project's table, the errors of `contract_type` (a contract outside the project,
    or the one called) taking precedence for their own selectors."""
    table = dict(project_errors())
    if contract_type is not None:
        table.update({e.selector: e for e in errors_of(contract_type)})
    return table


def decode_error(data: bytes, contract_type: Any = None, depth: int = 0) -> str:
    """`Name(arg=value, ...)` of revert `data`, nested reasons decoded; the raw hex of an
    unknown selector; a plain reason string as itself."""
    from somchain.actions.reverts import show

    if len(data) < 4:
        return "reverted without a reason"
    selector = data[:4]
    if selector == ERROR_STRING:
        try:
            return str(abi_decode(["string"], data[4:])[0])
        except Exception:
            return "0x" + data.hex()
    if selector == PANIC:
        try:
            code = int(abi_decode(["uint256"], data[4:])[0])
        except Exception:
            return "0x" + data.hex()
        return f"Panic(0x{code:02x}: {PANIC_CODES.get(code, 'unknown panic code')})"
    error = error_table(contract_type).get(selector)
    if error is None:
        return "0x" + data.hex()
    types = [t for _, t in error.inputs]
    try:
        values = abi_decode(types, data[4:]) if types else ()
    except Exception:
        return f"{error.name}(0x{data[4:].hex()})"
    shown = []
    for (name, kind), value in zip(error.inputs, values, strict=True):
        if kind == "bytes" and len(value) >= 4 and depth < MAX_DEPTH:
            inner = decode_error(bytes(value), contract_type, depth + 1)
            shown.append(f"{name}={inner}")
        else:
            shown.append(f"{name}={show(value)}")
    return f"{error.name}({', '.join(shown)})"
