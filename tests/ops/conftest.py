"""A real anvil on chain id 97 (standing in for BNB testnet) for the operator scripts,
with the whole stack deployed once and the chain reverted after each test."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from web3 import Web3

ROOT = Path(__file__).resolve().parents[2]
DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # TEST::0
ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # TEST::1
BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"  # TEST::2
STRANGER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"  # TEST::3
BANK = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"  # TEST::4, a licensed bank on the CBDC


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_anvil(chain_id: int = 97, fork_url: str | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    args = [shutil.which("anvil") or str(ROOT / "node_modules/.bin/anvil"), "--port", str(port)]
    args += ["--chain-id", str(chain_id), "--silent"]
    if fork_url:
        args += ["--fork-url", fork_url]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uri = f"http://127.0.0.1:{port}"
    w3 = Web3(Web3.HTTPProvider(uri))
    for _ in range(200):
        try:
            if w3.eth.chain_id == chain_id:
                break
        except Exception:
            time.sleep(0.05)
    return process, uri


@pytest.fixture(scope="session")
def anvil():
    """URI of an anvil on chain id 97."""
    process, uri = start_anvil()
    yield uri
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def w3(anvil):
    return Web3(Web3.HTTPProvider(anvil))


@pytest.fixture(scope="session")
def network(anvil) -> str:
    return f"bsc:anvil-testnet:{anvil}"


@pytest.fixture(scope="session")
def deployments(tmp_path_factory, monkeypatch_session):
    folder = tmp_path_factory.mktemp("deployments")
    monkeypatch_session.setenv("SOMCHAIN_DEPLOYMENTS", str(folder))
    return folder


@pytest.fixture(scope="session")
def monkeypatch_session():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="session")
def cli():
    """Invokes an operator script's click group in-process; returns the click Result."""
    import scripts.cbdc
    import scripts.deploy
    import scripts.stablecoin

    groups = {
        "deploy": scripts.deploy.cli,
        "stablecoin": scripts.stablecoin.cli,
        "cbdc": scripts.cbdc.cli,
    }
    runner = CliRunner()

    def cli(script: str, *args: str, input: str | None = None):
        return runner.invoke(groups[script], [str(a) for a in args], input=input)

    return cli


@pytest.fixture(scope="session")
def stack(cli, network, deployments, w3, tmp_path_factory):
    """Deploys everything once (TEST::4 a licensed bank), attests a reserve and makes
    TEST::0 a minter."""
    from somchain import settings

    config = tmp_path_factory.mktemp("config") / "deploy-config.yaml"
    config.write_text(
        settings.DEFAULT_PATH.read_text()
        + f'\n"bsc:anvil-testnet":\n  admin_delay: 0\n  roles:\n    banks: ["{BANK}"]\n'
    )
    result = cli(
        "deploy",
        "all",
        "--config",
        str(config),
        "--network",
        network,
        "--account",
        "TEST::0",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    head = w3.eth.get_block("latest").timestamp
    report = "0x" + "ab" * 32
    for args in (
        ["configure-minter", DEPLOYER, "1000000"],
        ["attest-reserve", "500000.00", "--report-hash", report, "--as-of", str(head)],
    ):
        result = cli("stablecoin", *args, "--network", network, "--account", "TEST::0", "--yes")
        assert result.exit_code == 0, result.output
    return deployments


@pytest.fixture
def op(cli, network, stack, w3):
    """Runs `ape run <script> <args> --network <anvil> --account TEST::<n> [--yes]` in-process,
    reverting the chain afterwards."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]

    def op(script: str, *args: str, account: int = 0, yes: bool = True, input: str | None = None):
        extra = ["--network", network, "--account", f"TEST::{account}"]
        return cli(script, *args, *extra, *(["--yes"] if yes else []), input=input)

    yield op
    w3.provider.make_request("evm_revert", [snapshot])
