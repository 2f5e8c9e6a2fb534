"""somchain.apecompat: ape answers as it did, without rebuilding what it rebuilt per call."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_after_import__module_imported_later__patched_once_on_import(tmp_path, monkeypatch):
    (tmp_path / "late_module_for_apecompat.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    seen = []
    hook = apecompat._AfterImport("late_module_for_apecompat", seen.append)
    monkeypatch.setattr(sys, "meta_path", [hook, *sys.meta_path])
    import late_module_for_apecompat  # noqa: PLC0415

    assert seen == [late_module_for_apecompat]
    assert hook not in sys.meta_path
    sys.modules.pop("late_module_for_apecompat")


def _script_command():
    # pytest imports ape's modules through its own import hook (ape is a pytest plugin), so
    # the start-up hook has not seen `ape_run._cli` here: patch the module already loaded.
    from ape_run import _cli

    apecompat.hook_ape_run()
    return _cli.ScriptCommand(name="run")


def _scripts(folder: Path) -> None:
    (folder / "scripts").mkdir()
    (folder / "scripts" / "wanted.py").write_text(
        "import click\n\n@click.command()\ndef cli():\n    pass\n"
    )
    (folder / "scripts" / "other.py").write_text(
        "raise SystemExit('other.py was loaded')\ncli = None\n"
    )
    (folder / "scripts" / "nested").mkdir()
    (folder / "scripts" / "nested" / "inner.py").write_text(
        "import click\n\n@click.command()\ndef cli():\n    pass\n"
    )


def test_ape_run__named_script__loaded_alone(tmp_path, monkeypatch):
    _scripts(tmp_path)
    monkeypatch.chdir(tmp_path)
    command = _script_command().get_command(None, "wanted")
    assert command is not None
    assert command.name == "wanted"


def test_ape_run__folder_of_scripts__ape_lookup_as_before(tmp_path, monkeypatch):
    _scripts(tmp_path)
    (tmp_path / "scripts" / "other.py").unlink()
    monkeypatch.chdir(tmp_path)
    group = _script_command().get_command(None, "nested")
    assert sorted(group.commands) == ["inner"]
    assert _script_command().get_command(None, "absent") is None


def test_ape_run__hook_installed_at_startup_by_the_venv():
    probe = "import sys; print('ape_run._cli' in sys.modules, 'somchain.apecompat' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
    patched = "import ape_run._cli as m; print(m.ScriptCommand.get_command.__qualname__)"
    out = subprocess.run(
        [sys.executable, "-c", patched], capture_output=True, text=True, check=True
    )
    assert "_load_named_script_alone" in out.stdout


def test_source_exclusion__by_parent_name__ape_answer_for_every_contract_file():
    from ape import project
    from ape.managers.project import SourceManager

    files = [p for p in (ROOT / "contracts").rglob("*") if p.is_file()]
    assert any(".cache" in p.parts for p in files)

    def answers(is_excluded) -> dict[Path, bool]:
        sources = SourceManager(
            project.path, lambda: project.contracts_folder, exclude_globs=project.exclusions
        )
        return {p: is_excluded(sources, p) for p in files}

    repaired = answers(SourceManager.is_excluded)
    assert repaired == answers(SourceManager.is_excluded.__wrapped__)
    assert 0 < sum(repaired.values()) < len(files)


def test_foundry_node_start__waited_for_longer_than_apes_20_s():
    import inspect
    from types import SimpleNamespace

    from ape_foundry.provider import FoundryProvider

    start = FoundryProvider.start
    assert inspect.signature(start.__wrapped__).parameters["timeout"].default == 20
    waited = inspect.signature(start, follow_wrapped=False).parameters["timeout"].default
    assert waited == apecompat.NODE_START_TIMEOUT
    assert apecompat.NODE_START_TIMEOUT > 20
    running = SimpleNamespace(is_connected=True, process="theirs", process_name="anvil")
    start(running)  # a node already answering: connected to at once, as by ape
    assert running.process is None
