"""Upgrading a token behind its ERC-1967 proxy (UUPS): the new implementation is a
contract that answers `proxiableUUID()` with the ERC-1967 implementation slot, and the
proxy's `upgradeToAndCall` is an UPGRADER_ROLE action, which the governance timelock
holds, so it is proposed to it and runs after the delay.

`layout_check(current, candidate)` compares the storage layouts of the running
implementation's and the candidate's compiled types; `upgrade` runs it where the
candidate's contract type is known (a project contract deployed by name).
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

LayoutCheck = Callable[[Any, Any], str | None]


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


def released_layout_check(current: Any, candidate: Any) -> str | None:
    """The storage-layout check of an upgrade: the candidate's layout (compiled from this
    checkout) against the released layout of the running contract (security/layouts/)."""
    from somchain.upgrades import check_upgrade_layout

    try:
        problems = check_upgrade_layout(current.name, candidate.name)
    except (FileNotFoundError, KeyError, LookupError):
        return f"no released storage layout of {current.name} to compare {candidate.name} with"
    if problems:
        return f"{candidate.name}'s storage layout breaks {current.name}'s: " + "; ".join(problems)
    return None


def upgrade(
    token: Any,
    sender: str,
    implementation: str,
    call_data: str | None = None,
    *,
    current_type: Any = None,
    candidate_type: Any = None,
    layout_check: LayoutCheck | None = released_layout_check,
) -> Action:
    """`upgradeToAndCall(implementation, call_data)` on the proxy `token`."""
    new = checksummed(implementation, "new implementation")
    data = _hex(call_data)
    running = implementation_of(token.address)
    if new == running:
        raise InputError(f"{new} is already the implementation of {token.address}")
    checks: list[Callable[[], str | None]] = [lambda: candidate_problem(new)]
    if layout_check is not None and current_type is not None and candidate_type is not None:
        checks.append(lambda: layout_check(current_type, candidate_type))
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
