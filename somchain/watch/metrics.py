"""The watcher's Prometheus metrics (prometheus_client) and its HTTP endpoint: `/metrics`
in Prometheus' text format, `/health` as JSON (503 when the watcher lags more than
`max_lag_seconds` behind the chain or has not processed a block yet)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

PREFIX = "somchain_watch"


class Metrics:
    def __init__(self, max_lag_seconds: int = 120) -> None:
        self.registry = CollectorRegistry()
        self.max_lag_seconds = max_lag_seconds
        r = self.registry

        def gauge(name: str, doc: str, labels: tuple[str, ...] = ()) -> Gauge:
            return Gauge(f"{PREFIX}_{name}", doc, labels, registry=r)

        self.supply = gauge("token_supply", "Total supply, in token units.", ("token",))
        self.reserve = gauge("attested_reserve", "Attested reserve, in token units.", ("token",))
        self.coverage = gauge("coverage_ratio", "Attested reserve over supply.", ("token",))
        self.attestation_age = gauge(
            "attestation_age_seconds", "Age of the last attestation.", ("token",)
        )
        self.pending_ops = gauge("pending_timelock_operations", "Scheduled, not yet executed.")
        self.frozen = gauge("frozen_accounts", "Accounts frozen.", ("token",))
        self.last_block = gauge("last_processed_block", "Last block processed.")
        self.lag_blocks = gauge("lag_blocks", "Blocks between the head and the last processed.")
        self.lag_seconds = gauge("lag_seconds", "Seconds since the last processed block's time.")
        self.outbox = gauge("outbox_pending", "Alert deliveries waiting in the outbox.")
        self.alerts = Counter(f"{PREFIX}_alerts", "Alerts raised, by rule.", ("rule",), registry=r)
        self.deliveries = Counter(
            f"{PREFIX}_deliveries", "Alerts delivered, by sink.", ("sink",), registry=r
        )
        self.failures = Counter(
            f"{PREFIX}_delivery_failures",
            "Failed delivery attempts, by sink.",
            ("sink",),
            registry=r,
        )
        self.processed_at: float | None = None
        self.block_time: int | None = None

    def delivery(self, sink: str, ok: bool) -> None:
        (self.deliveries if ok else self.failures).labels(sink=sink).inc()

    def health(self) -> tuple[bool, dict[str, Any]]:
        lag = None if self.block_time is None else max(0, int(time.time()) - self.block_time)
        body: dict[str, Any] = {
            "last_processed_block": int(self.last_block._value.get())
            if self.processed_at
            else None,
            "lag_blocks": int(self.lag_blocks._value.get()),
            "lag_seconds": lag,
            "outbox_pending": int(self.outbox._value.get()),
        }
        ok = self.processed_at is not None and (lag is None or lag <= self.max_lag_seconds)
        body["status"] = "ok" if ok else "lagging" if self.processed_at else "starting"
        return ok, body

    def serve(self, host: str = "127.0.0.1", port: int = 9464) -> ThreadingHTTPServer:
        """Starts the endpoint in a daemon thread; returns the server (port 0: any free)."""
        metrics = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                if self.path.startswith("/metrics"):
                    status, kind, body = 200, CONTENT_TYPE_LATEST, generate_latest(metrics.registry)
                elif self.path.startswith("/health"):
                    ok, data = metrics.health()
                    status, kind, body = (
                        200 if ok else 503,
                        "application/json",
                        json.dumps(data).encode(),
                    )
                else:
                    status, kind, body = 404, "text/plain", b"not found: /metrics, /health\n"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
