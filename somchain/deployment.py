"""What every part's deployment shares: the outcome it reports, role grants, the admin
handover, and the manifest entries it records.

A part already in the manifest (with code at its address) is left alone unless `force`.
The parts themselves live with their domain (`somchain.stablecoin.deploy`, ...);
`somchain.stack.PARTS` lists them in deployment order; the governance timelock they
hand over to is `somchain.governance.deploy`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ape import chain

from somchain import manifest
from somchain.proxy import Deployed

Echo = Callable[[str], None]


@dataclass
class Outcome:
    """What a deploy step did: the manifest keys it wrote, or found already deployed."""

    deployed: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def block_of(txn_hash: str) -> int:
    return chain.provider.get_receipt(txn_hash).block_number


def proxied_entry(d: Deployed, initializer_args: list, deployer: Any) -> dict:
    return {
        "contract": d.contract.contract_type.name,
        "address": d.contract.address,
        "implementation": d.implementation.address,
        "tx": d.proxy_txn_hash,
        "block": block_of(d.proxy_txn_hash),
        "implementation_tx": d.implementation_txn_hash,
        "implementation_block": block_of(d.implementation_txn_hash),
        "constructor_args": [],
        "initializer": {"function": "initialize", "args": initializer_args},
        "deployer": deployer.address,
        "deployed_at": now(),
    }


def plain_entry(contract: Any, args: list, deployer: Any) -> dict:
    return {
        "contract": contract.contract_type.name,
        "address": contract.address,
        "tx": contract.txn_hash,
        "block": block_of(contract.txn_hash),
        "constructor_args": args,
        "deployer": deployer.address,
        "deployed_at": now(),
    }


def already_deployed(key: str, echo: Echo) -> Outcome | None:
    """An outcome naming `key` as existing when the manifest holds it with code, else None."""
    entry = manifest.is_deployed(key)
    if entry is None:
        return None
    echo(f"{key} already deployed at {entry['address']} (use --force to redeploy)")
    return Outcome(existing=[key])


def grant_roles(
    contract: Any, roles: list[tuple[str, str | None]], deployer: Any, echo: Echo
) -> None:
    """Grants each (role, holder); a role with no holder stays ungranted."""
    for role, holder in roles:
        if not holder:
            echo(f"  {role} left unassigned")
            continue
        rid = getattr(contract, role)()
        if not contract.hasRole(rid, holder):
            contract.grantRole(rid, holder, sender=deployer)
            echo(f"  granted {role} to {holder}")
