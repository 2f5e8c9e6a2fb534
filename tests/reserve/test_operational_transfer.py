"""Operator outflows without delay, within each asset's daily limit (a UTC calendar-day bucket)."""

import ape
from ape import chain

from somchain.reserve import NATIVE
from tests.utils.constants import BNB_LIMIT, BTCB_LIMIT, ONE


def test_operational_transfer__within_limit__moves_and_counts(funded_vault, operator, bob, btcb):
    receipt = funded_vault.operationalTransfer(btcb, bob, BTCB_LIMIT // 4, sender=operator)

    [event] = funded_vault.OperationalTransferMade.from_receipt(receipt)
    assert event.asset == btcb.address
    assert event.to == bob.address
    assert event.operator == operator.address
    assert event.amount == BTCB_LIMIT // 4
    assert event.day == chain.blocks.head.timestamp // 86_400
    assert event.spentToday == BTCB_LIMIT // 4
    assert btcb.balanceOf(bob) == BTCB_LIMIT // 4
    assert funded_vault.outflowToday(btcb) == BTCB_LIMIT // 4
    assert funded_vault.remainingDailyOutflow(btcb) == BTCB_LIMIT * 3 // 4


def test_operational_transfer__native__moves_bnb(funded_vault, operator, bob):
    before = bob.balance
    funded_vault.operationalTransfer(NATIVE, bob, ONE, sender=operator)
    assert bob.balance == before + ONE


def test_operational_transfer__limit_exhausted__reverts(funded_vault, operator, bob, next_utc_day):
    next_utc_day(60)  # start of a UTC day, so the test cannot cross midnight
    funded_vault.operationalTransfer(NATIVE, bob, 6 * ONE, sender=operator)
    funded_vault.operationalTransfer(NATIVE, bob, 4 * ONE, sender=operator)
    assert funded_vault.remainingDailyOutflow(NATIVE) == 0

    with ape.reverts(
        funded_vault.ReserveDailyLimitExceeded,
        asset=NATIVE,
        limit=BNB_LIMIT,
        spent=BNB_LIMIT,
        amount=1,
    ):
        funded_vault.operationalTransfer(NATIVE, bob, 1, sender=operator)


def test_operational_transfer__above_limit_at_once__reverts(funded_vault, operator, bob):
    with ape.reverts(funded_vault.ReserveDailyLimitExceeded, spent=0, amount=BNB_LIMIT + 1):
        funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT + 1, sender=operator)


def test_operational_transfer__next_utc_day__limit_rolls_over(
    funded_vault, operator, bob, next_utc_day
):
    next_utc_day(23 * 3600)  # 23:00 UTC
    funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT, sender=operator)
    with ape.reverts(funded_vault.ReserveDailyLimitExceeded):
        funded_vault.operationalTransfer(NATIVE, bob, ONE, sender=operator)

    next_utc_day(1)  # 00:00:01 UTC, one hour later: a new bucket
    assert funded_vault.outflowToday(NATIVE) == 0
    assert funded_vault.remainingDailyOutflow(NATIVE) == BNB_LIMIT
    receipt = funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT, sender=operator)
    assert funded_vault.OperationalTransferMade.from_receipt(receipt)[0].spentToday == BNB_LIMIT


def test_operational_transfer__zero_limit__reverts(funded_vault, governance, operator, bob, btcb):
    governance(funded_vault, ("setDailyOutflowLimit", btcb, 0))
    with ape.reverts(funded_vault.ReserveDailyLimitExceeded, limit=0):
        funded_vault.operationalTransfer(btcb, bob, 1, sender=operator)


def test_operational_transfer__by_non_operator__reverts(funded_vault, attacker, guardian):
    for account in (attacker, guardian):
        with ape.reverts(
            funded_vault.ReserveUnauthorizedAccount,
            account=account,
            role=funded_vault.OPERATOR_ROLE(),
        ):
            funded_vault.operationalTransfer(NATIVE, account, 1, sender=account)


def test_operational_transfer__unlisted_asset__reverts(funded_vault, operator, bob, create_token):
    token = create_token()
    with ape.reverts(funded_vault.ReserveAssetNotListed, asset=token.address):
        funded_vault.operationalTransfer(token, bob, 1, sender=operator)
    with ape.reverts(funded_vault.ReserveAssetNotListed, asset=token.address):
        funded_vault.remainingDailyOutflow(token)


def test_operational_transfer__governance_withdrawal__not_counted(
    funded_vault, governance, operator, bob
):
    governance(funded_vault, ("withdraw", NATIVE, bob, 50 * ONE))
    assert funded_vault.outflowToday(NATIVE) == 0
    funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT, sender=operator)


def test_operational_transfer__after_delist_and_relist_same_day__limit_not_renewed(
    direct_vault, admin, operator, bob, feeds, next_utc_day
):
    next_utc_day(60)
    admin.transfer(direct_vault, 20 * ONE)
    direct_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT, sender=operator)
    direct_vault.removeAsset(NATIVE, sender=admin)
    direct_vault.addAsset(NATIVE, feeds["BNB"], BNB_LIMIT, sender=admin)
    assert direct_vault.remainingDailyOutflow(NATIVE) == 0
    with ape.reverts(direct_vault.ReserveDailyLimitExceeded):
        direct_vault.operationalTransfer(NATIVE, bob, 1, sender=operator)
