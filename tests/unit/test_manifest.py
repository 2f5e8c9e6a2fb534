"""Deployment manifests without a chain: where they live, atomic writes, look-ups."""

import json

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
