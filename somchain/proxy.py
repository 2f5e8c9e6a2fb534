"""UUPS implementations behind ERC-1967 proxies: the one way both tokens are deployed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ape import chain, project

DEFAULT_ADMIN_DELAY = 2 * 24 * 3600  # seconds a new admin waits before accepting


@dataclass(frozen=True)
class Deployed:
    """A proxy (seen through the implementation's ABI) and its implementation."""

    contract: Any
    implementation: Any
    proxy_txn_hash: str
    implementation_txn_hash: str


def address_of(account: Any) -> str:
    """The address of an ape account or contract, or `account` itself if it is one."""
    return getattr(account, "address", account)


def deploy_proxied(contract_type: Any, initializer_args: list, sender: Any) -> Deployed:
    """Deploys a UUPS implementation and an ERC-1967 proxy running its `initialize`."""
    implementation = contract_type.deploy(sender=sender)
    data = implementation.initialize.encode_input(*initializer_args)
    proxy = project.TokenProxy.deploy(implementation.address, data, sender=sender)
    # `replace`: on a development chain that was reverted, ape may still cache another
    # contract's type for this (reused) address.
    contract = chain.contracts.instance_at(
        proxy.address, contract_type=contract_type.contract_type, replace=True
    )
    return Deployed(
        contract=contract,
        implementation=implementation,
        proxy_txn_hash=proxy.txn_hash,
        implementation_txn_hash=implementation.txn_hash,
    )
