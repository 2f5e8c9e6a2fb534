"""Click glue shared by the operator scripts (ape skips `_` files): options, the connected
command class, and the bridge to `somchain.actions.pipeline`, which does the work."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click
from ape import chain
from ape.cli import ConnectedProviderCommand, account_option
from ape.exceptions import NetworkMismatchError, ProviderError

from somchain import manifest
from somchain.actions import Action
from somchain.actions.pipeline import run as run_pipeline
from somchain.compliance import ops as compliance
from somchain.errors import Aborted, ActionFailed, InputError
from somchain.governance import ops as governance
from somchain.inputs import checksummed


def _logs_to_stderr() -> None:
    """ape's own log lines ("Connecting to a 'anvil' node.", "Confirmed 0x...") go to
    stderr, so that stdout holds only what a command prints (its JSON, its ids)."""
    import logging

    from ape.logging import ClickHandler

    for name in ("ape", *logging.root.manager.loggerDict):
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, ClickHandler):
                for level in ("debug", "info", "success", "warning", "error"):
                    handler.echo_kwargs[level] = {"err": True}


_logs_to_stderr()


def fail(err: InputError | ActionFailed | Aborted) -> NoReturn:
    """Prints the one-line error and exits 2 (bad input) or 1 (revert, failure, abort)."""
    if isinstance(err, Aborted):
        click.echo(str(err))
    else:
        click.secho(f"error: {err}", fg="red", err=True)
    sys.exit(err.exit_code)


def echo(line: str) -> None:
    """Prints a pipeline line; the closing `done:` line in green."""
    if line.startswith("done:"):
        click.secho(line, fg="green")
    else:
        click.echo(line)


def confirm(question: str) -> bool:
    """Asks on the terminal; with no answer to read (stdin closed or not a terminal), says
    how to run unattended instead of failing."""
    try:
        return click.confirm(question, default=False)
    except click.Abort:
        raise InputError(
            "no answer to the confirmation (stdin is not a terminal): pass --yes to send "
            "without asking"
        ) from None


def operator_options(f: Callable) -> Callable:
    """--account, --yes, --rehearse, --mainnet on a state-changing command."""
    f = click.option("--mainnet", is_flag=True, help="Allow BNB mainnet (chain id 56).")(f)
    f = click.option(
        "--rehearse",
        is_flag=True,
        help="Run the action first on a local anvil fork of the network and show what changes.",
    )(f)
    f = click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")(f)
    return account_option()(f)


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


def run(
    build: Callable[[], Action | list[Action]],
    account: Any,
    provider: Any,
    yes: bool,
    rehearse: bool,
    mainnet: bool,
) -> list[Any]:
    """Runs the pipeline with click's prompt and output; a failure exits with its code.
    An admin action whose role the governance timelock holds is proposed to the timelock
    instead (the sender must be one of its proposers)."""

    def routed() -> list[Action]:
        built = build()
        actions = [built] if isinstance(built, Action) else list(built)
        return governance.route(actions, account.address, governance_timelock())

    try:
        return run_pipeline(
            routed,
            account,
            provider,
            yes=yes,
            rehearse=rehearse,
            mainnet=mainnet,
            confirm=confirm,
            echo=echo,
        )
    except (InputError, ActionFailed, Aborted) as err:
        fail(err)


def operator_action(group: click.Group, name: str) -> Callable:
    """Makes `f(account, **arguments) -> Action | list[Action]` a state-changing subcommand
    of `group`: connected, with the operator options, run through the pipeline."""

    def decorator(f: Callable) -> click.Command:
        @functools.wraps(f)
        def callback(provider, account, yes, rehearse, mainnet, **arguments):
            run(lambda: f(account, **arguments), account, provider, yes, rehearse, mainnet)

        # ape reads the callback's own signature to know what to pass (provider, ...).
        del callback.__wrapped__
        return operator_command(group, name)(operator_options(callback))

    return decorator


def governance_timelock() -> Any | None:
    """The deployment's governance timelock on the connected chain, if the manifest has one."""
    from ape import project

    found = manifest.address_of(chain.chain_id, "timelock")
    return project.GovernanceTimelock.at(found) if found else None


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


def mount_compliance(
    group: click.Group, token: Callable[[str | None], Any], address_option: Callable
) -> None:
    """Adds the controls both tokens share (freeze, unfreeze, freeze-batch, seize, pause,
    unpause, grant-role, revoke-role) to `group`; `token(address)` finds the contract."""

    @operator_action(group, "freeze")
    @click.argument("target")
    @address_option
    def freeze(account, address, target):
        """Freeze the account TARGET."""
        return compliance.freeze(token(address), account.address, target)

    @operator_action(group, "unfreeze")
    @click.argument("target")
    @address_option
    def unfreeze(account, address, target):
        """Unfreeze the account TARGET."""
        return compliance.unfreeze(token(address), account.address, target)

    @operator_action(group, "freeze-batch")
    @click.argument("file")
    @address_option
    def freeze_batch(account, address, file):
        """Freeze every address in FILE (one per line, or CSV with the address first)."""
        return compliance.freeze_batch(token(address), account.address, file)

    @operator_action(group, "seize")
    @click.argument("target")
    @click.argument("to")
    @click.argument("amount")
    @click.option(
        "--case", "case", required=True, help="Court case reference (up to 32 bytes, or 0x hex)."
    )
    @address_option
    def seize(account, address, target, to, amount, case):
        """Move AMOUNT out of the frozen TARGET to TO under a court order."""
        return compliance.seize(token(address), account.address, target, to, amount, case)

    @operator_action(group, "pause")
    @address_option
    def pause(account, address):
        """Pause every balance change."""
        return compliance.pause(token(address), account.address)

    @operator_action(group, "unpause")
    @address_option
    def unpause(account, address):
        """Lift the pause."""
        return compliance.unpause(token(address), account.address)

    @operator_action(group, "grant-role")
    @click.argument("role")
    @click.argument("target")
    @address_option
    def grant_role(account, address, role, target):
        """Grant ROLE (PAUSER_ROLE, or pauser) to TARGET."""
        return compliance.grant_role(token(address), account.address, role, target)

    @operator_action(group, "revoke-role")
    @click.argument("role")
    @click.argument("target")
    @address_option
    def revoke_role(account, address, role, target):
        """Revoke ROLE from TARGET."""
        return compliance.revoke_role(token(address), account.address, role, target)
