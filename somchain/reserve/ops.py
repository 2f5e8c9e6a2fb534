"""The reserve's operator actions, validated from raw operator input.

Governance calls (withdrawals, listings, limits, unpause) are proposed to the governance
timelock; `ape run governance execute <id>` executes them after the delay, from the
timelock's own events on any machine.
"""

from __future__ import annotations

from typing import Any

from ape import Contract, chain

from somchain import display
from somchain.actions import Action
from somchain.constants import NATIVE
from somchain.errors import InputError
from somchain.governance.ops import through_timelock
from somchain.inputs import checksummed, to_text, to_units
from somchain.reserve.valuation import ERC20_METADATA_ABI, asset_metadata

_APPROVE_ABI = [
    {
        "type": "function",
        "name": "approve",
        "stateMutability": "nonpayable",
        "inputs": [{"name": "spender", "type": "address"}, {"name": "value", "type": "uint256"}],
        "outputs": [{"name": "", "type": "bool"}],
    },
    {
        "type": "function",
        "name": "allowance",
        "stateMutability": "view",
        "inputs": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    },
    {
        "type": "function",
        "name": "balanceOf",
        "stateMutability": "view",
        "inputs": [{"name": "account", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    },
]


def asset_address(text: str) -> str:
    """`BNB` (the native sentinel) or a checksummed token address."""
    if str(text).strip().upper() == "BNB":
        return NATIVE
    return checksummed(text, "asset")


def _listed(vault: Any, asset: str) -> None:
    if not vault.isListed(asset):
        raise InputError(f"asset {asset} is not listed in the reserve")


def deposit(vault: Any, sender: str, asset_text: str, amount: str) -> list[Action]:
    """An approval (for a token) and the deposit."""
    asset = asset_address(asset_text)
    _listed(vault, asset)
    symbol, decimals = asset_metadata(asset)
    units = to_units(amount, decimals)
    if asset == NATIVE:
        if chain.provider.get_balance(sender) < units:
            raise InputError(f"amount {amount} BNB exceeds the sender's balance")
        return [
            Action(
                vault,
                "deposit",
                [NATIVE, units],
                f"deposit {display.amount(units, decimals, 'BNB')}",
                value=units,
                watch=[sender],
            )
        ]
    token = Contract(asset, abi=_APPROVE_ABI + ERC20_METADATA_ABI)
    balance = token.balanceOf(sender)
    if balance < units:
        raise InputError(
            f"amount {amount} exceeds the sender's {symbol} balance of {to_text(balance, decimals)}"
        )
    actions = []
    if token.allowance(sender, vault.address) < units:
        actions.append(
            Action(
                token,
                "approve",
                [vault.address, units],
                f"approve {display.amount(units, decimals, symbol)} to the reserve",
            )
        )
    actions.append(
        Action(
            vault,
            "deposit",
            [asset, units],
            f"deposit {display.amount(units, decimals, symbol)}",
            watch=[sender],
        )
    )
    return actions


def operational_transfer(vault: Any, sender: str, asset_text: str, to: str, amount: str) -> Action:
    asset = asset_address(asset_text)
    to = checksummed(to, "recipient")
    _listed(vault, asset)
    symbol, decimals = asset_metadata(asset)
    units = to_units(amount, decimals)

    def within_limit() -> str | None:
        left = vault.remainingDailyOutflow(asset)
        if units > left:
            left_text = to_text(left, decimals)
            return f"amount {amount} {symbol} exceeds the remaining operator limit of {left_text}"
        if vault.balanceOf(asset) < units:
            return f"the reserve holds less than {amount} {symbol}"
        return None

    return Action(
        vault,
        "operationalTransfer",
        [asset, to, units],
        f"send {display.amount(units, decimals, symbol)} from the reserve to {to} "
        "(operator limit, no delay)",
        role="OPERATOR_ROLE",
        needs_unpaused=True,
        checks=[within_limit],
        watch=[to],
    )


def _salt(text: str | None) -> bytes | None:
    if text is None:
        return None
    raw = text.encode()
    if not raw or len(raw) > 32:
        raise InputError("salt must be 1 to 32 bytes")
    return raw.ljust(32, b"\x00")


def _governed(vault: Any, method: str, args: list, summary: str, **kwargs: Any) -> Action:
    """A call of the vault's governance (GOVERNOR_ROLE, held by the timelock)."""
    return Action(vault, method, args, summary, role="GOVERNOR_ROLE", **kwargs)


def _propose(timelock: Any, action: Action, salt: str | None) -> Action:
    """`action` scheduled on the timelock: its checks, and a simulation of the call from
    the timelock (paused vault, balance, listing), run before anything is proposed."""
    return through_timelock(action, timelock, _salt(salt))


def _holds(vault: Any, asset: str, units: int, amount: str, symbol: str):
    def check() -> str | None:
        if vault.balanceOf(asset) < units:
            return f"the reserve holds less than {amount} {symbol}"
        return None

    return check


def propose_withdrawal(timelock, vault, sender, asset_text, to, amount, salt=None) -> Action:
    asset = asset_address(asset_text)
    to = checksummed(to, "recipient")
    _listed(vault, asset)
    symbol, decimals = asset_metadata(asset)
    units = to_units(amount, decimals)
    action = _governed(
        vault,
        "withdraw",
        [asset, to, units],
        f"withdraw {display.amount(units, decimals, symbol)} to {to}",
        needs_unpaused=True,
        checks=[_holds(vault, asset, units, amount, symbol)],
        watch=[to],
    )
    return _propose(timelock, action, salt)


def propose_add_asset(timelock, vault, sender, asset_text, feed, daily_limit, salt=None) -> Action:
    asset = asset_address(asset_text)
    feed = checksummed(feed, "price feed")
    if vault.isListed(asset):
        raise InputError(f"asset {asset} is already listed")
    symbol, decimals = asset_metadata(asset)
    limit = to_units(daily_limit, decimals, allow_zero=True)
    summary = f"list {symbol} ({asset}) with feed {feed}, daily operator limit {daily_limit}"
    return _propose(timelock, _governed(vault, "addAsset", [asset, feed, limit], summary), salt)


def propose_remove_asset(timelock, vault, sender, asset_text, salt=None) -> Action:
    """Delists ASSET; what it still holds becomes recoverable only by governance."""
    asset = asset_address(asset_text)
    _listed(vault, asset)
    symbol, decimals = asset_metadata(asset)
    held = vault.balanceOf(asset)
    summary = f"delist {symbol} ({asset})" + (
        f", leaving {to_text(held, decimals)} {symbol} to recover" if held else ""
    )
    return _propose(timelock, _governed(vault, "removeAsset", [asset], summary), salt)


def set_max_share(vault: Any, sender: str, asset_text: str, max_share_bps: str) -> Action:
    """Caps ASSET's share of the reserve's value, in basis points (0 removes the cap)."""
    asset = asset_address(asset_text)
    _listed(vault, asset)
    try:
        bps = int(max_share_bps)
    except ValueError:
        raise InputError(
            f"max share {max_share_bps!r} is not a whole number of basis points"
        ) from None
    if not 0 <= bps <= 10_000:
        raise InputError(f"max share {bps} must be from 0 to 10000 basis points (100%)")
    symbol, _ = asset_metadata(asset)
    what = f"cap {symbol} at {bps / 100:g}% of the reserve" if bps else f"remove {symbol}'s cap"
    return _governed(vault, "setMaxShare", [asset, bps], what)


def pause(vault: Any, sender: str) -> Action:
    """The guardian stops every outflow at once (no delay)."""
    return Action(
        vault,
        "pause",
        [],
        "pause every outflow of the reserve",
        role="GUARDIAN_ROLE",
        checks=[lambda: "the reserve is already paused" if vault.paused() else None],
    )


def unpause(vault: Any, sender: str) -> Action:
    """Resumes outflows: governance, through the timelock."""
    return _governed(
        vault,
        "unpause",
        [],
        "resume the reserve's outflows",
        checks=[lambda: None if vault.paused() else "the reserve is not paused"],
    )
