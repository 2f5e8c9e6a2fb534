"""Rehearsal of an action on a local anvil fork of the target network.

The fork starts from the target's latest block, the sender is impersonated (no key is
needed), the action's transaction runs there, and the state it touches is read before and
after: balances, frozen flags, total supply, pause state and the roles the action needs
or changes. The real
network is only read from, never written to.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import keccak

from somchain.actions.action import Action
from somchain.actions.reverts import decode_revert, revert_data
from somchain.anvil import Anvil, AnvilError
from somchain.errors import ActionFailed


@dataclass
class RehearsalResult:
    """What the rehearsal saw: the transaction's outcome and the state that changed."""

    succeeded: bool
    gas_used: int
    error: str | None
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = (
            f"rehearsal: succeeded, gas used {self.gas_used:,}"
            if self.succeeded
            else f"rehearsal: reverted: {self.error}"
        )
        body = [f"  {what}: {before} -> {after}" for what, before, after in self.changes]
        if self.succeeded and not body:
            body = ["  no watched state changed"]
        return [head, *body]


def _call(w3: Any, to: str, signature: str, types: list[str], args: list, out: list[str]):
    from eth_abi import encode

    data = keccak(text=signature)[:4] + encode(types, args)
    raw = w3.eth.call({"to": to, "data": "0x" + data.hex()})
    return abi_decode(out, bytes(raw))[0]


def _snapshot(w3: Any, actions: list[Action], sender: str) -> dict[str, Any]:
    """Reads the state the actions may touch, by raw calls on the fork."""
    state: dict[str, Any] = {}
    for action in actions:
        state.update(_snapshot_one(w3, action, sender, prefix=len(actions) > 1))
    state[f"native balance({sender})"] = w3.eth.get_balance(sender)
    return state


def _snapshot_one(w3: Any, action: Action, sender: str, prefix: bool) -> dict[str, Any]:
    token = action.contract.address
    state: dict[str, Any] = {}
    tag = f"{token[:10]}.." if prefix else ""

    def read(label: str, signature: str, types: list[str], args: list, out: str) -> None:
        with contextlib.suppress(Exception):  # the contract has no such function
            state[tag + label] = _call(w3, token, signature, types, args, [out])

    read("totalSupply", "totalSupply()", [], [], "uint256")
    read("paused", "paused()", [], [], "bool")
    for account in dict.fromkeys([*action.watch, sender]):
        read(f"balanceOf({account})", "balanceOf(address)", ["address"], [account], "uint256")
        read(f"isFrozen({account})", "isFrozen(address)", ["address"], [account], "bool")
        read(
            f"minterAllowance({account})",
            "minterAllowance(address)",
            ["address"],
            [account],
            "uint256",
        )
    for role in dict.fromkeys([r for r in (action.role, *action.watch_roles) if r]):
        rid = b"\x00" * 32 if role == "DEFAULT_ADMIN_ROLE" else keccak(text=role)
        for account in dict.fromkeys([*action.watch, sender]):
            read(
                f"hasRole({role}, {account})",
                "hasRole(bytes32,address)",
                ["bytes32", "address"],
                [rid, account],
                "bool",
            )
    return state


def rehearse(
    actions: Action | list[Action], sender: str, upstream: str, chain_id: int
) -> RehearsalResult:
    """Runs the action(s) from `sender`, in order, on a fork of `upstream`; the upstream
    chain is untouched."""
    steps = actions if isinstance(actions, list) else [actions]
    gas = 0
    try:
        fork = Anvil(fork_url=upstream, chain_id=chain_id).start()
    except AnvilError as err:
        raise ActionFailed(f"cannot fork {upstream}: {err}") from None
    with fork:
        w3: Any = fork.w3
        before = _snapshot(w3, steps, sender)
        w3.provider.make_request("anvil_impersonateAccount", [sender])
        for action in steps:
            tx = {
                "from": sender,
                "to": action.contract.address,
                "data": "0x" + action.calldata.hex(),
                "value": action.value,
            }
            try:
                w3.eth.call(tx)
            except Exception as err:
                reason = decode_revert(action.contract.contract_type, revert_data(err))
                return RehearsalResult(False, gas, reason)
            receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction(tx), timeout=60)
            if receipt.status != 1:
                return RehearsalResult(False, gas, f"{action.method} failed")
            gas += receipt.gasUsed
        after = _snapshot(w3, steps, sender)
    changes = [(k, before.get(k), v) for k, v in after.items() if before.get(k) != v]
    return RehearsalResult(True, gas, None, changes)
