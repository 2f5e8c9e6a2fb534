import json
import shutil

import pytest

from somchain import config as settings
from tests.utils.chain import live_config
from tests.utils.constants import DEPLOYING
from tests.utils.paths import manifest_in


@pytest.fixture
def manifest_file(stack):
    """The chain's manifest, restored after the test (the chain itself is reverted by `op`)."""
    path = manifest_in(stack / "local")
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
    # the closing table: every part's address, block, gas used and transaction
    row = next(ln.split() for ln in result.output.splitlines() if ln.split()[:1] == ["stablecoin"])
    assert row[2] == new["stablecoin"]["address"]
    assert int(row[3]) == new["stablecoin"]["block"]
    assert int(row[4].replace(",", "")) > 1_000_000
    assert row[5] == new["stablecoin"]["tx"]
    assert "total gas used" in result.output
    history = json.loads(manifest_file.read_text())["history"]
    replaced = {item["key"]: item["address"] for item in history}
    assert replaced["stablecoin"] == old["stablecoin"]["address"]
    assert replaced["timelock"] == old["timelock"]["address"]


def test_deploy__rehearsed__runs_on_a_fork_and_sends_nothing(op, manifest_file, w3):
    saved = manifest_file.read_text()
    before = w3.eth.block_number
    result = op("deploy", "all", "--force", "--rehearse", account=9, yes=False)
    assert result.exit_code == 0, result.output
    assert "rehearsing on a fork of" in result.output
    assert "gas used" in result.output
    assert "nothing sent" in result.output
    assert w3.eth.block_number == before
    assert manifest_file.read_text() == saved


def test_deploy_all__manifest_named_by_the_nodes_genesis(manifest_file, w3):
    genesis = w3.eth.get_block(0)["hash"].to_0x_hex()
    assert manifest_file.name == f"97-{genesis[2:10]}.json"
    assert json.loads(manifest_file.read_text())["genesis_hash"] == genesis


def test_deploy_all__verification_input_compiles_to_the_deployed_code(manifest_file, w3):
    """Each address's recorded standard-JSON input, compiled, gives the creation code the
    deploying transaction sent, followed by the recorded constructor arguments: what a
    block explorer checks."""
    import solcx

    from tests.utils.paths import ROOT

    data = json.loads(manifest_file.read_text())
    coin = data["contracts"]["stablecoin"]
    abi = json.loads((manifest_file.parent / coin["abi"]).read_text())
    assert any(item.get("name") == "mint" for item in abi)
    assert [v["address"] for v in coin["verify"]] == [coin["implementation"], coin["address"]]
    timelock = data["contracts"]["timelock"]["verify"][0]
    solc_input = json.loads((manifest_file.parent / timelock["standard_json_input"]).read_text())
    assert solc_input["settings"]["optimizer"] == {"enabled": True, "runs": 2000}
    assert timelock["compiler"].startswith("v0.8.28+commit.")
    # Only the bytecode of the contracts checked here is asked for: the output selection is
    # not part of the compiled metadata, so the code is the explorer's (8 s, not 32 s).
    checked = [
        v["contract"] for k in ("timelock", "stablecoin") for v in data["contracts"][k]["verify"]
    ]
    selection: dict[str, dict[str, list[str]]] = {}
    for contract in checked:
        source, name = contract.rsplit(":", 1)
        selection.setdefault(source, {})[name] = ["evm.bytecode.object"]
    solc_input["settings"]["outputSelection"] = selection
    output = solcx.compile_standard(
        solc_input, solc_binary=ROOT / ".solcx" / "solc-v0.8.28", base_path=str(ROOT)
    )
    for key in ("timelock", "stablecoin"):
        entry = data["contracts"][key]
        txs = (
            [entry.get("implementation_tx"), entry["tx"]]
            if "implementation" in entry
            else [entry["tx"]]
        )
        for tx, item in zip(txs, entry["verify"], strict=True):
            source, name = item["contract"].rsplit(":", 1)
            creation = output["contracts"][source][name]["evm"]["bytecode"]["object"]
            sent = w3.eth.get_transaction(tx)["input"].hex()
            assert sent == creation + item["constructor_args"].removeprefix("0x")


def test_deploy__live_network_name_on_another_chain__exits_2_before_sending(
    cli, anvil, stack, w3, monkeypatch, tmp_path
):
    """bsc:testnet pointed at a local chain-id-97 node: refused, no manifest written."""
    monkeypatch.setenv("SOMCHAIN_DEPLOYMENTS", str(tmp_path))
    before = w3.eth.block_number
    result = cli(
        "deploy", "all", "--network", f"bsc:testnet:{anvil}", "--account", "TEST::0", "--yes"
    )
    assert result.exit_code == 2, result.output
    assert "not BNB testnet's (0x6d3c66c5...)" in result.output
    assert w3.eth.block_number == before
    assert not list(tmp_path.rglob("*.json"))


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
