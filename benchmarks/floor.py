"""The gas floor of a transaction: what the EVM charges, under the Prague rules anvil runs,
for the work that no implementation of the operation can avoid.

floor = 21,000 (intrinsic) + the transaction's calldata (4 gas per zero byte, 16 per other
byte) + 5,000 per balance (or allowance) slot read cold and rewritten with a non-zero value
(2,100 + 2,900) + 22,100 per slot written from zero (2,100 + 20,000) + each log it must
emit (375 + 375 per topic + 8 per data byte: 1,756 for a Transfer or Approval).

No access checks, no other storage, no calls, no other events: a plain OpenZeppelin ERC-20
comes within about 1,000 gas of it. EIP-7623's calldata floor (10 gas per zero byte, 40 per
other byte) is applied when it is higher, which for these transactions it never is.
"""

from __future__ import annotations

from collections.abc import Iterable

INTRINSIC = 21_000
SLOT_UPDATE = 5_000  # cold read (2,100) and write of a slot already non-zero (2,900)
SLOT_FROM_ZERO = 22_100  # cold read (2,100) and write of a zero slot (20,000)


def log_gas(topics: int, data_bytes: int) -> int:
    return 375 + 375 * topics + 8 * data_bytes


TRANSFER_LOG = log_gas(3, 32)  # Transfer(address indexed, address indexed, uint256): 1,756


def calldata_gas(data: bytes) -> int:
    zeros = data.count(0)
    return 4 * zeros + 16 * (len(data) - zeros)


def floor(calldata: bytes, updates: int = 0, from_zero: int = 0, logs: Iterable[int] = ()) -> int:
    """The floor of a transaction with `calldata` that rewrites `updates` non-zero slots,
    fills `from_zero` zero slots and emits logs costing `logs` (see `log_gas`)."""
    data = bytes(calldata)
    standard = INTRINSIC + calldata_gas(data) + SLOT_UPDATE * updates
    standard += SLOT_FROM_ZERO * from_zero + sum(logs)
    zeros = data.count(0)
    tokens = zeros + 4 * (len(data) - zeros)
    return max(standard, INTRINSIC + 10 * tokens)


def batch_floor(calldata: bytes, payees: int, new: bool) -> int:
    """The floor of paying `payees` accounts of an ERC-20 from one payer in one transaction:
    the payer's balance once, each payee's balance (from zero if `new`) and Transfer log."""
    return floor(
        calldata,
        updates=1 + (0 if new else payees),
        from_zero=payees if new else 0,
        logs=[TRANSFER_LOG] * payees,
    )
