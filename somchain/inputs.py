"""Operator input, checked before anything is sent: amounts in token units, addresses,
32-byte references, and address lists read from files.

Amounts are exact: decimal strings of ASCII digits convert to integer base units, floats
are never involved.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from eth_utils import is_address, is_checksum_address, to_checksum_address

from somchain import display
from somchain.constants import ZERO_ADDRESS
from somchain.errors import InputError

_HEADERS = ("address", "wallet", "payee")  # first cell of an optional header row
_AMOUNT = re.compile(r"^(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?$", re.ASCII)


MAX_UNITS = 2**256 - 1  # the largest amount a uint256 holds


def to_units(text: str, decimals: int, allow_zero: bool = False) -> int:
    """Parses `text` (ASCII digits, an optional dot and at most `decimals` fraction digits)
    into base units, at most 2^256 - 1."""
    cleaned = str(text).strip()
    shown = cleaned if len(cleaned) <= 40 else f"{cleaned[:20]}...({len(cleaned):,} characters)"
    if cleaned.startswith("-") and _AMOUNT.fullmatch(cleaned[1:]):
        raise InputError(f"amount {shown} is negative: amounts are positive, like 1250.50")
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        raise InputError(f"amount {shown!r} is not a plain decimal number like 1250.50")
    whole, frac = match.group("int").lstrip("0"), match.group("frac") or ""
    if len(frac) > decimals:
        raise InputError(f"amount {shown} has {len(frac)} decimal places; the token has {decimals}")
    # 2^256 has 78 digits: a longer whole part is too large before any arithmetic.
    units = (
        int(whole or "0") * 10**decimals + int(frac.ljust(decimals, "0") or 0)
        if len(whole) + decimals <= 78
        else MAX_UNITS + 1
    )
    if units > MAX_UNITS:
        raise InputError(f"amount {shown} is too large: above 2^256 - 1 base units")
    if units == 0 and not allow_zero:
        raise InputError(f"amount {text!r} must be positive")
    return units


def to_text(units: int, decimals: int) -> str:
    """Base units as token units with thousands separators and every significant digit
    (`somchain.display.amount`, without a symbol)."""
    return display.amount(units, decimals)


_UNIX_TIME = re.compile(r"^[0-9]+$", re.ASCII)


def utc_time(text: str, what: str = "time") -> int:
    """A moment given as a UTC date (`2026-12-01`), a UTC date and time (`2026-12-01 00:00`,
    `2026-12-01T00:00:00Z`, an explicit offset) or unix seconds, as unix seconds. A date
    and time without an offset is read as UTC."""
    value = str(text).strip()
    if _UNIX_TIME.fullmatch(value):
        return int(value)
    cleaned = value.removesuffix("UTC").strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise InputError(
            f"{what} {value!r} is not a date like 2026-12-01, a UTC time like "
            "'2026-12-01 00:00' or unix seconds"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def checksummed(text: str, what: str = "address", allow_zero: bool = False) -> str:
    """Returns `text` if it is an EIP-55 checksummed address; explains the problem otherwise."""
    value = str(text).strip()
    if not is_address(value):
        raise InputError(f"{what} {value!r} is not an address")
    if not is_checksum_address(value):
        raise InputError(
            f"{what} {value!r} is not checksummed (EIP-55); did you mean "
            f"{to_checksum_address(value)}?"
        )
    if value == ZERO_ADDRESS and not allow_zero:
        raise InputError(f"{what} must not be the zero address")
    return value


def bytes32_text(text: str, what: str = "reference") -> bytes:
    """A reference as bytes32: 0x-prefixed hex of 32 bytes, or text of 1 to 32 bytes."""
    value = str(text).strip()
    if value.startswith("0x"):
        try:
            raw = bytes.fromhex(value[2:])
        except ValueError:
            raise InputError(f"{what} {text!r} is not valid hex") from None
        if len(raw) != 32:
            raise InputError(f"{what} {text!r} must be 32 bytes of hex")
        return raw
    raw = value.encode()
    if not raw or len(raw) > 32:
        raise InputError(f"{what} {text!r} must be 1 to 32 bytes of text")
    return raw.ljust(32, b"\x00")


@dataclass(frozen=True)
class AddressRow:
    """One address read from a list, with the line it came from and the row's other cells."""

    line: int
    address: str
    cells: tuple[str, ...] = ()
    comment: str = ""  # the text after `#` on the line


def read_address_rows(
    path: str | Path,
    what: str = "address",
    columns: int = 1,
    unique: bool = True,
    checksum: bool = True,
    problems: list[str] | None = None,
    trailing_comments: bool = False,
) -> list[AddressRow]:
    """Rows of an address list: one address per line, or CSV with the address first and at
    least `columns` cells (a header row starting with `address` is skipped). Blank lines and
    lines starting with `#` are ignored; a `#` elsewhere is part of the value (a reference
    `INV#42`), unless `trailing_comments`, where ` #` after the cells starts a comment (the
    plain sanctions lists' format). Addresses must be EIP-55 checksummed unless `checksum` is
    False (lists published by others, such as sanctions lists, are often lower-case); they
    are returned checksummed. Every bad row is reported with its line number in one error;
    given a `problems` list, the reader appends each bad row's line to it instead and
    returns the good rows (a caller that checks more columns reports all rows at once).

    The one reader of address files: `freeze-batch`, the digital som's wallet CSV, payroll
    files and the audit's plain sanctions lists."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"file {path} does not exist")
    rows: list[AddressRow] = []
    collect = problems is not None
    problems = problems if problems is not None else []
    seen: dict[str, int] = {}
    lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, start=1):
        cells, comment = _split(line, trailing_comments)
        if not cells or not cells[0]:
            continue
        if cells[0].lower() in _HEADERS and not rows and not problems:
            continue
        if len(cells) < columns:
            problems.append(f"line {number}: expected {columns} columns, got {len(cells)}")
            continue
        try:
            if checksum or not is_address(cells[0]):
                address = checksummed(cells[0], f"line {number}: {what}")
            else:
                address = to_checksum_address(cells[0])
        except InputError as err:
            problems.append(str(err))
            continue
        if unique and address in seen:
            problems.append(
                f"line {number}: {address} is listed twice (first on line {seen[address]})"
            )
            continue
        seen[address] = number
        rows.append(AddressRow(number, address, tuple(cells[1:]), comment))
    if problems and not collect:
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise InputError(f"{path}: {shown}{more}")
    if not rows and not problems:
        raise InputError(f"file {path} lists no addresses")
    return rows


def _split(line: str, trailing_comments: bool) -> tuple[list[str], str]:
    """The cells of a CSV line and its comment; no cells for a comment line."""
    if line.lstrip().startswith("#"):
        return [], line.lstrip()[1:].strip()
    content, comment = line, ""
    if trailing_comments and "#" in line:
        content, _, comment = line.partition("#")
    return [cell.strip() for cell in next(csv.reader([content]), [])], comment.strip()


def read_address_file(path: str | Path) -> list[str]:
    """The addresses of an address list (see `read_address_rows`)."""
    return [row.address for row in read_address_rows(path)]
