"""The event index: every log of the audited contracts in one database per chain, with the
token balances kept up to date as ranges are indexed.

The database is reached through SQLAlchemy Core, so one code path serves SQLite (a file,
the default) and PostgreSQL (`postgresql://...`). Amounts are uint256 and must sum
exactly: PostgreSQL stores them as NUMERIC(78, 0) and sums them natively; SQLite stores
them as decimal TEXT and sums them with `exact_sum`, an aggregate registered on each
connection that adds Python integers (SQLite's own SUM stops at 2**63).

Indexing is incremental (a run fetches only blocks after the last indexed one) and
reorg-safe: only blocks at least `confirmations` deep are written; newer blocks are
applied inside the audit's transaction and rolled back. The hash of the last indexed block
is kept, and if the chain no longer has it (a reorg deeper than the confirmations, or
another chain at the same id, such as a restarted dev node) the index is dropped and
rebuilt. Each range is written in one transaction: its transfers and events, the block
times and senders the journal needs, and the new balances of the accounts it touched, so
the audit never replays the history.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    case,
    create_engine,
    delete,
    event,
    func,
    literal_column,
    select,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from somchain.audit.abi import SUPPLY_EVENTS, TRANSFER_TOPIC, ZERO, EventCodec, hexstr, supply_move
from somchain.audit.logs import FetchStats, RangePolicy, iter_logs

SCHEMA_VERSION = "2"
CHUNK = 500  # accounts per IN (...) list

# ---------------------------------------------------------------- schema

Amount = Numeric(78, 0).with_variant(Text(), "sqlite")
Address = String(42)
Hash = String(66)

metadata = MetaData()
meta_table = Table(
    "meta", metadata, Column("key", String(100), primary_key=True), Column("value", Text)
)
transfers = Table(
    "transfers",
    metadata,
    Column("block", Integer, primary_key=True, autoincrement=False),
    Column("log_index", Integer, primary_key=True, autoincrement=False),
    Column("tx", Hash, nullable=False),
    Column("address", Address, nullable=False),
    Column("src", Address, nullable=False),
    Column("dst", Address, nullable=False),
    Column("value", Amount, nullable=False),
)
events = Table(
    "events",
    metadata,
    Column("block", Integer, primary_key=True, autoincrement=False),
    Column("log_index", Integer, primary_key=True, autoincrement=False),
    Column("tx", Hash, nullable=False),
    Column("address", Address, nullable=False),
    Column("name", String(64), nullable=False),
    Column("args", Text, nullable=False),
    # the Transfer a supply event (Mint, Burn, Issued, Redeemed, Seized) must come with
    Column("src", Address),
    Column("dst", Address),
    Column("amount", Amount),
)
blocks = Table(
    "blocks",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("timestamp", Integer, nullable=False),
)
txs = Table(
    "txs",
    metadata,
    Column("hash", Hash, primary_key=True),
    Column("sender", Address, nullable=False),
)
balances = Table(
    "balances",
    metadata,
    Column("token", Address, primary_key=True),
    Column("holder", Address, primary_key=True),
    Column("balance", Amount, nullable=False),
    Column("sign", Integer, nullable=False),  # -1, 0, 1: holders and negatives without casts
    Column("changed_block", Integer, nullable=False),
)
totals = Table(
    "totals",
    metadata,
    Column("token", Address, primary_key=True),
    Column("minted", Amount, nullable=False),
    Column("burned", Amount, nullable=False),
    Column("transfers", Integer, nullable=False),
)
supply = Table(  # supply after each block that minted or burned
    "supply",
    metadata,
    Column("token", Address, primary_key=True),
    Column("block", Integer, primary_key=True, autoincrement=False),
    Column("supply", Amount, nullable=False),
)
TABLES = (meta_table, transfers, events, blocks, txs, balances, totals, supply)
DATA_TABLES = TABLES[1:]


class exact_sum(FunctionElement):  # noqa: N801 - an SQL function's name
    """SUM that is exact for uint256 amounts on every engine."""

    inherit_cache = True


@compiles(exact_sum)
def _exact_sum_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"sum({compiler.process(element.clauses, **kw)})"


@compiles(exact_sum, "sqlite")
def _exact_sum_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"exact_sum({compiler.process(element.clauses, **kw)})"


class _ExactSum:
    """SQLite aggregate: the sum of decimal TEXT or INTEGER values as decimal TEXT."""

    def __init__(self) -> None:
        self.total = 0

    def step(self, value: Any) -> None:
        if value is not None:
            self.total += int(value)

    def finalize(self) -> str:
        return str(self.total)


def amount(value: Any) -> int:
    """An amount read back from either engine (Decimal, str or int) as an int."""
    return int(value) if value is not None else 0


def engine_for(location: str | Path) -> Engine:
    """An engine for a SQLite file path or a database URL (postgresql://... uses psycopg 3)."""
    url = str(location)
    if "://" not in url:
        Path(url).parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{url}"
    elif url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _: Any) -> None:
            dbapi_conn.create_aggregate("exact_sum", 1, _ExactSum)
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            dbapi_conn.execute("PRAGMA synchronous=NORMAL")

    return engine


# ---------------------------------------------------------------- decoded logs


@dataclass
class Chunk:
    """One range's decoded logs, as rows ready for the tables."""

    transfers: list[tuple] = field(default_factory=list)  # block, index, tx, address, src, dst, v
    events: list[tuple] = field(default_factory=list)  # block, index, tx, address, name, args...
    times: dict[int, int] = field(default_factory=dict)
    senders: dict[str, str] = field(default_factory=dict)


def _int(value: Any) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)


def decode_logs(codec: EventCodec, logs: list[Any]) -> Chunk:
    """Transfers by hand (slices of the hex topics and data), other events with the ABIs.
    Works on raw JSON-RPC logs (hex strings) and on web3-formatted ones."""
    out = Chunk()
    add_transfer = out.transfers.append
    for log in logs:
        topics = log["topics"]
        t0 = topics[0] if topics else None
        if not isinstance(t0, str) and t0 is not None:
            t0 = hexstr(t0)
        block = _int(log["blockNumber"])
        stamp = log.get("blockTimestamp")
        if stamp is not None:
            out.times[block] = _int(stamp)
        if t0 == TRANSFER_TOPIC and len(topics) == 3:
            t1, t2, data = topics[1], topics[2], log["data"]
            if not isinstance(t1, str):
                t1, t2, data = hexstr(t1), hexstr(t2), hexstr(data)
            add_transfer(
                (
                    block,
                    _int(log["logIndex"]),
                    log["transactionHash"]
                    if isinstance(log["transactionHash"], str)
                    else hexstr(log["transactionHash"]),
                    log["address"].lower(),
                    "0x" + t1[-40:],
                    "0x" + t2[-40:],
                    str(int(data, 16)) if len(data) > 2 else "0",
                )
            )
            continue
        decoded = codec.decode(topics, log["data"])
        if decoded is None:
            continue
        name, args = decoded
        src = dst = value = None
        if name in SUPPLY_EVENTS:
            src, dst, moved = supply_move(name, args)
            value = str(moved)
        out.events.append(
            (
                block,
                _int(log["logIndex"]),
                hexstr(log["transactionHash"]),
                log["address"].lower(),
                name,
                json.dumps(args),
                src,
                dst,
                value,
            )
        )
    return out


@dataclass
class BalanceCache:
    """Balances of the accounts a sync has touched (memory grows with holders, never with
    transfers). `complete` when the index held no balances at the start: an account not
    in `values` then has none stored, and nothing needs to be looked up or replaced."""

    values: dict[tuple[str, str], int] = field(default_factory=dict)
    stored: set[tuple[str, str]] = field(default_factory=set)
    complete: bool = False


@dataclass
class Pending:
    """Balance, totals and supply changes of the ranges not yet flushed."""

    deltas: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    last: dict[tuple[str, str], int] = field(default_factory=dict)
    moved: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    supply_moves: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    logs: int = 0

    def add(self, chunk: Chunk) -> None:
        deltas, last, moved, supply_moves = self.deltas, self.last, self.moved, self.supply_moves
        self.logs += len(chunk.transfers) + len(chunk.events)
        for block, _, _, token, src, dst, value in chunk.transfers:
            v = int(value)
            m = moved[token]
            m[2] += 1
            if src == ZERO:
                m[0] += v
                supply_moves[(token, block)] += v
            else:
                deltas[(token, src)] -= v
                last[(token, src)] = block
            if dst == ZERO:
                m[1] += v
                supply_moves[(token, block)] -= v
            else:
                deltas[(token, dst)] += v
                last[(token, dst)] = block


# ---------------------------------------------------------------- JSON-RPC


class RpcError(Exception):
    """A JSON-RPC error answer; args[0] is the error object (code, message)."""


def _is_http(w3: Any) -> bool:
    return hasattr(w3.provider, "endpoint_uri") and hasattr(w3.provider, "make_batch_request")


def raw_get_logs(w3: Any) -> Callable[[dict], Iterable[Any]]:
    """eth_getLogs without web3's result formatters (raw hex strings) on an HTTP node, its
    answer parsed as it arrives (a stream of logs: the whole answer of a node that does not
    cap `eth_getLogs` is never held); web3's get_logs elsewhere (the embedded test chain)."""
    if not _is_http(w3):
        return w3.eth.get_logs
    import requests

    session = requests.Session()
    uri = w3.provider.endpoint_uri
    kwargs = dict(w3.provider.get_request_kwargs())
    headers = {"Content-Type": "application/json", **dict(kwargs.pop("headers", {}) or {})}

    def get_logs(params: dict) -> Iterable[Any]:
        query = {
            "address": params["address"],
            "fromBlock": hex(params["fromBlock"]),
            "toBlock": hex(params["toBlock"]),
        }
        body = {"jsonrpc": "2.0", "id": 1, "method": "eth_getLogs", "params": [query]}
        response = session.post(uri, data=json.dumps(body), headers=headers, stream=True, **kwargs)
        response.raise_for_status()
        response.raw.decode_content = True
        head = response.raw.read(_HEAD)
        if b'"result"' not in head:  # an error, or a tiny answer: read it whole
            answer = json.loads(head + response.raw.read())
            response.close()
            if "error" in answer:
                raise RpcError(answer["error"])
            return answer["result"]
        return _streamed_logs(head, response)

    return get_logs


_HEAD = 4_096  # bytes read before deciding: a JSON-RPC answer names `result` or `error` first


def _streamed_logs(head: bytes, response: Any) -> Iterator[Any]:
    """The logs of an eth_getLogs answer, parsed from the HTTP stream one by one."""
    import io

    import ijson

    class Joined(io.RawIOBase):
        def __init__(self) -> None:
            self.pending = head

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            data = self.pending or response.raw.read(len(buffer))
            self.pending = self.pending[len(buffer) :] if self.pending else b""
            data = data[: len(buffer)]
            buffer[: len(data)] = data
            return len(data)

    try:
        yield from ijson.items(io.BufferedReader(Joined(), 1 << 16), "result.item")
    finally:
        response.close()


def rpc_many(w3: Any, method: str, params: list[list[Any]], batch: int = 500) -> list[Any]:
    """Results of `method` for each params list, in JSON-RPC batches on an HTTP node."""
    if not params:
        return []
    if _is_http(w3):
        out = []
        for i in range(0, len(params), batch):
            answers = w3.provider.make_batch_request([(method, p) for p in params[i : i + batch]])
            for a in answers:
                if "error" in a:
                    raise RpcError(a["error"])
                out.append(a["result"])
        return out
    calls: dict[str, Callable[..., Any]] = {
        "eth_getBlockByNumber": lambda n, full: w3.eth.get_block(_int(n), full),
        "eth_getTransactionByHash": lambda h: w3.eth.get_transaction(h),
    }
    call = calls[method]
    return [call(*p) for p in params]


def _block_times(w3: Any, numbers: set[int]) -> dict[int, int]:
    found = rpc_many(w3, "eth_getBlockByNumber", [[hex(n), False] for n in sorted(numbers)])
    return {n: _int(b["timestamp"]) for n, b in zip(sorted(numbers), found, strict=True)}


def _senders(w3: Any, hashes: set[str]) -> dict[str, str]:
    found = rpc_many(w3, "eth_getTransactionByHash", [[h] for h in sorted(hashes)])
    return {h: t["from"].lower() for h, t in zip(sorted(hashes), found, strict=True)}


def _block_hash(w3: Any, number: int) -> str:
    return hexstr(rpc_many(w3, "eth_getBlockByNumber", [[hex(number), False]])[0]["hash"])


# ---------------------------------------------------------------- the index


@dataclass
class SyncResult:
    from_block: int
    to_block: int
    logs: int
    stats: FetchStats
    reset: str | None = None


class Index:
    """The index of one chain's audited contracts, in SQLite or PostgreSQL."""

    def __init__(self, location: str | Path, commit_logs: int = 100_000) -> None:
        """`commit_logs`: logs written per transaction (whole ranges; at least one)."""
        self.location = str(location)
        self.commit_logs = commit_logs
        self.engine = engine_for(location)
        metadata.create_all(self.engine)
        self._qmark = self.engine.dialect.paramstyle == "qmark"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ meta

    def meta(self, key: str, conn: Connection | None = None) -> str | None:
        query = select(meta_table.c.value).where(meta_table.c.key == key)
        if conn is not None:
            return conn.execute(query).scalar()
        with self.engine.connect() as c:
            return c.execute(query).scalar()

    def _set_meta(self, conn: Connection, key: str, value: str) -> None:
        conn.execute(delete(meta_table).where(meta_table.c.key == key))
        conn.execute(meta_table.insert().values(key=key, value=value))

    @property
    def last_block(self) -> int | None:
        value = self.meta("last_block")
        return int(value) if value is not None else None

    def reset(self) -> None:
        """Drops everything indexed."""
        with self.engine.begin() as conn:
            for table in TABLES:
                conn.execute(delete(table))

    def count(self, table: Table) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(select(func.count()).select_from(table)).scalar()
            assert value is not None  # COUNT(*) always returns one row
            return value

    def dump(self) -> dict[str, list[tuple]]:
        """Every data table's rows, sorted (for comparing two indexes in tests)."""
        with self.engine.connect() as conn:
            return {
                t.name: sorted(
                    tuple(str(v) if v is not None else None for v in row)
                    for row in conn.execute(select(t))
                )
                for t in DATA_TABLES
            }

    # ------------------------------------------------------------ writing

    def _insert(self, conn: Connection, table: Table, rows: list[tuple]) -> None:
        """One executemany of plain tuples, straight to the driver."""
        if not rows:
            return
        if self.engine.dialect.name == "postgresql":  # COPY: the driver's bulk path
            self._copy(conn, table.name, [c.name for c in table.columns], rows)
            return
        mark = "?" if self._qmark else "%s"
        columns = ", ".join(c.name for c in table.columns)
        marks = ", ".join([mark] * len(table.columns))
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", rows)

    @staticmethod
    def _copy(conn: Connection, table: str, columns: list[str], rows: list[tuple]) -> None:
        """PostgreSQL's COPY FROM STDIN, row by row through psycopg's adapters (faster here
        than building the text format in Python)."""
        raw = conn.connection.driver_connection
        assert raw is not None  # a checked-out connection always has its DBAPI one
        with (
            raw.cursor() as cur,
            cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def _upsert(self, conn: Connection, table: Table, keys: tuple[str, ...], rows: list[tuple]):
        """Rows (unique keys) replacing those with the same primary key with `INSERT ... ON
        CONFLICT DO UPDATE`, which goes through the key's index whatever the planner's
        statistics say: one executemany on SQLite, one merge from a staging table on
        PostgreSQL."""
        if not rows:
            return
        columns = [c.name for c in table.columns]
        names = ", ".join(columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
        conflict = f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
        if self.engine.dialect.name == "postgresql":
            # COPY into a session-local staging table, then one set-based merge: half the
            # time of a pipelined executemany on the hundred thousand balances of a flush.
            stage = f"stage_{table.name}"
            conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {table.name})")
            self._copy(conn, stage, columns, rows)
            conn.exec_driver_sql(
                f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {stage} {conflict}"
            )
            conn.exec_driver_sql(f"DELETE FROM {stage}")
            return
        mark = "?" if self._qmark else "%s"
        conn.exec_driver_sql(
            f"INSERT INTO {table.name} ({names}) "
            f"VALUES ({', '.join([mark] * len(columns))}) {conflict}",
            rows,
        )

    def _current(self, conn: Connection, cache: BalanceCache, keys: set[tuple[str, str]]):
        """Loads into `cache` the stored balances of `keys` it does not hold yet."""
        missing: dict[str, list[str]] = defaultdict(list)
        for token, holder in keys:
            if (token, holder) not in cache.values:
                if cache.complete:
                    cache.values[(token, holder)] = 0
                else:
                    missing[token].append(holder)
        for token, holders in missing.items():
            for i in range(0, len(holders), CHUNK):
                part = holders[i : i + CHUNK]
                query = select(balances.c.holder, balances.c.balance).where(
                    balances.c.token == token, balances.c.holder.in_(part)
                )
                found = {h: amount(b) for h, b in conn.execute(query)}
                for h in part:
                    cache.values[(token, h)] = found.get(h, 0)
                    if h in found:
                        cache.stored.add((token, h))

    def apply(self, conn: Connection, chunk: Chunk, cache: BalanceCache | None = None) -> None:
        """Writes a decoded range and moves the balances, totals and supply series on."""
        pending = Pending()
        self._write_rows(conn, chunk, pending)
        self._flush(conn, pending, BalanceCache() if cache is None else cache)

    def _write_rows(self, conn: Connection, chunk: Chunk, pending: Pending) -> None:
        """Writes a range's rows and adds its balance changes to `pending`."""
        self._insert(conn, transfers, chunk.transfers)
        self._insert(conn, events, chunk.events)
        self._upsert(conn, blocks, ("number",), sorted(chunk.times.items()))
        self._upsert(conn, txs, ("hash",), sorted(chunk.senders.items()))
        pending.add(chunk)

    def _flush(self, conn: Connection, pending: Pending, cache: BalanceCache) -> None:
        """Writes the balances, totals and supply series after `pending`'s changes: each
        account touched once, however many transfers moved it."""
        if not pending.moved:
            return
        self._current(conn, cache, set(pending.deltas))
        replaced: list[tuple] = []
        added: list[tuple] = []
        for key, delta in pending.deltas.items():
            new = cache.values[key] + delta
            cache.values[key] = new
            row = (key[0], key[1], str(new), (new > 0) - (new < 0), pending.last[key])
            (replaced if key in cache.stored else added).append(row)
            cache.stored.add(key)
        self._upsert(conn, balances, ("token", "holder"), replaced)
        self._insert(conn, balances, added)

        moved = pending.moved
        stored: dict[str, tuple[int, int, int]] = {
            t: (amount(a), amount(b), n)
            for t, a, b, n in cast(
                "Iterable[tuple[str, Any, Any, int]]",
                conn.execute(select(totals).where(totals.c.token.in_(list(moved)))),
            )
        }
        total_rows = []
        for token, (minted, burned, count) in moved.items():
            a, b, n = stored.get(token, (0, 0, 0))
            total_rows.append((token, str(a + minted), str(b + burned), n + count))
        self._upsert(conn, totals, ("token",), total_rows)

        if pending.supply_moves:
            series = []
            for token in sorted({t for t, _ in pending.supply_moves}):
                current = conn.execute(
                    select(supply.c.supply)
                    .where(supply.c.token == token)
                    .order_by(supply.c.block.desc())
                    .limit(1)
                ).scalar()
                running = amount(current)
                for (t, block), change in sorted(pending.supply_moves.items()):
                    if t == token:
                        running += change
                        series.append((token, block, str(running)))
            self._upsert(conn, supply, ("token", "block"), series)

    def rebuild_state(self, conn: Connection, upto: int | None = None) -> None:
        """Recomputes balances, totals and the supply series from the stored transfers
        (those up to `upto`), in SQL: used to audit an earlier block than the index's last
        and to re-derive the state on request (`rebuild=True`)."""
        if upto is not None:
            for table in (transfers, events, blocks):
                column = table.c.number if table is blocks else table.c.block
                conn.execute(delete(table).where(column > upto))
        for table in (balances, totals, supply):
            conn.execute(delete(table))
        t = transfers.c
        credits = select(
            t.address.label("token"),
            t.dst.label("holder"),
            t.value.label("credit"),
            literal_column("0").label("debit"),
            t.block.label("block"),
        ).where(t.dst != ZERO)
        debits = select(t.address, t.src, literal_column("0"), t.value, t.block).where(
            t.src != ZERO
        )
        moves = credits.union_all(debits).subquery()
        query = select(
            moves.c.token,
            moves.c.holder,
            exact_sum(moves.c.credit),
            exact_sum(moves.c.debit),
            func.max(moves.c.block),
        ).group_by(moves.c.token, moves.c.holder)
        rows = []
        for token, holder, credit, debit, block in conn.execute(query):
            new = amount(credit) - amount(debit)
            rows.append((token, holder, str(new), (new > 0) - (new < 0), block))
            if len(rows) >= 10_000:
                self._insert(conn, balances, rows)
                rows = []
        self._insert(conn, balances, rows)

        minted = case((t.src == ZERO, t.value), else_=literal_column("0"))
        burned = case((t.dst == ZERO, t.value), else_=literal_column("0"))
        query = select(t.address, exact_sum(minted), exact_sum(burned), func.count()).group_by(
            t.address
        )
        self._insert(
            conn,
            totals,
            [(a, str(amount(m)), str(amount(b)), n) for a, m, b, n in conn.execute(query)],
        )
        query = (
            select(t.address, t.block, exact_sum(minted), exact_sum(burned))
            .where((t.src == ZERO) | (t.dst == ZERO))
            .group_by(t.address, t.block)
            .order_by(t.address, t.block)
        )
        series, running, token_seen = [], 0, None
        for token, block, m, b in conn.execute(query):
            if token != token_seen:
                running, token_seen = 0, token
            running += amount(m) - amount(b)
            series.append((token, block, str(running)))
        self._insert(conn, supply, series)

    def _fetch_into(
        self,
        conn_for: Callable[[], Any],
        w3: Any,
        codec: EventCodec,
        addresses: list[str],
        start: int,
        end: int,
        policy: RangePolicy | None,
        stats: FetchStats,
        progress: Callable[[int, int], None] | None,
        get_logs: Callable[[dict], Iterable[Any]] | None,
        commit: bool,
    ) -> None:
        get_logs = get_logs or raw_get_logs(w3)
        checksummed = [w3.to_checksum_address(a) for a in addresses]
        with conn_for() as conn:
            empty = conn.execute(select(func.count()).select_from(balances)).scalar() == 0
            if commit:
                conn.rollback()  # each range then runs in its own transaction
            cache = BalanceCache(complete=empty)
            pending, trans = Pending(), None
            try:
                for lo, hi, logs in iter_logs(get_logs, checksummed, start, end, policy, stats):
                    chunk = decode_logs(codec, logs)
                    needed = {e[0] for e in chunk.events}
                    needed |= {t[0] for t in chunk.transfers if t[4] == ZERO or t[5] == ZERO}
                    missing_times = needed - chunk.times.keys()
                    if missing_times:
                        chunk.times |= _block_times(w3, missing_times)
                    chunk.times = {b: s for b, s in chunk.times.items() if b in needed}
                    chunk.senders = _senders(w3, {e[2] for e in chunk.events})
                    if commit and trans is None:
                        trans = conn.begin()
                    self._write_rows(conn, chunk, pending)
                    if hi == end or pending.logs >= self.commit_logs:
                        self._flush(conn, pending, cache)
                        pending = Pending()
                        if commit:
                            self._set_meta(conn, "last_block", str(hi))
                            self._set_meta(conn, "last_hash", _block_hash(w3, hi))
                            assert trans is not None  # begun above whenever commit
                            trans.commit()
                            trans = None
                    if progress is not None:
                        progress(hi - lo + 1, len(logs))
            except BaseException:
                if trans is not None:
                    trans.rollback()
                raise

    def sync(
        self,
        w3: Any,
        codec: EventCodec,
        addresses: list[str],
        start: int,
        safe_block: int,
        policy: RangePolicy | None = None,
        progress: Callable[[int, int], None] | None = None,
        get_logs: Callable[[dict], Iterable[Any]] | None = None,
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
        last = self.last_block
        if self.meta("identity") not in (None, identity):
            reason = "contracts or chain changed"
        elif last is not None:
            if last > w3.eth.block_number:
                reason = f"block {last} no longer exists"
            elif hexstr(w3.eth.get_block(last)["hash"]) != self.meta("last_hash"):
                reason = f"block {last} was reorganised"
        if reason is not None:
            self.reset()
        with self.engine.begin() as conn:
            self._set_meta(conn, "identity", identity)

        last = self.last_block
        first = start if last is None else max(start, last + 1)
        stats = FetchStats()
        if first <= safe_block:
            self._fetch_into(
                self.engine.connect,
                w3,
                codec,
                addresses,
                first,
                safe_block,
                policy,
                stats,
                progress,
                get_logs,
                commit=True,
            )
        if self.engine.dialect.name == "postgresql" and (last is None or stats.logs > 100_000):
            # fresh statistics, so lookups by key use the indexes (SQLite plans by schema)
            with self.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        return SyncResult(first, safe_block, stats.logs, stats, reason)

    @contextmanager
    def snapshot(
        self,
        w3: Any,
        codec: EventCodec,
        addresses: list[str],
        block: int,
        start: int = 0,
        rebuild_state: bool = False,
        policy: RangePolicy | None = None,
        get_logs: Callable[[dict], Iterable[Any]] | None = None,
    ) -> Iterator[Connection]:
        """A connection seeing the index as of `block`: blocks newer than the index are
        fetched and applied, an earlier block has its state rebuilt from the transfers;
        everything done here is rolled back on exit."""
        last = self.last_block
        last = start - 1 if last is None else last
        with self.engine.connect() as conn:
            trans = conn.begin()
            try:
                if block > last:
                    self._fetch_into(
                        lambda: _Borrowed(conn),
                        w3,
                        codec,
                        addresses,
                        max(start, last + 1),
                        block,
                        policy,
                        FetchStats(),
                        None,
                        get_logs,
                        commit=False,
                    )
                if block < last or rebuild_state:
                    self.rebuild_state(conn, upto=block if block < last else None)
                yield conn
            finally:
                trans.rollback()


class _Borrowed:
    """A connection lent to a `with` block without closing it afterwards."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __enter__(self) -> Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        pass
