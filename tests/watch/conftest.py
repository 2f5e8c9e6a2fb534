"""The watcher on the operator scripts' anvil stack (tests/scripts/conftest.py), deployed
once; each test reverts the chain afterwards and keeps its store in its own folder."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from somchain.watch import Store, WatchConfig, Watcher
from tests.audit import conftest as audit
from tests.scripts import conftest as scripts
from tests.utils.chain import advance, manifest_contract, operation_id
from tests.utils.constants import GOVERNANCE_DELAY, TEST_ACCOUNTS
from tests.utils.paths import manifest_in

PAUSER_ACCOUNT = "TEST::5"
PAUSER = TEST_ACCOUNTS[5]

# the operator scripts' stack and its fixtures, shared
anvil = scripts.anvil
w3 = scripts.w3
network = scripts.network
deployments = scripts.deployments
monkeypatch_session = scripts.monkeypatch_session
cli = scripts.cli
stack = scripts.stack
postgres = audit.postgres  # a throwaway PostgreSQL server (skips where none can start)


def sent(call: Any, sender: str) -> Any:
    """Sends a web3 contract call from `sender` and returns its receipt: anvil answers
    eth_sendTransaction before the block holding it is mined."""
    return call.w3.eth.wait_for_transaction_receipt(call.transact({"from": sender}))


@pytest.fixture(scope="session")
def manifest(stack) -> dict:
    return json.loads(manifest_in(stack / "local").read_text())


@pytest.fixture(scope="session")
def kgst(w3, stack):
    """The deployed stablecoin, as a web3 contract."""
    return manifest_contract(w3, stack / "local", "stablecoin", "NationalStablecoin")


@pytest.fixture
def chain(w3, stack):
    """Reverts the chain after the test."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]
    yield w3
    w3.provider.make_request("evm_revert", [snapshot])


@pytest.fixture
def breaker_key(chain, cli, network) -> str:
    """TEST::5, granted PAUSER_ROLE on KGST by the board through the timelock: a key that
    holds that role only."""
    args = ["--network", network, "--account", "TEST::0", "--yes"]
    proposed = cli("stablecoin", "grant-role", "PAUSER_ROLE", PAUSER, *args)
    assert proposed.exit_code == 0, proposed.output
    advance(chain, GOVERNANCE_DELAY + 1)
    done = cli("governance", "execute", operation_id(proposed.output), *args)
    assert done.exit_code == 0, done.output
    return PAUSER


class Watched:
    """A watcher and what it printed (its stdout sink), as parsed alerts."""

    def __init__(self, watcher: Watcher, out: io.StringIO) -> None:
        self.watcher = watcher
        self.out = out

    def step(self) -> Any:
        return self.watcher.step()

    @property
    def alerts(self) -> list[dict]:
        return [json.loads(line) for line in self.out.getvalue().splitlines()]

    def rules(self) -> list[str]:
        return [a["rule"] for a in self.alerts]


@pytest.fixture
def create_watcher(w3, manifest, tmp_path):
    """`create_watcher(config=None, store=None, **options)`: a watcher printing to a
    buffer, its store in the test's folder (or `store`), confirmations 0 by default."""

    def create_watcher(config: dict | None = None, store: Store | None = None, **options):
        data = {"confirmations": 0, **(config or {})}
        out = io.StringIO()
        watcher = Watcher(
            w3,
            manifest,
            WatchConfig.model_validate(data),
            store or Store(tmp_path / "watch.sqlite"),
            out=out,
            **options,
        )
        return Watched(watcher, out)

    return create_watcher
