"""State rebuilt from the index: token books from SQL over the balances, totals and supply
tables (never the transfers in memory), everything else (roles, minters, frozen accounts,
wallets, batches, the journal) folded from the non-Transfer events, which `load_state`
reads into a `History`."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from somchain.audit import parts
from somchain.audit.abi import SUPPLY_EVENTS
from somchain.audit.indexer import (
    CHUNK,
    amount,
    balances,
    blocks,
    events,
    exact_sum,
    supply,
    totals,
    transfers,
    txs,
)


@dataclass(frozen=True)
class Event:
    block: int
    log_index: int
    tx: str
    address: str
    name: str
    args: dict[str, Any]


@dataclass
class History:
    """The index's non-Transfer events in chain order, block times and tx senders."""

    events: list[Event] = field(default_factory=list)
    times: dict[int, int] = field(default_factory=dict)
    senders: dict[str, str] = field(default_factory=dict)


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


DESK_FLOWS = (
    "to_som",  # conversions KGST -> digital som (the desk's ConvertedToSom)
    "to_kgst",  # conversions digital som -> KGST (ConvertedToKgst)
    "said_kgst_burned",  # what the desk's events say it burned, issued, redeemed, minted
    "said_som_issued",
    "said_som_redeemed",
    "said_kgst_minted",
    "kgst_burned",  # what the tokens' supply events say the desk did
    "som_issued",
    "som_redeemed",
    "kgst_minted",
)


def desk_flows(history: History, desk: str, kgst: str, som: str) -> dict[str, int]:
    """The conversion desk's flows, from its own events and from the tokens' supply events
    naming it (KGST's Burn and Mint by the desk, the digital som's Issued and Redeemed to
    and by it), in each token's smallest unit (see DESK_FLOWS)."""
    out = dict.fromkeys(DESK_FLOWS, 0)
    for e in events_of(history, desk, "ConvertedToSom", "ConvertedToKgst"):
        if e.name == "ConvertedToSom":
            out["to_som"] += 1
            out["said_kgst_burned"] += int(e.args["kgstBurned"])
            out["said_som_issued"] += int(e.args["somIssued"])
        else:
            out["to_kgst"] += 1
            out["said_som_redeemed"] += int(e.args["somRedeemed"])
            out["said_kgst_minted"] += int(e.args["kgstMinted"])
    for e in events_of(history, kgst, "Burn", "Mint"):
        actor = str(e.args["burner" if e.name == "Burn" else "minter"]).lower()
        if actor == desk:
            out["kgst_burned" if e.name == "Burn" else "kgst_minted"] += int(e.args["amount"])
    for e in events_of(history, som, "Issued", "Redeemed"):
        if str(e.args["bank"]).lower() == desk:
            out["som_issued" if e.name == "Issued" else "som_redeemed"] += int(e.args["amount"])
    return out


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


# ---------------------------------------------------------------- from SQL


@dataclass
class TokenBook:
    """A token's ledger as the checks see it: totals, counts and negative balances."""

    minted: int
    burned: int
    transfers: int
    supply: int  # sum of the stored balances
    accounts: int  # accounts that ever held or sent the token
    holders: int  # accounts with a positive balance
    negative: list[tuple[str, int]]
    supply_series: list[tuple[int, int]]  # (block, supply) after each block with a mint/burn


def load_history(conn: Connection) -> History:
    """Every non-Transfer event with block times and senders."""
    e = events.c
    query = select(e.block, e.log_index, e.tx, e.address, e.name, e.args).order_by(
        e.block, e.log_index
    )
    out = History()
    rows = cast("Iterable[tuple[int, int, str, str, str, str]]", conn.execute(query))
    out.events = [Event(b, i, tx, a, n, json.loads(args)) for b, i, tx, a, n, args in rows]
    out.times = dict(conn.execute(select(blocks.c.number, blocks.c.timestamp)).all())
    out.senders = dict(conn.execute(select(txs.c.hash, txs.c.sender)).all())
    return out


def load_book(conn: Connection, token: str) -> TokenBook:
    """Totals, the sum of balances, counts and the supply series of `token`, in SQL."""
    b = balances.c
    row = conn.execute(
        select(totals.c.minted, totals.c.burned, totals.c.transfers).where(totals.c.token == token)
    ).first()
    minted, burned, count = (amount(row[0]), amount(row[1]), row[2]) if row else (0, 0, 0)
    total, accounts, holders = cast(
        "tuple[Any, int, int | None]",
        conn.execute(
            select(
                exact_sum(b.balance),
                func.count(),
                func.count().filter(b.sign > 0),
            ).where(b.token == token)
        ).one(),
    )
    negative = [
        (h, amount(v))
        for h, v in cast(
            "Iterable[tuple[str, Any]]",
            conn.execute(
                select(b.holder, b.balance)
                .where(b.token == token, b.sign < 0)
                .order_by(b.holder)
                .limit(50)
            ),
        )
    ]
    series = [
        (block, amount(v))
        for block, v in cast(
            "Iterable[tuple[int, Any]]",
            conn.execute(
                select(supply.c.block, supply.c.supply)
                .where(supply.c.token == token)
                .order_by(supply.c.block)
            ),
        )
    ]
    return TokenBook(minted, burned, count, amount(total), accounts, holders or 0, negative, series)


def load_balances(conn: Connection, token: str, accounts: Any) -> dict[str, int]:
    """Stored balance of each of `accounts` the index has seen."""
    wanted = sorted(set(accounts))
    out: dict[str, int] = {}
    for i in range(0, len(wanted), CHUNK):
        query = select(balances.c.holder, balances.c.balance).where(
            balances.c.token == token, balances.c.holder.in_(wanted[i : i + CHUNK])
        )
        out.update(
            (h, amount(v)) for h, v in cast("Iterable[tuple[str, Any]]", conn.execute(query))
        )
    return out


def holders_changed_after(conn: Connection, token: str, block: int | None) -> list[str]:
    """Accounts whose stored balance changed after `block` (every account for None)."""
    query = select(balances.c.holder).where(balances.c.token == token)
    if block is not None:
        query = query.where(balances.c.changed_block > block)
    rows = cast("Iterable[tuple[str]]", conn.execute(query.order_by(balances.c.holder)))
    return [h for (h,) in rows]


def sample_holders(conn: Connection, token: str, size: int, seed: int) -> list[str]:
    """`size` accounts drawn at random (seeded) among every account of the token."""
    everyone = holders_changed_after(conn, token, None)
    return sorted(random.Random(seed).sample(everyone, min(size, len(everyone))))


def supply_matching(conn: Connection, token: str) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Counts of the token's supply events by name, and the events without their Transfer
    (same transaction, from, to and amount), in SQL. The transfers are joined on the block
    first, so the primary key serves the join."""
    e, t = events.c, transfers.c
    is_supply = and_(e.address == token, e.name.in_(SUPPLY_EVENTS))
    counts: dict[str, int] = dict(
        cast(
            "list[tuple[str, int]]",
            conn.execute(select(e.name, func.count()).where(is_supply).group_by(e.name)).all(),
        )
    )
    key = (e.block, e.tx, e.src, e.dst, e.amount)
    ev = select(*key, func.count().label("n")).where(is_supply).group_by(*key).subquery()
    tkey = (t.block, t.tx, t.src, t.dst, t.value)
    tr = (
        select(*tkey, func.count().label("n"))
        .where(t.address == token, t.block.in_(select(e.block).where(is_supply)))
        .group_by(*tkey)
        .subquery()
    )
    joined = ev.outerjoin(
        tr,
        and_(
            ev.c.block == tr.c.block,
            ev.c.tx == tr.c.tx,
            ev.c.src == tr.c.src,
            ev.c.dst == tr.c.dst,
            ev.c.amount == tr.c.value,
        ),
    )
    short = (
        select(ev.c.block, ev.c.tx, ev.c.src, ev.c.dst, ev.c.amount, ev.c.n, tr.c.n)
        .select_from(joined)
        .where((tr.c.n.is_(None)) | (tr.c.n < ev.c.n))
    )
    unmatched = []
    shortfalls = cast(
        "Iterable[tuple[int, str, str, str, Any, int, int | None]]", conn.execute(short)
    )
    for block, tx, src, dst, value, n, found in shortfalls:
        missing = n - (found or 0)
        rows = conn.execute(
            select(e.block, e.name, e.tx, e.args)
            .where(
                is_supply,
                e.block == block,
                e.tx == tx,
                e.src == src,
                e.dst == dst,
                e.amount == value,
            )
            .order_by(e.log_index)
        ).all()
        for b, name, h, args in cast("list[tuple[int, str, str, str]]", rows)[
            len(rows) - missing :
        ]:
            unmatched.append({"event": name, "block": b, "tx": h, "args": json.loads(args)})
    unmatched.sort(key=lambda u: u["block"])
    return counts, unmatched


class IndexState:
    """The questions the reads and checks ask of the index, answered from what
    `load_state` read: the event history, each token's book and supply-event matching,
    and the balances of the accounts asked for (`add_balances`)."""

    def __init__(
        self,
        history: History,
        books: dict[str, TokenBook],
        matching: dict[str, tuple[dict[str, int], list[dict[str, Any]]]],
        counts: dict[str, int],
    ) -> None:
        self.history = history
        self.books = books
        self.matching = matching
        self.counts = counts
        self.known: dict[str, dict[str, int]] = defaultdict(dict)
        self.asked: dict[str, set[str]] = defaultdict(set)

    def add_balances(self, conn: Connection, token: str, accounts: Any) -> None:
        todo = set(accounts) - self.asked[token]
        self.known[token] |= load_balances(conn, token, todo)
        self.asked[token] |= todo

    def book(self, token: str) -> TokenBook:
        return self.books[token]

    def balances_of(self, token: str, accounts: Any) -> dict[str, int]:
        """Stored balance of each of `accounts` that the index has seen (every account
        asked about must have been loaded with `add_balances`)."""
        known = self.known[token]
        return {a: known[a] for a in accounts if a in known}

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

    def desk_flows(self, desk: str, kgst: str, som: str) -> dict[str, int]:
        return desk_flows(self.history, desk, kgst, som)

    def supply_matching(self, token: str) -> tuple[dict[str, int], list[dict[str, Any]]]:
        return self.matching[token]

    def events_without_sender(self) -> list[str]:
        return [e.tx for e in self.history.events if e.tx not in self.history.senders]

    def journal(self, labels: dict[str, str]) -> list[dict[str, Any]]:
        return journal(self.history, labels)


def load_state(conn: Connection, tokens: list[str]) -> IndexState:
    """What the audit needs from the index, for the tokens at `tokens` (addresses)."""
    count = lambda table: cast(int, conn.execute(select(func.count()).select_from(table)).scalar())  # noqa: E731
    return IndexState(
        load_history(conn),
        {t: load_book(conn, t) for t in tokens},
        {t: supply_matching(conn, t) for t in tokens},
        {"transfers": count(transfers), "events": count(events)},
    )
