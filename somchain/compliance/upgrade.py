"""Upgrading a token behind its ERC-1967 proxy (UUPS): the new implementation is a
contract that answers `proxiableUUID()` with the ERC-1967 implementation slot, and the
proxy's `upgradeToAndCall` is an UPGRADER_ROLE action, which the governance timelock
holds, so it is proposed to it and runs after the delay.

The storage-layout check compares the candidate's layout with the layout of the release
the proxy runs: the manifest records, for each implementation address of a proxy, the
layout release it was built with (at deploy, and whenever `upgrade NAME` deploys a
candidate). An upgrade whose running or candidate layout is not recorded is refused: it
cannot be checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ape import chain
from eth_utils import to_checksum_address

from somchain.actions import Action
from somchain.errors import InputError
from somchain.inputs import checksummed

# ERC-1967: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)
IMPLEMENTATION_SLOT = bytes.fromhex(
    "360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc"
)

# (proxy address, running implementation, candidate address, candidate contract name or None)
LayoutCheck = Callable[[str, str, str, str | None], str | None]


def implementation_of(proxy_address: str) -> str:
    """The implementation an ERC-1967 proxy delegates to, read from its slot."""
    raw = chain.provider.get_storage(proxy_address, IMPLEMENTATION_SLOT)
    return to_checksum_address(bytes(raw)[-20:])


def candidate_problem(address: str) -> str | None:
    """Why `address` cannot be a UUPS implementation: no code, or no `proxiableUUID()`
    answering the ERC-1967 slot (the proxy would refuse it)."""
    if not chain.provider.get_code(address):
        return f"the new implementation {address} has no code"
    web3 = chain.provider.web3
    selector = "0x52d1902d"  # proxiableUUID()
    try:
        answer = bytes(web3.eth.call({"to": address, "data": selector}))
    except Exception:
        return f"the new implementation {address} does not answer proxiableUUID()"
    if answer != IMPLEMENTATION_SLOT:
        return (
            f"the new implementation {address} answers proxiableUUID() with 0x{answer.hex()}, "
            "not the ERC-1967 implementation slot"
        )
    return None


def project_type(name: str) -> Any:
    """The compiled project contract `name`, refused unless it is UUPS-upgradeable."""
    from ape import project

    if name not in project.contracts:
        raise InputError(f"{name!r} is neither an address nor a contract of this project")
    container = getattr(project, name)
    functions = {f.name for f in container.contract_type.mutable_methods} | {
        f.name for f in container.contract_type.view_methods
    }
    if not {"proxiableUUID", "upgradeToAndCall"} <= functions:
        raise InputError(f"{name} is not a UUPS implementation (no proxiableUUID/upgradeToAndCall)")
    return container


def _entry_of(proxy_address: str) -> dict | None:
    from somchain import manifest

    for entry in manifest.load(chain.chain_id).get("contracts", {}).values():
        if str(entry.get("address", "")).lower() == proxy_address.lower():
            return entry
    return None


def recorded_layout_check(
    proxy_address: str, running: str, candidate: str, candidate_name: str | None
) -> str | None:
    """Why the candidate's storage layout cannot replace the one the proxy runs (the
    release the manifest records for the running implementation), or None."""
    from somchain import upgrades

    entry = _entry_of(proxy_address)
    if entry is None:
        return f"the manifest has no entry for {proxy_address}: its storage layout is unknown"
    family = entry["contract"]
    version = upgrades.running_release(entry, running)
    if version is None:
        return (
            f"the manifest records no storage-layout release for {family}'s running "
            f"implementation {running}: the upgrade cannot be checked against it"
        )
    if candidate_name is not None:
        layout = upgrades.tree_layout(candidate_name)
        shown = candidate_name
    else:
        recorded = upgrades.running_release(entry, candidate)
        if recorded is None:
            return (
                f"no storage layout is recorded for {candidate}: deploy the candidate with "
                "`upgrade NAME --deploy-only`, which checks and records it"
            )
        layout, shown = upgrades.released_layout(family, recorded), candidate
    problems = upgrades.layout_problems(upgrades.released_layout(family, version), layout)
    if problems:
        return (
            f"{shown}'s storage layout breaks {family}'s (release {version}, which the proxy "
            "runs): " + "; ".join(problems)
        )
    if candidate_name is not None and upgrades.release_of(candidate_name, family) is None:
        return (
            f"{candidate_name}'s storage layout is no release of {family}: record it first "
            "(`python tools/layouts.py VERSION`), so that the next upgrade can be checked"
        )
    return None


def record_candidate(proxy_address: str, candidate: str, candidate_name: str) -> str | None:
    """Records in the manifest the layout release of a candidate implementation deployed
    for `proxy_address`; returns it (None when its layout is no release)."""
    from somchain import manifest, upgrades

    data = manifest.load(chain.chain_id)
    for entry in data.get("contracts", {}).values():
        if str(entry.get("address", "")).lower() == proxy_address.lower():
            version = upgrades.release_of(candidate_name, entry["contract"])
            entry.setdefault("implementation_layouts", {})[candidate] = version
            manifest.save(data)
            return version
    return None


def upgrade(
    token: Any,
    sender: str,
    implementation: str,
    call_data: str | None = None,
    *,
    candidate_type: Any = None,
    layout_check: LayoutCheck | None = recorded_layout_check,
) -> Action:
    """`upgradeToAndCall(implementation, call_data)` on the proxy `token`, checked against
    the storage layout the proxy runs (`layout_check`)."""
    new = checksummed(implementation, "new implementation")
    data = _hex(call_data)
    running = implementation_of(token.address)
    if new == running:
        raise InputError(f"{new} is already the implementation of {token.address}")
    checks: list[Callable[[], str | None]] = [lambda: candidate_problem(new)]
    if layout_check is not None:
        name = getattr(candidate_type, "name", None)
        checks.append(lambda: layout_check(token.address, running, new, name))
    return Action(
        token,
        "upgradeToAndCall",
        [new, data],
        f"upgrade {token.symbol()} ({token.address}) from implementation {running} to {new}"
        + (f" calling 0x{data.hex()}" if data else ""),
        role="UPGRADER_ROLE",
        checks=checks,
    )


def _hex(text: str | None) -> bytes:
    if not text:
        return b""
    try:
        return bytes.fromhex(text.removeprefix("0x"))
    except ValueError:
        raise InputError(f"call data {text!r} is not hex") from None


def may_upgrade(token: Any, sender: str, timelock: Any = None) -> None:
    """Refuses (before an implementation is deployed) a sender who can neither upgrade
    `token` nor propose the upgrade to the timelock that holds UPGRADER_ROLE."""
    rid = bytes(token.UPGRADER_ROLE())
    if token.hasRole(rid, sender):
        return
    if timelock is not None and token.hasRole(rid, timelock.address):
        if timelock.hasRole(timelock.PROPOSER_ROLE(), sender):
            return
        raise InputError(
            f"UPGRADER_ROLE on {token.address} is held by the governance timelock "
            f"{timelock.address}; {sender} is not one of its proposers"
        )
    raise InputError(f"account {sender} does not hold UPGRADER_ROLE on {token.address}")
