"""The digital som (KGSD), the retail CBDC: tiers, deployment, operator actions, payroll
batches, demo."""

from somchain.cbdc.deploy import deploy_cbdc
from somchain.cbdc.payroll import DEFAULT_CHUNK, Disbursement, batch_id, disburse_in_chunks
from somchain.cbdc.tiers import (
    DEFAULT_TIERS,
    MAX_TIER,
    NO_LIMIT,
    SOM,
    TIER_BANK_LINKED,
    TIER_GOVERNMENT,
    TIER_MERCHANT,
    TIER_UNVERIFIED,
    TIER_VERIFIED,
    TierLimits,
    apply_default_tiers,
    scale_limit,
    set_tiers,
)

__all__ = [
    "DEFAULT_CHUNK",
    "DEFAULT_TIERS",
    "MAX_TIER",
    "NO_LIMIT",
    "SOM",
    "TIER_BANK_LINKED",
    "TIER_GOVERNMENT",
    "TIER_MERCHANT",
    "TIER_UNVERIFIED",
    "TIER_VERIFIED",
    "Disbursement",
    "TierLimits",
    "apply_default_tiers",
    "batch_id",
    "deploy_cbdc",
    "disburse_in_chunks",
    "scale_limit",
    "set_tiers",
]
