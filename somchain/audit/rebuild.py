"""State rebuilt from the index alone: balances, supply, roles, minters, frozen accounts,
wallets and batches. Pure functions of a `History`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from eth_utils import keccak

from somchain.audit.indexer import ZERO, Event, History

ROLE_NAMES = [
    "MASTER_MINTER_ROLE",
    "PAUSER_ROLE",
    "COMPLIANCE_ROLE",
    "RESCUER_ROLE",
    "UPGRADER_ROLE",
    "ISSUER_ROLE",
    "BANK_ROLE",
    "TREASURY_ROLE",
    "ATTESTOR_ROLE",
    "GOVERNOR_ROLE",
    "OPERATOR_ROLE",
    "GUARDIAN_ROLE",
    "PROPOSER_ROLE",
    "EXECUTOR_ROLE",
    "CANCELLER_ROLE",
]
ROLES: dict[str, str] = {"0x" + "00" * 32: "DEFAULT_ADMIN_ROLE"} | {
    "0x" + keccak(text=name).hex(): name for name in ROLE_NAMES
}

JOURNAL_EVENTS = {
    "Mint",
    "Burn",
    "Issued",
    "Redeemed",
    "Seized",
    "Frozen",
    "Unfrozen",
    "Paused",
    "Unpaused",
    "RoleGranted",
    "RoleRevoked",
    "MinterConfigured",
    "MinterRemoved",
    "Upgraded",
    "ReserveFeedSet",
    "ReserveAttested",
    "Rescued",
    "DefaultAdminTransferScheduled",
    "DefaultAdminTransferCanceled",
    "DefaultAdminDelayChangeScheduled",
    "DefaultAdminDelayChangeCanceled",
    "TierLimitsSet",
    "BatchDisbursed",
    "Initialized",
    "AssetAdded",
    "AssetRemoved",
    "PriceFeedChanged",
    "DailyOutflowLimitChanged",
    "MaxShareChanged",
    "MaxPriceAgeChanged",
    "Withdrawn",
    "OperationalTransferMade",
    "TokenRecovered",
    "PolicyBreached",
    "CallScheduled",
    "CallExecuted",
    "Cancelled",
    "MinDelayChange",
}


def listed_assets(history: History, address: str) -> set[str]:
    """Assets listed on the reserve vault after its AssetAdded/AssetRemoved events."""
    listed: set[str] = set()
    for e in events_of(history, address, "AssetAdded", "AssetRemoved"):
        (listed.add if e.name == "AssetAdded" else listed.discard)(e.args["asset"])
    return listed


CONTRACT_ROLES = {
    "stablecoin": ["MASTER_MINTER_ROLE", "PAUSER_ROLE", "COMPLIANCE_ROLE", "RESCUER_ROLE"],
    "cbdc": ["ISSUER_ROLE", "BANK_ROLE", "TREASURY_ROLE", "PAUSER_ROLE", "COMPLIANCE_ROLE"],
    "attestation": ["ATTESTOR_ROLE"],
    "reserve": ["GOVERNOR_ROLE", "OPERATOR_ROLE", "GUARDIAN_ROLE"],
    "timelock": ["PROPOSER_ROLE", "EXECUTOR_ROLE", "CANCELLER_ROLE"],
}


def roles_of(key: str) -> list[str]:
    """Role ids a contract of manifest key `key` defines (DEFAULT_ADMIN_ROLE included)."""
    names = {"DEFAULT_ADMIN_ROLE", *CONTRACT_ROLES.get(key, [])}
    if key in ("stablecoin", "cbdc"):
        names |= {"RESCUER_ROLE", "UPGRADER_ROLE"}
    return [role for role, name in ROLES.items() if name in names]


def role_name(role: str) -> str:
    return ROLES.get(role.lower(), role)


def events_of(history: History, address: str, *names: str) -> list[Event]:
    wanted = set(names)
    return [e for e in history.events if e.address == address and (not names or e.name in wanted)]


@dataclass
class Ledger:
    """Balances and supply of one token rebuilt from its Transfer events."""

    balances: dict[str, int] = field(default_factory=dict)
    minted: int = 0
    burned: int = 0
    transfers: int = 0
    supply_series: list[tuple[int, int]] = field(default_factory=list)  # (block, supply)

    @property
    def supply(self) -> int:
        return sum(self.balances.values())


def ledger(history: History, token: str) -> Ledger:
    balances: dict[str, int] = defaultdict(int)
    out = Ledger()
    supply = 0
    for t in history.transfers:
        if t.address != token:
            continue
        out.transfers += 1
        if t.src == ZERO:
            out.minted += t.value
            supply += t.value
        else:
            balances[t.src] -= t.value
        if t.dst == ZERO:
            out.burned += t.value
            supply -= t.value
        else:
            balances[t.dst] += t.value
        if ZERO in (t.src, t.dst):
            if out.supply_series and out.supply_series[-1][0] == t.block:
                out.supply_series[-1] = (t.block, supply)
            else:
                out.supply_series.append((t.block, supply))
    out.balances = dict(balances)
    return out


def role_members(history: History, address: str) -> dict[str, set[str]]:
    """role -> accounts holding it after the last event."""
    members: dict[str, set[str]] = defaultdict(set)
    for e in events_of(history, address, "RoleGranted", "RoleRevoked"):
        role = e.args["role"].lower()
        if e.name == "RoleGranted":
            members[role].add(e.args["account"])
        else:
            members[role].discard(e.args["account"])
    return dict(members)


def role_accounts_seen(history: History, address: str) -> dict[str, set[str]]:
    """role -> every account ever granted or revoked it."""
    seen: dict[str, set[str]] = defaultdict(set)
    for e in events_of(history, address, "RoleGranted", "RoleRevoked"):
        seen[e.args["role"].lower()].add(e.args["account"])
    return dict(seen)


def minters(history: History, address: str) -> dict[str, int | None]:
    """minter -> allowance left (None once removed): configured, less what it minted."""
    out: dict[str, int | None] = {}
    for e in events_of(history, address, "MinterConfigured", "MinterRemoved", "Mint"):
        who = e.args["minter"]
        if e.name == "MinterConfigured":
            out[who] = e.args["allowance"]
        elif e.name == "MinterRemoved":
            out[who] = None
        elif out.get(who) is not None:
            out[who] -= e.args["amount"]
    return out


def frozen(history: History, address: str) -> dict[str, bool]:
    """account -> frozen after the last Frozen/Unfrozen event."""
    out: dict[str, bool] = {}
    for e in events_of(history, address, "Frozen", "Unfrozen"):
        out[e.args["account"]] = e.name == "Frozen"
    return out


def paused(history: History, address: str) -> bool:
    state = False
    for e in events_of(history, address, "Paused", "Unpaused"):
        state = e.name == "Paused"
    return state


def wallets(history: History, address: str) -> dict[str, dict[str, Any]]:
    """wallet -> {tier, bank, open} from registrations, tier changes and closures."""
    out: dict[str, dict[str, Any]] = {}
    for e in events_of(history, address, "WalletRegistered", "WalletTierChanged", "WalletClosed"):
        w = e.args["wallet"]
        if e.name == "WalletRegistered":
            out[w] = {"tier": e.args["tier"], "bank": e.args["bank"], "open": True}
        elif e.name == "WalletTierChanged" and w in out:
            out[w]["tier"] = e.args["newTier"]
        elif e.name == "WalletClosed" and w in out:
            out[w]["open"] = False
    return out


def batches(history: History, address: str) -> list[dict[str, Any]]:
    return [
        {"block": e.block, "tx": e.tx, **e.args}
        for e in events_of(history, address, "BatchDisbursed")
    ]


def attestations(history: History, address: str) -> list[dict[str, Any]]:
    return [
        {"block": e.block, "time": history.times.get(e.block), **e.args}
        for e in events_of(history, address, "ReserveAttested")
    ]


def journal(history: History, labels: dict[str, str]) -> list[dict[str, Any]]:
    """Every administrative or supply event, with block, time, tx and actor (tx sender)."""
    rows = []
    for e in history.events:
        if e.name not in JOURNAL_EVENTS:
            continue
        args = dict(e.args)
        if "role" in args:
            args["role"] = role_name(args["role"])
        rows.append(
            {
                "block": e.block,
                "time": history.times.get(e.block),
                "tx": e.tx,
                "contract": labels.get(e.address, e.address),
                "event": e.name,
                "actor": history.senders.get(e.tx),
                "args": args,
            }
        )
    return rows
