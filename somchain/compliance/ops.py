"""Actions on the controls both tokens share (ControlledTokenUpgradeable): freeze,
unfreeze, freeze a list, seize, pause, unpause, grant and revoke a role, the delayed
admin handover and the rescue of tokens sent to the contract by mistake.

They take any contract with that interface, so `ape run stablecoin` and `ape run cbdc`
mount the same commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eth_utils import keccak, to_checksum_address

from somchain import display
from somchain.actions import Action
from somchain.compliance import sanctions
from somchain.constants import ZERO_ADDRESS
from somchain.errors import InputError
from somchain.inputs import bytes32_text, checksummed, to_text, to_units


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
    """Freezes every EVM address of a list in any format the audit screens with: OFAC's
    SDN files ("Digital Currency Address" entries) or a plain list (one address per line,
    optional CSV cells and trailing `# comment`)."""
    listed = sanctions.load(path)
    if not listed.entries:
        raise InputError(f"{path} lists no EVM address")
    accounts: list[str] = [str(to_checksum_address(a)) for a in listed.entries]
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
        f"seize {display.amount(units, token.decimals(), token.symbol())} from {account} "
        f"to {to} (case {case})",
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


def begin_admin_transfer(token: Any, sender: str, new_admin: str) -> Action:
    """First step of the delayed admin handover (AccessControlDefaultAdminRules): the new
    admin may accept once the token's admin delay has passed."""
    new_admin = checksummed(new_admin, "new admin")
    delay = int(token.defaultAdminDelay())

    def differs() -> str | None:
        if token.defaultAdmin() == new_admin:
            return f"{new_admin} is already the admin"
        return None

    return Action(
        token,
        "beginDefaultAdminTransfer",
        [new_admin],
        f"begin handing the admin of {token.symbol()} to {new_admin} "
        f"(it may accept {delay:,} s after this runs)",
        role="DEFAULT_ADMIN_ROLE",
        checks=[differs],
        watch=[new_admin],
    )


def cancel_admin_transfer(token: Any, sender: str) -> Action:
    """Drops a pending admin handover."""
    pending, _ = token.pendingDefaultAdmin()
    if pending == ZERO_ADDRESS:
        raise InputError("no admin handover is pending")
    return Action(
        token,
        "cancelDefaultAdminTransfer",
        [],
        f"cancel handing the admin of {token.symbol()} to {pending}",
        role="DEFAULT_ADMIN_ROLE",
    )


def accept_admin_transfer(token: Any, sender: str, timelock: Any = None) -> Action:
    """Second step: the pending admin takes the role once its schedule has passed. When
    the pending admin is the governance timelock, a board member proposes the acceptance
    to it (`timelock`)."""
    from ape import chain

    from somchain.display import utc
    from somchain.governance.ops import through_timelock

    pending, schedule = token.pendingDefaultAdmin()
    if pending == ZERO_ADDRESS:
        raise InputError("no admin handover is pending")

    def due() -> str | None:
        if chain.blocks.head.timestamp <= int(schedule):
            return f"the handover to {pending} cannot be accepted before {utc(int(schedule))}"
        return None

    action = Action(
        token,
        "acceptDefaultAdminTransfer",
        [],
        f"accept the admin of {token.symbol()} as {pending}",
        checks=[due],
        watch=[pending],
        watch_roles=["DEFAULT_ADMIN_ROLE"],
    )
    if timelock is not None and pending == timelock.address and sender != pending:
        return through_timelock(action, timelock)
    if sender != pending:
        raise InputError(f"only the pending admin {pending} can accept, not {sender}")
    return action


def rescue(token: Any, sender: str, asset: str, to: str, amount: str) -> Action:
    """Sends a token that was transferred to the token contract by mistake to `to`."""
    from ape import Contract

    from somchain.reserve.valuation import ERC20_METADATA_ABI

    asset = checksummed(asset, "token to rescue")
    to = checksummed(to, "recipient")
    if to == ZERO_ADDRESS:
        raise InputError("the recipient is the zero address")
    stuck = Contract(asset, abi=ERC20_METADATA_ABI + BALANCE_OF_ABI)
    try:
        decimals, symbol = int(stuck.decimals()), stuck.symbol()
    except Exception:
        raise InputError(f"{asset} is not an ERC-20 token") from None
    units = to_units(amount, decimals)

    def held() -> str | None:
        balance = stuck.balanceOf(token.address)
        if balance < units:
            return (
                f"{token.address} holds {to_text(balance, decimals)} {symbol}, less than {amount}"
            )
        return None

    return Action(
        token,
        "rescueERC20",
        [asset, to, units],
        f"rescue {amount} {symbol} held by {token.symbol()}'s contract to {to}",
        role="RESCUER_ROLE",
        checks=[held],
        watch=[to],
    )


BALANCE_OF_ABI = [
    {
        "type": "function",
        "name": "balanceOf",
        "stateMutability": "view",
        "inputs": [{"name": "account", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    }
]


ROLE_GRANTED = "0x" + keccak(text="RoleGranted(bytes32,address,address)").hex()
ROLE_REVOKED = "0x" + keccak(text="RoleRevoked(bytes32,address,address)").hex()


def role_holders(
    contract: Any, start_block: int = 0, candidates: list[str] | None = None
) -> dict[str, list[str]]:
    """Who holds each of `contract`'s roles now: every account its RoleGranted and
    RoleRevoked events (from `start_block`) ever named, plus `candidates`, kept if
    `hasRole` still says so."""
    from ape import chain

    from somchain.audit.logs import iter_logs

    web3 = chain.provider.web3
    ids = {
        name: (b"\x00" * 32 if name == "DEFAULT_ADMIN_ROLE" else bytes(getattr(contract, name)()))
        for name in contract_roles(contract)
    }
    named: dict[bytes, list[str]] = {rid: [] for rid in ids.values()}
    head = web3.eth.block_number

    def get_logs(params: dict) -> list[Any]:
        return web3.eth.get_logs({**params, "topics": [[ROLE_GRANTED, ROLE_REVOKED]]})

    for _lo, _hi, logs in iter_logs(get_logs, [contract.address], start_block, head):
        for log in logs:
            rid = bytes(log["topics"][1])
            account = to_checksum_address(bytes(log["topics"][2])[-20:])
            if rid in named and account not in named[rid]:
                named[rid].append(account)
    holders: dict[str, list[str]] = {}
    for name, rid in ids.items():
        seen = list(dict.fromkeys([*named[rid], *(candidates or [])]))
        holders[name] = [account for account in seen if contract.hasRole(rid, account)]
    return holders
