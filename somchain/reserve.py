"""The national crypto reserve: deploy its timelock and vault, move assets through
governance, and read what it holds.

Every governance action is a TimelockController operation: the committee schedules it,
waits out the minimum delay, then an executor executes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from ape import Contract, chain, project

NATIVE = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"  # the vault's sentinel for native BNB
NATIVE_SYMBOL = "BNB"
QUOTE_DECIMALS = 8  # prices and values are USD with 8 decimals
ZERO_BYTES32 = b"\x00" * 32
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"

_ERC20_METADATA_ABI = [
    {
        "type": "function",
        "name": name,
        "stateMutability": "view",
        "inputs": [],
        "outputs": [{"name": "", "type": kind}],
    }
    for name, kind in (("symbol", "string"), ("decimals", "uint8"))
]


class DeployedReserve(NamedTuple):
    """The reserve's governance and its vault."""

    timelock: Any
    vault: Any


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


@dataclass(frozen=True)
class HoldingRow:
    """One line of the valuation, in human units (USD for price and value)."""

    asset: str
    symbol: str
    balance: Decimal
    price: Decimal
    value: Decimal


def _address(account: Any) -> str:
    return getattr(account, "address", account)


def _bytes32(salt: bytes | str | int) -> bytes:
    if isinstance(salt, int):
        return salt.to_bytes(32, "big")
    if isinstance(salt, str):
        salt = bytes.fromhex(salt.removeprefix("0x"))
    if len(salt) > 32:
        raise ValueError("salt longer than 32 bytes")
    return salt.rjust(32, b"\x00")


def deploy_reserve(
    sender: Any,
    committee: Any,
    guardian: Any,
    operator: Any,
    min_delay: int,
    max_price_age: int,
    executors: Sequence[Any] | None = None,
) -> DeployedReserve:
    """Deploys the ReserveTimelock and the ReserveVault it governs.

    The committee proposes and cancels; `executors` (default: the committee; pass
    `[ZERO_ADDRESS]` to let anyone execute) execute once `min_delay` seconds have passed.
    The timelock administers itself, so role changes also wait out the delay.
    """
    committee_address = _address(committee)
    executor_addresses = [_address(e) for e in (executors or [committee_address])]
    timelock = project.ReserveTimelock.deploy(
        min_delay,
        [committee_address],
        executor_addresses,
        ZERO_ADDRESS,  # no admin: the timelock administers itself
        sender=sender,
    )
    vault = project.ReserveVault.deploy(
        timelock.address,
        _address(guardian) if guardian else ZERO_ADDRESS,
        _address(operator) if operator else ZERO_ADDRESS,
        max_price_age,
        sender=sender,
    )
    return DeployedReserve(timelock=timelock, vault=vault)


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
    targets = tuple(_address(target) for target, _, _ in calls)
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
    call = vault_call(vault, "withdraw", _address(asset), _address(to), amount)
    return schedule_calls(timelock, [call], proposer, salt)


def execute_withdrawal(timelock: Any, operation: Operation, executor: Any) -> Any:
    """Executes a withdrawal scheduled by `propose_withdrawal` once its delay has passed;
    returns the receipt."""
    return execute_operation(timelock, operation, executor)


def asset_metadata(asset: str) -> tuple[str, int]:
    """The symbol and decimals of a listed asset (BNB and 18 for the native sentinel)."""
    if asset.lower() == NATIVE.lower():
        return NATIVE_SYMBOL, 18
    token = Contract(asset, abi=_ERC20_METADATA_ABI)
    return token.symbol(), token.decimals()


def holdings_table(vault: Any) -> list[HoldingRow]:
    """Each listed asset's balance (in whole units), USD price and USD value.

    Raises the vault's ReservePriceStale / ReservePriceNotPositive if a price is bad.
    """
    rows = []
    for holding in vault.holdings():
        asset, balance, price, value = holding
        symbol, decimals = asset_metadata(asset)
        rows.append(
            HoldingRow(
                asset=asset,
                symbol=symbol,
                balance=Decimal(balance).scaleb(-decimals),
                price=Decimal(price).scaleb(-QUOTE_DECIMALS),
                value=Decimal(value).scaleb(-QUOTE_DECIMALS),
            )
        )
    return rows


def format_holdings(rows: Sequence[HoldingRow]) -> list[str]:
    """The holdings as aligned text lines, with a total."""
    lines = [f"{'asset':<6} {'balance':>24} {'price USD':>16} {'value USD':>18}"]
    for row in rows:
        lines.append(
            f"{row.symbol:<6} {row.balance:>24,.8f} {row.price:>16,.2f} {row.value:>18,.2f}"
        )
    total = sum((row.value for row in rows), Decimal(0))
    lines.append(f"{'total':<6} {'':>24} {'':>16} {total:>18,.2f}")
    return lines
