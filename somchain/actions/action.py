"""An operator action: one contract call, checked before it is sent.

Every command of the operator scripts builds an `Action` (what to call, who must hold which
role, whether a pause blocks it, which accounts it touches), runs `preflight` (read-only
calls: role held, not paused, command-specific checks), then `send`s it, or rehearses it on
a fork first (`somchain.actions.rehearsal`); `somchain.actions.pipeline` runs those steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ape.exceptions import ContractLogicError, TransactionError

from somchain.actions.reverts import describe_error
from somchain.constants import DEFAULT_ADMIN_ROLE, ZERO_ADDRESS
from somchain.errors import ActionFailed, InputError


@dataclass(frozen=True)
class Read:
    """A view of the action's contract that a rehearsal reads before and after the action,
    shown as `label: before -> after` (through `show`, for a person)."""

    label: str
    signature: str  # like "tierLimits(uint8)"
    args: tuple = ()
    out: tuple[str, ...] = ("uint256",)
    show: Callable[[Any], str] | None = None


@dataclass
class Action:
    """A single state-changing call and what must hold before it is sent."""

    contract: Any
    method: str
    args: list
    summary: str
    role: str | None = None  # name of the role constant, e.g. "PAUSER_ROLE"
    needs_unpaused: bool = False
    checks: list[Callable[[], str | None]] = field(default_factory=list)
    watch: list[str] = field(default_factory=list)  # accounts whose state a rehearsal diffs
    watch_roles: list[str] = field(default_factory=list)  # roles a rehearsal diffs besides `role`
    value: int = 0
    reads: list[Read] = field(default_factory=list)  # other views a rehearsal diffs
    # The calls this action makes later on other contracts, from `contract`: a timelock's
    # scheduled call. A rehearsal runs them and diffs their state, not the carrier's.
    inner: list[Action] = field(default_factory=list)

    @property
    def calldata(self) -> bytes:
        return bytes(getattr(self.contract, self.method).encode_input(*self.args))


def role_id(contract: Any, role: str) -> bytes:
    """The bytes32 id of a role constant name of `contract`."""
    if role == "DEFAULT_ADMIN_ROLE":
        return DEFAULT_ADMIN_ROLE
    return bytes(getattr(contract, role)())


def preflight(action: Action, sender: str) -> None:
    """Read-only checks; raises InputError naming the first problem."""
    contract = action.contract
    if action.role is not None:
        rid = role_id(contract, action.role)
        # A TimelockController role granted to the zero address is open to everyone.
        open_role = action.role == "EXECUTOR_ROLE" and contract.hasRole(rid, ZERO_ADDRESS)
        if not open_role and not contract.hasRole(rid, sender):
            raise InputError(f"account {sender} does not hold {action.role} on {contract.address}")
    if action.needs_unpaused and contract.paused():
        raise InputError(f"{contract.address} is paused")
    for check in action.checks:
        problem = check()
        if problem:
            raise InputError(problem)


def send(action: Action, sender: Any) -> Any:
    """Sends the action from `sender`; raises ActionFailed with the decoded error on revert."""
    method = getattr(action.contract, action.method)
    try:
        receipt = method(*action.args, sender=sender, value=action.value)
    except ContractLogicError as err:
        raise ActionFailed(f"reverted: {describe_error(err, action.contract)}") from err
    except TransactionError as err:
        raise ActionFailed(f"transaction failed: {describe_error(err, action.contract)}") from err
    if getattr(receipt, "failed", False):
        raise ActionFailed(f"transaction {receipt.txn_hash} failed")
    return receipt


def receipt_lines(receipt: Any) -> list[str]:
    """What an operator reads after a transaction: hash, block, gas and decoded events (in
    token units, UTC, role names and named addresses: `somchain.actions.events`)."""
    from ape import networks

    from somchain import manifest
    from somchain.actions.events import event_line

    lines = [
        f"tx {receipt.txn_hash}",
        f"block {receipt.block_number:,}, gas used {receipt.gas_used:,}",
    ]
    provider = networks.active_provider
    connected = provider is not None and getattr(provider, "is_connected", False)
    names = manifest.names(provider.chain_id) if connected else {}
    scales: dict = {}
    for event in receipt.events:
        lines.append(event_line(event, provider if connected else None, names, scales))
    return lines
