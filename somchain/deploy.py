"""Deployment of the contracts behind their proxies, as importable functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ape import chain, project

DEFAULT_ADMIN_DELAY = 2 * 24 * 3600  # seconds a new admin waits before accepting


@dataclass(frozen=True)
class StablecoinParams:
    """Initializer arguments of the national stablecoin."""

    name: str = "Kyrgyz Som Stablecoin"
    symbol: str = "KGST"
    decimals: int = 18
    admin_delay: int = DEFAULT_ADMIN_DELAY


@dataclass(frozen=True)
class Deployed:
    """A proxy (seen through the implementation's ABI) and its implementation."""

    contract: Any
    implementation: Any
    proxy_txn_hash: str
    implementation_txn_hash: str


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


def deploy_stablecoin(
    sender: Any, admin: Any = None, params: StablecoinParams | None = None
) -> Deployed:
    """Deploys the national stablecoin; `admin` (default: `sender`) holds DEFAULT_ADMIN_ROLE."""
    params = params or StablecoinParams()
    admin_address = getattr(admin, "address", admin) or sender.address
    return deploy_proxied(
        project.NationalStablecoin,
        [params.name, params.symbol, params.decimals, admin_address, params.admin_delay],
        sender,
    )


def deploy_attestation(
    sender: Any,
    admin: Any = None,
    decimals: int = 2,
    description: str = "KGS fiat reserve backing KGST",
    admin_delay: int = DEFAULT_ADMIN_DELAY,
) -> Any:
    """Deploys the reserve attestation feed (answer in fiat units with `decimals` decimals)."""
    admin_address = getattr(admin, "address", admin) or sender.address
    return project.ReserveAttestation.deploy(
        decimals, description, admin_address, admin_delay, sender=sender
    )
