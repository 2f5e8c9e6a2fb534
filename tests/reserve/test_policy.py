"""Policy: a per-asset maximum share, flagged (PolicyBreached, withinPolicy()), not enforced."""

import ape

from somchain.reserve import NATIVE
from tests.utils.constants import ONE


def test_within_policy__under_cap__true(funded_vault, governance):
    governance(funded_vault, ("setMaxShare", NATIVE, 3_000))  # BNB is 25%
    assert funded_vault.withinPolicy()
    assert funded_vault.policyBreaches() == ([], [])


def test_deposit__breaching_cap__allowed_and_flagged(funded_vault, governance, deposit):
    governance(funded_vault, ("setMaxShare", NATIVE, 3_000))

    receipt = deposit(funded_vault, NATIVE, 100 * ONE)  # BNB: $120k of $300k = 40%

    assert len(funded_vault.Deposited.from_receipt(receipt)) == 1
    [flag] = funded_vault.PolicyBreached.from_receipt(receipt)
    assert (flag.asset, flag.shareBps, flag.maxShareBps) == (NATIVE, 4_000, 3_000)
    assert not funded_vault.withinPolicy()
    assert funded_vault.policyBreaches() == ([NATIVE], [4_000])


def test_withdraw__breaching_cap__allowed_and_flagged(funded_vault, governance, btcb):
    governance(funded_vault, ("setMaxShare", NATIVE, 3_000))

    receipt = governance(funded_vault, ("withdraw", btcb, btcb, ONE), salt=1)  # BNB: 60k / 140k

    assert len(funded_vault.Withdrawn.from_receipt(receipt)) == 1
    [flag] = funded_vault.PolicyBreached.from_receipt(receipt)
    assert (flag.asset, flag.shareBps) == (NATIVE, 4_285)
    assert not funded_vault.withinPolicy()


def test_operational_transfer__restoring_policy__not_flagged(
    funded_vault, governance, operator, bob, deposit
):
    governance(funded_vault, ("setMaxShare", NATIVE, 3_000))
    deposit(funded_vault, NATIVE, 100 * ONE)  # 40%
    receipt = funded_vault.operationalTransfer(NATIVE, bob, 10 * ONE, sender=operator)
    # $114k of $294k = 38.7%: still out of policy, still flagged
    assert funded_vault.PolicyBreached.from_receipt(receipt)[0].shareBps == 3_877

    governance(funded_vault, ("setMaxShare", NATIVE, 4_000), salt=1)
    receipt = funded_vault.operationalTransfer(NATIVE, bob, ONE, sender=operator)
    assert funded_vault.PolicyBreached.from_receipt(receipt) == []
    assert funded_vault.withinPolicy()


def test_deposit__no_cap_set__not_flagged(funded_vault, deposit):
    receipt = deposit(funded_vault, NATIVE, 1_000 * ONE)  # 90% BNB, but no cap
    assert funded_vault.PolicyBreached.from_receipt(receipt) == []
    assert funded_vault.withinPolicy()


def test_deposit__stale_price_with_cap__still_accepted(
    funded_vault, governance, feeds, admin, deposit, btcb
):
    governance(funded_vault, ("setMaxShare", NATIVE, 1_000))
    feeds["USDT"].setAnswer(0, sender=admin)

    receipt = deposit(funded_vault, btcb, ONE)

    assert len(funded_vault.Deposited.from_receipt(receipt)) == 1
    assert funded_vault.PolicyBreached.from_receipt(receipt) == []
    with ape.reverts(funded_vault.ReservePriceNotPositive):
        funded_vault.withinPolicy()


def test_set_max_share__removed__stops_flagging(funded_vault, governance, deposit):
    governance(funded_vault, ("setMaxShare", NATIVE, 1_000))
    assert not funded_vault.withinPolicy()
    governance(funded_vault, ("setMaxShare", NATIVE, 0), salt=1)
    assert funded_vault.withinPolicy()
    receipt = deposit(funded_vault, NATIVE, ONE)
    assert funded_vault.PolicyBreached.from_receipt(receipt) == []
