"""The stablecoin's own operator actions (minting, burning, minters, the reserve
attestation), validated from raw operator input. Freeze, seize, pause and roles are in
`somchain.compliance.ops`, shared with the digital som."""

from __future__ import annotations

from typing import Any

from ape import chain

from somchain.actions import Action
from somchain.compliance.ops import contract_roles
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
        f"mint {amount} {token.symbol()} to {to}",
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
        f"burn {amount} {token.symbol()} from {sender}",
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
        f"allow minter {minter} to mint {allowance} {token.symbol()}",
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
        f"{verb} minter {minter}'s allowance by {amount} {token.symbol()}",
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
    )


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


def attest_reserve(
    feed: Any, sender: str, reserve: str, report_hash: str, as_of: int | None = None
) -> Action:
    units = to_units(reserve, feed.decimals(), allow_zero=True)
    if not (report_hash.startswith("0x") and len(report_hash) == 66):
        raise InputError(f"report hash {report_hash!r} must be 32 bytes of 0x-prefixed hex")
    try:
        digest = bytes.fromhex(report_hash[2:])
    except ValueError:
        raise InputError(f"report hash {report_hash!r} is not valid hex") from None
    head = chain.blocks.head.timestamp
    when = int(as_of if as_of is not None else head)
    if when > head:
        raise InputError(f"as-of time {when} is after the latest block's time ({head})")
    latest = feed.latestRoundData()
    if when < latest[3]:
        raise InputError(f"as-of time {when} is older than the last attestation ({latest[3]})")
    return Action(
        feed,
        "attest",
        [units, when, digest],
        f"attest a reserve of {reserve} (as of {when})",
        role="ATTESTOR_ROLE",
    )


def status(token: Any, holders: list[str] | None = None) -> dict:
    """Supply, reserve, coverage, pause state and role holders (from the given candidates)."""
    decimals = token.decimals()
    supply = token.totalSupply()
    feed, max_age = token.reserveFeed()
    try:
        reserve = token.attestedReserve()
        reserve_error = None
    except Exception as err:  # a stale or missing feed is reported, not raised
        reserve, reserve_error = None, type(err).__name__
    coverage = None
    if reserve is not None and supply:
        coverage = f"{100 * reserve / supply:.2f}%"
    roles: dict[str, list[str]] = {}
    for name in contract_roles(token):
        rid = b"\x00" * 32 if name == "DEFAULT_ADMIN_ROLE" else getattr(token, name)()
        roles[name] = [h for h in (holders or []) if token.hasRole(rid, h)]
    return {
        "token": token.address,
        "name": token.name(),
        "symbol": token.symbol(),
        "decimals": decimals,
        "supply": to_text(supply, decimals),
        "reserve": to_text(reserve, decimals) if reserve is not None else reserve_error,
        "reserve_feed": feed,
        "reserve_max_age": max_age,
        "coverage": coverage or "n/a",
        "paused": token.paused(),
        "admin": token.defaultAdmin(),
        "roles": roles,
    }
