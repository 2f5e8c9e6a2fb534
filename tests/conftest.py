"""Session fixtures shared by every suite: named role accounts and contract factories.

ape isolates chain state per test, so session-scoped deployments are reset after each test.
"""

from __future__ import annotations

import pytest
from ape import accounts, chain, project

from somchain.deploy import StablecoinParams, deploy_attestation, deploy_stablecoin

ONE = 10**18  # one KGST in its smallest unit (18 decimals)


@pytest.fixture(scope="session")
def admin():
    return accounts.test_accounts[0]


@pytest.fixture(scope="session")
def master_minter():
    return accounts.test_accounts[1]


@pytest.fixture(scope="session")
def minter():
    return accounts.test_accounts[2]


@pytest.fixture(scope="session")
def pauser():
    return accounts.test_accounts[3]


@pytest.fixture(scope="session")
def compliance():
    return accounts.test_accounts[4]


@pytest.fixture(scope="session")
def attestor():
    return accounts.test_accounts[5]


@pytest.fixture(scope="session")
def treasury():
    return accounts.test_accounts[6]


@pytest.fixture(scope="session")
def bank():
    return accounts.test_accounts[7]


@pytest.fixture(scope="session")
def alice():
    return accounts.test_accounts[8]


@pytest.fixture(scope="session")
def bob():
    return accounts.test_accounts[9]


@pytest.fixture(scope="session")
def attacker():
    return accounts.test_accounts[10]


@pytest.fixture(scope="session")
def create_stablecoin(admin):
    """Factory: a fresh stablecoin proxy (no roles but the admin's)."""

    def create_stablecoin(**params):
        return deploy_stablecoin(admin, admin, StablecoinParams(**params)).contract

    return create_stablecoin


@pytest.fixture(scope="session")
def attestation(admin, attestor):
    """The reserve attestation feed (2 decimals), with `attestor` holding ATTESTOR_ROLE."""
    feed = deploy_attestation(admin, admin, decimals=2)
    feed.grantRole(feed.ATTESTOR_ROLE(), attestor, sender=admin)
    return feed


@pytest.fixture(scope="session")
def attest(attestation, attestor):
    """Posts `reserve_som` (whole som) to the attestation feed (threshold 1, so one
    submission is accepted), dated now. Each accepted date must follow the last one, so
    the clock moves a second on when the previous attestation already carries this one."""

    def attest(reserve_som: int, report: bytes = b"\x11" * 32):
        as_of = chain.pending_timestamp - 1
        last = attestation.latestRoundData()[3]
        if as_of <= last:
            chain.pending_timestamp = last + 2
            as_of = last + 1
        return attestation.attest(reserve_som * 100, as_of, report, sender=attestor)

    return attest


@pytest.fixture(scope="session")
def create_token(create_stablecoin, admin, master_minter, pauser, compliance, attestation, attest):
    """Factory: a stablecoin with every role granted and a fresh reserve of 1,000,000 som
    (accepted for a day), no minter yet."""

    def create_token():
        t = create_stablecoin()
        for role, holder in [
            (t.MASTER_MINTER_ROLE(), master_minter),
            (t.PAUSER_ROLE(), pauser),
            (t.COMPLIANCE_ROLE(), compliance),
            (t.RESCUER_ROLE(), admin),
            (t.UPGRADER_ROLE(), admin),
        ]:
            t.grantRole(role, holder, sender=admin)
        attest(1_000_000)
        t.setReserveFeed(attestation, 86_400, sender=admin)
        return t

    return create_token


@pytest.fixture(scope="session")
def token(create_token):
    """A stablecoin with roles and reserve, no minter and no supply."""
    return create_token()


@pytest.fixture(scope="session")
def funded(create_token, master_minter, minter, alice, bob):
    """Another stablecoin, with `minter` allowed 500,000 KGST and alice and bob holding
    1,000 KGST each."""
    t = create_token()
    t.configureMinter(minter, 500_000 * ONE, sender=master_minter)
    t.mint(alice, 1_000 * ONE, sender=minter)
    t.mint(bob, 1_000 * ONE, sender=minter)
    return t


@pytest.fixture(scope="session")
def create_feed(admin):
    """Factory: a mock Chainlink feed with free answers."""

    def create_feed(decimals: int = 8, answer: int = 0, description: str = "mock"):
        return project.MockAggregator.deploy(decimals, description, answer, sender=admin)

    return create_feed
