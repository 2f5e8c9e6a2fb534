"""Options and the run loop shared by the operator scripts (ape skips `_` files)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click
from ape import chain
from ape.cli import ConnectedProviderCommand, account_option
from ape.exceptions import NetworkMismatchError, ProviderError

from somchain import manifest
from somchain.actions import Action, preflight, receipt_lines, send
from somchain.addresses import checksummed
from somchain.errors import ActionFailed, InputError
from somchain.guards import check_chain, unlock
from somchain.rehearsal import rehearse as rehearse_on_fork


def fail(err: InputError | ActionFailed) -> None:
    """Prints the one-line error and exits 2 (bad input) or 1 (revert/failure)."""
    click.secho(f"error: {err}", fg="red", err=True)
    sys.exit(err.exit_code)


def operator_options(f: Callable) -> Callable:
    """--account, --yes, --rehearse, --mainnet on a state-changing command."""
    f = click.option("--mainnet", is_flag=True, help="Allow BNB mainnet (chain id 56).")(f)
    f = click.option(
        "--rehearse",
        is_flag=True,
        help="Run the action first on a local anvil fork of the network and show what changes.",
    )(f)
    f = click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")(f)
    f = account_option()(f)
    return f


class OperatorCommand(ConnectedProviderCommand):
    """Connects like ape's command, and turns a node on the wrong chain (a misconfigured
    RPC) or an unreachable node into a one-line error."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NetworkMismatchError as err:
            click.secho(f"error: wrong chain: {err}", fg="red", err=True)
            ctx.exit(InputError.exit_code)
        except ProviderError as err:
            click.secho(f"error: cannot use the network: {err}", fg="red", err=True)
            ctx.exit(ActionFailed.exit_code)


def operator_command(group: click.Group, name: str, **kwargs) -> Callable:
    return group.command(name, cls=OperatorCommand, **kwargs)


def operator_action(group: click.Group, name: str) -> Callable:
    """Makes `f(account, **arguments) -> Action | list[Action]` a state-changing subcommand
    of `group`: connected, with the operator options, run through `run`."""

    def decorator(f: Callable) -> click.Command:
        @functools.wraps(f)
        def callback(provider, account, yes, rehearse, mainnet, **arguments):
            run(lambda: f(account, **arguments), account, provider, yes, rehearse, mainnet)

        # ape reads the callback's own signature to know what to pass (provider, ...).
        del callback.__wrapped__
        return operator_command(group, name)(operator_options(callback))

    return decorator


def contract_at(key: str, contract_type: Any, address: str | None) -> Any:
    """The contract at `address`, or at the manifest's address for this chain."""
    if address:
        return contract_type.at(checksummed(address, f"{key} address"))
    found = manifest.address_of(chain.chain_id, key)
    if not found:
        raise InputError(
            f"no {key} in {manifest.manifest_path(chain.chain_id)}; "
            f"deploy it (ape run deploy {key}) or pass --address"
        )
    return contract_type.at(found)


def run(
    build: Callable[[], Action | list[Action]],
    account: Any,
    provider: Any,
    yes: bool,
    rehearse: bool,
    mainnet: bool,
) -> list[Any]:
    """Validates, explains, optionally rehearses, confirms and sends the action(s)."""
    receipts: list[Any] = []
    try:
        chain_id = check_chain(provider, allow_mainnet=mainnet)
        built = build()
        actions = built if isinstance(built, list) else [built]
        for action in actions:
            preflight(action, account.address)
        network = provider.network
        for action in actions:
            click.echo(f"will {action.summary}")
        click.echo(
            f"  on {network.ecosystem.name}:{network.name} (chain id {chain_id}), "
            f"contract {actions[-1].contract.address}, from {account.address}"
        )
        if rehearse:
            uri = getattr(provider, "uri", None)
            if not uri or not uri.startswith("http"):
                raise InputError(
                    "--rehearse needs a network reached over RPC, not the embedded chain"
                )
            result = rehearse_on_fork(actions, account.address, uri, chain_id)
            for line in result.lines():
                click.echo(line)
            if not result.succeeded:
                raise ActionFailed(f"reverted on the fork: {result.error}; nothing sent")
        question = (
            "send this transaction?"
            if len(actions) == 1
            else f"send these {len(actions)} transactions?"
        )
        if not yes and not click.confirm(question, default=False):
            click.echo("aborted; nothing sent")
            sys.exit(1)
        unlock(account)
        for action in actions:
            receipt = send(action, account)
            receipts.append(receipt)
            for line in receipt_lines(receipt):
                click.echo(line)
    except (InputError, ActionFailed) as err:
        fail(err)
    click.secho(f"done: {actions[-1].summary}", fg="green")
    return receipts
