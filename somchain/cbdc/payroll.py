"""Government payments in batches from Python: salaries, pensions and benefits paid by the
treasury with `DigitalSom.disburse`, chunk by chunk, each chunk under its own batch id.
Payroll files (checked, resumable, with receipts) are `somchain.payroll`'s job."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_abi import encode as abi_encode
from eth_utils import keccak

from somchain.errors import InputError
from somchain.proxy import address_of

DEFAULT_CHUNK = 200  # payees per disburse call: ~6M gas for new wallets, well under 30M


@dataclass
class Disbursement:
    """Outcome of `disburse_in_chunks`, totals in the smallest unit."""

    batch_ids: list[bytes] = field(default_factory=list)
    receipts: list[Any] = field(default_factory=list)
    already_paid: list[bytes] = field(default_factory=list)
    paid: int = 0
    swept: int = 0
    skipped: int = 0


def batch_id(prefix: str | bytes, index: int) -> bytes:
    """The batch id of chunk `index` of a payment file: keccak256(prefix || "/" || index)."""
    raw = prefix.encode() if isinstance(prefix, str) else bytes(prefix)
    return keccak(raw + b"/" + str(index).encode())


def batch_content(payees: Sequence[str], amounts: Sequence[int]) -> bytes:
    """What `DigitalSom.batchContent` records for a batch: keccak256(abi.encode(payees,
    amounts))."""
    return keccak(abi_encode(["address[]", "uint256[]"], [list(payees), list(amounts)]))


def disburse_in_chunks(
    som: Any,
    batch_id_prefix: str | bytes,
    payments: Sequence[tuple[Any, int]],
    sender: Any,
    chunk: int = DEFAULT_CHUNK,
) -> Disbursement:
    """Pays `payments` (payee, amount in the smallest unit) from the treasury `sender` in
    calls of at most `chunk` payees, chunk i under `batch_id(batch_id_prefix, i)`.

    Safe to re-run after a failure: chunks the treasury already paid under their batch id
    with the same content are skipped (listed in `already_paid`), and the contract would
    refuse to pay one twice anyway, so no payee is paid twice for the same file. The ids
    depend only on the prefix and the chunk's position, so a re-run must use the same
    payment list, in the same order, with the same `chunk`. A batch id already paid with
    other content (a corrected list under the same prefix) raises InputError before
    anything is sent: a corrected file needs a new prefix.
    """
    if chunk < 1:
        raise InputError("chunk must be positive")
    parts = [payments[start : start + chunk] for start in range(0, len(payments), chunk)]
    ids = [batch_id(batch_id_prefix, index) for index in range(len(parts))]
    paid: dict[bytes, bool] = {}
    for part, bid in zip(parts, ids, strict=True):
        recorded = bytes(som.batchContent(sender, bid))
        if any(recorded):
            content = batch_content([address_of(p) for p, _ in part], [a for _, a in part])
            if recorded != content:
                raise InputError(
                    f"batch id 0x{bid.hex()} was paid by {address_of(sender)} with other "
                    "content (a different payment list under the same prefix): nothing sent; "
                    "use a new prefix for a corrected list"
                )
        paid[bid] = any(recorded)
    result = Disbursement()
    for part, bid in zip(parts, ids, strict=True):
        result.batch_ids.append(bid)
        if paid[bid]:
            result.already_paid.append(bid)
            continue
        receipt = som.disburse(
            bid, [address_of(p) for p, _ in part], [a for _, a in part], sender=sender
        )
        result.receipts.append(receipt)
        for log in som.BatchDisbursed.from_receipt(receipt):
            result.paid += log.paid
            result.swept += log.swept
            result.skipped += log.skipped
    return result
