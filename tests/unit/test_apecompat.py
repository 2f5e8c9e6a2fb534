"""somchain.apecompat: ape answers as it did, without rebuilding what it rebuilt per call."""

from __future__ import annotations

import pytest
from ape import networks
from ape.api.networks import EcosystemAPI
from ape.managers.networks import NetworkManager
from ape_ethereum.transactions import TransactionType

from somchain import apecompat
from tests.utils.paths import ROOT


@pytest.fixture(autouse=True)
def _installed():
    apecompat.install()


def _wrap_depth(function) -> int:
    depth = 0
    while hasattr(function, "__wrapped__"):
        depth += 1
        function = function.__wrapped__
    return depth


def test_install__twice__wraps_nothing_twice():
    custom = EcosystemAPI._custom_networks
    apecompat.install()
    assert EcosystemAPI._custom_networks is custom


def test_provider_connect__many_providers_created__post_connect_hook_wrapped_once():
    network = networks.get_ecosystem("bsc").get_network("anvil-testnet")
    providers = [
        network.get_provider("node", provider_settings={"uri": f"http://127.0.0.1:{9 + n}"})
        for n in range(4)
    ]
    assert len({id(p) for p in providers}) == 4
    assert _wrap_depth(type(providers[-1]).connect) == 1


def test_custom_networks__cached__same_networks_as_configured():
    bsc = networks.get_ecosystem("bsc")
    first, second = bsc.networks, bsc.networks
    assert {"anvil-testnet", "anvil-testnet-fork", "testnet", "mainnet"} <= set(first)
    assert first["anvil-testnet"] is second["anvil-testnet"]
    assert first["anvil-testnet"].chain_id == 97
    assert first["anvil-testnet"].config.default_transaction_type == TransactionType.STATIC


def test_custom_networks__one_added_at_run_time__seen_at_once(monkeypatch):
    bsc = networks.get_ecosystem("bsc")
    before = bsc.networks
    added = {"name": "drill", "chain_id": 4242, "ecosystem": "bsc", "base_ecosystem_plugin": "bsc"}
    monkeypatch.setattr(NetworkManager, "_custom_networks", [added])
    assert {"drill", "drill-fork"} <= set(bsc.networks)
    assert bsc.networks["drill"].chain_id == 4242
    monkeypatch.undo()
    assert "drill" not in bsc.networks
    assert set(bsc.networks) == set(before)


@pytest.mark.parametrize(
    ("ecosystem", "expected"),
    [("bsc", TransactionType.STATIC), ("ethereum", TransactionType.DYNAMIC)],
)
def test_default_transaction_type__cached__the_ecosystems_own(ecosystem, expected):
    chosen = networks.get_ecosystem(ecosystem)
    assert chosen.default_transaction_type == expected
    assert chosen.default_transaction_type == expected


def test_eth_tester_accounts__cached__same_list_and_an_added_account_seen_at_once():
    from eth_tester import EthereumTester

    tester = EthereumTester()
    first = tester.get_accounts()
    assert tester.get_accounts() == first
    assert len(first) == 10
    tester.add_account("0x" + "42" * 32)
    assert tester.get_accounts()[:10] == first
    assert len(tester.get_accounts()) == 11


def test_console_log_search__skipped__no_contract_logs_to_the_console():
    sources = [p for p in (ROOT / "contracts").rglob("*.sol")]
    assert sources
    assert not [p for p in sources if "console.sol" in p.read_text()]
    assert not [p for p in sources if "console.log(" in p.read_text()]
