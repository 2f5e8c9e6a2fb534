"""A real anvil on chain id 97 (standing in for BNB testnet) for the operator scripts,
with the whole stack deployed once and the chain reverted after each test."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from web3 import Web3

from somchain.reserve import NATIVE

ROOT = Path(__file__).resolve().parents[2]
DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # TEST::0
ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # TEST::1
BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"  # TEST::2
STRANGER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"  # TEST::3
BANK = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"  # TEST::4, a licensed bank on the CBDC
ONE = 10**18


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
    import scripts.reserve
    import scripts.stablecoin

    groups = {
        "deploy": scripts.deploy.cli,
        "stablecoin": scripts.stablecoin.cli,
        "cbdc": scripts.cbdc.cli,
        "reserve": scripts.reserve.cli,
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
        + "  reserve:\n    min_delay: 600\n    max_price_age: 86400\n"
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
    allow_issuance(w3, deployments)
    return deployments


def allow_issuance(w3: Web3, deployments) -> None:
    """The board's issuance decision, which the deploy script does not take yet: the issuer
    (TEST::0, also the admin here) may issue 10,000,000,000 som."""
    from ape import project

    data = json.loads((deployments / "local" / "97.json").read_text())
    abi = [a.model_dump(by_alias=True) for a in project.DigitalSom.contract_type.abi]
    som = w3.eth.contract(address=data["contracts"]["cbdc"]["address"], abi=abi)
    tx = som.functions.setIssuanceAllowance(DEPLOYER, 10**10 * 100).transact({"from": DEPLOYER})
    assert w3.eth.wait_for_transaction_receipt(tx).status == 1


def operation_id(output: str) -> str:
    """The timelock operation id printed by a `propose-*` command."""
    line = next(ln for ln in output.splitlines() if ln.startswith("operation id "))
    return line.split()[-1]


@pytest.fixture(scope="session")
def listed(cli, network, stack, w3):
    """BNB ($600) and a USDT-like token ($1) listed through the timelock (delay 600 s), with
    an operator limit of 10 BNB and 1,000 USDT a day; TEST::0 holds 100,000 USDT."""
    from ape import project

    bnb_feed = deploy_raw(w3, project.MockAggregator.contract_type, 8, "BNB / USD", 600 * 10**8)
    usd_feed = deploy_raw(w3, project.MockAggregator.contract_type, 8, "USDT / USD", 10**8)
    usdt = deploy_raw(w3, project.MockERC20.contract_type, "Tether USD", "USDT", 18)
    usdt.functions.mint(DEPLOYER, 100_000 * ONE).transact({"from": DEPLOYER})
    ids = []
    for asset, feed, limit in ((NATIVE, bnb_feed, "10"), (usdt.address, usd_feed, "1000")):
        args = ["propose-add-asset", "BNB" if asset == NATIVE else asset, feed.address, limit]
        result = cli("reserve", *args, "--network", network, "--account", "TEST::0", "--yes")
        assert result.exit_code == 0, result.output
        ids.append(operation_id(result.output))
    advance(w3, 601)
    for op_id in ids:
        result = cli(
            "reserve",
            "execute-withdrawal",
            op_id,
            "--network",
            network,
            "--account",
            "TEST::0",
            "--yes",
        )
        assert result.exit_code == 0, result.output
    return {"usdt": usdt, "bnb_feed": bnb_feed, "usd_feed": usd_feed}


@pytest.fixture
def op(cli, network, stack, listed, w3):
    """Runs `ape run <script> <args> --network <anvil> --account TEST::<n> [--yes]` in-process,
    reverting the chain afterwards (to the state the session fixtures left)."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]

    def op(script: str, *args: str, account: int = 0, yes: bool = True, input: str | None = None):
        extra = ["--network", network, "--account", f"TEST::{account}"]
        return cli(script, *args, *extra, *(["--yes"] if yes else []), input=input)

    yield op
    w3.provider.make_request("evm_revert", [snapshot])


def deploy_raw(w3: Web3, contract_type, *args):
    """Deploys a compiled project contract straight through web3 (from TEST::0)."""
    abi = [a.model_dump(by_alias=True) for a in contract_type.abi]
    factory = w3.eth.contract(abi=abi, bytecode=contract_type.deployment_bytecode.bytecode)
    tx = factory.constructor(*args).transact({"from": DEPLOYER})
    address = w3.eth.wait_for_transaction_receipt(tx).contractAddress
    return w3.eth.contract(address=address, abi=abi)


def advance(w3: Web3, seconds: int) -> None:
    w3.provider.make_request("evm_increaseTime", [seconds])
    w3.provider.make_request("evm_mine", [])
