"""A local anvil node on a free port: for rehearsals on a fork, the audit's dev chain,
the benchmarks and the tests. anvil comes from npm (node_modules/.bin).

With no port given, anvil binds a port the system picks (`--port 0`) and says which on its
"Listening on" line. Picking a free port first and passing it would leave a window between
the pick and anvil's bind (seconds for a fork, which binds after fetching its block) in which
another process, another test's node among them, can take the port: the start would then
fail, or worse find a node of the same chain id answering there and take it for its own."""

from __future__ import annotations

import queue
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import IO

from web3 import HTTPProvider, Web3

ROOT = Path(__file__).resolve().parent.parent


class AnvilError(RuntimeError):
    """anvil is missing, or did not start."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def anvil_binary() -> str:
    found = shutil.which("anvil")
    if found:
        return found
    local = ROOT / "node_modules" / ".bin" / "anvil"
    if local.exists():
        return str(local)
    raise AnvilError("anvil is not on PATH (it comes from npm: make setup)")


class Anvil:
    """An anvil process and a web3 connected to it; a context manager.

    `fork_url` forks that node; `chain_id` sets the chain id; `args` are passed through.
    """

    def __init__(
        self,
        *args: str,
        fork_url: str | None = None,
        chain_id: int | None = None,
        port: int | None = None,
        timeout: float = 120,
    ) -> None:
        self.port = port  # None: anvil binds one the system picks, read when it starts
        self.fork_url = fork_url
        self.chain_id = chain_id
        self.args = args
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self.w3 = self._web3()

    def _web3(self) -> Web3:
        return Web3(HTTPProvider(self.url, request_kwargs={"timeout": 120}))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port or 0}"

    def start(self) -> Anvil:
        picked = self.port is None
        command = [anvil_binary(), "--port", str(self.port or 0), *self.args]
        if not picked:
            command.append("--silent")
        if self.chain_id is not None:
            command += ["--chain-id", str(self.chain_id)]
        if self.fork_url:
            command += ["--fork-url", self.fork_url, "--no-storage-caching"]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE if picked else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + self.timeout
        if picked:
            self.port = self._bound_port(deadline)
            self.w3 = self._web3()
        # Asked with a short timeout, so that a port held by something that never answers
        # cannot keep the start past its deadline.
        probe = Web3(HTTPProvider(self.url, request_kwargs={"timeout": 2}))
        while True:
            self._check_running()
            try:
                chain_id = probe.eth.chain_id
                if self.chain_id is None or chain_id == self.chain_id:
                    return self
            except Exception:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AnvilError(f"{self._awaited()} within {self.timeout:.0f} s")
            time.sleep(0.05)

    def _check_running(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            stderr = self.process.stderr
            message = stderr.read().decode(errors="replace").strip() if stderr else ""
            self.process = None
            raise AnvilError(f"anvil exited: {message or 'no message'}")

    def _bound_port(self, deadline: float) -> int:
        """The port anvil says it listens on; its output is read (and dropped) from then on,
        so that its request log never fills the pipe."""
        assert self.process is not None
        assert self.process.stdout is not None
        found: queue.Queue[int] = queue.Queue()
        threading.Thread(target=_read_port, args=(self.process.stdout, found), daemon=True).start()
        while True:
            try:
                return found.get(timeout=0.05)
            except queue.Empty:
                self._check_running()
                if time.monotonic() > deadline:
                    self.stop()
                    raise AnvilError(
                        f"anvil did not say which port it listens on within {self.timeout:.0f} s"
                    ) from None

    def _awaited(self) -> str:
        """What a start waits for, as its failure names it."""
        what = f"anvil on {self.url}"
        if self.fork_url:
            what += f" (a fork of {self.fork_url})"
        wanted = "eth_chainId" if self.chain_id is None else f"eth_chainId with {self.chain_id}"
        return f"{what} did not answer {wanted}"

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def __enter__(self) -> Anvil:
        return self if self.process is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _read_port(stream: IO[bytes], found: queue.Queue[int]) -> None:
    """Puts the port of anvil's "Listening on 127.0.0.1:PORT" line in `found`, then drains
    `stream` until anvil exits."""
    with stream:
        for line in iter(stream.readline, b""):
            match = re.search(rb"Listening on [^\s:]+:(\d+)", line)
            if match:
                found.put(int(match.group(1)))
                break
        while stream.read(65536):
            pass
