"""Delivery: a signed webhook gets every alert once, a failing one gets them later from
the outbox, Slack/Discord-shaped hooks and email get readable text."""

from __future__ import annotations

import json
import time

import pytest

from somchain.watch.delivery import ID_HEADER, SIGNATURE_HEADER, verify
from tests.utils.constants import ALICE, DEPLOYER, ONE
from tests.watch.conftest import sent
from tests.watch.receivers import Receiver, SmtpSink

SECRET = "receiver-shared-secret"


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


def test_webhook__signed__gets_every_alert_once(create_watcher, chain, receiver, monkeypatch):
    monkeypatch.setenv("WATCH_SECRET", SECRET)
    hook = {"url": receiver.url + "/alerts", "secret_env": "WATCH_SECRET"}
    watched = create_watcher({"delivery": {"webhooks": [hook]}})

    watched.step()
    watched.step()

    got = receiver.at("/alerts")
    ids = [json.loads(body)["id"] for _, body in got]
    assert ids == [a["id"] for a in watched.alerts]
    assert len(set(ids)) == len(ids)
    for headers, body in got:
        assert verify(SECRET.encode(), body, headers[SIGNATURE_HEADER])
        assert headers[ID_HEADER] == json.loads(body)["id"]
    assert not verify(b"another secret", got[0][1], got[0][0][SIGNATURE_HEADER])


def test_webhook__failing__gets_the_alerts_later_from_the_outbox(
    create_watcher, chain, receiver, kgst
):
    receiver.failing = True
    hook = {"url": receiver.url + "/down"}
    watched = create_watcher(
        {"delivery": {"webhooks": [hook], "retry_base_seconds": 0.2, "retry_max_seconds": 0.2}}
    )
    first = watched.step()
    assert first.alerts > 0
    assert first.failed >= first.alerts  # each at least once (retries within the step)
    assert receiver.received == []
    assert watched.watcher.store.pending_count() == first.alerts

    receiver.failing = False
    sent(kgst.functions.mint(ALICE, 200_000 * ONE), DEPLOYER)
    time.sleep(0.25)  # the retry's back-off
    watched.step()

    ids = [json.loads(body)["id"] for _, body in receiver.at("/down")]
    assert sorted(ids) == sorted(a["id"] for a in watched.alerts)
    assert watched.watcher.store.pending_count() == 0
    metrics = watched.watcher.metrics
    assert metrics.failures.labels(sink="webhook:0")._value.get() == first.failed


def test_slack_discord_and_email__get_the_alert_as_text(create_watcher, chain, receiver, kgst):
    smtp = SmtpSink()
    watched = create_watcher(
        {
            "start_block": chain.eth.block_number + 1,
            "delivery": {
                "webhooks": [
                    {"url": receiver.url + "/slack", "format": "slack"},
                    {"url": receiver.url + "/discord", "format": "discord"},
                ],
                "email": {
                    "host": "127.0.0.1",
                    "port": smtp.port,
                    "sender": "watch@nbkr.kg",
                    "to": ["board@nbkr.kg"],
                },
            },
        }
    )
    sent(kgst.functions.mint(ALICE, 150_000 * ONE), DEPLOYER)

    watched.step()
    smtp.close()

    (alert,) = watched.alerts
    (slack,) = receiver.at("/slack")
    (discord,) = receiver.at("/discord")
    assert json.loads(slack[1])["text"].startswith("[WARNING] stablecoin: minted 150,000 KGST")
    assert alert["id"] in json.loads(discord[1])["content"]
    (message,) = smtp.messages
    assert "Subject: [somchain watch] stablecoin: minted 150,000 KGST" in message
    assert f"X-Somchain-Alert-Id: {alert['id']}" in message
