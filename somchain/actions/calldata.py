"""The raw calls behind the actions of a command, for signers outside the tool
(`--print-calldata`): target, value and calldata of each transaction, and for a proposal
to the governance timelock also the call it schedules, the operation id, the salt and the
`execute` calldata that runs it after the delay. Nothing is sent.

Also the lines every proposal ends with: its operation id and the command that executes
it once ready (`followup_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_abi import encode as abi_encode
from eth_utils import keccak

from somchain.actions.action import Action

SCHEDULE_METHODS = ("schedule", "scheduleBatch")


@dataclass(frozen=True)
class Scheduled:
    """A timelock proposal: the operation it schedules and how to execute it."""

    timelock: Any
    targets: list[str]
    values: list[int]
    payloads: list[bytes]
    predecessor: bytes
    salt: bytes
    delay: int

    @property
    def is_batch(self) -> bool:
        return len(self.targets) != 1

    @property
    def operation_id(self) -> bytes:
        """TimelockController's `hashOperation` / `hashOperationBatch`, computed locally."""
        if self.is_batch:
            types = ["address[]", "uint256[]", "bytes[]", "bytes32", "bytes32"]
            args: list = [self.targets, self.values, self.payloads]
        else:
            types = ["address", "uint256", "bytes", "bytes32", "bytes32"]
            args = [self.targets[0], self.values[0], self.payloads[0]]
        return keccak(abi_encode(types, [*args, self.predecessor, self.salt]))

    @property
    def execute_calldata(self) -> bytes:
        if self.is_batch:
            method = self.timelock.executeBatch
            args: list = [self.targets, self.values, self.payloads]
        else:
            method = self.timelock.execute
            args = [self.targets[0], self.values[0], self.payloads[0]]
        return bytes(method.encode_input(*args, self.predecessor, self.salt))


def scheduled(action: Action) -> Scheduled | None:
    """The operation `action` schedules, if it is a timelock `schedule`/`scheduleBatch`."""
    if action.method not in SCHEDULE_METHODS:
        return None
    if action.method == "schedule":
        target, value, data, predecessor, salt, delay = action.args
        targets, values, payloads = [target], [value], [data]
    else:
        targets, values, payloads, predecessor, salt, delay = action.args
    return Scheduled(
        action.contract,
        [str(t) for t in targets],
        [int(v) for v in values],
        [bytes(p) for p in payloads],
        bytes(predecessor),
        bytes(salt),
        int(delay),
    )


def _function(action: Action) -> str:
    abi = getattr(action.contract, action.method).abis[0]
    return abi.selector


def calldata_lines(actions: list[Action]) -> list[str]:
    """What a signer outside the tool needs, one transaction after the other."""
    lines = []
    for n, action in enumerate(actions, 1):
        lines += [
            f"transaction {n} of {len(actions)}: {action.summary}",
            f"  to: {action.contract.address}",
            f"  value: {action.value}",
            f"  function: {_function(action)}",
            f"  calldata: 0x{action.calldata.hex()}",
        ]
        op = scheduled(action)
        if op is None:
            continue
        lines += [
            f"  operation id: 0x{op.operation_id.hex()}",
            f"  salt: 0x{op.salt.hex()}",
            f"  predecessor: 0x{op.predecessor.hex()}",
            f"  delay: {op.delay}",
        ]
        for target, value, data in zip(op.targets, op.values, op.payloads, strict=True):
            lines += [
                f"  scheduled call to: {target}",
                f"  scheduled call value: {value}",
                f"  scheduled calldata: 0x{data.hex()}",
            ]
        lines += [
            f"  after the delay, to: {op.timelock.address}",
            f"  after the delay, value: {sum(op.values)}",
            f"  after the delay, execute calldata: 0x{op.execute_calldata.hex()}",
        ]
    lines.append("nothing sent (--print-calldata)")
    return lines


def followup_lines(actions: list[Action]) -> list[str]:
    """For each proposal sent: its operation id and how to execute it once ready."""
    lines = []
    for action in actions:
        op = scheduled(action)
        if op is None:
            continue
        op_id = "0x" + op.operation_id.hex()
        lines += [
            f"operation id {op_id}",
            f"  after the delay ({op.delay:,} s): ape run governance execute {op_id}",
        ]
    return lines
