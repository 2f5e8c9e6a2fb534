"""The reserve's governance calls: vault calls and withdrawals as operations of the
governance timelock (`somchain.governance.timelock`)."""

from __future__ import annotations

from typing import Any

from somchain.governance.timelock import Operation, execute_operation, schedule_calls
from somchain.proxy import address_of


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
