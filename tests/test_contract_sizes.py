"""Runtime code size of every deployable contract (mocks aside) stays below 98% of the
EIP-170 limit, leaving room for fixes without a redesign."""

from __future__ import annotations

import pytest
from ape import project

EIP170_LIMIT = 24_576  # bytes of runtime code a contract may have (EIP-170)
MAX_SIZE = EIP170_LIMIT * 98 // 100  # 24,084


def _runtime_sizes() -> dict[str, int]:
    sizes = {}
    for contract_type in project.contracts.values():
        name = contract_type.name
        if "mocks/" in (contract_type.source_id or ""):
            continue
        code = contract_type.runtime_bytecode.bytecode if contract_type.runtime_bytecode else None
        if code and code not in ("0x", ""):
            sizes[name] = len(bytes.fromhex(code.removeprefix("0x")))
    return sizes


SIZES = _runtime_sizes()


def test_sizes__the_tokens_are_measured():
    assert {"NationalStablecoin", "DigitalSom", "ReserveVault", "ReserveAttestation"} <= set(SIZES)


@pytest.mark.parametrize("name", sorted(SIZES))
def test_runtime_size__below_98_percent_of_eip170(name):
    assert SIZES[name] < MAX_SIZE, f"{name}: {SIZES[name]:,} bytes, limit {MAX_SIZE:,}"
