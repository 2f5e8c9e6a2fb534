"""The steps every operator command runs, in order: guard the network, build and
preflight the action(s), explain, optionally rehearse on a fork, confirm, send.

It knows nothing of click: the caller passes `confirm` (a question -> yes/no) and `echo`
(a line -> None), so tests run it with plain functions and no terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from somchain.actions.action import Action, preflight, receipt_lines, send
from somchain.actions.rehearsal import RehearsalResult
from somchain.actions.rehearsal import rehearse as rehearse_on_fork
from somchain.errors import Aborted, ActionFailed, InputError
from somchain.network import check_chain, unlock

Build = Callable[[], Action | Sequence[Action]]
Confirm = Callable[[str], bool]
Echo = Callable[[str], None]
Rehearse = Callable[[list[Action], str, str, int], RehearsalResult]


def as_list(built: Action | Sequence[Action]) -> list[Action]:
    return [built] if isinstance(built, Action) else list(built)


def run(
    build: Build,
    account: Any,
    provider: Any,
    *,
    yes: bool = False,
    rehearse: bool = False,
    mainnet: bool = False,
    confirm: Confirm,
    echo: Echo,
    rehearser: Rehearse = rehearse_on_fork,
) -> list[Any]:
    """Validates, explains, optionally rehearses, confirms and sends the action(s); returns
    the receipts. Raises InputError (bad input, nothing sent), ActionFailed (a revert) or
    Aborted (the operator said no)."""
    chain_id = check_chain(provider, allow_mainnet=mainnet)
    actions = as_list(build())
    if not actions:
        raise InputError("nothing to do")
    for action in actions:
        preflight(action, account.address)
    network = provider.network
    for action in actions:
        echo(f"will {action.summary}")
    echo(
        f"  on {network.ecosystem.name}:{network.name} (chain id {chain_id}), "
        f"contract {actions[-1].contract.address}, from {account.address}"
    )
    if rehearse:
        uri = getattr(provider, "uri", None)
        if not uri or not str(uri).startswith("http"):
            raise InputError("--rehearse needs a network reached over RPC, not the embedded chain")
        result = rehearser(actions, account.address, uri, chain_id)
        for line in result.lines():
            echo(line)
        if not result.succeeded:
            raise ActionFailed(f"reverted on the fork: {result.error}; nothing sent")
    question = (
        "send this transaction?"
        if len(actions) == 1
        else f"send these {len(actions)} transactions?"
    )
    if not yes and not confirm(question):
        raise Aborted("aborted; nothing sent")
    unlock(account)
    receipts = []
    for action in actions:
        receipt = send(action, account)
        receipts.append(receipt)
        for line in receipt_lines(receipt):
            echo(line)
    echo(f"done: {actions[-1].summary}")
    return receipts
