"""Three repairs to the speed of ape 0.8.51; what ape does and answers is unchanged.

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

`install()` is idempotent; the operator scripts (`scripts/_common.py`) and the test suite
(`tests/conftest.py`) call it before they connect. `tests/unit/test_apecompat.py` checks
each repair against ape's own answers.
"""

from __future__ import annotations

import json
from typing import Any

_INSTALLED = False
_MISSING = object()
_NETWORKS: dict[tuple[int, str], dict[str, Any]] = {}
_TX_TYPES: dict[tuple[int, str | None, int], Any] = {}


def _networks_key(ecosystem: Any) -> tuple[int, str]:
    listed = ecosystem.network_manager.custom_networks
    return id(ecosystem), json.dumps(listed, sort_keys=True, default=repr)


def install() -> None:
    """Wraps the two ape properties above with their caches (once per process)."""
    global _INSTALLED
    if _INSTALLED:
        return
    from ape.api.networks import EcosystemAPI
    from ape_ethereum.ecosystem import Ethereum
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

    build_networks = vars(EcosystemAPI)["_custom_networks"].fget
    read_tx_type = vars(Ethereum)["default_transaction_type"].fget

    def custom_networks(self: Any) -> dict[str, Any]:
        key = _networks_key(self)
        if key not in _NETWORKS:
            _NETWORKS[key] = build_networks(self)
        return dict(_NETWORKS[key])

    def default_transaction_type(self: Any) -> Any:
        provider = self.network_manager.active_provider
        network = provider.network if provider else None
        key = (id(self), network.name if network else None, id(self.config))
        if key not in _TX_TYPES:
            _TX_TYPES[key] = read_tx_type(self)
        return _TX_TYPES[key]

    Web3Provider.__new__ = staticmethod(new_provider)  # type: ignore[method-assign]
    EcosystemAPI._custom_networks = property(custom_networks)  # type: ignore[method-assign,assignment]
    Ethereum.default_transaction_type = property(default_transaction_type)  # type: ignore[method-assign,assignment]
    _INSTALLED = True
