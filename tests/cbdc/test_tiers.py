import ape
import pytest

from somchain.cbdc import DEFAULT_TIERS, NO_LIMIT, SOM, scale_limit


@pytest.mark.parametrize("tier", range(5))
def test_tier_limits__defaults__match_table(som, tier):
    expected = DEFAULT_TIERS[tier]
    assert som.tierLimits(tier) == (
        scale_limit(expected.max_balance, 2),
        scale_limit(expected.max_payment, 2),
        scale_limit(expected.daily_limit, 2),
    )


def test_tier_limits__government__unlimited(som):
    assert som.tierLimits(4) == (NO_LIMIT, NO_LIMIT, NO_LIMIT)


def test_set_tier_limits__by_central_bank__stored_and_emitted(som, central_bank):
    receipt = som.setTierLimits(0, 1 * SOM, 2 * SOM, NO_LIMIT, sender=central_bank)
    assert som.tierLimits(0) == (1 * SOM, 2 * SOM, NO_LIMIT)
    [log] = som.TierLimitsSet.from_receipt(receipt)
    assert (log.tier, log.maxBalance, log.maxPayment, log.dailyLimit) == (
        0,
        1 * SOM,
        2 * SOM,
        NO_LIMIT,
    )


def test_set_tier_limits__fresh_token__zero_means_zero(create_som):
    s = create_som()
    assert s.tierLimits(0) == (0, 0, 0)


def test_set_tier_limits__by_bank__reverts(som, bank):
    with ape.reverts(som.AccessControlUnauthorizedAccount):
        som.setTierLimits(0, 1, 1, 1, sender=bank)


def test_set_tier_limits__tier_above_max__reverts(som, central_bank):
    with ape.reverts(som.CbdcInvalidTier, tier=5):
        som.setTierLimits(5, 1, 1, 1, sender=central_bank)
    with ape.reverts(som.CbdcInvalidTier, tier=5):
        som.tierLimits(5)


def test_set_tier_limits__finite_limits_at_max__accepted(som, central_bank):
    som.setTierLimits(0, 2**80 - 2, 2**80 - 2, 2**48 - 1, sender=central_bank)
    assert som.tierLimits(0) == (2**80 - 2, 2**80 - 2, 2**48 - 1)


def test_set_tier_limits__finite_balance_above_max__reverts(som, central_bank):
    with ape.reverts(som.CbdcLimitTooLarge, limit=2**80 - 1, max=2**80 - 2):
        som.setTierLimits(0, 2**80 - 1, 1, 1, sender=central_bank)


def test_set_tier_limits__finite_daily_above_max__reverts(som, central_bank):
    with ape.reverts(som.CbdcLimitTooLarge, limit=2**48, max=2**48 - 1):
        som.setTierLimits(0, 1, 1, 2**48, sender=central_bank)
