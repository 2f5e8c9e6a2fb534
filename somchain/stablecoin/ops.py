"""The stablecoin's own operator actions (minting, burning, minters, the reserve feed and
its quorum), validated from raw operator input, and its status. Freeze, seize, pause and
roles are in `somchain.compliance.ops`, shared with the digital som; the attestors' votes
in `somchain.stablecoin.attestation`."""

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


def configure_minter(token: Any, sender: str, minter: str, allowance: str) -> Action:
    minter = checksummed(minter, "minter")
    units = to_units(allowance, token.decimals(), allow_zero=True)
    return Action(
        token,
        "configureMinter",
        [minter, units],
        f"allow minter {minter} to mint {display.amount(units, token.decimals(), token.symbol())}",
        role="MASTER_MINTER_ROLE",
        watch=[minter],
    )


def change_minter_allowance(
    token: Any, sender: str, minter: str, amount: str, increase: bool
) -> Action:
    """`increaseMinterAllowance` or `decreaseMinterAllowance`: a change by a difference,
    which a minter cannot front-run the way it can a `configureMinter` replacement (a
    decrease below zero leaves zero)."""
    minter = checksummed(minter, "minter")
    units = to_units(amount, token.decimals())
    verb = "raise" if increase else "lower"
    return Action(
        token,
        "increaseMinterAllowance" if increase else "decreaseMinterAllowance",
        [minter, units],
        f"{verb} minter {minter}'s allowance by "
        f"{display.amount(units, token.decimals(), token.symbol())}",
        role="MASTER_MINTER_ROLE",
        checks=[lambda: None if token.isMinter(minter) else f"{minter} is not a minter"],
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


def remove_minter(token: Any, sender: str, minter: str) -> Action:
    minter = checksummed(minter, "minter")
    return Action(
        token,
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


def status(token: Any, holders: list[str] | None = None, start_block: int = 0) -> dict[str, Any]:
    """Supply, the reserve attestation, coverage, pause state, the admin and every role's
    holders (from the role events since `start_block`, and the given candidates). Amounts
    are exact decimal strings, times ISO 8601 in UTC: the form `--json` prints."""
    decimals = token.decimals()
    supply = token.totalSupply()
    reserve = reserve_attestation(token)
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
        "_raw": {"supply": supply, "reserve": reserve["reserve"], "as_of": reserve["as_of"]},
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
    return display.rows(rows) + display.role_lines(report["roles"], names)
