"""The README's local-chain walk-through, extracted from the README itself and run in a
fresh shell (a clean environment: nothing but PATH and HOME), against the anvil that
`make anvil-start` starts."""

import fcntl
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.utils.paths import ROOT

README_PORT = 8597  # `make anvil-start` and the bsc:anvil-testnet network in ape-config.yaml
TURN_WAIT = 900  # seconds: another checkout's walk-through takes a few minutes


def _local_chain_blocks() -> str:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Operate on a local chain", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    assert len(blocks) >= 3, "the section shows its commands in sh blocks"
    return "\n".join(blocks)


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def readme_port():
    """The walk-through's anvil listens on the README's own port, so one walk-through runs at
    a time on this machine (two `make test` side by side, or several checkouts): it waits for
    its turn, then for the port to be free, up to TURN_WAIT seconds each."""
    with open(Path(tempfile.gettempdir()) / f"anvil-{README_PORT}.lock", "w") as lock:
        deadline = time.monotonic() + TURN_WAIT
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another README walk-through kept its turn for {TURN_WAIT} s")
                time.sleep(1)
        deadline = time.monotonic() + TURN_WAIT
        while not _port_free(README_PORT):
            if time.monotonic() > deadline:
                pytest.fail(f"port {README_PORT} (the README's anvil) stayed taken {TURN_WAIT} s")
            time.sleep(1)
        yield


@pytest.fixture
def clean_state(readme_port, tmp_path):
    """The walk-through writes local manifests (deployments/local/) and starts anvil on
    port 8597: both are moved aside and restored."""
    local = ROOT / "deployments" / "local"
    saved = tmp_path / "local"
    if local.exists():
        shutil.move(local, saved)
    yield
    subprocess.run(["make", "anvil-stop"], cwd=ROOT, capture_output=True, check=False)
    shutil.rmtree(ROOT / ".anvil", ignore_errors=True)
    shutil.rmtree(local, ignore_errors=True)
    (ROOT / "proposals" / "pause.json").unlink(missing_ok=True)
    if saved.exists():
        shutil.move(saved, local)


@pytest.mark.slow
def test_readme__local_chain_walk_through__runs_in_a_fresh_shell(clean_state):
    script = "set -euo pipefail\n" + _local_chain_blocks()
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root")}
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "holds no role in any contract" in result.stdout
    assert "propose through the timelock: set tier 0 limits" in result.stdout
    assert "done: execute operation" in result.stdout
    assert "audit passed" in result.stdout
    assert "done: proposal written to proposals/pause.json" in result.stdout
    assert "done: execute through the Safe" in result.stdout
    assert '"cancel_command": "ape run governance cancel 0x' in result.stdout
    assert ": 0 events, 0 alert(s)" in result.stderr  # the watcher's second run
