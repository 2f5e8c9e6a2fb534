"""A payroll file: one payment per row (wallet address, amount in token units, optional
reference), read and checked in full, then cut into chunks whose batch ids derive from the
file's content.

Format (CSV; a header row starting with `address`, `wallet` or `payee` is optional; blank
lines and `#` comments are ignored; a comment line `# token: cbdc` or `# token: kgst` names
the token when `--token` is not given):

    # June 2026 salaries, ministry of education
    # token: cbdc
    wallet,amount,reference
    0x14dC79964da2C08b23698B3D3cc7Ca32193d9955,25000.00,EMP-0001
    0xa0Ee7A142d267C1f36714E4a8F75612F20a79720,18250.50

Batch ids: the file's digest is keccak256 over its canonical rows (checksummed address,
amount in the smallest unit, reference), so comments and formatting do not change it but
any change of a payee, an amount, a reference or the order does; chunk `i` of a file is paid
under `keccak256("somchain.payroll.v1" || digest || chunk size || i)`. The same file thus
always maps to the same batch ids (a re-run resumes it), and a changed file is a new payroll.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from eth_utils import keccak

from somchain.cbdc.payroll import batch_content
from somchain.errors import InputError
from somchain.inputs import read_address_rows, to_units

ID_DOMAIN = b"somchain.payroll.v1"
_TOKEN_LINE = re.compile(r"^\s*#\s*token\s*:\s*(\w+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Payment:
    """One row of a payroll file."""

    line: int
    payee: str
    amount: int  # smallest unit
    reference: str = ""


@dataclass(frozen=True)
class Chunk:
    """A slice of the file paid by one transaction, under its own batch id."""

    index: int
    batch_id: bytes
    payments: tuple[Payment, ...]

    @property
    def payees(self) -> list[str]:
        return [p.payee for p in self.payments]

    @property
    def amounts(self) -> list[int]:
        return [p.amount for p in self.payments]

    @property
    def total(self) -> int:
        return sum(p.amount for p in self.payments)

    @cached_property
    def content(self) -> bytes:
        """What the contract records for this batch: keccak256(abi.encode(payees, amounts))."""
        return batch_content(self.payees, self.amounts)


@dataclass
class Payroll:
    """A checked payroll file."""

    path: Path
    payments: list[Payment]
    decimals: int

    @cached_property
    def digest(self) -> bytes:
        canonical = "".join(f"{p.payee},{p.amount},{p.reference}\n" for p in self.payments)
        return keccak(canonical.encode())

    @property
    def total(self) -> int:
        return sum(p.amount for p in self.payments)

    def chunks(self, size: int) -> list[Chunk]:
        """The file cut into chunks of `size` payments, each with its batch id."""
        if size < 1:
            raise ValueError("chunk size must be positive")
        return [
            Chunk(
                index,
                batch_id(self.digest, size, index),
                tuple(self.payments[start : start + size]),
            )
            for index, start in enumerate(range(0, len(self.payments), size))
        ]


def batch_id(digest: bytes, size: int, index: int) -> bytes:
    """The batch id of chunk `index` of the file whose digest is `digest`."""
    return keccak(ID_DOMAIN + digest + size.to_bytes(32, "big") + index.to_bytes(32, "big"))


def token_of(path: str | Path) -> str | None:
    """The token a `# token: NAME` comment line of the file names, if any."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"file {path} does not exist")
    with file.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            match = _TOKEN_LINE.match(line)
            if match:
                return match.group(1).lower()
    return None


def read_payroll(path: str | Path, decimals: int) -> tuple[Payroll, list[str]]:
    """The file's payments and the problem of every bad row (`line N: ...`), in line order:
    bad or unchecksummed addresses, duplicates, missing, non-positive or over-precise
    amounts, extra columns. Raises InputError only when the file is missing or empty."""
    problems: list[str] = []
    rows = read_address_rows(path, "wallet", columns=1, problems=problems)
    payments: list[Payment] = []
    for row in rows:
        if not row.cells or not row.cells[0]:
            problems.append(f"line {row.line}: no amount")
            continue
        if len(row.cells) > 2:
            problems.append(
                f"line {row.line}: expected wallet, amount and an optional reference, "
                f"got {len(row.cells) + 1} columns"
            )
            continue
        try:
            amount = to_units(row.cells[0], decimals)
        except InputError as err:
            problems.append(f"line {row.line}: {err}")
            continue
        reference = row.cells[1] if len(row.cells) > 1 else ""
        payments.append(Payment(row.line, row.address, amount, reference))
    if not payments and not problems:
        raise InputError(f"file {path} lists no payments")
    problems.sort(key=_line_number)
    return Payroll(Path(path), payments, decimals), problems


def _line_number(problem: str) -> int:
    match = re.match(r"^line (\d+):", problem)
    return int(match.group(1)) if match else 0
