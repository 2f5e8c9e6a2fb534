"""An operator action: one contract call, checked before it is sent.

Every command of the operator scripts builds an `Action` (what to call, who must hold which
role, whether a pause blocks it, which accounts it touches), runs `preflight` (read-only
calls: role held, not paused, command-specific checks), then `send`s it, or rehearses it on
a fork first (`somchain.rehearsal`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ape.exceptions import ContractLogicError, TransactionError
from eth_abi import decode as abi_decode
from eth_utils import keccak

from somchain.errors import ActionFailed, InputError

DEFAULT_ADMIN_ROLE = b"\x00" * 32
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
_CUSTOM_ERROR = re.compile(r"custom error 0x([0-9a-fA-F]{8}):? ?([0-9a-fA-F]*)")


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
    value: int = 0

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


def decode_revert(contract_type: Any, data: bytes) -> str:
    """`Name(arg=value, ...)` of the custom error in revert `data`, from the contract's ABI."""
    if len(data) < 4:
        return "reverted without a reason"
    selector = data[:4]
    for error in contract_type.errors:
        if keccak(text=error.selector)[:4] == selector:
            types = [i.canonical_type for i in error.inputs]
            values = abi_decode(types, data[4:]) if types else ()
            args = ", ".join(
                f"{i.name}={_show(v)}" for i, v in zip(error.inputs, values, strict=True)
            )
            return f"{error.name}({args})"
    if selector == bytes.fromhex("08c379a0"):
        return abi_decode(["string"], data[4:])[0]
    return "0x" + data.hex()


def describe_error(err: Exception, contract: Any = None) -> str:
    """`Name(arg=value, ...)` of a decoded custom error, or the revert message."""
    name = type(err).__name__
    inputs = getattr(err, "inputs", None)
    if isinstance(inputs, dict) and name not in ("ContractLogicError", "VirtualMachineError"):
        args = ", ".join(f"{k}={_show(v)}" for k, v in inputs.items())
        return f"{name}({args})"
    message = getattr(err, "revert_message", None) or str(err)
    if contract is not None:
        data = revert_data(err)
        if data:
            return decode_revert(contract.contract_type, data)
    return message.splitlines()[0] if message else name


def revert_data(err: BaseException) -> bytes:
    """The raw revert data carried by an error or the errors it wraps, if any."""
    seen = 0
    while err is not None and seen < 5:
        for candidate in (getattr(err, "data", None), *getattr(err, "args", ())):
            if isinstance(candidate, dict):
                candidate = candidate.get("data")
            if not isinstance(candidate, str):
                continue
            # anvil: "execution reverted: custom error 0x<selector>: <hex arguments>"
            if match := _CUSTOM_ERROR.search(candidate):
                return bytes.fromhex(match.group(1) + match.group(2))
            if candidate.startswith("0x") and len(candidate) >= 10:
                try:
                    return bytes.fromhex(candidate[2:])
                except ValueError:
                    continue
        err = getattr(err, "base_err", None) or err.__cause__ or err.__context__
        seen += 1
    return b""


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
    """What an operator reads after a transaction: hash, block, gas and decoded events."""
    lines = [
        f"tx {receipt.txn_hash}",
        f"block {receipt.block_number}, gas used {receipt.gas_used:,}",
    ]
    for event in receipt.events:
        args = ", ".join(f"{k}={_show(v)}" for k, v in event.event_arguments.items())
        lines.append(f"event {event.event_name}({args})")
    return lines


def _show(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        text = value.rstrip(b"\x00")
        padded = len(text) < len(value)
        if padded and text and all(32 <= c < 127 for c in text):
            return repr(text.decode())
        return "0x" + bytes(value).hex()
    return str(value)
