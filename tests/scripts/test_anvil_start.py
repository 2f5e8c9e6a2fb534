"""`make anvil-start` says it started only when the node it started answers eth_chainId
with 97, and fails with one line otherwise (the port already taken by something that is
not a node, or by another node)."""

import os
import re
import socket
import subprocess

from somchain.anvil import Anvil, AnvilError, free_port
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


def test_anvil__no_port_given__each_node_on_the_port_it_bound_and_answering_as_itself():
    """Nodes started at once, as the workers and rehearsals do, each bind a port the system
    picks and are reached there: none can be handed a port another node takes first."""
    with Anvil(chain_id=97).start() as first, Anvil(chain_id=1337).start() as second:
        assert first.port != second.port
        assert 0 not in (first.port, second.port)
        assert (first.w3.eth.chain_id, second.w3.eth.chain_id) == (97, 1337)
    assert first.process is None


def test_anvil__given_port_held_by_what_never_answers__fails_in_time_naming_what_it_awaited():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        node = Anvil(chain_id=97, port=port, timeout=2)
        try:
            node.start()
        except AnvilError as err:
            message = str(err)
        else:
            node.stop()
            raise AssertionError("a start on a port that never answers succeeded")
    assert message in (
        f"anvil on http://127.0.0.1:{port} did not answer eth_chainId with 97 within 2 s",
        f"anvil exited: {message.removeprefix('anvil exited: ')}",
    )
    assert node.process is None
