"""The steps every operator command runs, in order: guard the network, build and
preflight the action(s), explain, optionally rehearse on a fork, confirm, send.

With `safe` (the board's Safe multisig) nothing is sent: the action(s) are checked with
the Safe as sender, always rehearsed on a fork from the Safe, and written as a proposal
file for the owners to sign (`somchain.safe.proposal`).

It knows nothing of click: the caller passes `confirm` (a question -> yes/no) and `echo`
(a line -> None), so tests run it with plain functions and no terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from somchain.actions.action import Action, preflight, receipt_lines, send
from somchain.actions.calldata import calldata_lines
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
    print_calldata: bool = False,
    confirm: Confirm,
    echo: Echo,
    rehearser: Rehearse = rehearse_on_fork,
    safe: str | None = None,
    proposal_path: str | None = None,
    safe_nonce: int | None = None,
    on_receipt: Callable[[Action, Any], None] | None = None,
) -> list[Any]:
    """Validates, explains, optionally rehearses, confirms and sends the action(s); returns
    the receipts. With `safe`, writes a proposal file instead and returns no receipt; with
    `print_calldata`, prints the raw calls for a signer outside the tool and sends nothing.
    Raises InputError (bad input, nothing sent), ActionFailed (a revert) or Aborted (the
    operator said no). Each receipt goes to `on_receipt` when given (a command that sends
    many transactions reports them itself), else its lines to `echo`."""
    chain_id = check_chain(provider, allow_mainnet=mainnet)
    sender = safe or account.address
    actions = as_list(build())
    if not actions:
        raise InputError("nothing to do")
    for action in actions:
        preflight(action, sender)
    network = provider.network
    for action in actions:
        echo(f"will {action.summary}")
    echo(
        f"  on {network.ecosystem.name}:{network.name} (chain id {chain_id}), "
        f"contract {actions[-1].contract.address}, from {'the Safe ' if safe else ''}{sender}"
    )
    if print_calldata:
        echo("\n".join(calldata_lines(actions)))
        return []
    result = _rehearsal(actions, sender, provider, chain_id, rehearse, safe, rehearser, echo)
    if safe:
        return _propose(actions, safe, chain_id, network, result, proposal_path, safe_nonce, echo)
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
        if on_receipt is not None:
            on_receipt(action, receipt)
            continue
        for line in receipt_lines(receipt):
            echo(line)
    echo(f"done: {actions[-1].summary}")
    return receipts


def _rehearsal(
    actions: list[Action],
    sender: str,
    provider: Any,
    chain_id: int,
    rehearse: bool,
    safe: str | None,
    rehearser: Rehearse,
    echo: Echo,
) -> RehearsalResult | None:
    """Rehearses on a fork when asked, and always for a Safe proposal over RPC; raises when
    the rehearsal reverts."""
    uri = getattr(provider, "uri", None)
    # ape's embedded chain (provider "test") runs in process, whatever `uri` it reports.
    over_rpc = str(uri or "").startswith("http") and getattr(provider, "name", "") != "test"
    if not (rehearse or (safe and over_rpc)):
        return None
    if not over_rpc:  # the embedded chain cannot be forked
        raise InputError("--rehearse needs a network reached over RPC, not the embedded chain")
    result = rehearser(actions, sender, str(uri), chain_id)
    for line in result.lines():
        echo(line)
    if not result.succeeded:
        what = "no proposal written" if safe else "nothing sent"
        raise ActionFailed(f"reverted on the fork: {result.error}; {what}")
    return result


def _propose(
    actions: list[Action],
    safe: str,
    chain_id: int,
    network: Any,
    result: RehearsalResult | None,
    path: str | None,
    nonce: int | None,
    echo: Echo,
) -> list[Any]:
    """Writes the Safe proposal file of `actions`; nothing is sent."""
    from somchain.safe import proposal as proposals

    name = f"{network.ecosystem.name}:{network.name}"
    made = proposals.build(actions, safe, chain_id, name, nonce)
    if result is not None:
        made.data["rehearsal"] = {
            "sender": safe,
            "succeeded": result.succeeded,
            "gas_used": result.gas_used,
            "lines": result.lines(),
        }
    written = made.save(path or proposals.default_path(made))
    echo(f"SafeTx 0x{made.safe_tx_hash.hex()} for the Safe {safe}, nonce {made.nonce}")
    echo(f"done: proposal written to {written}; nothing sent")
    echo(f"  next: ape run safe sign {written} --account <owner>")
    return []
