"""The stablecoin's operator actions, validated from raw operator input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ape import chain

from somchain.actions import Action
from somchain.addresses import checksummed
from somchain.amounts import to_text, to_units
from somchain.errors import InputError

ROLES = (
    "DEFAULT_ADMIN_ROLE",
    "MASTER_MINTER_ROLE",
    "PAUSER_ROLE",
    "COMPLIANCE_ROLE",
    "RESCUER_ROLE",
    "UPGRADER_ROLE",
)


def role_name(text: str, known: tuple[str, ...] = ROLES) -> str:
    """Accepts `PAUSER_ROLE`, `pauser_role`, `pauser` or `PAUSER`; rejects unknown names."""
    name = str(text).strip().upper().replace("-", "_")
    if not name.endswith("_ROLE"):
        name += "_ROLE"
    if name not in known:
        raise InputError(f"unknown role {text!r}; known roles: {', '.join(known)}")
    return name


def case_ref(text: str) -> bytes:
    """A court case reference as bytes32: 0x-prefixed hex, or text of at most 32 bytes."""
    value = str(text).strip()
    if value.startswith("0x"):
        try:
            raw = bytes.fromhex(value[2:])
        except ValueError:
            raise InputError(f"case reference {text!r} is not valid hex") from None
        if len(raw) != 32:
            raise InputError(f"case reference {text!r} must be 32 bytes of hex")
        return raw
    raw = value.encode()
    if not raw or len(raw) > 32:
        raise InputError(f"case reference {text!r} must be 1 to 32 bytes of text")
    return raw.ljust(32, b"\x00")


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


def freeze(token: Any, sender: str, account: str) -> Action:
    account = checksummed(account, "account")
    return Action(
        token,
        "freeze",
        [account],
        f"freeze {account}",
        role="COMPLIANCE_ROLE",
        checks=[lambda: f"{account} is already frozen" if token.isFrozen(account) else None],
        watch=[account],
    )


def unfreeze(token: Any, sender: str, account: str) -> Action:
    account = checksummed(account, "account")
    return Action(
        token,
        "unfreeze",
        [account],
        f"unfreeze {account}",
        role="COMPLIANCE_ROLE",
        checks=[lambda: None if token.isFrozen(account) else f"{account} is not frozen"],
        watch=[account],
    )


def read_address_file(path: str | Path) -> list[str]:
    """Addresses from a file: one per line (or CSV with the address first); `#` comments."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"file {path} does not exist")
    found: list[str] = []
    for number, line in enumerate(file.read_text().splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        first = text.split(",")[0].strip()
        if first.lower() == "address":
            continue
        try:
            found.append(checksummed(first, f"line {number}: address"))
        except InputError as err:
            raise InputError(f"{path}: {err}") from None
    if not found:
        raise InputError(f"file {path} lists no addresses")
    if len(set(found)) != len(found):
        raise InputError(f"file {path} lists an address twice")
    return found


def freeze_batch(token: Any, sender: str, path: str | Path) -> Action:
    accounts = read_address_file(path)
    return Action(
        token,
        "freezeBatch",
        [accounts],
        f"freeze {len(accounts)} accounts from {path}",
        role="COMPLIANCE_ROLE",
        watch=accounts,
    )


def seize(token: Any, sender: str, account: str, to: str, amount: str, case: str) -> Action:
    account = checksummed(account, "account")
    to = checksummed(to, "recipient")
    units = to_units(amount, token.decimals())
    ref = case_ref(case)

    def seizable() -> str | None:
        if not token.isFrozen(account):
            return f"{account} is not frozen; only frozen funds can be seized"
        if token.isFrozen(to):
            return f"recipient {to} is frozen"
        balance = token.balanceOf(account)
        if balance < units:
            return f"amount {amount} exceeds the balance of {to_text(balance, token.decimals())}"
        return None

    return Action(
        token,
        "seize",
        [account, to, units, ref],
        f"seize {amount} {token.symbol()} from {account} to {to} (case {case})",
        role="COMPLIANCE_ROLE",
        checks=[seizable],
        watch=[account, to],
    )


def pause(token: Any, sender: str) -> Action:
    return Action(
        token,
        "pause",
        [],
        f"pause {token.symbol()}",
        role="PAUSER_ROLE",
        checks=[lambda: "already paused" if token.paused() else None],
    )


def unpause(token: Any, sender: str) -> Action:
    return Action(
        token,
        "unpause",
        [],
        f"unpause {token.symbol()}",
        role="PAUSER_ROLE",
        checks=[lambda: None if token.paused() else "not paused"],
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


def grant_role(token: Any, sender: str, role: str, account: str) -> Action:
    name = role_name(role)
    account = checksummed(account, "account")
    if name == "DEFAULT_ADMIN_ROLE":
        raise InputError("DEFAULT_ADMIN_ROLE moves only by the delayed two-step handover")
    return Action(
        token,
        "grantRole",
        [getattr(token, name)(), account],
        f"grant {name} to {account}",
        role="DEFAULT_ADMIN_ROLE",
        checks=[
            lambda: (
                f"{account} already holds {name}"
                if token.hasRole(getattr(token, name)(), account)
                else None
            )
        ],
        watch=[account],
    )


def revoke_role(token: Any, sender: str, role: str, account: str) -> Action:
    name = role_name(role)
    account = checksummed(account, "account")
    if name == "DEFAULT_ADMIN_ROLE":
        raise InputError("DEFAULT_ADMIN_ROLE moves only by the delayed two-step handover")
    return Action(
        token,
        "revokeRole",
        [getattr(token, name)(), account],
        f"revoke {name} from {account}",
        role="DEFAULT_ADMIN_ROLE",
        checks=[
            lambda: (
                None
                if token.hasRole(getattr(token, name)(), account)
                else f"{account} does not hold {name}"
            )
        ],
        watch=[account],
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
    for name in ROLES:
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
