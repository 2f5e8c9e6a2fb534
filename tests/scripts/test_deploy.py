import json
import shutil

import pytest

from somchain import config as settings
from tests.utils.chain import live_config
from tests.utils.constants import DEPLOYING


@pytest.fixture
def manifest_file(stack):
    """The chain's manifest, restored after the test (the chain itself is reverted by `op`)."""
    path = stack / "local" / "97.json"
    saved = path.read_text()
    yield path
    path.write_text(saved)


def test_deploy_all__records_every_part_in_the_manifest(manifest_file):
    data = json.loads(manifest_file.read_text())
    assert data["chain_id"] == 97
    assert data["network"] == "bsc:anvil-testnet"
    assert set(data["contracts"]) >= {"stablecoin", "attestation", "cbdc"}
    coin = data["contracts"]["stablecoin"]
    assert coin["contract"] == "NationalStablecoin"
    assert coin["implementation"] != coin["address"]
    assert coin["tx"].startswith("0x")
    assert coin["block"] > 0
    assert coin["initializer"]["args"][:3] == ["Kyrgyz Som Stablecoin", "KGST", 18]
    assert coin["deployer"] == DEPLOYING
    assert data["compiler"]["version"] == "0.8.28"
    assert data["compiler"]["optimizer_runs"] == 2000
    assert data["git_commit"]
    feed = data["contracts"]["attestation"]
    assert feed["constructor_args"][0] == 2


def test_deploy__again__does_nothing_and_says_so(op, manifest_file, w3):
    before = w3.eth.block_number
    result = op("deploy", "all")
    assert result.exit_code == 0, result.output
    assert "stablecoin already deployed at" in result.output
    assert "nothing to deploy" in result.output
    assert w3.eth.block_number == before


def test_deploy__force__redeploys_and_updates_the_manifest(op, manifest_file):
    old = json.loads(manifest_file.read_text())["contracts"]
    result = op("deploy", "all", "--force", account=9)
    assert result.exit_code == 0, result.output
    new = json.loads(manifest_file.read_text())["contracts"]
    assert new["stablecoin"]["address"] != old["stablecoin"]["address"]
    assert new["timelock"]["address"] != old["timelock"]["address"]


def test_deploy__one_part_after_sealing__exits_2_and_says_why(op, manifest_file):
    result = op("deploy", "stablecoin", "--force", account=9)
    assert result.exit_code == 2
    assert "is sealed" in result.output


def test_deploy__declined__sends_nothing(op, manifest_file, w3):
    before = w3.eth.block_number
    result = op("deploy", "cbdc", "--force", yes=False, input="n\n")
    assert result.exit_code == 1
    assert "nothing sent" in result.output
    assert w3.eth.block_number == before


def test_deploy__config_without_default_section__exits_2(op, tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("bsc:anvil-testnet:\n  admin_delay: 1\n")
    result = op("deploy", "stablecoin", "--config", str(config), "--force")
    assert result.exit_code == 2
    assert "no `default` section" in result.output


def test_deploy__config_with_malformed_tier__exits_2(op, tmp_path, manifest_file):
    config = tmp_path / "tiers.yaml"
    shutil.copy(settings.DEFAULT_PATH, config)
    config.write_text(config.read_text().replace("0: [10000, 2000, 5000]", "0: [10000]"))
    result = op("deploy", "cbdc", "--config", str(config), "--force")
    assert result.exit_code == 2
    assert "cbdc.tiers.0" in result.output


def test_deploy__role_holders_from_config__are_granted(op, tmp_path, manifest_file, w3):
    from ape import project

    config = live_config(tmp_path / "roles.yaml", network="bsc:anvil-testnet")
    result = op("deploy", "all", "--config", config, "--force", account=9)
    assert result.exit_code == 0, result.output
    address = json.loads(manifest_file.read_text())["contracts"]["stablecoin"]["address"]
    abi = [a.model_dump(by_alias=True) for a in project.NationalStablecoin.contract_type.abi]
    token = w3.eth.contract(address=address, abi=abi)
    pauser = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"  # TEST::3 in live_config
    assert token.functions.hasRole(token.functions.PAUSER_ROLE().call(), pauser).call()
    assert not token.functions.hasRole(token.functions.PAUSER_ROLE().call(), DEPLOYING).call()
