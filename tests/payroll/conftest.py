"""Fixtures of the payroll suite: a KGST PayrollDisperser and a treasury holding KGST."""

from __future__ import annotations

import pytest
from ape import project
from eth_utils import to_checksum_address

from tests.utils.constants import ONE


@pytest.fixture(scope="session")
def kgst(create_token, master_minter, minter, treasury, alice):
    """A stablecoin of this suite's own (session fixtures outlive the test that first
    requests them, so a shared token would carry these balances into other suites): the
    treasury holds 100,000 KGST and alice 1,000."""
    t = create_token()
    t.configureMinter(minter, 500_000 * ONE, sender=master_minter)
    t.mint(treasury, 100_000 * ONE, sender=minter)
    t.mint(alice, 1_000 * ONE, sender=minter)
    return t


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
