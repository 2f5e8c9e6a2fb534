"""The stablecoin's own operator actions (minting, burning, minters, the reserve
attestation), validated from raw operator input. Freeze, seize, pause and roles are in
`somchain.compliance.ops`, shared with the digital som; the attestors' votes in
`somchain.stablecoin.attestation`.

Minters are administered through the deployment's MintController when it has one (the
token's only master minter): the board's mint budget and rate limits, the master minter's
allowances. Without one (a token given by address) the token's own functions are called."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eth_utils import to_checksum_address

from somchain import display
from somchain.actions import Action, Read
from somchain.compliance.ops import role_holders
from somchain.constants import FIAT
from somchain.errors import InputError
from somchain.inputs import checksummed, to_text, to_units


def _not_frozen(token: Any, account: str, what: str):
    return lambda: f"{what} {account} is frozen" if token.isFrozen(account) else None


def mint(token: Any, sender: str, to: str, amount: str) -> Action:
    to = checksummed(to, "recipient")
    units = to_units(amount, token.decimals())

    def minter_ok() -> str | None:
        if not token.isMinter(sender):
            return f"account {sender} is not a minter"
        allowance = token.minterAllowance(sender)
        if allowance < units:
            return (
                f"amount {amount} exceeds the minter allowance of "
                f"{to_text(allowance, token.decimals())}"
            )
        return None

    return Action(
        token,
        "mint",
        [to, units],
        f"mint {display.amount(units, token.decimals(), token.symbol())} to {to}",
        needs_unpaused=True,
        checks=[minter_ok, _not_frozen(token, to, "recipient")],
        watch=[to, sender],
    )


def burn(token: Any, sender: str, amount: str) -> Action:
    units = to_units(amount, token.decimals())

    def can_burn() -> str | None:
        if not token.isMinter(sender):
            return f"account {sender} is not a minter"
        balance = token.balanceOf(sender)
        if balance < units:
            return f"amount {amount} exceeds the balance of {to_text(balance, token.decimals())}"
        return None

    return Action(
        token,
        "burn",
        [units],
        f"burn {display.amount(units, token.decimals(), token.symbol())} from {sender}",
        needs_unpaused=True,
        checks=[can_burn],
        watch=[sender],
    )


def _eligible(token: Any, controller: Any, minter: str) -> Callable[[], str | None]:
    """The MintController's conditions for giving `minter` allowance, as a check."""

    def check() -> str | None:
        if controller.hasRole(controller.MASTER_MINTER_ROLE(), minter):
            return f"{minter} is a master minter and can never be a minter"
        if token.minterRateLimit(minter)[0] == 0:
            return f"{minter} has no rate limit: the board sets one first (set-minter-rate-limit)"
        return None

    return check


def _within_budget(token: Any, controller: Any, units: int, minter: str | None = None):
    """Whether the budget (plus what `minter` holds now, for a replacement) covers `units`."""

    def check() -> str | None:
        available = controller.mintBudget() + (token.minterAllowance(minter) if minter else 0)
        if units > available:
            return (
                f"{display.amount(units, token.decimals(), token.symbol())} exceeds the mint "
                f"budget of {display.amount(available, token.decimals(), token.symbol())}"
            )
        return None

    return check


def configure_minter(
    token: Any, sender: str, minter: str, allowance: str, controller: Any = None
) -> Action:
    minter = checksummed(minter, "minter")
    units = to_units(allowance, token.decimals(), allow_zero=True)
    checks = []
    if controller is not None:
        checks = [
            _eligible(token, controller, minter),
            _within_budget(token, controller, units, minter),
        ]
    return Action(
        controller if controller is not None else token,
        "configureMinter",
        [minter, units],
        f"allow minter {minter} to mint {display.amount(units, token.decimals(), token.symbol())}",
        role="MASTER_MINTER_ROLE",
        checks=checks,
        watch=[minter],
    )


def change_minter_allowance(
    token: Any, sender: str, minter: str, amount: str, increase: bool, controller: Any = None
) -> Action:
    """`increaseMinterAllowance` or `decreaseMinterAllowance`: a change by a difference,
    which a minter cannot front-run the way it can a `configureMinter` replacement (a
    decrease below zero leaves zero)."""
    minter = checksummed(minter, "minter")
    units = to_units(amount, token.decimals())
    verb = "raise" if increase else "lower"
    checks = [lambda: None if token.isMinter(minter) else f"{minter} is not a minter"]
    if controller is not None and increase:
        checks += [_eligible(token, controller, minter), _within_budget(token, controller, units)]
    return Action(
        controller if controller is not None else token,
        "increaseMinterAllowance" if increase else "decreaseMinterAllowance",
        [minter, units],
        f"{verb} minter {minter}'s allowance by "
        f"{display.amount(units, token.decimals(), token.symbol())}",
        role="MASTER_MINTER_ROLE",
        checks=checks,
        watch=[minter],
    )


def change_mint_budget(
    token: Any, controller: Any, sender: str, amount: str, increase: bool
) -> Action:
    """`increaseMintBudget` (the board: through the timelock) or `decreaseMintBudget` (the
    board, or the master minter at once)."""
    units = to_units(amount, token.decimals())
    text = display.amount(units, token.decimals(), token.symbol())
    if increase:
        return Action(
            controller,
            "increaseMintBudget",
            [units],
            f"grant {text} more mint budget",
            role="DEFAULT_ADMIN_ROLE",
        )
    role = "DEFAULT_ADMIN_ROLE"
    if controller.hasRole(controller.MASTER_MINTER_ROLE(), sender):
        role = "MASTER_MINTER_ROLE"
    return Action(
        controller,
        "decreaseMintBudget",
        [units],
        f"withdraw up to {text} of the mint budget",
        role=role,
    )


def set_minter_rate_limit(
    token: Any, controller: Any, sender: str, minter: str, capacity: str, refill_per_second: str
) -> Action:
    """A minter's token bucket (the board: through the timelock): at most CAPACITY at once,
    refilled by REFILL_PER_SECOND; a lower limit applies at once."""
    minter = checksummed(minter, "minter")
    decimals, symbol = token.decimals(), token.symbol()
    units = to_units(capacity, decimals)
    refill = to_units(refill_per_second, decimals, allow_zero=True)
    if units >= 2**96:
        raise InputError(f"capacity {capacity} is above the largest bucket (2**96 - 1 units)")
    return Action(
        controller,
        "setMinterRateLimit",
        [minter, units, refill],
        f"limit minter {minter} to a bucket of {display.amount(units, decimals, symbol)}, "
        f"refilled by {display.amount(refill, decimals, symbol)} a second "
        f"({display.amount(refill * 86_400, decimals, symbol)} a day)",
        role="DEFAULT_ADMIN_ROLE",
        watch=[minter],
    )


MAX_RESERVE_MAX_AGE = 7 * 24 * 3600  # the token's bound on a reserve feed's maximum age


def set_reserve_feed(token: Any, sender: str, feed: str, max_age: int) -> Action:
    """Points the token at a reserve feed (an admin action: the governance timelock)."""
    feed = checksummed(feed, "reserve feed")
    if not 1 <= int(max_age) <= MAX_RESERVE_MAX_AGE:
        raise InputError(
            f"max age {max_age} s must be from 1 s to {MAX_RESERVE_MAX_AGE} s (7 days)"
        )
    return Action(
        token,
        "setReserveFeed",
        [feed, int(max_age)],
        f"use the reserve feed {feed} with a maximum age of {int(max_age):,} s",
        role="DEFAULT_ADMIN_ROLE",
        reads=[Read("reserve feed", "reserveFeed()", (), ("address", "uint256"), _feed_text)],
    )


def _feed_text(found: tuple) -> str:
    feed, max_age = found
    return f"{to_checksum_address(feed)}, maximum age {display.duration(int(max_age))}"


def set_attestation_threshold(feed: Any, sender: str, threshold: int) -> Action:
    """How many attestors must submit the same figure (an admin action: the timelock)."""
    if int(threshold) < 1:
        raise InputError("the threshold must be at least 1")
    return Action(
        feed,
        "setThreshold",
        [int(threshold)],
        f"require {int(threshold)} attestors to agree on the reserve",
        role="DEFAULT_ADMIN_ROLE",
    )


def remove_minter(token: Any, sender: str, minter: str, controller: Any = None) -> Action:
    minter = checksummed(minter, "minter")
    return Action(
        controller if controller is not None else token,
        "removeMinter",
        [minter],
        f"remove minter {minter}",
        role="MASTER_MINTER_ROLE",
        checks=[lambda: None if token.isMinter(minter) else f"{minter} is not a minter"],
        watch=[minter],
    )


def _feed_at(address: str) -> Any:
    from ape import project

    return project.ReserveAttestation.at(address)


def reserve_attestation(token: Any, feed_at: Callable[[str], Any] = _feed_at) -> dict:
    """The token's view of its reserve: "no reserve feed set", "no attestation yet",
    "stale" (older than the feed's maximum age) or "current", with the figure in the
    token's units, its as-of time and round when there is one."""
    feed_address, max_age = token.reserveFeed()
    found: dict[str, Any] = {"feed": feed_address, "max_age": int(max_age)}
    if int(feed_address, 16) == 0:
        return {**found, "state": "no reserve feed set", "reserve": None, "as_of": None}
    feed = feed_at(feed_address)
    round_id, _answer, _started, as_of, _ = feed.latestRoundData()
    if round_id == 0:
        return {**found, "state": "no attestation yet", "reserve": None, "as_of": None}
    found.update(round=int(round_id), as_of=int(as_of))
    try:
        return {**found, "state": "current", "reserve": int(token.attestedReserve())}
    except Exception:  # stale or invalid: the token says so by reverting
        return {**found, "state": "stale", "reserve": None}


def minters(token: Any, start_block: int = 0) -> list[dict[str, Any]]:
    """Every current minter (named by the token's MinterConfigured events since
    `start_block`) with its allowance and rate limit: capacity and refill per second (zero:
    none) and what its bucket holds now, in the token's units."""
    from ape import chain

    head = chain.blocks.head.number
    seen = dict.fromkeys(log.minter for log in token.MinterConfigured.range(start_block, head + 1))
    found = []
    for minter in seen:
        if not token.isMinter(minter):
            continue
        capacity, refill, level = token.minterRateLimit(minter)
        found.append(
            {
                "minter": minter,
                "allowance": int(token.minterAllowance(minter)),
                "capacity": int(capacity),
                "refill_per_second": int(refill),
                "level": int(level),
            }
        )
    return found


def status(
    token: Any, holders: list[str] | None = None, start_block: int = 0, controller: Any = None
) -> dict[str, Any]:
    """Supply, the reserve attestation, coverage, pause state, the admin and every role's
    holders (from the role events since `start_block`, and the given candidates), the
    MintController's budget and each minter's allowance and bucket. Amounts are exact
    decimal strings, times ISO 8601 in UTC: the form `--json` prints."""
    decimals = token.decimals()
    supply = token.totalSupply()
    reserve = reserve_attestation(token)
    found = minters(token, start_block)
    return {
        "token": token.address,
        "name": token.name(),
        "symbol": token.symbol(),
        "decimals": decimals,
        "supply": display.plain_amount(supply, decimals),
        "reserve": {
            "state": reserve["state"],
            "amount": (
                display.plain_amount(reserve["reserve"], decimals)
                if reserve["reserve"] is not None
                else None
            ),
            "as_of": display.iso_utc(reserve["as_of"]),
            "round": reserve.get("round"),
            "feed": reserve["feed"],
            "max_age_seconds": reserve["max_age"],
        },
        "coverage": (
            display.coverage(reserve["reserve"], supply) if reserve["reserve"] is not None else None
        ),
        "paused": token.paused(),
        "admin": token.defaultAdmin(),
        "roles": role_holders(token, start_block, holders),
        "mint_controller": (
            {
                "address": controller.address,
                "budget": display.plain_amount(controller.mintBudget(), decimals),
                "granted": display.plain_amount(controller.mintBudgetGranted(), decimals),
            }
            if controller is not None
            else None
        ),
        "minters": [
            {
                **m,
                **{
                    k: display.plain_amount(m[k], decimals)
                    for k in ("allowance", "capacity", "refill_per_second", "level")
                },
            }
            for m in found
        ],
        "_raw": {
            "supply": supply,
            "reserve": reserve["reserve"],
            "as_of": reserve["as_of"],
            "minters": found,
            "budget": controller.mintBudget() if controller is not None else None,
            "granted": controller.mintBudgetGranted() if controller is not None else None,
        },
    }


def status_lines(report: dict[str, Any], names: dict[str, str] | None = None) -> list[str]:
    """The status as aligned lines for a person (see `somchain.display`)."""
    decimals, symbol, raw = report["decimals"], report["symbol"], report["_raw"]
    reserve = report["reserve"]
    if reserve["state"] == "current":
        reserve_text = (
            f"{display.amount(raw['reserve'], decimals, FIAT)}, attested "
            f"{display.utc(raw['as_of'])} (round {reserve['round']})"
        )
    elif reserve["state"] == "stale":
        reserve_text = (
            f"stale: the last attestation ({display.utc(raw['as_of'])}, round "
            f"{reserve['round']}) is older than the feed's maximum age; minting is blocked"
        )
    else:
        reserve_text = reserve["state"]
    rows = [
        ("token", display.named(report["token"], names)),
        ("name", f"{report['name']} ({symbol}, {decimals} decimals)"),
        ("supply", display.amount(raw["supply"], decimals, symbol)),
        ("reserve", reserve_text),
        ("reserve feed", display.named(reserve["feed"], names)),
        ("feed max age", display.duration(reserve["max_age_seconds"])),
        ("coverage", report["coverage"] or "-"),
        ("paused", "yes" if report["paused"] else "no"),
        ("admin", display.named(report["admin"], names)),
    ]
    if report.get("mint_controller"):
        budget = (
            f"{display.amount(raw['budget'], decimals, symbol)} left to give, "
            f"{display.amount(raw['granted'], decimals, symbol)} granted by the board"
        )
        rows += [
            ("mint controller", display.named(report["mint_controller"]["address"], names)),
            ("mint budget", budget),
        ]
    for m in raw.get("minters", []):
        if m["capacity"]:
            bucket = (
                f"bucket {display.amount(m['level'], decimals, symbol)} of "
                f"{display.amount(m['capacity'], decimals, symbol)}, refill "
                f"{display.amount(m['refill_per_second'] * 86_400, decimals, symbol)} a day"
            )
        else:
            bucket = "no rate limit"
        rows.append(
            (
                f"minter {display.named(m['minter'], names)}",
                f"allowance {display.amount(m['allowance'], decimals, symbol)}; {bucket}",
            )
        )
    return display.rows(rows) + display.role_lines(report["roles"], names)
