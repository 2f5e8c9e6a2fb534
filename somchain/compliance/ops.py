"""Actions on the controls both tokens share (ControlledTokenUpgradeable): freeze,
unfreeze, freeze a list, seize, pause, unpause, grant and revoke a role.

They take any contract with that interface, so `ape run stablecoin` and `ape run cbdc`
mount the same commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from somchain.actions import Action
from somchain.errors import InputError
from somchain.inputs import bytes32_text, checksummed, read_address_file, to_text, to_units


def contract_roles(contract: Any) -> tuple[str, ...]:
    """The role names of `contract`, from its ABI: DEFAULT_ADMIN_ROLE and every
    argument-less view function named `*_ROLE` (the one source of a contract's roles)."""
    names = [
        item.name
        for item in contract.contract_type.abi
        if getattr(item, "type", "") == "function"
        and item.name.endswith("_ROLE")
        and not item.inputs
    ]
    return tuple(dict.fromkeys(["DEFAULT_ADMIN_ROLE", *sorted(names)]))


def role_name(text: str, known: tuple[str, ...]) -> str:
    """Accepts `PAUSER_ROLE`, `pauser_role`, `pauser` or `PAUSER`; rejects unknown names."""
    name = str(text).strip().upper().replace("-", "_")
    if not name.endswith("_ROLE"):
        name += "_ROLE"
    if name not in known:
        raise InputError(f"unknown role {text!r}; known roles: {', '.join(known)}")
    return name


def case_ref(text: str) -> bytes:
    """A court case reference as bytes32: 0x-prefixed hex, or text of at most 32 bytes."""
    return bytes32_text(text, "case reference")


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


def _role_change(token: Any, role: str, account: str, grant: bool) -> Action:
    name = role_name(role, contract_roles(token))
    account = checksummed(account, "account")
    if name == "DEFAULT_ADMIN_ROLE":
        raise InputError("DEFAULT_ADMIN_ROLE moves only by the delayed two-step handover")
    role_id = getattr(token, name)()

    def needed() -> str | None:
        holds = token.hasRole(role_id, account)
        if grant and holds:
            return f"{account} already holds {name}"
        if not grant and not holds:
            return f"{account} does not hold {name}"
        return None

    return Action(
        token,
        "grantRole" if grant else "revokeRole",
        [role_id, account],
        f"grant {name} to {account}" if grant else f"revoke {name} from {account}",
        role="DEFAULT_ADMIN_ROLE",
        checks=[needed],
        watch=[account],
        watch_roles=[name],
    )


def grant_role(token: Any, sender: str, role: str, account: str) -> Action:
    return _role_change(token, role, account, grant=True)


def revoke_role(token: Any, sender: str, role: str, account: str) -> Action:
    return _role_change(token, role, account, grant=False)
