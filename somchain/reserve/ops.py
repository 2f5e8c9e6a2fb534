"""The reserve's operator actions, validated from raw operator input.

Timelock operations proposed here are recorded in the chain's manifest under
`operations.<id>` (targets, values, calldata, predecessor, salt, what they do), so that
`execute-withdrawal <id>` needs nothing but the id.
"""

from __future__ import annotations

import os
from typing import Any

from ape import Contract, chain

from somchain import manifest
from somchain.actions import Action
from somchain.constants import NATIVE, ZERO_BYTES32
from somchain.errors import InputError
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
                f"deposit {amount} BNB",
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
                f"approve {amount} {symbol} to the reserve",
            )
        )
    actions.append(
        Action(vault, "deposit", [asset, units], f"deposit {amount} {symbol}", watch=[sender])
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
            return (
                f"amount {amount} {symbol} exceeds today's remaining operator limit of {left_text}"
            )
        if vault.balanceOf(asset) < units:
            return f"the reserve holds less than {amount} {symbol}"
        return None

    return Action(
        vault,
        "operationalTransfer",
        [asset, to, units],
        f"send {amount} {symbol} from the reserve to {to} (operator limit, no delay)",
        role="OPERATOR_ROLE",
        needs_unpaused=True,
        checks=[within_limit],
        watch=[to],
    )


def _salt(text: str | None) -> bytes:
    if text is None:
        return os.urandom(32)
    raw = text.encode()
    if len(raw) > 32:
        raise InputError("salt must be at most 32 bytes")
    return raw.ljust(32, b"\x00")


def _propose(
    timelock: Any,
    sender: str,
    vault: Any,
    calldata: bytes,
    summary: str,
    kind: str,
    salt: str | None,
):
    salt32 = _salt(salt)
    delay = timelock.getMinDelay()
    op_id = bytes(timelock.hashOperation(vault.address, 0, calldata, ZERO_BYTES32, salt32))
    if timelock.isOperation(op_id):
        raise InputError(f"operation 0x{op_id.hex()} is already scheduled (use another --salt)")
    action = Action(
        timelock,
        "schedule",
        [vault.address, 0, calldata, ZERO_BYTES32, salt32, delay],
        f"propose: {summary} (timelock delay {delay} s, operation 0x{op_id.hex()})",
        role="PROPOSER_ROLE",
    )
    record = {
        "kind": kind,
        "summary": summary,
        "target": vault.address,
        "value": 0,
        "data": "0x" + calldata.hex(),
        "predecessor": "0x" + ZERO_BYTES32.hex(),
        "salt": "0x" + salt32.hex(),
        "delay": delay,
    }
    return action, "0x" + op_id.hex(), record


def propose_withdrawal(timelock, vault, sender, asset_text, to, amount, salt=None):
    asset = asset_address(asset_text)
    to = checksummed(to, "recipient")
    _listed(vault, asset)
    symbol, decimals = asset_metadata(asset)
    units = to_units(amount, decimals)
    if vault.balanceOf(asset) < units:
        raise InputError(f"the reserve holds less than {amount} {symbol}")
    data = bytes(vault.withdraw.encode_input(asset, to, units))
    return _propose(
        timelock, sender, vault, data, f"withdraw {amount} {symbol} to {to}", "withdrawal", salt
    )


def propose_add_asset(timelock, vault, sender, asset_text, feed, daily_limit, salt=None):
    asset = asset_address(asset_text)
    feed = checksummed(feed, "price feed")
    if vault.isListed(asset):
        raise InputError(f"asset {asset} is already listed")
    symbol, decimals = asset_metadata(asset)
    limit = to_units(daily_limit, decimals, allow_zero=True)
    data = bytes(vault.addAsset.encode_input(asset, feed, limit))
    summary = f"list {symbol} ({asset}) with feed {feed}, daily operator limit {daily_limit}"
    return _propose(timelock, sender, vault, data, summary, "add-asset", salt)


def save_operation(op_id: str, record: dict) -> None:
    data = manifest.load(chain.chain_id)
    data.setdefault("operations", {})[op_id] = record
    manifest.save(data)


def execute(timelock: Any, sender: str, op_id: str, kind: str | None = None) -> Action:
    op_id = op_id if op_id.startswith("0x") else "0x" + op_id
    record = manifest.load(chain.chain_id).get("operations", {}).get(op_id)
    if record is None:
        raise InputError(f"operation {op_id} is not in {manifest.manifest_path(chain.chain_id)}")
    if kind and record["kind"] != kind:
        raise InputError(f"operation {op_id} is a {record['kind']}, not a {kind}")
    raw = bytes.fromhex(op_id[2:])

    def ready() -> str | None:
        if timelock.isOperationDone(raw):
            return f"operation {op_id} was already executed"
        if not timelock.isOperationPending(raw):
            return f"operation {op_id} is not scheduled (cancelled?)"
        if not timelock.isOperationReady(raw):
            return f"operation {op_id} is not ready before {timelock.getTimestamp(raw)} (unix time)"
        return None

    return Action(
        timelock,
        "execute",
        [
            record["target"],
            record["value"],
            bytes.fromhex(record["data"][2:]),
            bytes.fromhex(record["predecessor"][2:]),
            bytes.fromhex(record["salt"][2:]),
        ],
        f"execute: {record['summary']}",
        role="EXECUTOR_ROLE",
        checks=[ready],
    )
