"""Valuation in USD with 8 decimals: holdings, total, shares; bad prices rejected."""

from decimal import Decimal

import ape
from ape import chain

from somchain.reserve import NATIVE, holdings_table
from tests.utils.constants import MAX_PRICE_AGE, ONE, USD

TOTAL = 240_000 * USD  # see the funded_vault fixture


def test_holdings__mixed_decimals__values_each_asset(funded_vault, btcb, usdt, wbtc):
    rows = {row.asset: row for row in funded_vault.holdings()}

    assert (rows[NATIVE].balance, rows[NATIVE].price, rows[NATIVE].value) == (
        100 * ONE,
        600 * USD,
        60_000 * USD,
    )
    # 18-decimal token, 8-decimal feed
    assert rows[btcb.address].price == 100_000 * USD
    assert rows[btcb.address].value == 100_000 * USD
    assert rows[usdt.address].value == 30_000 * USD
    # 8-decimal token, 18-decimal feed
    assert rows[wbtc.address].balance == 5 * 10**7
    assert rows[wbtc.address].price == 100_000 * USD
    assert rows[wbtc.address].value == 50_000 * USD


def test_total_value__mixed_decimals__sums_in_usd_8_decimals(funded_vault):
    assert funded_vault.QUOTE_DECIMALS() == 8
    assert funded_vault.totalValue() == TOTAL


def test_total_value__empty_reserve__is_zero(vault):
    assert vault.totalValue() == 0
    assert vault.assetShare(NATIVE) == 0
    assert vault.withinPolicy()


def test_asset_share__funded__in_basis_points(funded_vault, btcb, usdt, wbtc):
    assert funded_vault.assetShare(NATIVE) == 2_500
    assert funded_vault.assetShare(btcb) == 4_166  # 100k / 240k, rounded down
    assert funded_vault.assetShare(usdt) == 1_250
    assert funded_vault.assetShare(wbtc) == 2_083


def test_asset_share__unlisted__reverts(funded_vault, create_token):
    token = create_token()
    with ape.reverts(funded_vault.ReserveAssetNotListed, asset=token.address):
        funded_vault.assetShare(token)


def test_price__feed_moves__value_follows(funded_vault, feeds, admin):
    feeds["BNB"].setAnswer(700 * 10**8, sender=admin)
    assert funded_vault.price(NATIVE) == 700 * USD
    assert funded_vault.totalValue() == TOTAL + 10_000 * USD


def test_price__18_decimal_feed__truncates_below_quote_unit(funded_vault, feeds, wbtc, admin):
    feeds["WBTC"].setAnswer(123_456_789_012_345_678_901, sender=admin)  # $123.456789012...
    assert funded_vault.price(wbtc) == 12_345_678_901


def test_price__stale__reverts(funded_vault, feeds, admin):
    updated_at = chain.blocks.head.timestamp - MAX_PRICE_AGE - 10
    feeds["BTCB"].setAnswerAt(100_000 * 10**8, updated_at, sender=admin)
    btcb = funded_vault.assets()[1]
    for view in (funded_vault.totalValue, funded_vault.holdings, funded_vault.withinPolicy):
        with ape.reverts(
            funded_vault.ReservePriceStale,
            asset=btcb,
            updatedAt=updated_at,
            maxAge=MAX_PRICE_AGE,
        ):
            view()


def test_price__just_within_max_age__accepted(funded_vault, feeds, admin):
    feeds["BNB"].setAnswerAt(
        600 * 10**8, chain.blocks.head.timestamp - MAX_PRICE_AGE + 60, sender=admin
    )
    assert funded_vault.totalValue() == TOTAL


def test_price__after_time_passes__becomes_stale(funded_vault):
    chain.mine(timestamp=chain.pending_timestamp + MAX_PRICE_AGE + 1)
    with ape.reverts(funded_vault.ReservePriceStale):
        funded_vault.totalValue()


def test_price__dated_in_future_or_never__reverts(funded_vault, feeds, admin):
    future = chain.pending_timestamp + 3_600
    feeds["BNB"].setAnswerAt(600 * 10**8, future, sender=admin)
    with ape.reverts(funded_vault.ReservePriceStale, asset=NATIVE, updatedAt=future):
        funded_vault.price(NATIVE)
    feeds["BNB"].setAnswerAt(600 * 10**8, 0, sender=admin)
    with ape.reverts(funded_vault.ReservePriceStale, asset=NATIVE, updatedAt=0):
        funded_vault.price(NATIVE)


def test_price__zero__reverts(funded_vault, feeds, admin):
    feeds["BNB"].setAnswer(0, sender=admin)
    with ape.reverts(funded_vault.ReservePriceNotPositive, asset=NATIVE, answer=0):
        funded_vault.totalValue()


def test_price__negative__reverts(funded_vault, feeds, admin):
    feeds["BNB"].setAnswer(-1, sender=admin)
    with ape.reverts(funded_vault.ReservePriceNotPositive, asset=NATIVE, answer=-1):
        funded_vault.holdings()


def test_holdings_table__funded__human_units(funded_vault):
    rows = holdings_table(funded_vault)
    assert [row.symbol for row in rows] == ["BNB", "BTCB", "USDT", "WBTC"]
    assert rows[0].balance == Decimal(100)
    assert rows[0].price == Decimal(600)
    assert rows[3].balance == Decimal("0.5")
    assert sum(row.value for row in rows) == Decimal(240_000)


def test_holdings__som_pegged_token__valued_by_its_feed(
    funded_vault, governance, create_token, create_feed, alice, deposit
):
    """A som-pegged BEP-20 of someone else's (the project's own KGST may not be listed:
    tests/reserve/test_assets.py) is valued by its feed like any asset."""
    kgs_token = create_token("KGST", 18)
    kgst_feed = create_feed(8, 1_144_000, "KGST / USD")  # 1 som = $0.01144
    governance(funded_vault, ("addAsset", kgs_token, kgst_feed, 0))
    deposit(funded_vault, kgs_token, 1_000 * ONE, sender=alice)

    row = holdings_table(funded_vault)[-1]
    assert row.symbol == "KGST"
    assert row.value == Decimal("11.44")
    assert funded_vault.totalValue() == TOTAL + 1_144_000_000
