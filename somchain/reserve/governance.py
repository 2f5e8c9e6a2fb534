"""Governance through the reserve's TimelockController: schedule calls, wait out the
delay, execute. Every governance action is a timelock operation: a proposer schedules it,
waits out the minimum delay, then an executor executes it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ape import chain

from somchain.constants import ZERO_BYTES32
from somchain.proxy import address_of


@dataclass(frozen=True)
class Operation:
    """A scheduled timelock operation: everything needed to execute or cancel it."""

    id: bytes
    targets: tuple[str, ...]
    values: tuple[int, ...]
    payloads: tuple[bytes, ...]
    predecessor: bytes
    salt: bytes
    delay: int

    @property
    def is_batch(self) -> bool:
        return len(self.targets) != 1


def _bytes32(salt: bytes | str | int) -> bytes:
    if isinstance(salt, int):
        return salt.to_bytes(32, "big")
    if isinstance(salt, str):
        salt = bytes.fromhex(salt.removeprefix("0x"))
    if len(salt) > 32:
        raise ValueError("salt longer than 32 bytes")
    return salt.rjust(32, b"\x00")


def schedule_calls(
    timelock: Any,
    calls: Sequence[tuple[Any, int, bytes]],
    proposer: Any,
    salt: bytes | str | int = 0,
    delay: int | None = None,
    predecessor: bytes = ZERO_BYTES32,
) -> Operation:
    """Schedules `calls` (target, value, calldata) as one timelock operation."""
    if not calls:
        raise ValueError("no calls to schedule")
    targets = tuple(address_of(target) for target, _, _ in calls)
    values = tuple(int(value) for _, value, _ in calls)
    payloads = tuple(bytes(data) for _, _, data in calls)
    salt32 = _bytes32(salt)
    delay = timelock.getMinDelay() if delay is None else delay
    if len(calls) == 1:
        op_id = timelock.hashOperation(targets[0], values[0], payloads[0], predecessor, salt32)
        timelock.schedule(
            targets[0], values[0], payloads[0], predecessor, salt32, delay, sender=proposer
        )
    else:
        op_id = timelock.hashOperationBatch(targets, values, payloads, predecessor, salt32)
        timelock.scheduleBatch(
            targets, values, payloads, predecessor, salt32, delay, sender=proposer
        )
    return Operation(
        id=bytes(op_id),
        targets=targets,
        values=values,
        payloads=payloads,
        predecessor=predecessor,
        salt=salt32,
        delay=delay,
    )


def wait_until_ready(timelock: Any, operation: Operation) -> None:
    """Moves the local chain's clock to the moment `operation` becomes executable
    (development chains only)."""
    ready_at = timelock.getTimestamp(operation.id)
    if chain.pending_timestamp < ready_at:
        chain.pending_timestamp = ready_at


def execute_operation(timelock: Any, operation: Operation, executor: Any) -> Any:
    """Executes a ready operation; returns the receipt."""
    if operation.is_batch:
        return timelock.executeBatch(
            operation.targets,
            operation.values,
            operation.payloads,
            operation.predecessor,
            operation.salt,
            sender=executor,
            value=sum(operation.values),
        )
    return timelock.execute(
        operation.targets[0],
        operation.values[0],
        operation.payloads[0],
        operation.predecessor,
        operation.salt,
        sender=executor,
        value=operation.values[0],
    )


def govern(
    timelock: Any,
    calls: Sequence[tuple[Any, int, bytes]],
    committee: Any,
    salt: bytes | str | int = 0,
) -> Any:
    """Schedules, waits out the delay and executes `calls` (development chains only)."""
    operation = schedule_calls(timelock, calls, committee, salt)
    wait_until_ready(timelock, operation)
    return execute_operation(timelock, operation, committee)


def vault_call(vault: Any, method: str, *args: Any) -> tuple[Any, int, bytes]:
    """A (target, value, calldata) call of the vault's `method`, for `schedule_calls`."""
    return (vault, 0, bytes(getattr(vault, method).encode_input(*args)))


def propose_withdrawal(
    timelock: Any,
    vault: Any,
    asset: Any,
    to: Any,
    amount: int,
    proposer: Any,
    salt: bytes | str | int = 0,
) -> Operation:
    """Schedules `vault.withdraw(asset, to, amount)` with the timelock's minimum delay.

    Returns the operation: its id and the target, value, calldata, predecessor and salt
    that `execute_withdrawal` (or a cancel) needs.
    """
    call = vault_call(vault, "withdraw", address_of(asset), address_of(to), amount)
    return schedule_calls(timelock, [call], proposer, salt)


def execute_withdrawal(timelock: Any, operation: Operation, executor: Any) -> Any:
    """Executes a withdrawal scheduled by `propose_withdrawal` once its delay has passed;
    returns the receipt."""
    return execute_operation(timelock, operation, executor)
