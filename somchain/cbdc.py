"""Deployment and operation of the digital som (KGSD), the retail CBDC.

Amounts in this module's tables are whole som; the functions scale them by the token's
decimals (2 by default: one som is 100 tyiyn).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ape import project
from eth_utils import keccak

from somchain.deploy import DEFAULT_ADMIN_DELAY, Deployed, deploy_proxied

SOM = 100  # smallest units (tyiyn) per som at the default 2 decimals
NO_LIMIT = 2**256 - 1  # the contract's NO_LIMIT: the only value meaning "unlimited"

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

DEFAULT_CHUNK = 200  # payees per disburse call: ~6M gas for new wallets, well under 30M


@dataclass
class Disbursement:
    """Outcome of `disburse_in_chunks`, totals in the smallest unit."""

    batch_ids: list[bytes] = field(default_factory=list)
    receipts: list[Any] = field(default_factory=list)
    already_paid: list[bytes] = field(default_factory=list)
    paid: int = 0
    swept: int = 0
    skipped: int = 0


def _address(account: Any) -> str:
    return getattr(account, "address", account)


def deploy_cbdc(
    sender: Any,
    admin: Any = None,
    name: str = "Digital Som",
    symbol: str = "KGSD",
    decimals: int = 2,
    admin_delay: int = DEFAULT_ADMIN_DELAY,
) -> Deployed:
    """Deploys the digital som behind a proxy; `admin` (default: `sender`) is the central bank
    holding DEFAULT_ADMIN_ROLE. Tier limits start at zero: call `apply_default_tiers`."""
    admin_address = _address(admin) or sender.address
    return deploy_proxied(
        project.DigitalSom, [name, symbol, decimals, admin_address, admin_delay], sender
    )


def scale_limit(som_amount: int | None, decimals: int) -> int:
    """Whole som (None = no limit) to the contract's smallest-unit limit."""
    return NO_LIMIT if som_amount is None else som_amount * 10**decimals


def apply_default_tiers(
    som: Any, sender: Any, tiers: dict[int, TierLimits] | None = None
) -> list[Any]:
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


def batch_id(prefix: str | bytes, index: int) -> bytes:
    """The batch id of chunk `index` of a payment file: keccak256(prefix || "/" || index)."""
    raw = prefix.encode() if isinstance(prefix, str) else bytes(prefix)
    return keccak(raw + b"/" + str(index).encode())


def disburse_in_chunks(
    som: Any,
    batch_id_prefix: str | bytes,
    payments: Sequence[tuple[Any, int]],
    sender: Any,
    chunk: int = DEFAULT_CHUNK,
) -> Disbursement:
    """Pays `payments` (payee, amount in the smallest unit) from the treasury `sender` in
    calls of at most `chunk` payees, chunk i under `batch_id(batch_id_prefix, i)`.

    Safe to re-run after a failure: chunks whose batch id is already paid are skipped
    (listed in `already_paid`), so no payee is paid twice for the same file. The ids depend
    only on the prefix and the chunk's position, so a re-run must use the same payment
    list, in the same order, with the same `chunk`; a corrected file needs a new prefix.
    """
    if chunk < 1:
        raise ValueError("chunk must be positive")
    result = Disbursement()
    for index, start in enumerate(range(0, len(payments), chunk)):
        part = payments[start : start + chunk]
        bid = batch_id(batch_id_prefix, index)
        result.batch_ids.append(bid)
        if som.isBatchPaid(bid):
            result.already_paid.append(bid)
            continue
        receipt = som.disburse(
            bid, [_address(p) for p, _ in part], [a for _, a in part], sender=sender
        )
        result.receipts.append(receipt)
        for log in som.BatchDisbursed.from_receipt(receipt):
            result.paid += log.paid
            result.swept += log.swept
            result.skipped += log.skipped
    return result
