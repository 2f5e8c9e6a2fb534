import ape
from ape import chain

from somchain.cbdc import SOM, TIER_VERIFIED

MAX_PAYMENT = 20_000 * SOM  # tier 1
DAILY = 50_000 * SOM  # tier 1


def test_transfer__between_wallets__moves_balance(funded, alice, bob):
    funded.transfer(bob, 250 * SOM, sender=alice)
    assert funded.balanceOf(alice) == 750 * SOM
    assert funded.balanceOf(bob) == 1_250 * SOM


def test_transfer__to_unregistered__reverts(funded, alice, attacker):
    with ape.reverts(funded.CbdcWalletNotRegistered, account=attacker.address):
        funded.transfer(attacker, 1, sender=alice)


def test_transfer__from_unregistered__reverts(funded, alice, attacker):
    with ape.reverts(funded.CbdcWalletNotRegistered, account=attacker.address):
        funded.transfer(alice, 0, sender=attacker)


def test_transfer__below_payment_limit__succeeds(funded, fund, alice, bob):
    fund(alice, 30_000)
    funded.transfer(bob, MAX_PAYMENT - 1, sender=alice)
    assert funded.balanceOf(bob) == 1_000 * SOM + MAX_PAYMENT - 1


def test_transfer__at_payment_limit__succeeds(funded, fund, alice, bob):
    fund(alice, 30_000)
    funded.transfer(bob, MAX_PAYMENT, sender=alice)
    assert funded.dailySpent(alice)[0] == MAX_PAYMENT


def test_transfer__above_payment_limit__reverts(funded, fund, alice, bob):
    fund(alice, 30_000)
    with ape.reverts(
        funded.CbdcPaymentLimitExceeded,
        wallet=alice.address,
        amount=MAX_PAYMENT + 1,
        maxPayment=MAX_PAYMENT,
    ):
        funded.transfer(bob, MAX_PAYMENT + 1, sender=alice)


def test_transfer__at_daily_limit__succeeds(funded, fund, alice, bob):
    fund(alice, 60_000)
    for amount in (MAX_PAYMENT, MAX_PAYMENT, DAILY - 2 * MAX_PAYMENT):
        funded.transfer(bob, amount, sender=alice)
    spent, window_end = funded.dailySpent(alice)
    assert spent == DAILY
    assert window_end > chain.blocks.head.timestamp


def test_transfer__above_daily_limit__reverts(funded, fund, alice, bob):
    fund(alice, 60_000)
    funded.transfer(bob, MAX_PAYMENT, sender=alice)
    funded.transfer(bob, MAX_PAYMENT, sender=alice)
    available = DAILY - 2 * MAX_PAYMENT
    with ape.reverts(
        funded.CbdcDailyLimitExceeded,
        wallet=alice.address,
        amount=available + 1,
        available=available,
    ):
        funded.transfer(bob, available + 1, sender=alice)


def test_transfer__daily_window_not_yet_over__still_reverts(funded, fund, alice, bob):
    fund(alice, 60_000)
    for _ in range(2):
        funded.transfer(bob, MAX_PAYMENT, sender=alice)
    funded.transfer(bob, DAILY - 2 * MAX_PAYMENT, sender=alice)
    _, window_end = funded.dailySpent(alice)
    chain.pending_timestamp = window_end - 10
    with ape.reverts(funded.CbdcDailyLimitExceeded, available=0):
        funded.transfer(bob, 1, sender=alice)


def test_transfer__daily_window_rolled_over__succeeds(funded, fund, alice, bob):
    fund(alice, 79_000)
    for _ in range(2):
        funded.transfer(bob, MAX_PAYMENT, sender=alice)
    funded.transfer(bob, DAILY - 2 * MAX_PAYMENT, sender=alice)
    chain.pending_timestamp += 86_400
    receipt = funded.transfer(bob, MAX_PAYMENT, sender=alice)
    spent, window_end = funded.dailySpent(alice)
    assert spent == MAX_PAYMENT
    assert window_end == receipt.timestamp + 86_400


def test_daily_spent__after_window__reads_zero(funded, alice, bob):
    funded.transfer(bob, 1 * SOM, sender=alice)
    chain.pending_timestamp += 86_400
    chain.mine()
    assert funded.dailySpent(alice) == (0, 0)


def test_transfer__to_own_bank__not_limited(funded, fund, bank, alice):
    fund(alice, 60_000)
    funded.transfer(bank, 61_000 * SOM, sender=alice)
    assert funded.balanceOf(alice) == 0
    assert funded.dailySpent(alice) == (0, 0)


def test_transfer__to_other_bank__limited(funded, fund, bank2, alice):
    fund(alice, 60_000)
    with ape.reverts(funded.CbdcPaymentLimitExceeded):
        funded.transfer(bank2, MAX_PAYMENT + 1, sender=alice)


def test_transfer__bank_to_wallet__bank_unlimited(funded, bank, bob):
    funded.transfer(bob, 99_000 * SOM, sender=bank)
    assert funded.balanceOf(bob) == 100_000 * SOM


def test_transfer_from__spender_pays_for_owner__owner_limits_apply(funded, fund, alice, bob):
    fund(alice, 30_000)
    funded.approve(bob, 2**256 - 1, sender=alice)
    funded.transferFrom(alice, bob, MAX_PAYMENT, sender=bob)
    with ape.reverts(funded.CbdcPaymentLimitExceeded, wallet=alice.address):
        funded.transferFrom(alice, bob, MAX_PAYMENT + 1, sender=bob)


def test_transfer__tier_with_zero_limits__zero_means_zero(funded, central_bank, alice, bob):
    funded.setTierLimits(TIER_VERIFIED, 0, 0, 0, sender=central_bank)
    with ape.reverts(funded.CbdcPaymentLimitExceeded, amount=1, maxPayment=0):
        funded.transfer(bob, 1, sender=alice)


def test_transfer__unlimited_daily__not_tracked(funded, central_bank, alice, bob):
    funded.setTierLimits(TIER_VERIFIED, 2**256 - 1, 2**256 - 1, 2**256 - 1, sender=central_bank)
    funded.transfer(bob, 1_000 * SOM, sender=alice)
    assert funded.dailySpent(alice) == (0, 0)


def test_transfer__to_self__balance_unchanged(funded, alice):
    funded.transfer(alice, 500 * SOM, sender=alice)
    assert funded.balanceOf(alice) == 1_000 * SOM
