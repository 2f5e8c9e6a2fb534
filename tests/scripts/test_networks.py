"""The configured networks themselves, through `ape run` in a subprocess: BNB testnet with
its RPC from BSC_TESTNET_RPC, and the fork network ape-foundry starts on top of it (here
both point at the local chain-id-97 anvil)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from somchain.anvil import free_port
from tests.utils.chain import live_config
from tests.utils.paths import ROOT, manifest_in


def _ape_run(*args: str, env: dict) -> subprocess.CompletedProcess:
    ape = str(Path(sys.executable).parent / "ape")
    return subprocess.run(
        [ape, "run", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_bsc_testnet__rpc_from_environment__status_reads_the_deployment(stack, anvil):
    # The stand-in's manifest (local/97-<genesis>.json) read as if it were testnet's own.
    env = dict(os.environ, BSC_TESTNET_RPC=anvil, SOMCHAIN_DEPLOYMENTS=str(stack / "local"))
    result = _ape_run("stablecoin", "status", "--network", "bsc:testnet:node", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Kyrgyz Som Stablecoin" in result.stdout


def test_bsc_testnet_fork__deploy_all__leaves_upstream_untouched(stack, anvil, w3, tmp_path):
    before = w3.eth.block_number
    env = dict(os.environ, BSC_TESTNET_RPC=anvil, SOMCHAIN_DEPLOYMENTS=str(tmp_path))
    config = live_config(tmp_path / "deploy-config.yaml")
    result = _ape_run(
        "deploy",
        "all",
        "--config",
        config,
        "--network",
        "bsc:testnet-fork:foundry",
        "--account",
        "TEST::0",
        "--yes",
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    parts = "timelock, attestation, stablecoin, cbdc, desk, reserve, seal"
    assert f"done: deployed {parts}" in result.stdout
    assert "holds no role in any contract" in result.stdout
    assert manifest_in(tmp_path / "local").is_file()  # a fork never writes the live manifest
    assert not manifest_in(tmp_path).exists()
    assert w3.eth.block_number == before


def test_bsc_testnet_fork__default_config__refused_before_anything_is_sent(
    stack, anvil, w3, tmp_path
):
    """A fork rehearses BNB testnet under its rules: roles left unset (they would stay with
    the deployer) are refused, naming each, and nothing is deployed."""
    before = w3.eth.block_number
    env = dict(os.environ, BSC_TESTNET_RPC=anvil, SOMCHAIN_DEPLOYMENTS=str(tmp_path))
    result = _ape_run(
        "deploy",
        "all",
        "--network",
        "bsc:testnet-fork:foundry",
        "--account",
        "TEST::0",
        "--yes",
        env=env,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "roles.board must be set explicitly on bsc:testnet-fork" in result.stderr
    assert not manifest_in(tmp_path / "local").exists()
    assert w3.eth.block_number == before


@pytest.mark.parametrize(
    ("script", "value"), [("stablecoin", None), ("audit", None), ("stablecoin", "")]
)
def test_bsc_testnet__rpc_unset_or_empty__one_line_error_naming_the_variable(script, value):
    env = {k: v for k, v in os.environ.items() if k != "BSC_TESTNET_RPC"}
    if value is not None:  # set to the empty string: no retries of public endpoints
        env["BSC_TESTNET_RPC"] = value
    args = ("status",) if script == "stablecoin" else ()
    result = _ape_run(script, *args, "--network", "bsc:testnet:node", env=env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: the network's RPC address is unset: export BSC_TESTNET_RPC "
        "(`. ./activate` sets BNB Chain's public endpoints)"
    ]


@pytest.mark.parametrize("script", ["stablecoin", "audit"])
def test_bsc_testnet__rpc_unreachable__one_line_error(script):
    env = dict(os.environ, BSC_TESTNET_RPC=f"http://127.0.0.1:{free_port()}")
    args = ("status",) if script == "stablecoin" else ()
    result = _ape_run(script, *args, "--network", "bsc:testnet:node", env=env)
    assert result.returncode == (1 if script == "stablecoin" else 2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: cannot use the network: No (supported) node found")


def test_bsc_testnet_name_on_a_local_node__says_which_manifest_and_why(cli, stack, anvil):
    """A live network's name on the local chain-id-97 stand-in: the manifest looked for is
    named by the node's genesis, and the message says the node is not BNB testnet."""
    result = cli("stablecoin", "status", "--network", f"bsc:testnet:{anvil}")
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1
    assert f"no manifest {stack}/97-" in result.output
    assert "this node is not BNB testnet (genesis 0x6d3c66c5...)" in result.output
    assert "use --network bsc:anvil-testnet:<uri>" in result.output
