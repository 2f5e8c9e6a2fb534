"""Where alerts go: JSON lines on stdout or in a file, a webhook POSTing the alert as JSON
signed with HMAC-SHA256, Slack- and Discord-compatible webhooks, and SMTP email.

Every alert waits in the store's outbox, one row per sink, until that sink accepts it; a
failure is retried with an exponential back-off (`retry_base_seconds` doubled per attempt,
at most `retry_max_seconds`), across restarts. An alert carries a stable `id` (the same
for the same event however often it is sent) for the receiver to drop repeats.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TextIO

import requests

from somchain.watch.config import Delivery, Email, Webhook
from somchain.watch.store import Queued, Store

SIGNATURE_HEADER = "X-Somchain-Signature"
ID_HEADER = "X-Somchain-Alert-Id"


def signature(secret: bytes, body: bytes) -> str:
    """The signature header's value for `body`: `sha256=<hex HMAC-SHA256>`."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(secret: bytes, body: bytes, header: str) -> bool:
    """Whether `header` is the signature of `body` under `secret` (for receivers)."""
    return hmac.compare_digest(signature(secret, body), header)


def text(alert: dict) -> str:
    """One alert as a person reads it in a chat or an email."""
    lines = [f"[{alert.get('severity', 'info').upper()}] {alert['title']}"]
    lines += [f"  {k}: {v}" for k, v in alert.get("details", {}).items()]
    if alert.get("cancel_command"):
        lines.append(f"  cancel with: {alert['cancel_command']}")
    if alert.get("action"):
        lines.append(f"  action taken: {alert['action']}")
    lines.append(f"  block {alert.get('block')}, tx {alert.get('tx')}, id {alert['id']}")
    return "\n".join(lines)


Send = Callable[[dict, str], None]  # (alert, its JSON body) -> raises on failure


Batch = Callable[[list[str]], None]  # JSON bodies, written together -> raises on failure


def _stdout(out: TextIO) -> Batch:
    def send(bodies: list[str]) -> None:
        out.write("".join(body + "\n" for body in bodies))
        out.flush()

    return send


def _file(path: Path) -> Batch:
    path.parent.mkdir(parents=True, exist_ok=True)

    def send(bodies: list[str]) -> None:
        with path.open("a", encoding="utf-8") as f:
            f.write("".join(body + "\n" for body in bodies))
            f.flush()
            os.fsync(f.fileno())

    return send


def _webhook(hook: Webhook, session: requests.Session) -> Send:
    secret = os.environ.get(hook.secret_env, "").encode() if hook.secret_env else b""

    def send(alert: dict, body: str) -> None:
        if hook.format == "slack":
            payload = json.dumps({"text": text(alert)}).encode()
        elif hook.format == "discord":
            payload = json.dumps({"content": text(alert)[:2000]}).encode()
        else:
            payload = body.encode()
        headers = {"Content-Type": "application/json", ID_HEADER: alert["id"]}
        if secret:
            headers[SIGNATURE_HEADER] = signature(secret, payload)
        answer = session.post(hook.url, data=payload, headers=headers, timeout=hook.timeout)
        if answer.status_code >= 300:
            raise RuntimeError(f"{hook.url} answered {answer.status_code}")

    return send


def _email(mail: Email) -> Send:
    def send(alert: dict, _: str) -> None:
        message = EmailMessage()
        message["Subject"] = f"[somchain watch] {alert['title']}"[:200]
        message["From"] = mail.sender
        message["To"] = ", ".join(mail.to)
        message["X-Somchain-Alert-Id"] = alert["id"]
        message.set_content(text(alert))
        with smtplib.SMTP(mail.host, mail.port, timeout=10) as smtp:
            if mail.starttls:
                smtp.starttls()
            if mail.username_env:
                smtp.login(
                    os.environ.get(mail.username_env, ""),
                    os.environ.get(mail.password_env or "", ""),
                )
            smtp.send_message(message)

    return send


def local_sinks(delivery: Delivery, out: TextIO | None = None) -> dict[str, Batch]:
    """The sinks written here (stdout, file): a flush writes all their due alerts at once."""
    found: dict[str, Batch] = {}
    if delivery.stdout:
        found["stdout"] = _stdout(out or sys.stdout)
    if delivery.file is not None:
        found["file"] = _file(delivery.file)
    return found


def remote_sinks(delivery: Delivery) -> dict[str, Send]:
    """The sinks reached over the network (webhook:N, email): one alert per request."""
    found: dict[str, Send] = {}
    session = requests.Session()
    for n, hook in enumerate(delivery.webhooks):
        found[f"webhook:{n}"] = _webhook(hook, session)
    if delivery.email is not None:
        found["email"] = _email(delivery.email)
    return found


class Dispatcher:
    """Sends what the outbox holds to its sinks; counts deliveries and failures."""

    def __init__(
        self,
        store: Store,
        delivery: Delivery,
        out: TextIO | None = None,
        on_result: Callable[[str, bool], Any] | None = None,
    ) -> None:
        self.store = store
        self.delivery = delivery
        self.local = local_sinks(delivery, out)
        self.remote = remote_sinks(delivery)
        self.sinks = [*self.local, *self.remote]
        self.on_result = on_result

    def backoff(self, attempts: int) -> float:
        base, top = self.delivery.retry_base_seconds, self.delivery.retry_max_seconds
        return float(min(top, base * 2 ** (attempts - 1)))

    def _result(self, sink: str, ok: bool, count: int = 1) -> None:
        if self.on_result:
            for _ in range(count):
                self.on_result(sink, ok)

    def _failed(self, row: Queued, exc: Exception) -> None:
        attempts = row.attempts + 1
        self.store.failed(row.seq, attempts, time.time() + self.backoff(attempts), str(exc))

    def flush(self, now: float | None = None) -> tuple[int, int]:
        """Sends every due outbox row once: the local sinks' rows together (one write, one
        transaction marking them), the remote sinks' one by one. Returns (delivered,
        failed)."""
        sent = failed = 0
        due = self.store.due(now)
        for sink, write in self.local.items():
            rows = [r for r in due if r.sink == sink]
            if not rows:
                continue
            try:
                write([r.body for r in rows])
            except Exception as exc:
                for row in rows:
                    self._failed(row, exc)
                failed += len(rows)
                self._result(sink, False, len(rows))
                continue
            self.store.delivered(*(r.seq for r in rows))
            sent += len(rows)
            self._result(sink, True, len(rows))
        for row in due:
            send = self.remote.get(row.sink)
            if send is None:  # a local sink, or one removed from the configuration since
                continue
            try:
                send(json.loads(row.body), row.body)
            except Exception as exc:
                self._failed(row, exc)
                failed += 1
                self._result(row.sink, False)
                continue
            self.store.delivered(row.seq)
            sent += 1
            self._result(row.sink, True)
        return sent, failed
