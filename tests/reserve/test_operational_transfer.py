"""Operator outflows without delay, within each asset's outflow bucket (capacity: the
daily limit, refilled by the daily limit per day)."""

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
    assert event.used == BTCB_LIMIT // 4
    assert btcb.balanceOf(bob) == BTCB_LIMIT // 4
    assert funded_vault.outflowUsed(btcb) == BTCB_LIMIT // 4
    assert funded_vault.remainingDailyOutflow(btcb) == BTCB_LIMIT * 3 // 4


def test_operational_transfer__native__moves_bnb(funded_vault, operator, bob):
    before = bob.balance
    funded_vault.operationalTransfer(NATIVE, bob, ONE, sender=operator)
    assert bob.balance == before + ONE


def test_operational_transfer__bucket_emptied__reverts_until_it_refills(
    funded_vault, operator, bob
):
    receipt = funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT, sender=operator)
    at = chain.blocks[receipt.block_number].timestamp
    assert funded_vault.remainingDailyOutflow(NATIVE) == 0
    chain.pending_timestamp = at + 1
    with ape.reverts(
        funded_vault.ReserveDailyLimitExceeded,
        asset=NATIVE,
        limit=BNB_LIMIT,
        spent=BNB_LIMIT - BNB_LIMIT // 86_400,
        amount=ONE,
    ):
        funded_vault.operationalTransfer(NATIVE, bob, ONE, sender=operator)


def test_operational_transfer__above_limit_at_once__reverts(funded_vault, operator, bob):
    with ape.reverts(funded_vault.ReserveDailyLimitExceeded, spent=0, amount=BNB_LIMIT + 1):
        funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT + 1, sender=operator)


def test_operational_transfer__around_midnight_utc__no_second_limit(funded_vault, operator, bob):
    """The calendar-day window let the whole limit out at 23:59:59 and again at 00:00:01
    UTC; the bucket refills only by the time that passed."""
    midnight = (chain.pending_timestamp // 86_400 + 1) * 86_400
    chain.pending_timestamp = midnight - 1
    funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT, sender=operator)
    chain.pending_timestamp = midnight + 1
    with ape.reverts(funded_vault.ReserveDailyLimitExceeded):
        funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT // 2, sender=operator)


def test_operational_transfer__half_a_day_later__half_the_limit_back(funded_vault, operator, bob):
    receipt = funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT, sender=operator)
    chain.pending_timestamp = chain.blocks[receipt.block_number].timestamp + 43_200
    receipt = funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT // 2, sender=operator)
    assert funded_vault.OperationalTransferMade.from_receipt(receipt)[0].used == BNB_LIMIT
    with ape.reverts(funded_vault.ReserveDailyLimitExceeded):
        funded_vault.operationalTransfer(NATIVE, bob, ONE, sender=operator)


def test_operational_transfer__a_day_later__the_whole_limit_back(funded_vault, operator, bob):
    receipt = funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT, sender=operator)
    chain.pending_timestamp = chain.blocks[receipt.block_number].timestamp + 86_400
    chain.mine()
    assert funded_vault.outflowUsed(NATIVE) == 0
    assert funded_vault.remainingDailyOutflow(NATIVE) == BNB_LIMIT


def test_operational_transfer__limit_lowered__applies_at_once(direct_vault, admin, operator, bob):
    admin.transfer(direct_vault, 20 * ONE)
    direct_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT // 2, sender=operator)
    direct_vault.setDailyOutflowLimit(NATIVE, BNB_LIMIT // 2, sender=admin)
    assert direct_vault.remainingDailyOutflow(NATIVE) <= 3 * (BNB_LIMIT // 86_400)
    with ape.reverts(direct_vault.ReserveDailyLimitExceeded):
        direct_vault.operationalTransfer(NATIVE, bob, ONE, sender=operator)


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
    assert funded_vault.outflowUsed(NATIVE) == 0
    funded_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT, sender=operator)


def test_operational_transfer__after_delist_and_relist__bucket_not_renewed(
    direct_vault, admin, operator, bob, feeds
):
    admin.transfer(direct_vault, 20 * ONE)
    direct_vault.operationalTransfer(NATIVE, bob, BNB_LIMIT, sender=operator)
    direct_vault.removeAsset(NATIVE, sender=admin)
    direct_vault.addAsset(NATIVE, feeds["BNB"], BNB_LIMIT, sender=admin)
    assert direct_vault.remainingDailyOutflow(NATIVE) <= 4 * (BNB_LIMIT // 86_400)
    with ape.reverts(direct_vault.ReserveDailyLimitExceeded):
        direct_vault.operationalTransfer(NATIVE, bob, ONE, sender=operator)
