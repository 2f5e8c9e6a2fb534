"""Government payments in batches from Python: salaries, pensions and benefits paid by the
treasury with `DigitalSom.disburse`, chunk by chunk, each chunk under its own batch id.
Payroll files (checked, resumable, with receipts) are `somchain.payroll`'s job."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_utils import keccak

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
    are skipped (listed in `already_paid`), and the contract would refuse to pay one twice
    anyway, so no payee is paid twice for the same file. The ids depend
    only on the prefix and the chunk's position, so a re-run must use the same payment
    list, in the same order, with the same `chunk`; a corrected file needs a new prefix.
    """
    if chunk < 1:
        raise ValueError("chunk must be positive")
    result = Disbursement()
    for index, start in enumerate(range(0, len(payments), chunk)):
        part = payments[start : start + chunk]
        bid = batch_id(batch_id_prefix, index)
        result.batch_ids.append(bid)
        if any(bytes(som.batchContent(sender, bid))):
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
