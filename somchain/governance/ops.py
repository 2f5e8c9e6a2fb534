"""Operator actions of the governance timelock: put any admin call behind the delay
(`through_timelock`), and execute or cancel a scheduled operation by its id, rebuilt from
the timelock's events."""

from __future__ import annotations

import os
from typing import Any

from ape import chain

from somchain import display, manifest
from somchain.actions import Action, decode_revert, revert_data, role_id
from somchain.constants import ZERO_ADDRESS, ZERO_BYTES32
from somchain.errors import InputError
from somchain.governance.timelock import Operation, Pending, operations


def simulate_from(sender: str, target: str, data: bytes, abi_of: Any, value: int = 0) -> str | None:
    """Why the call would revert if `sender` made it now (decoded with `abi_of`'s ABI), or
    None if it would succeed. A node that cannot simulate a call from an account without
    BNB for gas (the embedded eth-tester chain checks balances even in eth_call) is not a
    revert: the check is then left to the execution."""
    web3 = chain.provider.web3
    call = {"from": sender, "to": target, "data": "0x" + data.hex(), "value": value}
    try:
        web3.eth.call(call)
    except Exception as err:
        if "cannot afford" in str(err) or "insufficient funds" in str(err).lower():
            return None
        return decode_revert(abi_of.contract_type, revert_data(err))
    return None


def through_timelock(action: Action, timelock: Any, salt: bytes | None = None) -> Action:
    """`action` scheduled on the timelock with its minimum delay instead of sent: the
    proposer's transaction. Its checks run now, and the call is simulated from the
    timelock so that one that would revert is refused before anyone proposes it."""
    delay = int(timelock.getMinDelay())
    salt = salt or os.urandom(32)
    data = action.calldata
    target = action.contract.address
    op_id = bytes(timelock.hashOperation(target, action.value, data, ZERO_BYTES32, salt))

    def would_succeed() -> str | None:
        problem = simulate_from(timelock.address, target, data, action.contract, action.value)
        return f"the call would revert when executed: {problem}" if problem else None

    def not_scheduled() -> str | None:
        if timelock.isOperation(op_id):
            return f"operation 0x{op_id.hex()} is already scheduled (use another salt)"
        return None

    inner_checks = [not_scheduled, *action.checks]
    if action.needs_unpaused:
        inner_checks.append(lambda: "the contract is paused" if action.contract.paused() else None)
    return Action(
        timelock,
        "schedule",
        [target, action.value, data, ZERO_BYTES32, salt, delay],
        f"propose through the timelock: {action.summary} (delay {delay:,} s, "
        f"operation 0x{op_id.hex()})",
        role="PROPOSER_ROLE",
        checks=[*inner_checks, would_succeed],
        inner=[action],
    )


def route(actions: list[Action], sender: str, timelock: Any | None) -> list[Action]:
    """Each action the sender cannot make but the timelock can (its role is held by the
    timelock), and that the sender may propose, becomes a timelock proposal."""
    if timelock is None:
        return actions
    proposer = timelock.hasRole(timelock.PROPOSER_ROLE(), sender)
    routed = []
    for action in actions:
        if action.role and action.contract.address != timelock.address:
            rid = role_id(action.contract, action.role)
            held_by_timelock = action.contract.hasRole(rid, timelock.address)
            if held_by_timelock and not action.contract.hasRole(rid, sender):
                if not proposer:
                    raise InputError(
                        f"{action.role} on {action.contract.address} is held by the governance "
                        f"timelock {timelock.address}; {sender} is not one of its proposers"
                    )
                routed.append(through_timelock(action, timelock))
                continue
        routed.append(action)
    return routed


def find(timelock: Any, op_id: str, start_block: int = 0) -> Pending:
    """The operation `op_id` (0x-prefixed hex) rebuilt from the timelock's events."""
    text = op_id if op_id.startswith("0x") else "0x" + op_id
    try:
        raw = bytes.fromhex(text[2:])
    except ValueError:
        raise InputError(f"operation id {op_id!r} is not hex") from None
    if len(raw) != 32:
        raise InputError(f"operation id {op_id!r} must be 32 bytes of hex")
    for pending in operations(timelock, start_block):
        if pending.operation.id == raw:
            return pending
    raise InputError(f"no operation {text} was scheduled on the timelock {timelock.address}")


def _call_args(op: Operation) -> tuple[str, list]:
    if op.is_batch:
        return "executeBatch", [
            list(op.targets),
            list(op.values),
            list(op.payloads),
            op.predecessor,
            op.salt,
        ]
    return "execute", [op.targets[0], op.values[0], op.payloads[0], op.predecessor, op.salt]


def _not_executor(timelock: Any, sender: str, op_id: str) -> str | None:
    """Why `sender` cannot execute on the timelock, saying which Safe can when the board's
    Safe (a Safe of the manifest) holds the executor role; None when it may."""
    rid = bytes(timelock.EXECUTOR_ROLE())
    if timelock.hasRole(rid, sender) or timelock.hasRole(rid, ZERO_ADDRESS):
        return None
    found = manifest.load(chain.chain_id).get("safes", {})
    safes = [name for name, entry in found.items() if timelock.hasRole(rid, entry["address"])]
    head = f"account {sender} does not hold EXECUTOR_ROLE on the timelock {timelock.address}"
    if not safes:
        return f"{head}; if the board's Safe executes, pass --safe SAFE"
    named = ", ".join(f"{name} ({found[name]['address']})" for name in safes)
    which = f"the Safe {named} executes" if len(safes) == 1 else f"the Safes {named} execute"
    return (
        f"{head}; {which}: run `ape run governance execute {op_id} --safe {safes[-1]}`"
        + (f" (or --safe {' / '.join(safes[:-1])})" if len(safes) > 1 else "")
        + ", have its owners `ape run safe sign` the proposal file, then `ape run safe execute` it"
    )


def execute(timelock: Any, sender: str, op_id: str, start_block: int = 0) -> Action:
    pending = find(timelock, op_id, start_block)
    op = pending.operation
    problem = _not_executor(timelock, sender, "0x" + op.id.hex())
    if problem:
        raise InputError(problem)

    def ready() -> str | None:
        state = int(timelock.getOperationState(op.id))
        if state == 3:
            return f"operation 0x{op.id.hex()} was already executed"
        if state == 0:
            return f"operation 0x{op.id.hex()} was cancelled"
        if state == 1:
            return f"operation 0x{op.id.hex()} is not ready before {display.utc(pending.ready_at)}"
        return None

    def would_succeed() -> str | None:
        for target, value, data in zip(op.targets, op.values, op.payloads, strict=True):
            problem = simulate_from(timelock.address, target, data, _abi_for(target), value)
            if problem:
                return f"the call to {target} would revert: {problem}"
        return None

    method, args = _call_args(op)
    return Action(
        timelock,
        method,
        args,
        f"execute operation 0x{op.id.hex()} ({len(op.targets)} call(s))",
        role="EXECUTOR_ROLE",
        checks=[ready, would_succeed],
        value=sum(op.values),
    )


def cancel(timelock: Any, sender: str, op_id: str, start_block: int = 0) -> Action:
    pending = find(timelock, op_id, start_block)
    op = pending.operation
    return Action(
        timelock,
        "cancel",
        [op.id],
        f"cancel operation 0x{op.id.hex()}",
        role="CANCELLER_ROLE",
        checks=[
            lambda: (
                None
                if int(timelock.getOperationState(op.id)) in (1, 2)
                else f"operation 0x{op.id.hex()} is not pending"
            )
        ],
    )


def _abi_for(address: str) -> Any:
    """The project contract deployed at `address` (by the manifest), for decoding."""
    from ape import project

    from somchain import manifest

    for entry in manifest.load(chain.chain_id).get("contracts", {}).values():
        if entry["address"].lower() == address.lower():
            container = getattr(project, entry["contract"], None)
            if container is not None:
                return container
    return project.GovernanceTimelock


def decode_call(
    container: Any,
    data: bytes,
    scale: tuple[str, int, bool] | None = None,
    names: dict[str, str] | None = None,
) -> str:
    """`name(arg=value, ...)` of calldata `data` by the ABI of `container` (amounts in the
    units of `scale`, addresses named by `names`, roles by name), or its hex."""
    from eth_abi import decode as abi_decode
    from eth_utils import keccak

    from somchain.actions.events import arg_text

    for item in container.contract_type.abi:
        if getattr(item, "type", "") != "function":
            continue
        if keccak(text=item.selector)[:4] == data[:4]:
            types = [i.canonical_type for i in item.inputs]
            try:
                values = abi_decode(types, data[4:])
            except Exception:
                break
            labels = [i.name or f"arg{n}" for n, i in enumerate(item.inputs)]
            shown = ", ".join(
                f"{k}={arg_text(k, v, scale, names or {})}"
                for k, v in zip(labels, values, strict=True)
            )
            return f"{item.name}({shown})"
    return "0x" + data.hex()


def describe(timelock: Any, pending: Pending) -> dict:
    """One operation as an operator reads it: id, state, ready time, decoded calls (the
    target named by the manifest, amounts in its token's units, roles by name)."""
    from somchain import manifest
    from somchain.actions.events import token_scale

    names = manifest.names(chain.chain_id)
    calls = []
    for target, value, data in zip(
        pending.operation.targets, pending.operation.values, pending.operation.payloads, strict=True
    ):
        scale = token_scale(chain.provider.web3, target)
        shown = decode_call(_abi_for(target), data, scale, names)
        sent = f", sending {display.amount(value, 18, 'BNB')}" if value else ""
        calls.append(f"{display.named(target, names)}: {shown}{sent}")
    return {
        "id": "0x" + pending.operation.id.hex(),
        "state": pending.state,
        "ready_at": display.utc(pending.ready_at) if pending.ready_at > 1 else "-",
        "calls": calls,
    }
