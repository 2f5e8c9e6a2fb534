"""The digital som's wallet tiers: their numbers, default limits and how whole som scale
to the contract's smallest units.

Amounts in this module's tables are whole som; the functions scale them by the token's
decimals (2 by default: one som is 100 tyiyn).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from somchain.constants import NO_LIMIT

SOM = 100  # smallest units (tyiyn) per som at the default 2 decimals

TIER_UNVERIFIED = 0
TIER_VERIFIED = 1
TIER_BANK_LINKED = 2
TIER_MERCHANT = 3
TIER_GOVERNMENT = 4


@dataclass(frozen=True)
class TierLimits:
    """Limits of one wallet tier in whole som; None means no limit (NO_LIMIT on chain)."""

    max_balance: int | None
    max_payment: int | None
    daily_limit: int | None


# Default limits, in whole som. Model figures, scaled to the som, for the central bank's
# board to replace: tier 0 follows the e-CNY phone-only wallet (10,000 / 2,000 / 5,000),
# tier 2 the e-CNY ID-verified, bank-linked wallet (500,000 / 50,000 / 100,000), tier 1
# sits between them (eNaira-style step), merchants hold and pay more (excess above the
# holding limit is swept to their bank, as in the digital euro's waterfall) and government
# agencies are unlimited. Banks and the treasury are account kinds with no limits.
DEFAULT_TIERS: dict[int, TierLimits] = {
    TIER_UNVERIFIED: TierLimits(10_000, 2_000, 5_000),
    TIER_VERIFIED: TierLimits(100_000, 20_000, 50_000),
    TIER_BANK_LINKED: TierLimits(500_000, 50_000, 100_000),
    TIER_MERCHANT: TierLimits(5_000_000, 1_000_000, 2_000_000),
    TIER_GOVERNMENT: TierLimits(None, None, None),
}

MAX_TIER = max(DEFAULT_TIERS)
MAX_RETAIL_TIER = TIER_BANK_LINKED  # DigitalSom.MAX_RETAIL_TIER: banks set tiers 0..2 only


def scale_limit(som_amount: int | None, decimals: int) -> int:
    """Whole som (None = no limit) to the contract's smallest-unit limit."""
    return NO_LIMIT if som_amount is None else som_amount * 10**decimals


def set_tiers(som: Any, sender: Any, tiers: dict[int, TierLimits] | None = None) -> list[Any]:
    """Sets every tier's limits (`sender` must hold DEFAULT_ADMIN_ROLE); returns the receipts."""
    decimals = som.decimals()
    receipts = []
    for tier, limits in sorted((tiers or DEFAULT_TIERS).items()):
        receipts.append(
            som.setTierLimits(
                tier,
                scale_limit(limits.max_balance, decimals),
                scale_limit(limits.max_payment, decimals),
                scale_limit(limits.daily_limit, decimals),
                sender=sender,
            )
        )
    return receipts


apply_default_tiers = set_tiers  # the name the test suites and benchmarks use
