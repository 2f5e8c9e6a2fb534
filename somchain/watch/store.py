"""The watcher's checkpoint, alert log and outbox, in the audit's SQL store (the same
SQLite file or PostgreSQL database, through `somchain.audit.indexer.engine_for`), in
tables of their own beside the index's.

One transaction per processed range writes its alerts, one outbox row per alert and
sink, the rules' state and the new checkpoint: a watcher killed at any point resumes at
the last committed range, with every alert of it either committed and queued or not
yet made. Delivery marks an outbox row only after the sink accepted it (at least once).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Connection

from somchain.audit.indexer import engine_for

metadata = MetaData()
state_table = Table(
    "watch_state",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)
checkpoints = Table(  # each range's last block: its hash, to find where a reorg forked, and
    "watch_checkpoints",  # the rules' state after it, to go back to
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("hash", String(66), nullable=False),
    Column("rules", Text, nullable=False),
)
alerts_table = Table(
    "watch_alerts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("block", Integer, nullable=False, index=True),
    Column("rule", String(64), nullable=False),
    Column("body", Text, nullable=False),
)
outbox = Table(
    "watch_outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", String(64), nullable=False, index=True),
    Column("sink", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try", Float, nullable=False, default=0.0),
    Column("delivered", Integer, nullable=False, default=0, index=True),
    Column("error", Text),
)
KEEP_CHECKPOINTS = 512


@dataclass
class Queued:
    seq: int
    alert_id: str
    sink: str
    body: str
    attempts: int


class Store:
    """The watcher's tables in the database at `location` (a SQLite path or a URL)."""

    def __init__(self, location: str | Path) -> None:
        self.location = str(location)
        self.engine = engine_for(location)
        metadata.create_all(self.engine)
        columns = {c["name"] for c in inspect(self.engine).get_columns(checkpoints.name)}
        if "rules" not in columns:  # a store of an earlier version: its checkpoints go
            checkpoints.drop(self.engine)
            checkpoints.create(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ state

    def get(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            value = conn.execute(select(state_table.c.value).where(state_table.c.key == key))
            found = value.scalar()
        return default if found is None else json.loads(found)

    @staticmethod
    def put(conn: Connection, key: str, value: Any) -> None:
        conn.execute(delete(state_table).where(state_table.c.key == key))
        conn.execute(state_table.insert().values(key=key, value=json.dumps(value)))

    def reset(self) -> None:
        """Forgets the checkpoint and the rules' state (the alert log and outbox stay)."""
        with self.engine.begin() as conn:
            conn.execute(delete(state_table))
            conn.execute(delete(checkpoints))

    # ------------------------------------------------------------ checkpoint

    @property
    def last_block(self) -> int | None:
        return self.get("last_block")

    def queue(self, conn: Connection, alerts: Iterable[dict], sinks: list[str]) -> int:
        """Adds new alerts to the log and the outbox (one row per sink); an alert whose id
        is known already is skipped. Returns the number added."""
        added = 0
        for alert in alerts:
            if self.has_alert(conn, alert["id"]):
                continue
            body = json.dumps(alert, sort_keys=True)
            conn.execute(
                alerts_table.insert().values(
                    id=alert["id"], block=alert.get("block") or 0, rule=alert["rule"], body=body
                )
            )
            for sink in sinks:
                conn.execute(
                    outbox.insert().values(
                        alert_id=alert["id"], sink=sink, body=body, attempts=0, next_try=0.0
                    )
                )
            added += 1
        return added

    def checkpoint(self, conn: Connection, block: int, block_hash: str, rule_state: dict) -> None:
        """The last processed block, its hash (to notice a reorg) and the rules' state."""
        self.put(conn, "rules", rule_state)
        self.put(conn, "last_block", block)
        conn.execute(delete(checkpoints).where(checkpoints.c.number >= block))
        conn.execute(
            checkpoints.insert().values(number=block, hash=block_hash, rules=json.dumps(rule_state))
        )
        conn.execute(delete(checkpoints).where(checkpoints.c.number < block - KEEP_CHECKPOINTS))

    @staticmethod
    def has_alert(conn: Connection, alert_id: str) -> bool:
        query = select(func.count()).select_from(alerts_table).where(alerts_table.c.id == alert_id)
        return bool(conn.execute(query).scalar())

    def checkpoints(self) -> list[tuple[int, str]]:
        """(block, hash) of the kept checkpoints, newest first."""
        with self.engine.connect() as conn:
            query = select(checkpoints.c.number, checkpoints.c.hash)
            rows: Any = conn.execute(query.order_by(checkpoints.c.number.desc()))
            return [(int(n), str(h)) for n, h in rows]

    def rules_at(self, block: int) -> dict:
        """The rules' state saved with the checkpoint at `block` (empty when none is)."""
        with self.engine.connect() as conn:
            query = select(checkpoints.c.rules).where(checkpoints.c.number == block)
            found: Any = conn.execute(query).scalar()
        return json.loads(found) if found else {}

    def alerts_after(self, block: int) -> list[dict]:
        """The alerts made for blocks after `block` (a reorg took them away)."""
        with self.engine.connect() as conn:
            rows: Any = conn.execute(
                select(alerts_table.c.body)
                .where(alerts_table.c.block > block)
                .order_by(alerts_table.c.block)
            )
            return [json.loads(b) for (b,) in rows]

    def rewind(self, conn: Connection, ancestor: int, ids: list[str]) -> None:
        """Forgets the checkpoints after `ancestor` (the caller sets the ancestor's) and the
        alerts `ids` of the blocks a reorg took away (their retractions name them)."""
        if ids:
            conn.execute(delete(alerts_table).where(alerts_table.c.id.in_(ids)))
        conn.execute(delete(checkpoints).where(checkpoints.c.number > ancestor))
        conn.execute(delete(state_table).where(state_table.c.key == "last_block"))

    def alerts(self) -> list[dict]:
        with self.engine.connect() as conn:
            rows: Any = conn.execute(select(alerts_table.c.body).order_by(alerts_table.c.block))
            return [json.loads(b) for (b,) in rows]

    # ------------------------------------------------------------ outbox

    def due(self, now: float | None = None, limit: int = 500) -> list[Queued]:
        now = time.time() if now is None else now
        with self.engine.connect() as conn:
            rows: Any = conn.execute(
                select(
                    outbox.c.seq, outbox.c.alert_id, outbox.c.sink, outbox.c.body, outbox.c.attempts
                )
                .where(outbox.c.delivered == 0, outbox.c.next_try <= now)
                .order_by(outbox.c.seq)
                .limit(limit)
            )
            return [Queued(*row) for row in rows]

    def delivered(self, *seqs: int) -> None:
        """Marks outbox rows delivered, in one transaction."""
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox).where(outbox.c.seq.in_(seqs)).values(delivered=1, error=None)
            )

    def failed(self, seq: int, attempts: int, next_try: float, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.seq == seq)
                .values(attempts=attempts, next_try=next_try, error=error[:500])
            )

    def pending_count(self) -> int:
        with self.engine.connect() as conn:
            query = select(func.count()).select_from(outbox).where(outbox.c.delivered == 0)
            return int(conn.execute(query).scalar() or 0)
