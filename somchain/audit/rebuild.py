"""State rebuilt from the index alone: balances, supply, roles, minters, frozen accounts,
wallets and batches. Pure functions of a `History`."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from somchain.audit import parts
from somchain.audit.indexer import ZERO, Event, History

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


role_name = parts.role_name


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


SUPPLY_EVENTS = ("Mint", "Burn", "Issued", "Redeemed", "Seized")


def supply_move(name: str, args: dict[str, Any]) -> tuple[str, str, int]:
    """(from, to, amount) of the Transfer a supply event must come with."""
    if name == "Mint":
        return ZERO, args["to"], args["amount"]
    if name == "Issued":
        return ZERO, args["bank"], args["amount"]
    if name == "Burn":
        return args["burner"], ZERO, args["amount"]
    if name == "Redeemed":
        return args["bank"], ZERO, args["amount"]
    return args["account"], args["to"], args["amount"]


def supply_matching(history: History, token: str) -> tuple[dict[str, int], list[dict[str, Any]]]:
    moves = Counter((t.tx, t.src, t.dst, t.value) for t in history.transfers if t.address == token)
    unmatched = []
    counts: Counter = Counter()
    for e in events_of(history, token, *SUPPLY_EVENTS):
        counts[e.name] += 1
        want = (e.tx, *supply_move(e.name, e.args))
        if moves[want] > 0:
            moves[want] -= 1
        else:
            unmatched.append({"event": e.name, "block": e.block, "tx": e.tx, "args": e.args})
    return dict(counts), unmatched


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


@dataclass
class TokenBook:
    """A token's ledger as the checks see it: totals, counts and negative balances."""

    minted: int
    burned: int
    transfers: int
    supply: int  # sum of the rebuilt balances
    accounts: int  # accounts that ever held or sent the token
    holders: int  # accounts with a positive balance
    negative: list[tuple[str, int]]
    supply_series: list[tuple[int, int]]  # (block, supply) after each block with a mint/burn


class HistoryView:
    """The questions the reads and checks ask of the index, answered from a `History`."""

    def __init__(self, history: History) -> None:
        self.history = history
        self._ledgers: dict[str, Ledger] = {}

    def _ledger(self, token: str) -> Ledger:
        if token not in self._ledgers:
            self._ledgers[token] = ledger(self.history, token)
        return self._ledgers[token]

    def book(self, token: str) -> TokenBook:
        b = self._ledger(token)
        return TokenBook(
            b.minted,
            b.burned,
            b.transfers,
            b.supply,
            len(b.balances),
            sum(1 for v in b.balances.values() if v > 0),
            [(a, v) for a, v in b.balances.items() if v < 0],
            b.supply_series,
        )

    def balances(self, token: str) -> dict[str, int]:
        return self._ledger(token).balances

    def balances_of(self, token: str, accounts: set[str] | list[str]) -> dict[str, int]:
        """Rebuilt balance of each of `accounts` that the index has seen."""
        b = self._ledger(token).balances
        return {a: b[a] for a in accounts if a in b}

    def time(self, block: int) -> int | None:
        return self.history.times.get(block)

    def frozen(self, token: str) -> dict[str, bool]:
        return frozen(self.history, token)

    def paused(self, token: str) -> bool:
        return paused(self.history, token)

    def seized(self, token: str) -> set[str]:
        return {e.args["account"] for e in events_of(self.history, token, "Seized")}

    def role_members(self, address: str) -> dict[str, set[str]]:
        return role_members(self.history, address)

    def role_accounts_seen(self, address: str) -> dict[str, set[str]]:
        return role_accounts_seen(self.history, address)

    def actors(self, address: str) -> set[str]:
        """Senders of the transactions that emitted the contract's journal events."""
        h = self.history
        return {
            h.senders[e.tx]
            for e in h.events
            if e.address == address and e.name in JOURNAL_EVENTS and e.tx in h.senders
        }

    def minters(self, address: str) -> dict[str, int | None]:
        return minters(self.history, address)

    def wallets(self, address: str) -> dict[str, dict[str, Any]]:
        return wallets(self.history, address)

    def batches(self, address: str) -> list[dict[str, Any]]:
        return batches(self.history, address)

    def swept(self, address: str) -> int:
        return sum(e.args["amount"] for e in events_of(self.history, address, "Swept"))

    def attestations(self, address: str) -> list[dict[str, Any]]:
        return attestations(self.history, address)

    def listed_assets(self, address: str) -> set[str]:
        return listed_assets(self.history, address)

    def supply_matching(self, token: str) -> tuple[dict[str, int], list[dict[str, Any]]]:
        """Counts of the token's supply events by name, and those without their Transfer
        in the same transaction."""
        return supply_matching(self.history, token)

    def events_without_sender(self) -> list[str]:
        return [e.tx for e in self.history.events if e.tx not in self.history.senders]

    def journal(self, labels: dict[str, str]) -> list[dict[str, Any]]:
        return journal(self.history, labels)
