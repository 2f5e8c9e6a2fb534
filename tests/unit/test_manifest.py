"""Deployment manifests without a chain: where they live, atomic writes, look-ups."""

import json

import pytest

from somchain import manifest


def test_rehearsal_networks__local_stand_ins_and_forks():
    assert manifest.is_rehearsal_network("local")
    assert manifest.is_rehearsal_network("anvil-testnet")
    assert manifest.is_rehearsal_network("testnet-fork")
    assert not manifest.is_rehearsal_network("testnet")
    assert not manifest.is_rehearsal_network(None)


def test_save_then_load__round_trip_and_lookups(tmp_path, monkeypatch):
    monkeypatch.setenv("SOMCHAIN_DEPLOYMENTS", str(tmp_path))
    assert manifest.load(4242) == {"chain_id": 4242, "contracts": {}}
    data = {"chain_id": 4242, "contracts": {"stablecoin": {"address": "0xabc"}}}
    path = manifest.save(data)
    assert json.loads(path.read_text()) == data
    assert not path.with_suffix(".json.tmp").exists()
    assert manifest.entry(4242, "stablecoin") == {"address": "0xabc"}
    assert manifest.address_of(4242, "stablecoin") == "0xabc"
    assert manifest.address_of(4242, "cbdc") is None


def test_git_commit__names_the_checkout():
    commit = manifest.git_commit()
    assert commit is None or len(commit.removesuffix("-dirty")) == 40


TESTNET_GENESIS = "0x6d3c66c5357ec91d5c43af47e234a939b22557cbb552dc45bebbceeed90fbe34"


def test_file_name__chain_id_and_genesis_prefix():
    assert manifest.file_name(97, TESTNET_GENESIS) == "97-6d3c66c5.json"
    assert manifest.file_name(56, manifest.GENESIS[56]) == "56-0d21840a.json"


def test_save__keyed_by_genesis__two_chains_with_one_id_never_share_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SOMCHAIN_DEPLOYMENTS", str(tmp_path))
    monkeypatch.setattr(manifest, "_connected_network_name", lambda: None)  # a live network
    local = "0x" + "ab" * 32
    manifest.save({"chain_id": 97, "genesis_hash": TESTNET_GENESIS, "contracts": {"a": {}}})
    manifest.save({"chain_id": 97, "genesis_hash": local, "contracts": {"b": {}}})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["97-6d3c66c5.json", "97-abababab.json"]
    assert set(manifest.load(97, TESTNET_GENESIS)["contracts"]) == {"a"}
    assert set(manifest.load(97, local)["contracts"]) == {"b"}


def test_check_node__live_name_on_another_genesis__refused():
    from somchain.errors import InputError

    manifest.check_node("testnet", 97, TESTNET_GENESIS)  # the real one
    manifest.check_node("anvil-testnet", 97, "0x" + "ab" * 32)  # a stand-in, by name
    manifest.check_node("testnet-fork", 97, "0x" + "ab" * 32)
    manifest.check_node("local", 1337, "0x" + "ab" * 32)
    with pytest.raises(InputError, match="not BNB testnet's"):
        manifest.check_node("testnet", 97, "0x" + "ab" * 32, "at http://127.0.0.1:8597")
    with pytest.raises(InputError, match="not BNB mainnet's"):
        manifest.check_node("mainnet", 56, TESTNET_GENESIS)


def test_names__contracts_and_role_holders_by_address(tmp_path, monkeypatch):
    monkeypatch.setenv("SOMCHAIN_DEPLOYMENTS", str(tmp_path))
    data = {
        "chain_id": 4242,
        "genesis_hash": "0x" + "cd" * 32,
        "contracts": {"stablecoin": {"address": "0xAbC0000000000000000000000000000000000001"}},
        "role_holders": {"0xDEF0000000000000000000000000000000000002": "board"},
    }
    manifest.save(data)
    names = manifest.names(4242)
    assert names["0xabc0000000000000000000000000000000000001"] == "stablecoin"
    assert names["0xdef0000000000000000000000000000000000002"] == "board"
