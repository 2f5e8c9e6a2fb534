"""Fixtures of the digital som suite: a deployed CBDC with every role granted and the
default tier limits, a licensed bank, the treasury, and two verified wallets."""

from __future__ import annotations

import pytest
from eth_utils import to_checksum_address

from somchain.cbdc import DEFAULT_TIERS, SOM, TIER_VERIFIED

VERIFIED = DEFAULT_TIERS[TIER_VERIFIED]


@pytest.fixture(scope="session")
def som(create_configured_som):
    """The digital som with every role granted, default tiers, no money and no wallet."""
    return create_configured_som()


@pytest.fixture(scope="session")
def fund(funded, bank):
    """Pays `som_amount` whole som from `bank` to `wallet` on the funded token."""

    def fund(wallet, som_amount: int):
        return funded.transfer(wallet, som_amount * SOM, sender=bank)

    return fund


@pytest.fixture(scope="session")
def payees():
    """Factory: `n` fresh addresses (they receive, never sign), distinct per `offset`."""

    def payees(n: int, offset: int = 0) -> list[str]:
        base = 0xC0DE << 144
        return [to_checksum_address((base + offset + i).to_bytes(20, "big")) for i in range(n)]

    return payees


@pytest.fixture(scope="session")
def funded(funded_som):
    """The funded digital som (see `funded_som` in tests/conftest.py)."""
    return funded_som
