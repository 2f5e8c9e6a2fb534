"""Rehearsal of an action on a local anvil fork of the target network.

The fork starts from the target's latest block, the sender is impersonated (no key is
needed), the action's transaction runs there, and the state it touches is read before and
after: balances, frozen flags, total supply, pause state and the roles the action needs
or changes. The real network is only read from, never written to.

An action that schedules a call on the governance timelock is rehearsed to its end: after
the `schedule`, the fork's clock moves past the delay and the operation is executed, so a
call that would revert when the delay is over is caught now, not days later. Its diff is
the scheduled call's (`Action.inner`): read on the contract that call targets, with the
timelock as its caller, so a proposal (from a board member or the board's Safe) shows what
the direct action would. A sender that
is a contract (a Safe) is lent BNB for gas on the fork: its executor pays gas, not it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import keccak

from somchain import display
from somchain.actions.action import Action
from somchain.actions.events import token_scale
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
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = (
            f"rehearsal: succeeded, gas used {self.gas_used:,}"
            if self.succeeded
            else f"rehearsal: reverted: {self.error}"
        )
        body = [f"  {note}" for note in self.notes]
        body += [f"  {what}: {before} -> {after}" for what, before, after in self.changes]
        if self.succeeded and not self.changes:
            body.append("  no watched state changed")
        return [head, *body]


def _call(w3: Any, to: str, signature: str, types: list[str], args: list, out: list[str]):
    return _call_all(w3, to, signature, types, args, out)[0]


def _call_all(w3: Any, to: str, signature: str, types: list[str], args: list, out: list[str]):
    from eth_abi import encode

    data = keccak(text=signature)[:4] + encode(types, args)
    raw = w3.eth.call({"to": to, "data": "0x" + data.hex()})
    return abi_decode(out, bytes(raw))


def _effects(actions: list[Action], sender: str) -> list[tuple[Action, str]]:
    """The calls whose state a rehearsal diffs, each with its caller: an action that
    schedules calls (a timelock proposal) stands for the calls it schedules, made by the
    timelock, so the diff is the one the direct action would show."""
    found: list[tuple[Action, str]] = []
    for action in actions:
        inner = list(getattr(action, "inner", None) or [])
        if inner:
            found += _effects(inner, action.contract.address)
        else:
            found.append((action, sender))
    return found


def _snapshot(w3: Any, actions: list[Action], sender: str) -> dict[str, Any]:
    """Reads the state the actions may touch, by raw calls on the fork, on the contracts the
    calls run on."""
    state: dict[str, Any] = {}
    effects = _effects(actions, sender)
    prefix = len(effects) > 1
    for action, caller in effects:
        state.update(_snapshot_one(w3, action, caller, prefix=prefix))
    state[f"native balance({sender})"] = display.amount(w3.eth.get_balance(sender), 18, "BNB")
    return state


def _yes_no(value: Any) -> str:
    return "true" if value else "false"


def _snapshot_one(w3: Any, action: Action, sender: str, prefix: bool) -> dict[str, Any]:
    token = action.contract.address
    state: dict[str, Any] = {}
    tag = f"{token[:10]}.." if prefix else ""

    units: Callable[[Any], str] = lambda v: f"{v:,}"  # noqa: E731
    scale = token_scale(w3, token)
    if scale is not None and scale[2]:  # a token: its amounts in its units
        units = lambda v: display.amount(v, scale[1], scale[0])  # noqa: E731

    def read(label: str, signature: str, types: list[str], args: list, out: str) -> None:
        with contextlib.suppress(Exception):  # the contract has no such function
            value = _call(w3, token, signature, types, args, [out])
            state[tag + label] = _yes_no(value) if out == "bool" else units(value)

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
    for view in getattr(action, "reads", None) or []:
        with contextlib.suppress(Exception):
            types = view.signature[view.signature.index("(") + 1 : -1]
            raw = _call_all(
                w3,
                token,
                view.signature,
                [t for t in types.split(",") if t],
                list(view.args),
                list(view.out),
            )
            value = raw[0] if len(view.out) == 1 else tuple(raw)
            state[tag + view.label] = view.show(value) if view.show else value
    return state


def rehearse(
    actions: Action | list[Action], sender: str, upstream: str, chain_id: int
) -> RehearsalResult:
    """Runs the action(s) from `sender`, in order, on a fork of `upstream`; the upstream
    chain is untouched."""
    steps = actions if isinstance(actions, list) else [actions]
    gas = 0
    notes: list[str] = []
    try:
        fork = Anvil(fork_url=upstream, chain_id=chain_id).start()
    except AnvilError as err:
        raise ActionFailed(f"cannot fork {upstream}: {err}") from None
    with fork:
        w3: Any = fork.w3
        lent = bool(w3.eth.get_code(sender))
        if lent:
            funded = w3.eth.get_balance(sender) + 10**18
            w3.provider.make_request("anvil_setBalance", [sender, hex(funded)])
            if not any(a.value for a in steps):  # its balance moves by the lent gas only
                notes.append(f"{sender} is a contract: lent BNB for gas on the fork")
        before = _snapshot(w3, steps, sender)
        w3.provider.make_request("anvil_impersonateAccount", [sender])
        for action in steps:
            failed = _transact(w3, sender, action.contract.address, action.calldata, action.value)
            if isinstance(failed, bytes):
                reason = decode_revert(action.contract.contract_type, failed)
                return RehearsalResult(False, gas, reason, notes=notes)
            gas += failed
            if _is_timelock_schedule(action):
                outcome = _execute_after_delay(w3, sender, action)
                if isinstance(outcome, str):
                    return RehearsalResult(False, gas, outcome, notes=notes)
                notes.append(
                    f"then, {int(action.args[-1]) + 1:,} s later on the fork, the timelock "
                    f"executed the operation (gas {outcome:,})"
                )
                gas += outcome
        after = _snapshot(w3, steps, sender)
    if lent and not any(a.value for a in steps):
        after.pop(f"native balance({sender})", None)
    changes = [(k, before.get(k), v) for k, v in after.items() if before.get(k) != v]
    return RehearsalResult(True, gas, None, changes, notes=notes)


def _transact(w3: Any, sender: str, to: str, data: bytes, value: int) -> int | bytes:
    """Gas used by the transaction on the fork, or the revert data if it would revert."""
    tx = {"from": sender, "to": to, "data": "0x" + bytes(data).hex(), "value": value}
    try:
        w3.eth.call(tx)
    except Exception as err:
        return revert_data(err) or b""
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction(tx), timeout=60)
    if receipt.status != 1:
        return b""
    return int(receipt.gasUsed)


def _is_timelock_schedule(action: Action) -> bool:
    names = {getattr(i, "name", None) for i in action.contract.contract_type.abi}
    return action.method in ("schedule", "scheduleBatch") and {"getMinDelay", "execute"} <= names


def _execute_after_delay(w3: Any, sender: str, action: Action) -> int | str:
    """Moves the fork past the scheduled delay and executes the operation from an executor
    (the sender, or the sender made one on the fork); gas used, or why it reverted."""
    from eth_abi import encode

    timelock = action.contract.address
    if action.method == "schedule":
        target, value, data, predecessor, salt, delay = action.args
        call = keccak(text="execute(address,uint256,bytes,bytes32,bytes32)")[:4] + encode(
            ["address", "uint256", "bytes", "bytes32", "bytes32"],
            [target, value, data, predecessor, salt],
        )
        targets, total = [target], int(value)
    else:
        targets, values, payloads, predecessor, salt, delay = action.args
        call = keccak(text="executeBatch(address[],uint256[],bytes[],bytes32,bytes32)")[
            :4
        ] + encode(
            ["address[]", "uint256[]", "bytes[]", "bytes32", "bytes32"],
            [targets, values, payloads, predecessor, salt],
        )
        total = sum(int(v) for v in values)
    executor = keccak(text="EXECUTOR_ROLE")
    holds = _call(
        w3,
        timelock,
        "hasRole(bytes32,address)",
        ["bytes32", "address"],
        [executor, sender],
        ["bool"],
    )
    anyone = _call(
        w3,
        timelock,
        "hasRole(bytes32,address)",
        ["bytes32", "address"],
        [executor, "0x" + "00" * 20],
        ["bool"],
    )
    if not (holds or anyone):
        grant = keccak(text="grantRole(bytes32,address)")[:4] + encode(
            ["bytes32", "address"], [executor, sender]
        )
        w3.provider.make_request("anvil_impersonateAccount", [timelock])
        w3.provider.make_request("anvil_setBalance", [timelock, hex(10**18)])
        if isinstance(_transact(w3, timelock, timelock, grant, 0), bytes):
            return "the rehearsal could not make the sender an executor on the fork"
    w3.provider.make_request("evm_increaseTime", [int(delay) + 1])
    w3.provider.make_request("evm_mine", [])
    outcome = _transact(w3, sender, timelock, call, total)
    if isinstance(outcome, bytes):
        reason = _decode_inner(targets, outcome, action)
        return f"the operation would revert when executed after the delay: {reason}"
    return outcome


def _decode_inner(targets: list, data: bytes, action: Action) -> str:
    """The revert of an executed operation, by the ABI of its target (the timelock bubbles
    its target's error), else the timelock's."""
    from somchain.governance.ops import _abi_for

    for target in targets:
        container = _abi_for(str(target))
        decoded = decode_revert(container.contract_type, data)
        if not decoded.startswith("0x"):
            return decoded
    return decode_revert(action.contract.contract_type, data)
