"""What every part's deployment shares: the outcome it reports, role grants, the admin
handover, and the manifest entries it records.

A part already in the manifest (with code at its address) is left alone unless `force`.
The parts themselves live with their domain (`somchain.stablecoin.deploy`, ...);
`somchain.stack.PARTS` lists them in deployment order; the governance timelock they
hand over to is `somchain.governance.deploy`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ape import chain

from somchain import manifest, upgrades
from somchain.errors import InputError
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
    """A proxy's manifest entry; an upgradeable implementation's storage-layout release is
    recorded with it (`layout_version`, and per implementation address), which every later
    upgrade is checked against."""
    name = d.contract.contract_type.name
    layouts = {}
    if name in upgrades.UPGRADEABLE:
        version = upgrades.release_of(name)
        layouts = {
            "layout_version": version,
            "implementation_layouts": {d.implementation.address: version},
        }
    return {
        **layouts,
        "contract": name,
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


@dataclass(frozen=True)
class DeployedRow:
    """One contract of the manifest as the deploy command reports it."""

    key: str
    contract: str
    address: str
    tx: str
    block: int
    gas_used: int | None  # the deployment's gas, implementation included; None if unknown


def deployment_rows(chain_id: int) -> list[DeployedRow]:
    """Every contract of `chain_id`'s manifest with its transaction, block and gas used
    (read from the receipts: the proxy's and its implementation's for a proxied part)."""
    rows = []
    for key, entry in manifest.load(chain_id).get("contracts", {}).items():
        gas: int | None = 0
        for tx in (entry.get("tx"), entry.get("implementation_tx")):
            if not tx:
                continue
            try:
                gas = (gas or 0) + int(chain.provider.get_receipt(tx).gas_used)
            except Exception:  # a receipt the node no longer serves
                gas = None
                break
        rows.append(
            DeployedRow(
                key,
                entry["contract"],
                entry["address"],
                entry.get("tx", "-"),
                int(entry.get("block", 0)),
                gas,
            )
        )
    return rows


@contextlib.contextmanager
def on_a_fork(provider: Any) -> Iterator[str]:
    """Connects ape to a local anvil fork of `provider`'s node for the duration, with
    manifests written to a temporary folder seeded with the chain's real manifest; yields
    the fork's URI. Neither the network nor its manifest sees anything."""
    from ape import networks

    from somchain.anvil import Anvil, AnvilError

    uri = str(getattr(provider, "uri", "") or "")
    if not uri.startswith("http"):
        raise InputError("--rehearse needs a network reached over RPC, not the embedded chain")
    network = provider.network
    chain_id = int(provider.chain_id)
    real = manifest.manifest_path(chain_id)
    saved = os.environ.get("SOMCHAIN_DEPLOYMENTS")
    base = Path(saved) if saved else manifest.ROOT / "deployments"
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / real.relative_to(base)
        copy.parent.mkdir(parents=True, exist_ok=True)
        if real.is_file():
            shutil.copy(real, copy)
        try:
            fork = Anvil(fork_url=uri, chain_id=chain_id).start()
        except AnvilError as err:
            raise InputError(f"cannot fork {uri}: {err}") from None
        os.environ["SOMCHAIN_DEPLOYMENTS"] = folder
        try:
            choice = f"{network.ecosystem.name}:{network.name}:{fork.url}"
            with fork, networks.parse_network_choice(choice):
                yield fork.url
        finally:
            if saved is None:
                os.environ.pop("SOMCHAIN_DEPLOYMENTS", None)
            else:
                os.environ["SOMCHAIN_DEPLOYMENTS"] = saved
