"""The event index: every log of the audited contracts in one SQLite file per chain.

Indexing is incremental (a run fetches only blocks after the last indexed one) and
reorg-safe: only blocks at least `confirmations` deep are written; newer blocks are read
into memory for the run and never stored. The hash of the last indexed block is kept, and
if the chain no longer has it (a reorg deeper than the confirmations, or another chain at
the same id, such as a restarted dev node) the index is dropped and rebuilt.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from somchain.audit.abi import TRANSFER_TOPIC, EventCodec, decode_transfer, hexstr
from somchain.audit.logs import FetchStats, RangePolicy, iter_logs

SCHEMA_VERSION = "1"
ZERO = "0x" + "00" * 20

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS transfers (
    block INTEGER NOT NULL, log_index INTEGER NOT NULL, tx TEXT NOT NULL,
    address TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (block, log_index));
CREATE TABLE IF NOT EXISTS events (
    block INTEGER NOT NULL, log_index INTEGER NOT NULL, tx TEXT NOT NULL,
    address TEXT NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL,
    PRIMARY KEY (block, log_index));
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, timestamp INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS txs (hash TEXT PRIMARY KEY, sender TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Transfer:
    block: int
    log_index: int
    tx: str
    address: str
    src: str
    dst: str
    value: int


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
    """Everything indexed up to a block: transfers, other events, block times, tx senders."""

    transfers: list[Transfer] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    times: dict[int, int] = field(default_factory=dict)
    senders: dict[str, str] = field(default_factory=dict)

    def extend(self, other: History) -> None:
        self.transfers.extend(other.transfers)
        self.events.extend(other.events)
        self.times.update(other.times)
        self.senders.update(other.senders)

    def upto(self, block: int) -> History:
        return History(
            [t for t in self.transfers if t.block <= block],
            [e for e in self.events if e.block <= block],
            {b: t for b, t in self.times.items() if b <= block},
            dict(self.senders),
        )


@dataclass
class SyncResult:
    from_block: int
    to_block: int
    logs: int
    stats: FetchStats
    reset: str | None = None


def _decode_logs(codec: EventCodec, logs: list[Any]) -> History:
    out = History()
    for log in logs:
        topics = log["topics"]
        block = (
            int(log["blockNumber"], 16)
            if isinstance(log["blockNumber"], str)
            else log["blockNumber"]
        )
        index = log["logIndex"]
        index = int(index, 16) if isinstance(index, str) else index
        tx = hexstr(log["transactionHash"])
        address = log["address"].lower()
        stamp = log.get("blockTimestamp")
        if stamp is not None:
            out.times[block] = int(stamp, 16) if isinstance(stamp, str) else int(stamp)
        if topics and hexstr(topics[0]) == TRANSFER_TOPIC and len(topics) == 3:
            src, dst, value = decode_transfer(topics, log["data"])
            out.transfers.append(Transfer(block, index, tx, address, src, dst, value))
            continue
        decoded = codec.decode(topics, log["data"])
        if decoded is not None:
            out.events.append(Event(block, index, tx, address, decoded[0], decoded[1]))
    return out


def _needs_time(history: History) -> set[int]:
    """Blocks whose time the report shows: journal events and supply changes."""
    blocks = {e.block for e in history.events}
    blocks.update(t.block for t in history.transfers if t.src == ZERO or t.dst == ZERO)
    return blocks


def fetch(
    w3: Any,
    codec: EventCodec,
    addresses: list[str],
    start: int,
    end: int,
    policy: RangePolicy | None = None,
    stats: FetchStats | None = None,
    progress: Callable[[int], None] | None = None,
    get_logs: Callable[[dict], list[Any]] | None = None,
    on_chunk: Callable[[int, History], None] | None = None,
) -> History:
    """Fetches and decodes the logs of `addresses` in [start, end], with block times of the
    journal's blocks and the senders of its transactions."""
    get_logs = get_logs or w3.eth.get_logs
    checksummed = [w3.to_checksum_address(a) for a in addresses]
    total = History()
    for lo, hi, logs in iter_logs(get_logs, checksummed, start, end, policy, stats):
        chunk = _decode_logs(codec, logs)
        for block in _needs_time(chunk) - chunk.times.keys():
            chunk.times[block] = int(w3.eth.get_block(block)["timestamp"])
        for tx in {e.tx for e in chunk.events} - total.senders.keys():
            chunk.senders[tx] = w3.eth.get_transaction(tx)["from"].lower()
        if on_chunk is not None:
            on_chunk(hi, chunk)
        else:
            total.extend(chunk)
        if progress is not None:
            progress(hi - lo + 1)
    return total


class Index:
    """The SQLite index of one chain's audited contracts."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ meta

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def last_block(self) -> int | None:
        value = self.meta("last_block")
        return int(value) if value is not None else None

    def reset(self) -> None:
        """Drops everything indexed."""
        for table in ("meta", "transfers", "events", "blocks", "txs"):
            self.db.execute(f"DELETE FROM {table}")
        self.db.commit()

    # ------------------------------------------------------------ writing

    def _store(self, hi: int, chunk: History, block_hash: str) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO transfers VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (t.block, t.log_index, t.tx, t.address, t.src, t.dst, str(t.value))
                for t in chunk.transfers
            ],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?)",
            [
                (e.block, e.log_index, e.tx, e.address, e.name, json.dumps(e.args))
                for e in chunk.events
            ],
        )
        self.db.executemany("INSERT OR REPLACE INTO blocks VALUES (?, ?)", chunk.times.items())
        self.db.executemany("INSERT OR REPLACE INTO txs VALUES (?, ?)", chunk.senders.items())
        self._set_meta("last_block", str(hi))
        self._set_meta("last_hash", block_hash)
        self.db.commit()

    def sync(
        self,
        w3: Any,
        codec: EventCodec,
        addresses: list[str],
        start: int,
        safe_block: int,
        policy: RangePolicy | None = None,
        progress: Callable[[int], None] | None = None,
        get_logs: Callable[[dict], list[Any]] | None = None,
    ) -> SyncResult:
        """Indexes [max(start, last indexed + 1), safe_block]; resets first when the
        contracts, the chain's genesis or the last indexed block's hash changed."""
        identity = json.dumps(
            {
                "schema": SCHEMA_VERSION,
                "genesis": hexstr(w3.eth.get_block(0)["hash"]),
                "addresses": sorted(a.lower() for a in addresses),
                "start": start,
            }
        )
        reason = None
        if self.meta("identity") not in (None, identity):
            reason = "contracts or chain changed"
        elif self.last_block is not None:
            if self.last_block > w3.eth.block_number:
                reason = f"block {self.last_block} no longer exists"
            elif hexstr(w3.eth.get_block(self.last_block)["hash"]) != self.meta("last_hash"):
                reason = f"block {self.last_block} was reorganised"
        if reason is not None:
            self.reset()
        self._set_meta("identity", identity)
        self.db.commit()

        first = start if self.last_block is None else max(start, self.last_block + 1)
        stats = FetchStats()
        if first > safe_block:
            return SyncResult(first, safe_block, 0, stats, reason)

        def store(hi: int, chunk: History) -> None:
            self._store(hi, chunk, hexstr(w3.eth.get_block(hi)["hash"]))

        fetch(w3, codec, addresses, first, safe_block, policy, stats, progress, get_logs, store)
        return SyncResult(first, safe_block, stats.logs, stats, reason)

    # ------------------------------------------------------------ reading

    def load(self, upto: int | None = None) -> History:
        """Everything indexed up to block `upto` (default: all), in chain order."""
        limit = upto if upto is not None else 2**62
        transfers = [
            Transfer(b, i, tx, a, s, d, int(v))
            for b, i, tx, a, s, d, v in self.db.execute(
                "SELECT * FROM transfers WHERE block <= ? ORDER BY block, log_index", (limit,)
            )
        ]
        events = [
            Event(b, i, tx, a, n, json.loads(args))
            for b, i, tx, a, n, args in self.db.execute(
                "SELECT * FROM events WHERE block <= ? ORDER BY block, log_index", (limit,)
            )
        ]
        times = dict(self.db.execute("SELECT * FROM blocks WHERE number <= ?", (limit,)))
        senders = dict(self.db.execute("SELECT * FROM txs"))
        return History(transfers, events, times, senders)
