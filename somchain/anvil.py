"""A local anvil node on a free port: for rehearsals on a fork, the audit's dev chain,
the benchmarks and the tests. anvil comes from npm (node_modules/.bin)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

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
        self.port = port or free_port()
        self.fork_url = fork_url
        self.chain_id = chain_id
        self.args = args
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self.w3 = Web3(HTTPProvider(self.url, request_kwargs={"timeout": 120}))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Anvil:
        command = [anvil_binary(), "--port", str(self.port), "--silent", *self.args]
        if self.chain_id is not None:
            command += ["--chain-id", str(self.chain_id)]
        if self.fork_url:
            command += ["--fork-url", self.fork_url, "--no-storage-caching"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + self.timeout
        while True:
            if self.process.poll() is not None:
                stderr = self.process.stderr
                message = stderr.read().decode(errors="replace").strip() if stderr else ""
                raise AnvilError(f"anvil exited: {message or 'no message'}")
            try:
                chain_id = self.w3.eth.chain_id
                if self.chain_id is None or chain_id == self.chain_id:
                    return self
            except Exception:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AnvilError(f"{self._awaited()} within {self.timeout:.0f} s")
            time.sleep(0.05)

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
