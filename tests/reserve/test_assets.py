"""Allow-list: governance lists and delists assets; nobody else can."""

import ape

from somchain.reserve import NATIVE
from tests.utils.constants import BNB_LIMIT, ONE

ZERO = "0x0000000000000000000000000000000000000000"


def test_assets__after_listing__lists_native_and_tokens(vault, btcb, usdt, wbtc, feeds):
    assert vault.assets() == [NATIVE, btcb.address, usdt.address, wbtc.address]
    assert vault.isListed(NATIVE)
    config = vault.assetConfig(NATIVE)
    assert config.priceFeed == feeds["BNB"].address
    assert config.decimals == 18
    assert config.feedDecimals == 8
    assert config.dailyOutflowLimit == BNB_LIMIT
    assert vault.assetConfig(wbtc).decimals == 8
    assert vault.assetConfig(wbtc).feedDecimals == 18


def test_add_asset__by_governance__emits_asset_added(vault, governance, create_token, create_feed):
    token = create_token("ETH", 18)
    feed = create_feed(8, 3_000 * 10**8)

    receipt = governance(vault, ("addAsset", token, feed, 5 * ONE))

    [event] = vault.AssetAdded.from_receipt(receipt)
    assert event.asset == token.address
    assert event.priceFeed == feed.address
    assert event.decimals == 18
    assert event.dailyOutflowLimit == 5 * ONE
    assert vault.assets()[-1] == token.address


def test_add_asset__by_non_governance__reverts(vault, create_token, create_feed, admin, committee):
    token = create_token("ETH", 18)
    feed = create_feed(8, 3_000 * 10**8)
    for account in (admin, committee):
        with ape.reverts(
            vault.ReserveUnauthorizedAccount, account=account, role=vault.GOVERNOR_ROLE()
        ):
            vault.addAsset(token, feed, 0, sender=account)


def test_add_asset__already_listed__reverts(direct_vault, btcb, feeds, admin):
    with ape.reverts(direct_vault.ReserveAssetAlreadyListed, asset=btcb.address):
        direct_vault.addAsset(btcb, feeds["BTCB"], 0, sender=admin)


def test_add_asset__zero_address__reverts(direct_vault, create_token, feeds, admin):
    with ape.reverts(direct_vault.ReserveZeroAddress):
        direct_vault.addAsset(ZERO, feeds["BTCB"], 0, sender=admin)
    with ape.reverts(direct_vault.ReserveZeroAddress):
        direct_vault.addAsset(create_token(), ZERO, 0, sender=admin)


def test_add_asset__feed_with_too_many_decimals__reverts(
    direct_vault, create_token, create_feed, admin
):
    feed = create_feed(37, 1)
    with ape.reverts(direct_vault.ReserveInvalidFeedDecimals, feed=feed.address, decimals=37):
        direct_vault.addAsset(create_token(), feed, 0, sender=admin)


def test_add_asset__token_with_too_many_decimals__reverts(
    direct_vault, create_token, create_feed, admin
):
    token = create_token("BIG", 40)
    with ape.reverts(direct_vault.ReserveInvalidAssetDecimals, asset=token.address, decimals=40):
        direct_vault.addAsset(token, create_feed(8, 1), 0, sender=admin)


def test_add_asset__beyond_max_assets__reverts(vault, governance, create_token, create_feed):
    feed = create_feed(8, 10**8)
    max_assets = vault.MAX_ASSETS()
    room = max_assets - len(vault.assets())
    tokens = [create_token(f"T{i}") for i in range(room + 1)]
    governance(vault, *[("addAsset", t, feed, 0) for t in tokens[:room]])
    assert len(vault.assets()) == max_assets
    with ape.reverts(vault.ReserveTooManyAssets, max=max_assets):
        governance(vault, ("addAsset", tokens[-1], feed, 0), salt=1)


def test_remove_asset__by_governance__delists(vault, governance, btcb):
    receipt = governance(vault, ("removeAsset", btcb))

    [event] = vault.AssetRemoved.from_receipt(receipt)
    assert event.asset == btcb.address
    assert not vault.isListed(btcb)
    assert btcb.address not in vault.assets()
    with ape.reverts(vault.ReserveAssetNotListed, asset=btcb.address):
        vault.assetConfig(btcb)


def test_remove_asset__not_listed__reverts(direct_vault, create_token, admin):
    token = create_token()
    with ape.reverts(direct_vault.ReserveAssetNotListed, asset=token.address):
        direct_vault.removeAsset(token, sender=admin)


def test_remove_asset__by_attacker__reverts(vault, btcb, attacker):
    with ape.reverts(vault.ReserveUnauthorizedAccount):
        vault.removeAsset(btcb, sender=attacker)


def test_setters__by_governance__emit_events(vault, governance, btcb, create_feed):
    feed = create_feed(8, 99_000 * 10**8)
    receipt = governance(
        vault,
        ("setPriceFeed", btcb, feed),
        ("setDailyOutflowLimit", btcb, 2 * ONE),
        ("setMaxShare", btcb, 5_000),
        ("setMaxPriceAge", 3_600),
    )

    assert vault.PriceFeedChanged.from_receipt(receipt)[0].priceFeed == feed.address
    assert vault.DailyOutflowLimitChanged.from_receipt(receipt)[0].dailyOutflowLimit == 2 * ONE
    assert vault.MaxShareChanged.from_receipt(receipt)[0].maxShareBps == 5_000
    assert vault.MaxPriceAgeChanged.from_receipt(receipt)[0].maxPriceAge == 3_600
    config = vault.assetConfig(btcb)
    assert (config.priceFeed, config.dailyOutflowLimit, config.maxShareBps) == (
        feed.address,
        2 * ONE,
        5_000,
    )
    assert vault.maxPriceAge() == 3_600


def test_setters__invalid_values__revert(direct_vault, btcb, create_token, admin):
    vault = direct_vault
    with ape.reverts(vault.ReserveInvalidMaxShare, maxShareBps=10_001):
        vault.setMaxShare(btcb, 10_001, sender=admin)
    with ape.reverts(vault.ReserveInvalidMaxPriceAge):
        vault.setMaxPriceAge(0, sender=admin)
    with ape.reverts(vault.ReserveZeroAddress):
        vault.setPriceFeed(btcb, ZERO, sender=admin)
    token = create_token()
    with ape.reverts(vault.ReserveAssetNotListed, asset=token.address):
        vault.setDailyOutflowLimit(token, 1, sender=admin)
    with ape.reverts(vault.ReserveAssetNotListed, asset=token.address):
        vault.setMaxShare(token, 1, sender=admin)


def test_constructor__zero_governor__reverts(admin, guardian, operator):
    with ape.reverts(ape.project.ReserveVault.ReserveZeroAddress):
        ape.project.ReserveVault.deploy(ZERO, guardian, operator, 3_600, sender=admin)


def test_renounce_role__other_address__reverts(vault, guardian, alice):
    with ape.reverts(vault.ReserveBadConfirmation):
        vault.renounceRole(vault.GUARDIAN_ROLE(), alice, sender=guardian)
    vault.renounceRole(vault.GUARDIAN_ROLE(), guardian, sender=guardian)
    assert not vault.hasRole(vault.GUARDIAN_ROLE(), guardian)
