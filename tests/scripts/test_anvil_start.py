"""`make anvil-start` says it started only when the node it started answers eth_chainId
with 97, and fails with one line otherwise (the port already taken by something that is
not a node, or by another node)."""

import os
import re
import socket
import subprocess

from somchain.anvil import Anvil, free_port
from tests.utils.paths import ROOT


def _make(*args: str) -> subprocess.CompletedProcess:
    """`make -s ARGS` as a user runs it, not as a sub-make of `make test`."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    return subprocess.run(
        ["make", "-s", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_anvil_start__node_answers__says_started_then_stops(tmp_path):
    port = free_port()
    where = [f"ANVIL_PORT={port}", f"ANVIL_DIR={tmp_path}"]
    try:
        started = _make("anvil-start", *where)
        assert started.returncode == 0, started.stdout + started.stderr
        assert f"on http://127.0.0.1:{port}, chain id 97" in started.stdout
        again = _make("anvil-start", *where)
        assert "anvil already running" in again.stdout
    finally:
        stopped = _make("anvil-stop", *where)
    assert stopped.stdout.strip() == "anvil stopped"


def test_anvil_start__port_taken__one_line_error_and_exit_nonzero(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _make("anvil-start", f"ANVIL_PORT={port}", f"ANVIL_DIR={tmp_path}")
    assert result.returncode != 0
    assert result.stdout == ""
    ours = [line for line in result.stderr.splitlines() if not re.match(r"make(\[\d+\])?:", line)]
    assert ours == [
        f"error: anvil did not answer eth_chainId on http://127.0.0.1:{port} (see {tmp_path}/log)"
    ]
    assert not (tmp_path / "pid").exists()


def test_anvil_start__another_chain_97_node_on_the_port__one_line_error(tmp_path):
    with Anvil(chain_id=97).start() as other:
        port = int(other.url.rsplit(":", 1)[1])
        result = _make("anvil-start", f"ANVIL_PORT={port}", f"ANVIL_DIR={tmp_path}")
    assert result.returncode != 0
    assert result.stdout == ""
    ours = [line for line in result.stderr.splitlines() if not re.match(r"make(\[\d+\])?:", line)]
    assert ours == [
        f"error: another node (chain id 97, not started here) already answers on "
        f"http://127.0.0.1:{port}: stop it or set ANVIL_PORT"
    ]
    assert not (tmp_path / "pid").exists()
