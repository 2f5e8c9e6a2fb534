"""How the operator scripts and the audit show values to a person: amounts in token units
with thousands separators and the symbol (`1,275,000.5 KGST`), "no limit" for the
unlimited value, times in UTC (`2026-11-26 11:00:00 UTC`), coverage as a percentage
with two decimals, and addresses with the name the deployment gives them.

Everything here is exact (integers and strings, never floats) and needs no chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

# A limit at or above this is "no limit": contracts use type(uint256).max for unlimited.
UNLIMITED = 2**255

# Event and call arguments by name, as a person reads them (the operator's receipts and
# the audit report's journal): amounts of the emitting token in its units, an attested
# reserve in the fiat, times in UTC, durations.
TOKEN_AMOUNTS = frozenset(
    {
        "amount",
        "value",
        "allowance",
        "increment",
        "decrement",
        "previous",
        "maxBalance",
        "maxPayment",
        "dailyLimit",
        "paid",
        "swept",
        "total",
        "received",
        "dailyOutflowLimit",
    }
)
FIAT_AMOUNTS = frozenset({"reserve", "answer"})
TIMES = frozenset(
    {"asOf", "timestamp", "readyAt", "validAfter", "validBefore", "deadline", "updatedAt"}
)
DURATIONS = frozenset({"delay", "maxAge", "maxPriceAge", "newDelay", "oldDelay", "newDuration"})


def amount(units: int | None, decimals: int, symbol: str = "", places: int | None = None) -> str:
    """`units` (smallest units) as token units: thousands separators, every significant
    decimal (or exactly `places`, truncated), then the symbol. "no limit" for the
    unlimited value, "-" for None."""
    if units is None:
        return "-"
    if units >= UNLIMITED:
        return "no limit"
    whole, frac = divmod(abs(units), 10**decimals)
    text = f"{'-' if units < 0 else ''}{whole:,}"
    digits = f"{frac:0{decimals}d}" if decimals else ""
    digits = digits.rstrip("0") if places is None else digits[:places]
    if digits:
        text += "." + digits
    return f"{text} {symbol}" if symbol else text


def plain_amount(units: int, decimals: int) -> str:
    """`units` as an exact decimal string with no separators (`1275000.5`): for JSON."""
    whole, frac = divmod(abs(units), 10**decimals)
    digits = f"{frac:0{decimals}d}".rstrip("0") if decimals else ""
    return f"{'-' if units < 0 else ''}{whole}" + (f".{digits}" if digits else "")


def utc(timestamp: int | None) -> str:
    """A unix time as `2026-11-26 11:00:00 UTC`; "-" for none (None or 0)."""
    if not timestamp:
        return "-"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def iso_utc(timestamp: int | None) -> str | None:
    """A unix time as ISO 8601 in UTC (`2026-11-26T11:00:00+00:00`): for JSON."""
    if not timestamp:
        return None
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


def coverage(reserve: int | None, supply: int) -> str:
    """Reserve over supply as a percentage with two decimals, truncated (`102.35%`), with
    thousands separators; "no supply" when nothing is issued, "-" without a reserve."""
    if reserve is None:
        return "-"
    if supply == 0:
        return "no supply"
    bps = reserve * 10_000 // supply
    return f"{bps // 100:,}.{bps % 100:02d}%"


def duration(seconds: int) -> str:
    """A duration as days, hours, minutes and seconds (`2 d 3 h`, `10 min`, `45 s`)."""
    if seconds <= 0:
        return "0 s"
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "min"), (secs, "s")]
    shown = [f"{n} {unit}" for n, unit in parts if n]
    return " ".join(shown[:2])


def named(address: str | None, names: Mapping[str, str] | None = None) -> str:
    """`address (name)` when the deployment names it (a contract of the manifest, or a
    configured role holder), else the address alone."""
    if not address:
        return "-"
    name = (names or {}).get(address.lower())
    return f"{address} ({name})" if name else address


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`1 wallet`, `2 wallets`, `12,000 holders`."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def rows(pairs: list[tuple[str, str]]) -> list[str]:
    """`label  value` lines with the values aligned."""
    width = max((len(label) for label, _ in pairs), default=0)
    return [f"{label:<{width}}  {value}" for label, value in pairs]


def role_lines(roles: Mapping[str, list[str]], names: Mapping[str, str] | None = None) -> list[str]:
    """`roles` then one line per role and holder ("nobody" for a role no one holds)."""
    width = max((len(role) for role in roles), default=0)
    lines = ["roles"]
    for role, holders in roles.items():
        shown = [named(h, names) for h in holders] or ["nobody"]
        for index, holder in enumerate(shown):
            lines.append(f"  {role if index == 0 else '':<{width}}  {holder}")
    return lines


def public(report: Mapping[str, object]) -> dict[str, object]:
    """A status report without its `_`-prefixed working fields: what `--json` prints."""
    return {key: value for key, value in report.items() if not key.startswith("_")}
