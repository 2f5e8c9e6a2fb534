"""examples/watch/: the example watch.yaml validates, and the Grafana dashboard asks only
for metrics the watcher exports."""

from __future__ import annotations

import json
import re

from prometheus_client import generate_latest

from somchain.watch import Metrics, load
from tests.utils.paths import ROOT

EXAMPLES = ROOT / "examples" / "watch"


def test_example_config__validates_with_its_breaker_rules():
    config = load(EXAMPLES / "watch.yaml")

    assert config.rules.mint_velocity.pause
    assert config.rules.coverage.pause
    assert config.rules.sanctions.list is not None
    assert (ROOT / config.rules.sanctions.list).is_file()


def test_grafana_dashboard__queries_only_exported_metrics():
    metrics = Metrics()
    metrics.alerts.labels(rule="x").inc()
    metrics.failures.labels(sink="x").inc()
    metrics.deliveries.labels(sink="x").inc()
    for gauge in (metrics.supply, metrics.reserve, metrics.coverage, metrics.attestation_age):
        gauge.labels(token="stablecoin").set(1)
    metrics.frozen.labels(token="stablecoin").set(0)
    exported = set(
        re.findall(r"^(somchain_watch_\w+)", generate_latest(metrics.registry).decode(), re.M)
    )

    dashboard = json.loads((EXAMPLES / "grafana-dashboard.json").read_text())
    asked = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"somchain_watch_\w+", target["expr"])
    }

    assert asked
    assert asked <= exported
