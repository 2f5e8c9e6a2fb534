"""A Safe for the board: a proxy of the SafeL2 singleton created by the SafeProxyFactory,
with the CompatibilityFallbackHandler (so the Safe answers ERC-1271 `isValidSignature`).

On BNB testnet (97) and mainnet (56) the singletons are the canonical v1.4.1 deployments
(addresses from `@safe-global/safe-deployments`); on a local chain they are deployed once
from the npm artifacts and recorded in the manifest under `safe_singletons`. Each Safe is
recorded under `safes.<name>` (address, owners, threshold, the singletons it uses).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ape import chain
from eth_utils import to_checksum_address

from somchain import manifest
from somchain.constants import ZERO_ADDRESS
from somchain.errors import InputError
from somchain.inputs import checksummed
from somchain.safe import contracts

Echo = Callable[[str], None]
SINGLETONS = ("SafeL2", "SafeProxyFactory", "CompatibilityFallbackHandler", "MultiSendCallOnly")


def _has_code(address: str) -> bool:
    return len(chain.provider.get_code(address)) > 0


def check_owners(owners: list[str], threshold: int) -> list[str]:
    """Checksummed, distinct owners and a threshold from 1 to their number."""
    if not owners:
        raise InputError("a Safe needs at least one --owner")
    checked: list[str] = []
    for owner in owners:
        owner = checksummed(owner, "owner")
        if owner in checked:
            raise InputError(f"owner {owner} is given twice")
        checked.append(owner)
    if not 1 <= threshold <= len(checked):
        raise InputError(f"threshold {threshold} must be from 1 to the {len(checked)} owner(s)")
    return checked


def singletons(deployer: Any, echo: Echo, network_name: str) -> dict[str, str]:
    """The singleton addresses on this chain: the canonical ones where they have code (BNB
    Chain and its forks), else, on a local chain, deployed once and recorded."""
    chain_id = chain.chain_id
    canonical = {name: contracts.canonical_address(name, chain_id) for name in SINGLETONS}
    if all(a and _has_code(a) for a in canonical.values()):
        return {n: str(a) for n, a in canonical.items()}
    if not manifest.is_rehearsal_network(network_name):
        missing = [n for n, a in canonical.items() if a is None or not _has_code(a)]
        raise InputError(
            f"chain {chain_id} has no canonical Safe {contracts.SAFE_VERSION} {', '.join(missing)}"
        )
    data = manifest.load(chain_id)
    recorded = data.get("safe_singletons", {})
    if recorded and all(recorded.get(n) and _has_code(recorded[n]) for n in SINGLETONS):
        return recorded
    deployed = {}
    for name in SINGLETONS:
        contract = contracts.container(name).deploy(sender=deployer)
        echo(f"  deployed {name} at {contract.address}")
        deployed[name] = contract.address
    data = manifest.load(chain_id)
    data["safe_singletons"] = deployed
    manifest.save(data)
    return deployed


def deploy_safe(
    deployer: Any,
    owners: list[str],
    threshold: int,
    network_name: str,
    name: str = "safe",
    echo: Echo = print,
) -> dict:
    """Creates the Safe and records it in the manifest; returns its entry."""
    owners = check_owners(owners, threshold)
    existing = manifest.load(chain.chain_id).get("safes", {}).get(name)
    if existing and _has_code(existing["address"]):
        raise InputError(
            f"a Safe named {name!r} is already recorded at {existing['address']} (use --name)"
        )
    pieces = singletons(deployer, echo, network_name)
    singleton = contracts.at("SafeL2", pieces["SafeL2"])
    initializer = singleton.setup.encode_input(
        owners,
        threshold,
        ZERO_ADDRESS,
        b"",
        pieces["CompatibilityFallbackHandler"],
        ZERO_ADDRESS,
        0,
        ZERO_ADDRESS,
    )
    factory = contracts.at("SafeProxyFactory", pieces["SafeProxyFactory"])
    salt_nonce = int.from_bytes(os.urandom(32), "big")
    receipt = factory.createProxyWithNonce(
        pieces["SafeL2"], initializer, salt_nonce, sender=deployer
    )
    created = [log for log in receipt.events if log.event_name == "ProxyCreation"]
    if not created:
        raise InputError("the factory created no Safe (no ProxyCreation event)")
    address = to_checksum_address(str(created[0].proxy))
    safe = contracts.at("SafeL2", address)
    if [to_checksum_address(o) for o in safe.getOwners()] != owners:
        raise InputError(f"the Safe at {address} does not list the owners it was created with")
    entry = {
        "contract": "SafeL2",
        "version": contracts.SAFE_VERSION,
        "address": address,
        "owners": owners,
        "threshold": threshold,
        "singletons": pieces,
        "tx": str(receipt.txn_hash),
        "block": receipt.block_number,
        "deployer": deployer.address,
    }
    data = manifest.load(chain.chain_id)
    data.setdefault("safes", {})[name] = entry
    manifest.save(data)
    return entry


def resolve(text: str) -> str:
    """A Safe's address from `--safe`: a checksummed address, or a Safe's name in the
    manifest; refuses an address without Safe code behind it."""
    data = manifest.load(chain.chain_id)
    safes = data.get("safes", {})
    if text in safes:
        address = safes[text]["address"]
    elif text.startswith("0x"):
        address = checksummed(text, "--safe")
    else:
        raise InputError(
            f"no Safe named {text!r} in {manifest.manifest_path(chain.chain_id)} "
            f"(known: {', '.join(safes) or 'none'})"
        )
    if not _has_code(address):
        raise InputError(f"no contract at the Safe address {address}")
    try:
        contracts.at("SafeL2", address).getThreshold()
    except Exception:
        raise InputError(f"{address} is not a Safe (no getThreshold)") from None
    return address
