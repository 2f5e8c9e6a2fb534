"""Comparison of deployed runtime code with the local build.

Two parts of runtime code legitimately differ from a fresh build: the CBOR metadata that
solc appends (it hashes the sources' metadata, so comments and paths change it) and the
values of `immutable` variables, which the constructor writes into the code. The metadata
is stripped (its length is the code's last two bytes). Immutables are masked at the offsets
the compiler reports (`evm.deployedBytecode.immutableReferences`) when those are given;
ape's build does not keep them, so otherwise every `PUSH32` whose 32-byte immediate is
zero in the build is taken as an immutable slot: solc leaves exactly these placeholders in
runtime code, and the optimizer never emits a literal `PUSH32 0`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PUSH1, PUSH32 = 0x60, 0x7F


def to_bytes(code: str | bytes) -> bytes:
    if isinstance(code, bytes):
        return code
    return bytes.fromhex(code[2:] if code.startswith("0x") else code)


def strip_metadata(code: bytes) -> bytes:
    """`code` without its trailing CBOR metadata (unchanged when none is found)."""
    if len(code) < 2:
        return code
    length = int.from_bytes(code[-2:], "big")
    if length + 2 > len(code) or code[-length - 2] & 0xE0 != 0xA0:  # a CBOR map header
        return code
    return code[: -length - 2]


def immutable_slots(build: bytes) -> list[tuple[int, int]]:
    """(offset, 32) of every zero `PUSH32` immediate in a build's runtime code."""
    slots = []
    i = 0
    while i < len(build):
        op = build[i]
        if PUSH1 <= op <= PUSH32:
            width = op - PUSH1 + 1
            if op == PUSH32 and build[i + 1 : i + 33] == b"\x00" * 32:
                slots.append((i + 1, 32))
            i += 1 + width
        else:
            i += 1
    return slots


@dataclass
class CodeComparison:
    matches: bool
    deployed_size: int
    build_size: int
    masked: list[tuple[int, int]] = field(default_factory=list)
    immutables: dict[int, str] = field(default_factory=dict)  # offset -> deployed value
    first_difference: int | None = None
    source_of_mask: str = "heuristic"


def compare(
    deployed: str | bytes,
    build: str | bytes,
    immutable_references: list[tuple[int, int]] | None = None,
) -> CodeComparison:
    """Whether `deployed` runtime code is `build` up to metadata and immutable values."""
    on_chain = strip_metadata(to_bytes(deployed))
    local = strip_metadata(to_bytes(build))
    if immutable_references is not None:
        slots, source = list(immutable_references), "compiler"
    else:
        slots, source = immutable_slots(local), "heuristic"
    result = CodeComparison(False, len(on_chain), len(local), slots, source_of_mask=source)
    if len(on_chain) != len(local):
        result.first_difference = min(len(on_chain), len(local))
        return result
    a, b = bytearray(on_chain), bytearray(local)
    for start, length in slots:
        result.immutables[start] = "0x" + bytes(a[start : start + length]).hex()
        a[start : start + length] = b"\x00" * length
        b[start : start + length] = b"\x00" * length
    if a != b:
        result.first_difference = next(
            i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y
        )
        return result
    result.matches = True
    return result
