"""Reserve fixtures: the timelock and vault wired as in production, mock feeds and tokens.

Governance actions go through the timelock (`govern` schedules, waits and executes).
"""

from __future__ import annotations

import pytest
from ape import accounts, chain, project

from somchain.reserve import (
    NATIVE,
    deploy_reserve,
    execute_operation,
    schedule_calls,
    vault_call,
    wait_until_ready,
)
from tests.utils.constants import (
    BNB_LIMIT,
    BNB_PRICE,
    BTC_PRICE,
    BTCB_LIMIT,
    MAX_PRICE_AGE,
    MIN_DELAY,
    ONE,
    USDT_LIMIT,
    USDT_PRICE,
    WBTC_LIMIT,
)


@pytest.fixture(scope="session")
def committee():
    """The reserve committee: the timelock's only proposer and executor (a multisig
    in production)."""
    return accounts.test_accounts[11]


@pytest.fixture(scope="session")
def guardian(pauser):
    return pauser


@pytest.fixture(scope="session")
def operator(treasury):
    return treasury


@pytest.fixture(scope="session")
def reserve(admin, committee, guardian, operator):
    """The timelock and vault as deployed; the `vault` fixture lists assets on this same vault."""
    return deploy_reserve(admin, committee, guardian, operator, MIN_DELAY, MAX_PRICE_AGE)


@pytest.fixture(scope="session")
def timelock(reserve):
    return reserve.timelock


@pytest.fixture(scope="session")
def governance(timelock, committee, refresh_feeds):
    """Factory: runs vault calls `(method, *args)` as one timelock operation: the committee
    schedules, the clock moves past the delay, feeds older than half their maximum age are
    re-posted (a real feed updates meanwhile) and the committee executes. Returns the
    execution receipt."""

    def governance(vault, *calls, salt: int = 0):
        operation = schedule_calls(
            timelock, [vault_call(vault, *call) for call in calls], committee, salt
        )
        wait_until_ready(timelock, operation)
        refresh_feeds(older_than=MAX_PRICE_AGE // 2)
        return execute_operation(timelock, operation, committee)

    return governance


@pytest.fixture(scope="session")
def create_token(admin):
    """Factory: a MockERC20 with chosen decimals."""

    def create_token(symbol: str = "TKN", decimals: int = 18):
        return project.MockERC20.deploy(symbol, symbol, decimals, sender=admin)

    return create_token


@pytest.fixture(scope="session")
def btcb(create_token):
    """BTCB as on BNB Chain: 18 decimals."""
    return create_token("BTCB", 18)


@pytest.fixture(scope="session")
def wbtc(create_token):
    """A bitcoin token with 8 decimals, priced by an 18-decimal feed."""
    return create_token("WBTC", 8)


@pytest.fixture(scope="session")
def usdt(admin):
    """A USDT-style token whose transfers return nothing."""
    return project.MockNoReturnToken.deploy("Tether USD", "USDT", 18, sender=admin)


@pytest.fixture(scope="session")
def fee_token(admin):
    """A token that burns 1% of every transfer."""
    return project.MockFeeOnTransferToken.deploy("Fee Token", "FEE", 100, sender=admin)


@pytest.fixture(scope="session")
def feeds(create_feed):
    """USD feeds: BNB, BTCB and USDT at 8 decimals; WBTC at 18 decimals."""
    return {
        "BNB": create_feed(8, BNB_PRICE * 10**8, "BNB / USD"),
        "BTCB": create_feed(8, BTC_PRICE * 10**8, "BTC / USD"),
        "USDT": create_feed(8, USDT_PRICE * 10**8, "USDT / USD"),
        "WBTC": create_feed(18, BTC_PRICE * 10**18, "WBTC / USD (18 decimals)"),
    }


@pytest.fixture(scope="session")
def refresh_feeds(feeds):
    """Re-posts, dated now, the answer of every feed older than `older_than` seconds
    (after moving the clock)."""

    def refresh_feeds(older_than: int = 0):
        for feed in feeds.values():
            _, answer, _, updated_at, _ = feed.latestRoundData()
            if updated_at + older_than < chain.pending_timestamp:
                feed.setAnswer(answer, sender=accounts.test_accounts[0])

    return refresh_feeds


@pytest.fixture(scope="session")
def list_assets(governance, feeds, btcb, wbtc, usdt):
    """Lists BNB, BTCB, USDT and WBTC on `vault` through governance."""

    def list_assets(vault):
        governance(
            vault,
            ("addAsset", NATIVE, feeds["BNB"], BNB_LIMIT),
            ("addAsset", btcb, feeds["BTCB"], BTCB_LIMIT),
            ("addAsset", usdt, feeds["USDT"], USDT_LIMIT),
            ("addAsset", wbtc, feeds["WBTC"], WBTC_LIMIT),
            salt=int(vault.address, 16),
        )
        return vault

    return list_assets


@pytest.fixture(scope="session")
def vault(reserve, list_assets):
    """The deployed vault with BNB, BTCB, USDT and WBTC listed by governance, holding nothing."""
    return list_assets(reserve.vault)


@pytest.fixture(scope="session")
def deposit(admin):
    """Factory: mints `amount` of `token` (or sends BNB for NATIVE) from `sender` into `vault`."""

    def deposit(vault, token, amount: int, sender=admin):
        if token == NATIVE:
            return vault.deposit(NATIVE, amount, sender=sender, value=amount)
        token.mint(sender, amount, sender=sender)
        token.approve(vault, amount, sender=sender)
        return vault.deposit(token, amount, sender=sender)

    return deposit


@pytest.fixture(scope="session")
def funded_vault(timelock, admin, guardian, operator, list_assets, deposit, btcb, usdt, wbtc):
    """A second vault under the same timelock, with the same assets listed, holding 100 BNB,
    1 BTCB, 30,000 USDT and 0.5 WBTC: $60,000 + $100,000 + $30,000 + $50,000 = $240,000.

    A separate contract from `vault`, so that `vault` stays empty whatever the test order
    (session fixtures' transactions persist across tests)."""
    v = project.ReserveVault.deploy(timelock, guardian, operator, MAX_PRICE_AGE, sender=admin)
    list_assets(v)
    deposit(v, NATIVE, 100 * ONE)
    deposit(v, btcb, ONE)
    deposit(v, usdt, 30_000 * ONE)
    deposit(v, wbtc, 5 * 10**7)
    return v


@pytest.fixture(scope="session")
def next_utc_day():
    """Mines a block at 00:00 UTC of the next day plus `offset` seconds, so that views
    (which run on the latest block) see the new day too."""

    def next_utc_day(offset: int = 0):
        now = chain.pending_timestamp
        chain.mine(timestamp=(now // 86_400 + 1) * 86_400 + offset)

    return next_utc_day


@pytest.fixture(scope="session")
def direct_vault(admin, guardian, operator, feeds, btcb):
    """A vault whose governor is the `admin` account itself, with BNB and BTCB listed: for
    argument checks of governance functions without the timelock round trip (the timelock
    path is tested with `vault`)."""
    v = project.ReserveVault.deploy(admin, guardian, operator, MAX_PRICE_AGE, sender=admin)
    v.addAsset(NATIVE, feeds["BNB"], BNB_LIMIT, sender=admin)
    v.addAsset(btcb, feeds["BTCB"], BTCB_LIMIT, sender=admin)
    return v
