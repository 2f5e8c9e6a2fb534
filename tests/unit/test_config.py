"""deploy-config.yaml without a chain: defaults, network sections, errors."""

import pytest

from somchain import config
from somchain.errors import InputError


def test_load__network_section__overrides_defaults():
    local = config.load("ethereum:local")
    assert local.admin_delay == 0
    assert local.stablecoin.symbol == "KGST"
    assert local.governance.min_delay == 600
    testnet = config.load("bsc:testnet")
    assert testnet.admin_delay == 3600
    assert testnet.governance.min_delay == 172_800
    assert testnet.reserve.max_price_age == 3600


def test_load__missing_file__one_line_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        config.load("ethereum:local", tmp_path / "nope.yaml")


def test_load__bad_yaml_or_no_default__one_line_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("default: [unclosed\n")
    with pytest.raises(InputError, match="not valid YAML"):
        config.load("ethereum:local", bad)
    empty = tmp_path / "empty.yaml"
    empty.write_text("other: {}\n")
    with pytest.raises(InputError, match="no `default` section"):
        config.load("ethereum:local", empty)


def _write(tmp_path, text):
    path = tmp_path / "deploy-config.yaml"
    path.write_text(config.DEFAULT_PATH.read_text() + text)
    return path


def test_load__unknown_key__names_it(tmp_path):
    text = config.DEFAULT_PATH.read_text().replace("    pauser: null", "    pauzer: null", 1)
    path = tmp_path / "typo.yaml"
    path.write_text(text)
    with pytest.raises(InputError, match=r"roles\.pauzer: unknown key"):
        config.load("bsc:testnet", path)


def test_load__lowercase_address__refused_with_its_key(tmp_path):
    path = _write(tmp_path, '\n"bsc:mainnet":\n  roles:\n    pauser: "0x' + "ab" * 20 + '"\n')
    with pytest.raises(InputError, match=r"roles\.pauser: address .* not checksummed"):
        config.load("bsc:mainnet", path)


def test_load__wrong_type__refused_with_its_key(tmp_path):
    path = _write(tmp_path, '\n"bsc:mainnet":\n  governance:\n    min_delay: soon\n')
    with pytest.raises(InputError, match=r"governance\.min_delay"):
        config.load("bsc:mainnet", path)


DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
A, B, C, D = (
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
)


def test_separation__live_network_without_roles__every_role_must_be_set():
    problems = config.separation_problems(config.load("bsc:testnet"), DEPLOYER, "bsc:testnet")
    assert "roles.board must be set explicitly on bsc:testnet" in problems
    assert "roles.compliance must be set explicitly on bsc:testnet" in problems


def test_separation__local_defaults__no_problem():
    local = config.load("ethereum:local")
    assert config.separation_problems(local, DEPLOYER, "ethereum:local") == []


def test_separation__deployer_attestor_minter_and_compliance_combinations__refused():
    base = config.load("ethereum:local")
    roles = base.roles.model_copy(
        update={"attestors": [A, DEPLOYER], "master_minter": A, "compliance": A, "board": [A]}
    )
    bad = base.model_copy(update={"roles": roles})
    problems = config.separation_problems(bad, DEPLOYER, "bsc:mainnet")
    assert "roles.attestors is the deploying account " + DEPLOYER in problems
    assert f"{A} is both an attestor and the master minter" in problems
    assert f"{A} is both compliance and the master minter" in problems
    assert f"{A} is both an attestor and a board member" in problems
    assert "governance.min_delay 600 s is below 48 h" in problems


def test_separation__issuer_and_central_bank_desk_one_key__refused_on_a_live_network():
    base = config.load("ethereum:local")
    roles = base.roles.model_copy(update={"issuer": A, "central_bank": A})
    same = base.model_copy(update={"roles": roles})
    expected = f"{A} is both the digital som's issuer and the central-bank desk"
    assert any(
        p.startswith(expected) for p in config.separation_problems(same, DEPLOYER, "bsc:testnet")
    )
    assert not any(
        p.startswith(expected) for p in config.separation_problems(same, DEPLOYER, "ethereum:local")
    )


def test_separation__quorum_above_attestors__refused():
    base = config.load("ethereum:local")
    stablecoin = base.stablecoin.model_copy(update={"attestation_threshold": 3})
    bad = base.model_copy(update={"stablecoin": stablecoin})
    problems = config.separation_problems(bad, DEPLOYER, "ethereum:local")
    assert problems == ["stablecoin.attestation_threshold 3 exceeds the 1 configured attestors"]
