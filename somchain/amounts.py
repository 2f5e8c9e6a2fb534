"""Exact conversion between decimal strings in token units ("1250.50") and integer base
units. Floats are never involved."""

from __future__ import annotations

import re
from decimal import Decimal

from somchain.errors import InputError

_AMOUNT = re.compile(r"^(?P<int>\d+)(?:\.(?P<frac>\d+))?$")


def to_units(text: str, decimals: int, allow_zero: bool = False) -> int:
    """Parses `text` (digits, optional dot and at most `decimals` fraction digits)."""
    cleaned = str(text).strip().replace("_", "")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise InputError(f"amount {text!r} is not a plain decimal number like 1250.50")
    frac = match.group("frac") or ""
    if len(frac) > decimals:
        raise InputError(
            f"amount {text!r} has {len(frac)} decimal places; the token has {decimals}"
        )
    units = int(match.group("int")) * 10**decimals + int(frac.ljust(decimals, "0") or 0)
    if units == 0 and not allow_zero:
        raise InputError(f"amount {text!r} must be positive")
    return units


def to_text(units: int, decimals: int) -> str:
    """Formats base units as a decimal string with every significant digit."""
    value = Decimal(units) / (Decimal(10) ** decimals)
    text = f"{value:,.{decimals}f}" if decimals else f"{value:,}"
    return text
