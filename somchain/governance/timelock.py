"""Operations of the governance timelock (OpenZeppelin's TimelockController): schedule
calls, wait out the delay, execute, and rebuild the pending operations from the
timelock's own events, so any board member on any machine sees the same queue."""

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


@dataclass(frozen=True)
class Pending:
    """A timelock operation rebuilt from its events, with its state on chain."""

    operation: Operation
    ready_at: int  # unix time; 1 once executed (OpenZeppelin's DONE_TIMESTAMP)
    state: str  # "waiting", "ready", "done" or "cancelled"


_STATES = {0: "unset", 1: "waiting", 2: "ready", 3: "done"}


def operations(timelock: Any, start_block: int = 0) -> list[Pending]:
    """Every operation scheduled on `timelock` since `start_block`, from its CallScheduled
    and CallSalt events, with its state read from the timelock."""
    calls: dict[bytes, dict[int, Any]] = {}
    delays: dict[bytes, int] = {}
    salts: dict[bytes, bytes] = {}
    predecessors: dict[bytes, bytes] = {}
    for log in timelock.CallScheduled.range(start_block, chain.blocks.head.number + 1):
        op_id = bytes(log.id)
        calls.setdefault(op_id, {})[int(log.index)] = log
        delays[op_id] = int(log.delay)
        predecessors[op_id] = bytes(log.predecessor)
    for log in timelock.CallSalt.range(start_block, chain.blocks.head.number + 1):
        salts[bytes(log.id)] = bytes(log.salt)
    found = []
    for op_id, parts in calls.items():
        ordered = [parts[i] for i in sorted(parts)]
        operation = Operation(
            id=op_id,
            targets=tuple(str(p.target) for p in ordered),
            values=tuple(int(p.value) for p in ordered),
            payloads=tuple(bytes(p.data) for p in ordered),
            predecessor=predecessors[op_id],
            salt=salts.get(op_id, ZERO_BYTES32),
            delay=delays[op_id],
        )
        state = int(timelock.getOperationState(op_id))
        name = "cancelled" if state == 0 else _STATES[state]
        found.append(Pending(operation, int(timelock.getTimestamp(op_id)), name))
    return found
