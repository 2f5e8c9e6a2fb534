"""Seven repairs to the speed of ape 0.8.51 and its embedded chain. What they answer is
unchanged; the fifth skips a search that can find nothing here.

1. Every provider ape creates (one per command, `--network` choice or fork) wraps its
   class's `connect` once more in `Web3Provider.__new__`, so the N-th connection in a
   process runs the post-connect hook N times (about 6 ms each: it registers the console
   contract again). A process that runs many commands, as a test worker does, connects
   ever slower. Here `connect` is wrapped once per class, as ape already does for
   `send_transaction`.

On a network declared in ape-config.yaml (`bsc:anvil-testnet`), ape rebuilds two things for
every contract call and every transaction it prepares, about 10 ms in all on 2 cores: most
of an operator command's time on anvil. Both depend only on ape's configuration, so they are
kept until it changes:

2. The ecosystem's custom networks. `EcosystemAPI._custom_networks` creates a pydantic model
   class and a `NetworkAPI` per configured network on each read of `EcosystemAPI.networks`,
   which `default_network_name`, `get_network` and `NetworkAPI.config` all go through. They
   are kept per ecosystem, keyed by the configured list they are built from (a network
   added at run time rebuilds them).
3. The default transaction type. BNB Chain's is 0, a falsy value, so
   `BaseEthereumConfig.get` falls through to `__getattr__`, which builds a default
   `NetworkConfig` (a pydantic-settings model, reading the environment) each time. It is
   kept per ecosystem, keyed by the connected network and the ecosystem's configuration
   object (a changed configuration is a new object).

4. The embedded chain's account list. web3's eth-tester middleware fills a call's missing
   `from` with `eth.accounts[0]`, reading the list three times, and eth-tester derives it
   each time from the private keys (a public key hashed and an address checksummed per
   account): 4 ms per view call. It is kept per backend until an account is added (which
   replaces the backend's tuple of keys). The repair waits for eth-tester's import: a command
   on a node never loads py-evm (a second per process).

5. The console.log search. After every transaction to a contract, ape traces it to print
   the Hardhat `console.log` lines it emitted (its own note: "TODO: Optional
   configuration?"): a trace rebuilt per transaction, 50 ms on the embedded chain and a
   `debug_traceTransaction` on a node. No contract of this project logs to the console
   (`tests/unit/test_apecompat.py` checks the sources), so only the "Confirmed" log line
   that follows is kept.

6. The script lookup of `ape run NAME`. ape's `ScriptCommand.get_command` builds the list
   of every command in `scripts/`, twice, to return one: it executes each of the twelve
   scripts and imports all they import (the audit's SQLAlchemy, the watcher's metrics),
   about half a second of each operator command. Here `scripts/NAME.py` is loaded alone
   when it exists; anything else (a folder of scripts, a path, a name that is not there)
   goes to ape's lookup as before. `ape run` resolves its command before any project code
   runs, so this repair is put in place at interpreter start-up by a line of the
   `somchain.pth` file that `make setup` writes into the virtualenv (the mechanism
   setuptools' own `distutils-precedence.pth` uses): `hook_ape_run()` only registers an
   import hook, which patches `ape_run._cli` when, and if, ape imports it.

7. The project's source list. The first `project.NAME` of a process lists the contracts
   folder and matches each file against ape's exclusion globs (about 20 each), walking
   every parent directory per glob: 1.7 s for the 295 OpenZeppelin files under
   `contracts/.cache`, which ape excludes in the end because a parent is named `.cache`.
   A file with a parent named as a plain exclusion (`.cache`, `.build`, `.git`) is now
   answered "excluded" at once, which is what ape's walk concludes.

And one to its patience: the anvil that ape-foundry starts itself (`ethereum:local:foundry`,
a `bsc:*-fork:foundry` rehearsal) is waited for 20 s, a default `SubprocessProvider.start`
takes and ape-foundry never overrides; a fork on a busy machine takes longer, and the command
failed. It waits up to `NODE_START_TIMEOUT` seconds, still asking the node each tenth of a
second, so a quick start is as quick as before.

`install()` is idempotent; the operator scripts (`scripts/_common.py`) and the test suite
(`tests/conftest.py`) call it before they connect. `tests/unit/test_apecompat.py` checks
each repair against ape's own answers.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

NODE_START_TIMEOUT = 120  # seconds an anvil started by ape-foundry has to answer

_INSTALLED = False
_MISSING = object()
_NETWORKS: dict[tuple[int, str], dict[str, Any]] = {}
_ACCOUNTS: dict[int, tuple[Any, tuple[str, ...]]] = {}
_TX_TYPES: dict[tuple[int, str | None, int], Any] = {}


def install() -> None:
    """Applies the five repairs above (once per process)."""
    global _INSTALLED
    if _INSTALLED:
        return
    _connect_wrapped_once()
    _cache_custom_networks()
    _cache_default_transaction_type()
    _cache_eth_tester_accounts()
    _skip_console_log_search()
    _exclude_by_parent_name()
    _wait_longer_for_foundry_nodes()
    _INSTALLED = True


def hook_ape_run() -> None:
    """Repair 6, put in place before ape imports `ape_run` (from `somchain.pth`)."""
    if "ape_run._cli" in sys.modules:
        _load_named_script_alone(sys.modules["ape_run._cli"])
    elif not any(isinstance(f, _AfterImport) and f.name == "ape_run._cli" for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport("ape_run._cli", _load_named_script_alone))


def _load_named_script_alone(module: Any) -> None:
    command_class = module.ScriptCommand
    if getattr(command_class.get_command, "_named_script_alone", False):
        return
    look_up_all = command_class.get_command

    def get_command(self: Any, ctx: Any, name: str) -> Any:
        script = Path.cwd() / "scripts" / f"{name}.py"
        if not name.startswith("_") and script.is_file():
            command = self._get_command(script)
            if command is not None:
                self._command_called = name
                return command
        return look_up_all(self, ctx, name)

    get_command._named_script_alone = True  # type: ignore[attr-defined]
    command_class.get_command = get_command


def _connect_wrapped_once() -> None:
    from ape_ethereum.provider import Web3Provider

    create_provider = Web3Provider.__new__

    def new_provider(cls: Any, *args: Any, **kwargs: Any) -> Any:
        before = cls.__dict__.get("connect", _MISSING)
        wrapped = getattr(cls.connect, "_connect_wrapped_once", False)
        provider = create_provider(cls, *args, **kwargs)
        if not wrapped:
            cls.connect._connect_wrapped_once = True
        elif before is _MISSING:
            del cls.connect  # the wrapper on a base class serves
        else:
            cls.connect = before
        return provider

    Web3Provider.__new__ = staticmethod(new_provider)  # type: ignore[method-assign]


def _cache_custom_networks() -> None:
    from ape.api.networks import EcosystemAPI

    build_networks = vars(EcosystemAPI)["_custom_networks"].fget

    def custom_networks(self: Any) -> dict[str, Any]:
        listed = self.network_manager.custom_networks
        key = id(self), json.dumps(listed, sort_keys=True, default=repr)
        if key not in _NETWORKS:
            _NETWORKS[key] = build_networks(self)
        return dict(_NETWORKS[key])

    EcosystemAPI._custom_networks = property(custom_networks)  # type: ignore[method-assign,assignment]


def _cache_default_transaction_type() -> None:
    from ape_ethereum.ecosystem import Ethereum

    read_tx_type = vars(Ethereum)["default_transaction_type"].fget

    def default_transaction_type(self: Any) -> Any:
        provider = self.network_manager.active_provider
        network = provider.network if provider else None
        key = (id(self), network.name if network else None, id(self.config))
        if key not in _TX_TYPES:
            _TX_TYPES[key] = read_tx_type(self)
        return _TX_TYPES[key]

    Ethereum.default_transaction_type = property(default_transaction_type)  # type: ignore[method-assign,assignment]


def _cache_eth_tester_accounts() -> None:
    if "eth_tester" in sys.modules:
        _patch_eth_tester(sys.modules["eth_tester"])
    else:  # py-evm takes a second to import: an operator command on a node never needs it
        sys.meta_path.insert(0, _AfterImport("eth_tester", _patch_eth_tester))


def _patch_eth_tester(module: Any) -> None:
    list_accounts = module.EthereumTester.get_accounts

    def get_accounts(self: Any) -> Any:
        keys = getattr(self.backend, "account_keys", None)
        if keys is None:
            return list_accounts(self)
        cached = _ACCOUNTS.get(id(self))
        if cached is None or cached[0] is not keys:
            cached = _ACCOUNTS[id(self)] = (keys, tuple(list_accounts(self)))
        return list(cached[1])

    module.EthereumTester.get_accounts = get_accounts


class _AfterImport(importlib.abc.MetaPathFinder):
    """Runs `then(module)` once `name` is imported, wherever the import comes from."""

    def __init__(self, name: str, then: Callable[[Any], None]) -> None:
        self.name, self.then = name, then

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:  # noqa: ARG002
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        loader, then = spec.loader, self.then
        exec_module = loader.exec_module

        def exec_then_patch(module: Any) -> None:
            exec_module(module)
            then(module)

        loader.exec_module = exec_then_patch  # type: ignore[method-assign]
        return spec


def _exclude_by_parent_name() -> None:
    from ape.managers.project import SourceManager

    is_excluded = SourceManager.is_excluded

    def excluded(self: Any, path: Path, exclude_missing_compilers: bool = True) -> bool:
        source_id = self._get_source_id(path)
        if source_id not in self._exclude_cache:
            names = {parent.name for parent in path.parents}
            if any(isinstance(glob, str) and glob in names for glob in self.exclude_globs):
                self._exclude_cache[source_id] = True
        return is_excluded(self, path, exclude_missing_compilers)

    excluded.__wrapped__ = is_excluded  # type: ignore[attr-defined]
    SourceManager.is_excluded = excluded  # type: ignore[method-assign]


def _wait_longer_for_foundry_nodes() -> None:
    from ape_foundry.provider import FoundryProvider

    start = FoundryProvider.start

    def start_waiting_longer(self: Any, timeout: int = NODE_START_TIMEOUT) -> Any:
        return start(self, timeout=timeout)

    start_waiting_longer.__wrapped__ = start  # type: ignore[attr-defined]
    FoundryProvider.start = start_waiting_longer


def _skip_console_log_search() -> None:
    from ape.logging import logger
    from ape_ethereum import provider

    def confirmed(tx: Any, receipt: Any) -> None:
        logger.info(f"Confirmed {receipt.txn_hash} (total fees paid = {receipt.total_fees_paid})")

    provider._post_send_transaction = confirmed
