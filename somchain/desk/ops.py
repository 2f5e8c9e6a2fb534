"""The conversion desk's actions, validated from raw operator input: a holder's conversion
(the approval it needs, then the conversion), the board's rate limits (through the
governance timelock), the pauser's protective actions, and the desk's status.

Amounts are typed in som (like 1250.50): the desk converts at par, in the smallest unit
the two tokens share (the tyiyn), so an amount with more decimals than that is refused
rather than rounded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from somchain import display
from somchain.actions import Action, Read
from somchain.desk.deploy import DAY, TO_KGST, TO_SOM
from somchain.errors import InputError
from somchain.inputs import bytes32_text, to_units

DIRECTIONS = {"som": TO_SOM, "kgst": TO_KGST}
KIND_WALLET = 1  # DigitalSom.KIND_WALLET


def direction_of(text: str) -> int:
    """`som` (KGST to the digital som) or `kgst` (the digital som to KGST)."""
    key = str(text).strip().lower()
    if key not in DIRECTIONS:
        raise InputError(f"direction {text!r} must be one of: {', '.join(DIRECTIONS)}")
    return DIRECTIONS[key]


def unit_decimals(desk: Any, kgst: Any, som: Any) -> int:
    """Decimals of the desk's unit: the smaller of the two tokens'."""
    return min(int(kgst.decimals()), int(som.decimals()))


def _reference(text: str | None) -> bytes:
    return b"\x00" * 32 if text is None else bytes32_text(text, "payment reference")


def _desk_ready(desk: Any, direction: int, units: int, decimals: int, amount: str):
    """Not paused, and the direction's bucket holds `units` now."""

    def check() -> str | None:
        if desk.paused():
            return f"the desk {desk.address} is paused"
        level = desk.rateLimit(direction)[2]
        if level < units:
            available = display.amount(level, decimals, "som")
            return f"the desk's bucket holds {available} now, less than {amount}"
        return None

    return check


def _holder_ready(kgst: Any, som: Any, source: Any, holder: str, spent: int):
    """The holder holds `spent` of `source`, is frozen on neither token and has a wallet."""

    def check() -> str | None:
        balance = source.balanceOf(holder)
        if balance < spent:
            held = display.amount(balance, source.decimals(), source.symbol())
            needed = display.amount(spent, source.decimals(), source.symbol())
            return f"{holder} holds {held}, less than {needed}"
        for token in (kgst, som):
            if token.isFrozen(holder):
                return f"{holder} is frozen on {token.symbol()}"
        if som.accountKind(holder) != KIND_WALLET:
            return f"{holder} is not a registered {som.symbol()} wallet"
        return None

    return check


def _power_left(desk: Any, token: Any, issued: int, direction: int):
    """The desk may still issue (digital som) or mint (KGST) `issued`."""

    def check() -> str | None:
        needed = display.amount(issued, token.decimals(), token.symbol())
        if direction == TO_SOM:
            left, verb = token.issuanceAllowance(desk.address), "issue"
        else:
            left, verb = token.minterAllowance(desk.address), "mint"
            capacity, _, level = token.minterRateLimit(desk.address)
            if capacity and level < issued:
                shown = display.amount(level, token.decimals(), token.symbol())
                return f"the desk's minter bucket holds {shown} now, less than {needed}"
        if left < issued:
            shown = display.amount(left, token.decimals(), token.symbol())
            return f"the desk may {verb} {shown} more, less than {needed}"
        return None

    return check


def convert(
    desk: Any, kgst: Any, som: Any, holder: str, amount: str, to: str, reference: str | None
) -> list[Action]:
    """The holder's approval of the desk (when its allowance falls short), then the
    conversion of `amount` (in som) `to` "som" or "kgst", with an optional reference."""
    direction = direction_of(to)
    decimals = unit_decimals(desk, kgst, som)
    units = to_units(amount, decimals)
    ref = _reference(reference)
    kgst_amount, som_amount = units * desk.kgstPerUnit(), units * desk.somPerUnit()
    kgst_text = display.amount(kgst_amount, kgst.decimals(), kgst.symbol())
    som_text = display.amount(som_amount, som.decimals(), som.symbol())
    if direction == TO_SOM:
        source, spent, spent_text = kgst, kgst_amount, kgst_text
        target, issued, method = som, som_amount, "convertToSom"
        summary = f"convert {kgst_text} of {holder} into {som_text} at par"
    else:
        source, spent, spent_text = som, som_amount, som_text
        target, issued, method = kgst, kgst_amount, "convertToKgst"
        summary = f"convert {som_text} of {holder} into {kgst_text} at par"
    if reference is not None:
        summary += f", reference {reference}"
    actions = []
    if source.allowance(holder, desk.address) < spent:
        actions.append(
            Action(
                source,
                "approve",
                [desk.address, spent],
                f"approve the desk {desk.address} to take {spent_text} from {holder}",
                watch=[holder],
            )
        )
    checks = [
        _desk_ready(desk, direction, units, decimals, amount),
        _holder_ready(kgst, som, source, holder, spent),
        _power_left(desk, target, issued, direction),
    ]
    actions.append(Action(desk, method, [units, ref], summary, checks=checks, watch=[holder]))
    return actions


def _limit_units(desk: Any, kgst: Any, som: Any, capacity: str, refill: str) -> tuple[int, int]:
    decimals = unit_decimals(desk, kgst, som)
    units = to_units(capacity, decimals)
    per_second = to_units(refill, decimals, allow_zero=True)
    if units >= 2**80:
        raise InputError(f"capacity {capacity} is above the largest bucket (2**80 - 1 units)")
    if per_second >= 2**56:
        raise InputError(f"refill {refill} is above the largest refill (2**56 - 1 units)")
    return units, per_second


def _bucket_name(direction: int) -> str:
    return "KGST -> digital som" if direction == TO_SOM else "digital som -> KGST"


def _bucket_text(units: int, refill: int, decimals: int) -> str:
    return (
        f"{display.amount(units, decimals, 'som')}, refilled by "
        f"{display.amount(refill, decimals, 'som')} a second "
        f"({display.amount(refill * DAY, decimals, 'som')} a day)"
    )


def _limit_text(desk: Any, kgst: Any, som: Any, direction: int, units: int, refill: int) -> str:
    decimals = unit_decimals(desk, kgst, som)
    return f"the desk's {_bucket_name(direction)} bucket to " + _bucket_text(
        units, refill, decimals
    )


def _bucket_read(desk: Any, kgst: Any, som: Any, direction: int) -> Read:
    """The direction's bucket as a rehearsal diffs it: its capacity and refill (its level
    moves with time, so it is left out)."""
    decimals = unit_decimals(desk, kgst, som)
    return Read(
        f"the desk's {_bucket_name(direction)} bucket",
        "rateLimit(uint8)",
        (direction,),
        ("uint256",) * 3,
        lambda found: _bucket_text(int(found[0]), int(found[1]), decimals),
    )


def set_rate_limit(
    desk: Any, kgst: Any, som: Any, sender: str, to: str, capacity: str, refill: str
) -> Action:
    """A direction's bucket (the board: through the timelock); applies at once."""
    direction = direction_of(to)
    units, per_second = _limit_units(desk, kgst, som, capacity, refill)
    return Action(
        desk,
        "setRateLimit",
        [direction, units, per_second],
        "set " + _limit_text(desk, kgst, som, direction, units, per_second),
        role="DEFAULT_ADMIN_ROLE",
        reads=[_bucket_read(desk, kgst, som, direction)],
    )


def lower_rate_limit(
    desk: Any, kgst: Any, som: Any, sender: str, to: str, capacity: str, refill: str
) -> Action:
    """Lowers a direction's bucket at once (the pauser; the board through the timelock)."""
    direction = direction_of(to)
    units, per_second = _limit_units(desk, kgst, som, capacity, refill)

    def lower() -> str | None:
        current, current_refill, _ = desk.rateLimit(direction)
        if units > current or per_second > current_refill:
            return "a pauser may only lower a limit; raising one is the board's (set-rate-limit)"
        return None

    role = "PAUSER_ROLE" if desk.hasRole(desk.PAUSER_ROLE(), sender) else "DEFAULT_ADMIN_ROLE"
    return Action(
        desk,
        "lowerRateLimit",
        [direction, units, per_second],
        "lower " + _limit_text(desk, kgst, som, direction, units, per_second),
        role=role,
        checks=[lower],
        reads=[_bucket_read(desk, kgst, som, direction)],
    )


def pause(desk: Any, sender: str) -> Action:
    return Action(
        desk,
        "pause",
        [],
        f"pause the desk {desk.address}",
        role="PAUSER_ROLE",
        checks=[lambda: "the desk is already paused" if desk.paused() else None],
    )


def unpause(desk: Any, sender: str) -> Action:
    return Action(
        desk,
        "unpause",
        [],
        f"unpause the desk {desk.address}",
        role="PAUSER_ROLE",
        checks=[lambda: None if desk.paused() else "the desk is not paused"],
    )


def totals(desk: Any, start_block: int = 0) -> dict[str, dict[str, int]]:
    """What the desk converted, from its events since `start_block`: per direction the
    count and the sums burned and issued, in each token's smallest unit."""
    from ape import chain

    head = chain.blocks.head.number
    to_som = {"conversions": 0, "kgst_burned": 0, "som_issued": 0}
    for log in desk.ConvertedToSom.range(start_block, head + 1):
        to_som["conversions"] += 1
        to_som["kgst_burned"] += int(log.kgstBurned)
        to_som["som_issued"] += int(log.somIssued)
    to_kgst = {"conversions": 0, "som_redeemed": 0, "kgst_minted": 0}
    for log in desk.ConvertedToKgst.range(start_block, head + 1):
        to_kgst["conversions"] += 1
        to_kgst["som_redeemed"] += int(log.somRedeemed)
        to_kgst["kgst_minted"] += int(log.kgstMinted)
    return {"to_som": to_som, "to_kgst": to_kgst}


def status(desk: Any, kgst: Any, som: Any, start_block: int = 0) -> dict[str, Any]:
    """The desk's state: pause, each direction's bucket, its powers on both tokens, what it
    holds (nothing, between calls) and the totals converted. Amounts are exact decimal
    strings: the form `--json` prints."""
    decimals = unit_decimals(desk, kgst, som)
    kd, sd = int(kgst.decimals()), int(som.decimals())
    buckets = {}
    for name, direction in (("to_som", TO_SOM), ("to_kgst", TO_KGST)):
        capacity, refill, level = (int(x) for x in desk.rateLimit(direction))
        buckets[name] = {
            "capacity": display.plain_amount(capacity, decimals),
            "refill_per_day": display.plain_amount(refill * DAY, decimals),
            "level": display.plain_amount(level, decimals),
        }
    found = totals(desk, start_block)
    k_capacity, _k_refill, k_level = (int(x) for x in kgst.minterRateLimit(desk.address))
    return {
        "desk": desk.address,
        "admin": desk.defaultAdmin(),
        "paused": bool(desk.paused()),
        "buckets": buckets,
        "kgst_minter_allowance": display.plain_amount(int(kgst.minterAllowance(desk.address)), kd),
        "kgst_minter_bucket": display.plain_amount(k_level, kd) if k_capacity else None,
        "som_issuance_allowance": display.plain_amount(
            int(som.issuanceAllowance(desk.address)), sd
        ),
        "held": {
            "kgst": display.plain_amount(int(kgst.balanceOf(desk.address)), kd),
            "som": display.plain_amount(int(som.balanceOf(desk.address)), sd),
        },
        "converted": {
            "to_som": {
                "conversions": found["to_som"]["conversions"],
                "kgst_burned": display.plain_amount(found["to_som"]["kgst_burned"], kd),
                "som_issued": display.plain_amount(found["to_som"]["som_issued"], sd),
            },
            "to_kgst": {
                "conversions": found["to_kgst"]["conversions"],
                "som_redeemed": display.plain_amount(found["to_kgst"]["som_redeemed"], sd),
                "kgst_minted": display.plain_amount(found["to_kgst"]["kgst_minted"], kd),
            },
        },
        "_raw": {"kgst_symbol": kgst.symbol(), "som_symbol": som.symbol()},
    }


def _shown(text: str | None, symbol: str) -> str:
    """An exact decimal string of the report as a person reads it: `99,514.95 som`."""
    return "-" if text is None else f"{Decimal(text):,} {symbol}"


def status_lines(report: dict[str, Any], names: dict[str, str] | None = None) -> list[str]:
    """The status as aligned lines for a person: amounts with their symbol, named addresses."""
    k, s = report["_raw"]["kgst_symbol"], report["_raw"]["som_symbol"]
    rows = [
        ("desk", display.named(report["desk"], names)),
        ("admin", display.named(report["admin"], names)),
        ("paused", "yes" if report["paused"] else "no"),
    ]
    for name, label in (("to_som", f"{k} -> {s}"), ("to_kgst", f"{s} -> {k}")):
        b = report["buckets"][name]
        rows.append(
            (
                f"bucket {label}",
                f"{_shown(b['level'], 'som')} of {_shown(b['capacity'], 'som')}, "
                f"refill {_shown(b['refill_per_day'], 'som')} a day",
            )
        )
    bucket = report["kgst_minter_bucket"]
    rows += [
        (
            f"{k} minter allowance",
            _shown(report["kgst_minter_allowance"], k)
            + (f" (minter bucket {_shown(bucket, k)})" if bucket is not None else ""),
        ),
        (f"{s} issuance allowance", _shown(report["som_issuance_allowance"], s)),
        ("holds", f"{_shown(report['held']['kgst'], k)}, {_shown(report['held']['som'], s)}"),
    ]
    to_som, to_kgst = report["converted"]["to_som"], report["converted"]["to_kgst"]
    rows += [
        (
            f"converted {k} -> {s}",
            f"{_shown(to_som['kgst_burned'], k)} burned, {_shown(to_som['som_issued'], s)} "
            f"issued ({display.count(to_som['conversions'], 'conversion')})",
        ),
        (
            f"converted {s} -> {k}",
            f"{_shown(to_kgst['som_redeemed'], s)} redeemed, "
            f"{_shown(to_kgst['kgst_minted'], k)} minted "
            f"({display.count(to_kgst['conversions'], 'conversion')})",
        ),
    ]
    return display.rows(rows)
