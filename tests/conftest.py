"""Session fixtures shared by every suite: named role accounts and both tokens' factories.

ape isolates chain state per test, so session-scoped deployments are reset after each test.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

import pytest
from ape import accounts, chain, project
from ape.logging import logger

from somchain import apecompat
from somchain.cbdc import apply_default_tiers, deploy_cbdc
from somchain.cbdc.tiers import TIER_VERIFIED
from somchain.stablecoin.deploy import StablecoinParams, deploy_attestation, deploy_stablecoin
from tests.utils.constants import ONE, SOM

apecompat.install()  # as every operator command does (scripts/_common.py)

# Time per test folder, printed at the end of every run so that a slow test shows the day
# it lands. Reports reach the controller from every xdist worker, so the sums cover the
# whole run; with several workers they add up to more than the wall time.
_FOLDER_TIME: dict[str, float] = defaultdict(float)
_FOLDER_TESTS: dict[str, int] = defaultdict(int)


def _folder(nodeid: str) -> str:
    """`tests/scripts` for `tests/scripts/test_cbdc.py::test_x`; a file directly under
    tests/ is its own row."""
    parts = PurePosixPath(nodeid.split("::", 1)[0]).parts
    return "/".join(parts[:2]) if len(parts) > 2 else "/".join(parts)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """An xdist worker is a fresh process that `ape test` never configured: it is handed the
    controller's ape log level (`ape test` sets WARNING unless told `-v LEVEL`), so that
    commands run in-process print the same lines whichever way the suite runs."""
    node.workerinput["ape_log_level"] = logger.level


def pytest_configure(config: pytest.Config) -> None:
    level = getattr(config, "workerinput", {}).get("ape_log_level")
    if level is not None:
        logger.set_level(level)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Folders holding a `slow` test run first, each whole and in its own order (a folder's
    modules share session fixtures on one anvil), so that parallel workers (`-n 2 --dist
    loadfile`) do not end on one long test."""
    slow = {item.path.parent for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path.parent not in slow)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    folder = _folder(report.nodeid)
    _FOLDER_TIME[folder] += report.duration
    if report.when == "setup":
        _FOLDER_TESTS[folder] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not _FOLDER_TIME or hasattr(config, "workerinput"):
        return
    terminalreporter.section("time per test folder (setup + call + teardown)")
    width = max(len(folder) for folder in _FOLDER_TIME)
    for folder, seconds in sorted(_FOLDER_TIME.items(), key=lambda item: -item[1]):
        count = _FOLDER_TESTS[folder]
        terminalreporter.write_line(f"{folder:<{width}}  {count:>5} tests  {seconds:>8.1f} s")
    total = sum(_FOLDER_TIME.values())
    count = sum(_FOLDER_TESTS.values())
    terminalreporter.write_line(f"{'total':<{width}}  {count:>5} tests  {total:>8.1f} s")


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
def funded_kgst(create_token, master_minter, minter, alice, bob):
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
        # The board's issuance decision: room for every issue the suites make (the
        # issuance tests set their own bounds).
        s.setIssuanceAllowance(central_bank, 2**256 - 1, sender=central_bank)
        return s

    return create_configured_som


@pytest.fixture(scope="session")
def funded_som(create_configured_som, central_bank, bank, treasury, alice, bob):
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
