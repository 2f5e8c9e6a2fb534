"""Fixtures of the digital som suite: a deployed CBDC with every role granted and the
default tier limits, a licensed bank, the treasury, and two verified wallets."""

from __future__ import annotations

import pytest
from ape import accounts
from eth_utils import to_checksum_address

from somchain.cbdc import DEFAULT_TIERS, SOM, TIER_VERIFIED, apply_default_tiers, deploy_cbdc

VERIFIED = DEFAULT_TIERS[TIER_VERIFIED]
ISSUANCE_ALLOWANCE = (
    2**256 - 1
)  # the board lets the issuer issue anything in tests (own tests cover bounds)


@pytest.fixture(scope="session")
def central_bank(admin):
    """The central bank: default admin and issuer."""
    return admin


@pytest.fixture(scope="session")
def bank2():
    """A second licensed bank."""
    return accounts.test_accounts[11]


@pytest.fixture(scope="session")
def create_som(central_bank):
    """Factory: a fresh digital som proxy with only the central bank's admin role."""

    def create_som(**params):
        return deploy_cbdc(central_bank, central_bank, **params).contract

    return create_som


@pytest.fixture(scope="session")
def create_configured_som(create_som, central_bank, bank, bank2, treasury, pauser, compliance):
    """Factory: a fresh digital som with every role granted (the central bank also holds
    CENTRAL_BANK_ROLE), the default tier limits and an issuance allowance for the issuer."""

    def create_configured_som():
        s = create_som()
        for role, holder in [
            (s.ISSUER_ROLE(), central_bank),
            (s.BANK_ROLE(), bank),
            (s.BANK_ROLE(), bank2),
            (s.TREASURY_ROLE(), treasury),
            (s.PAUSER_ROLE(), pauser),
            (s.COMPLIANCE_ROLE(), compliance),
            (s.UPGRADER_ROLE(), central_bank),
            (s.CENTRAL_BANK_ROLE(), central_bank),
        ]:
            s.grantRole(role, holder, sender=central_bank)
        apply_default_tiers(s, central_bank)
        # The board's issuance decision: room for every issue the suites make.
        s.setIssuanceAllowance(central_bank, ISSUANCE_ALLOWANCE, sender=central_bank)
        return s

    return create_configured_som


@pytest.fixture(scope="session")
def som(create_configured_som):
    """The digital som with every role granted, default tiers, no money and no wallet."""
    return create_configured_som()


@pytest.fixture(scope="session")
def funded(create_configured_som, central_bank, bank, treasury, alice, bob):
    """Another digital som, configured like `som` (session fixtures outlive the test that
    first requests them, so the funded state lives in its own proxy): `bank` was issued
    10,000,000 som, the treasury holds 5,000,000, alice and bob are verified (tier 1)
    wallets of `bank` holding 1,000 som each."""
    s = create_configured_som()
    s.issue(bank, 10_000_000 * SOM, sender=central_bank)
    s.registerWallets([alice, bob], TIER_VERIFIED, sender=bank)
    s.transfer(treasury, 5_000_000 * SOM, sender=bank)
    s.transfer(alice, 1_000 * SOM, sender=bank)
    s.transfer(bob, 1_000 * SOM, sender=bank)
    return s


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
