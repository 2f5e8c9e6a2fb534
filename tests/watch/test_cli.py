"""`ape run watch`: in-process for its output and errors; a real process for SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from somchain.watch import Store
from tests.utils.constants import ALICE, DEPLOYER, ONE
from tests.utils.paths import ROOT, manifest_in
from tests.watch.conftest import PAUSER_ACCOUNT, sent
from tests.watch.receivers import Receiver


@pytest.fixture(scope="session")
def watch(network, stack):
    """Runs `ape run watch --network <anvil> <args>` in-process; returns the click Result."""
    import scripts.watch

    def watch(*args: str):
        return CliRunner(mix_stderr=False).invoke(
            scripts.watch.cli, ["--network", network, *map(str, args)]
        )

    return watch


def test_watch_once__prints_alerts_as_json_lines(watch, chain, kgst, tmp_path):
    first = watch("--once", "--index", tmp_path / "w.sqlite", "--confirmations", 0)
    sent(kgst.functions.mint(ALICE, 150_000 * ONE), DEPLOYER)

    again = watch("--once", "--index", tmp_path / "w.sqlite", "--confirmations", 0)

    assert first.exit_code == 0, first.output
    assert again.exit_code == 0, again.output
    alerts = [json.loads(line) for line in again.stdout.splitlines() if line.startswith("{")]
    assert [a["rule"] for a in alerts] == ["large_mint"]
    assert "processed blocks up to" in again.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("rules: {large_mint: {threshold: -1}}", "rules.large_mint.threshold"),
        ("rules: {no_such_rule: {}}", "rules.no_such_rule"),
        ("confirmations: [", "is not YAML"),
    ],
)
def test_watch__bad_config__one_line_and_exit_2(watch, tmp_path, content, message):
    config = tmp_path / "watch.yaml"
    config.write_text(content)

    result = watch("--once", "--config", config, "--index", tmp_path / "w.sqlite")

    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout.strip() == "" or not result.stdout.strip().startswith("{")


def test_watch__pauser_holding_other_roles__refused_exit_2(watch, tmp_path):
    result = watch("--once", "--pauser", "TEST::0", "--index", tmp_path / "w.sqlite")

    assert result.exit_code == 2
    assert "also holds" in result.stderr


def test_watch__pauser_only_key__pauses_kgst_on_a_burst(watch, chain, kgst, breaker_key, tmp_path):
    config = tmp_path / "watch.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "start_block": chain.eth.block_number + 1,
                "rules": {"mint_velocity": {"threshold": 100_000, "pause": True}},
            }
        )
    )
    for _ in range(2):
        sent(kgst.functions.mint(ALICE, 60_000 * ONE), DEPLOYER)

    result = watch(
        "--once", "--config", config, "--confirmations", 0, "--pauser", PAUSER_ACCOUNT,
        "--index", tmp_path / "w.sqlite",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    (alert,) = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert alert["rule"] == "mint_velocity"
    assert alert["action"].startswith("paused KGST (stablecoin) in tx 0x")
    assert breaker_key in alert["action"]
    assert kgst.functions.paused().call()


@pytest.mark.slow
def test_watch__killed_mid_stream_and_restarted__no_alert_lost_or_sent_twice(
    chain, kgst, stack, network, tmp_path
):
    """A real `ape run watch` is SIGKILLed while delivering to a slow receiver; the next
    run delivers the rest. At most the one alert in flight at the kill is sent twice, with
    the same id (the receiver's cue to drop it)."""
    receiver = Receiver(delay=0.2)
    start = chain.eth.block_number + 1
    for _ in range(15):
        sent(kgst.functions.mint(ALICE, 200_000 * ONE // 100), DEPLOYER)
    config = tmp_path / "watch.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "confirmations": 0,
                "start_block": start,
                "rules": {"large_mint": {"threshold": 1}},
                "delivery": {"stdout": False, "webhooks": [{"url": receiver.url + "/a"}]},
            }
        )
    )
    store = tmp_path / "w.sqlite"
    manifest = manifest_in(stack / "local")
    ape = str(Path(sys.executable).parent / "ape")
    args = [ape, "run", "watch", "--network", network, "--config", str(config)]
    args += ["--index", str(store), "--manifest", str(manifest)]
    process = subprocess.Popen(args, cwd=ROOT, env=dict(os.environ), stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while len(receiver.received) < 5 and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = len(receiver.received)
    assert 5 <= before < 15, process.stderr.read().decode()[-2000:] if process.stderr else ""

    rerun = subprocess.run([*args, "--once"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    receiver.close()

    assert rerun.returncode == 0, rerun.stderr[-2000:]
    ids = [json.loads(body)["id"] for _, _, body in receiver.received]
    expected = [a["id"] for a in Store(store).alerts()]
    assert len(expected) == 15
    assert set(ids) == set(expected)
    assert len(ids) - len(set(ids)) <= 1
