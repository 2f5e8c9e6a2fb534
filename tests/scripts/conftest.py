"""A real anvil on chain id 97 (standing in for BNB testnet) for the operator scripts,
with the whole stack deployed once and the chain reverted after each test."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from web3 import Web3

from somchain.constants import NATIVE
from tests.utils.chain import advance, deploy_raw, operation_id, start_anvil
from tests.utils.constants import BANK, DEPLOYER, GOVERNANCE_DELAY, ONE, TEST_ACCOUNTS

MASTER_MINTER_ACCOUNT = "TEST::8"
MASTER_MINTER = TEST_ACCOUNTS[8]


@pytest.fixture(scope="session")
def anvil():
    """URI of an anvil on chain id 97."""
    node, uri = start_anvil()
    yield uri
    node.stop()


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
    import scripts.desk
    import scripts.governance
    import scripts.payroll
    import scripts.reserve
    import scripts.stablecoin

    groups = {
        "deploy": scripts.deploy.cli,
        "stablecoin": scripts.stablecoin.cli,
        "cbdc": scripts.cbdc.cli,
        "desk": scripts.desk.cli,
        "reserve": scripts.reserve.cli,
        "governance": scripts.governance.cli,
        "payroll": scripts.payroll.cli,
    }
    runner = CliRunner()

    def cli(script: str, *args: str, input: str | None = None):
        return runner.invoke(groups[script], [str(a) for a in args], input=input)

    return cli


@pytest.fixture
def safe_cli(network):
    """`ape run safe ...` in process: `connected=False` for what runs with no network (sign)."""
    import scripts.safe

    runner = CliRunner()

    def run(*args, connected=True):
        extra = ["--network", network] if connected else []
        return runner.invoke(scripts.safe.cli, [str(a) for a in (*args, *extra)])

    return run


@pytest.fixture(scope="session")
def stack(cli, network, deployments, w3, tmp_path_factory):
    """Deploys everything once from TEST::9 (which ends with no role), TEST::0 holding every
    operator role but the master minter's (TEST::8: no account is both master minter and
    minter) and proposing to the timelock (delay 600 s), TEST::4 a licensed bank; attests a
    reserve; the board grants a mint budget of 2,000,000 KGST and TEST::0 a rate limit of
    1,000,000 KGST refilled by 1,000 a second, and the master minter makes TEST::0 a minter
    of 1,000,000 KGST."""
    import yaml

    from somchain import config as deploy_config

    data = yaml.safe_load(deploy_config.DEFAULT_PATH.read_text())
    operator = {
        role: DEPLOYER
        for role in (
            "pauser",
            "compliance",
            "rescuer",
            "issuer",
            "central_bank",
            "treasury",
            "guardian",
            "operator",
        )
    }
    data["bsc:anvil-testnet"] = {
        "admin_delay": 0,
        "roles": {
            **operator,
            "master_minter": MASTER_MINTER,
            "board": [DEPLOYER],
            "attestors": [DEPLOYER],
            "banks": [BANK],
        },
        "governance": {"min_delay": GOVERNANCE_DELAY},
        "stablecoin": {"attestation_threshold": 1},
        "cbdc": {"issuance_allowance": 100_000_000},
        "reserve": {"max_price_age": 86_400},
    }
    config = tmp_path_factory.mktemp("config") / "deploy-config.yaml"
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    result = cli(
        "deploy",
        "all",
        "--config",
        str(config),
        "--network",
        network,
        "--account",
        "TEST::9",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    head = w3.eth.get_block("latest").timestamp
    report = "0x" + "ab" * 32

    def stablecoin(*args: str, account: str = "TEST::0") -> str:
        result = cli("stablecoin", *args, "--network", network, "--account", account, "--yes")
        assert result.exit_code == 0, result.output
        return result.output

    stablecoin("attest-reserve", "500000.00", "--report-hash", report, "--as-of", str(head))
    ids = [
        operation_id(stablecoin("increase-mint-budget", "2000000")),
        operation_id(stablecoin("set-minter-rate-limit", DEPLOYER, "1000000", "1000")),
    ]
    advance(w3, GOVERNANCE_DELAY + 1)
    for op_id in ids:
        result = cli(
            "governance", "execute", op_id, "--network", network, "--account", "TEST::0", "--yes"
        )
        assert result.exit_code == 0, result.output
    stablecoin("configure-minter", DEPLOYER, "1000000", account=MASTER_MINTER_ACCOUNT)
    return deployments


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
    advance(w3, GOVERNANCE_DELAY + 1)
    for op_id in ids:
        result = cli(
            "governance",
            "execute",
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


@pytest.fixture
def vault(w3, stack, listed):
    """The deployed reserve vault, as a web3 contract."""
    from tests.utils.chain import manifest_contract

    return manifest_contract(w3, stack / "local", "reserve", "ReserveVault")
