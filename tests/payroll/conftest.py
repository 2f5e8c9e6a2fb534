"""Fixtures of the payroll suite: a KGST PayrollDisperser and a treasury holding KGST."""

from __future__ import annotations

import pytest
from ape import project
from eth_utils import to_checksum_address

from tests.utils.constants import ONE


@pytest.fixture(scope="session")
def kgst(funded_kgst, minter, treasury):
    """The funded stablecoin, with the treasury holding 100,000 KGST."""
    funded_kgst.mint(treasury, 100_000 * ONE, sender=minter)
    return funded_kgst


@pytest.fixture(scope="session")
def disperser(kgst, admin):
    return project.PayrollDisperser.deploy(kgst, sender=admin)


@pytest.fixture(scope="session")
def payees():
    """Factory: `n` fresh addresses (they receive, never sign)."""

    def payees(n: int, offset: int = 0) -> list[str]:
        base = 0xD15 << 148
        return [to_checksum_address((base + offset + i).to_bytes(20, "big")) for i in range(n)]

    return payees
