"""The metrics endpoint, scraped and parsed with prometheus_client's own parser."""

from __future__ import annotations

import requests
from prometheus_client.parser import text_string_to_metric_families

from somchain.watch import Metrics
from tests.utils.constants import ALICE, DEPLOYER, ONE
from tests.watch.conftest import sent


def _samples(url: str) -> dict[tuple[str, tuple], float]:
    text = requests.get(url + "/metrics", timeout=5).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_metrics__scraped__match_the_chain(create_watcher, chain, kgst):
    metrics = Metrics()
    server = metrics.serve(port=0)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    assert requests.get(url + "/health", timeout=5).status_code == 503  # nothing processed yet
    watched = create_watcher(metrics=metrics)
    sent(kgst.functions.mint(ALICE, 150_000 * ONE), DEPLOYER)

    watched.step()
    samples = _samples(url)
    health = requests.get(url + "/health", timeout=5)
    server.shutdown()

    token = (("token", "stablecoin"),)
    supply = kgst.functions.totalSupply().call()
    reserve = kgst.functions.attestedReserve().call()
    assert samples[("somchain_watch_token_supply", token)] == supply / ONE
    assert samples[("somchain_watch_attested_reserve", token)] == reserve / ONE
    assert samples[("somchain_watch_coverage_ratio", token)] == reserve / supply
    assert samples[("somchain_watch_last_processed_block", ())] == chain.eth.block_number
    assert samples[("somchain_watch_lag_blocks", ())] == 0
    assert samples[("somchain_watch_frozen_accounts", token)] == 0
    assert samples[("somchain_watch_pending_timelock_operations", ())] == 0
    assert samples[("somchain_watch_alerts_total", (("rule", "large_mint"),))] == 1
    assert samples[("somchain_watch_attestation_age_seconds", token)] >= 0
    assert health.status_code == 200
    assert health.json()["last_processed_block"] == chain.eth.block_number
