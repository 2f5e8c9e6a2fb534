"""Click glue shared by the operator scripts (ape skips `_` files): options, the connected
command class, and the bridge to `somchain.actions.pipeline`, which does the work."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

import click
from ape import chain
from ape.cli import AccountAliasPromptChoice, ConnectedProviderCommand
from ape.exceptions import ConfigError, NetworkMismatchError, ProviderError

from somchain import apecompat, manifest
from somchain.actions import Action, describe_error, receipt_lines
from somchain.actions.calldata import followup_lines
from somchain.actions.pipeline import run as run_pipeline
from somchain.compliance import ops as compliance
from somchain.compliance import upgrade as upgrades
from somchain.errors import Aborted, ActionFailed, InputError
from somchain.governance import ops as governance
from somchain.inputs import checksummed
from somchain.network import check_chain, unlock

apecompat.install()


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
    logging.getLogger("ape").addFilter(_no_receipt_echo)


def _no_receipt_echo(record: Any) -> bool:
    """Drops ape's `Submitted 0x...` / `Confirmed 0x... (total fees paid = ... wei)` lines:
    every command prints its transaction, block, gas and decoded events itself."""
    message = str(record.getMessage())
    return not message.startswith(("Confirmed 0x", "Submitted 0x", "Submitted http"))


_logs_to_stderr()


def _empty_rpc_is_unset() -> None:
    """An RPC variable of ape-config.yaml set to the empty string counts as unset: ape would
    otherwise fall back to public endpoints it cannot reach, retrying each, before failing
    with another error; unset, it fails at once with the one line `OperatorCommand` prints."""
    import os
    from pathlib import Path

    config = Path(__file__).resolve().parent.parent / "ape-config.yaml"
    text = config.read_text() if config.is_file() else ""
    for name in set(re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)\}?", text)):
        if name in os.environ and not os.environ[name].strip():
            del os.environ[name]


_empty_rpc_is_unset()


def _quiet_reverts() -> None:
    """ape's providers print a call trace whenever a call reverts, including a gas estimate
    that the pipeline expects to fail (a pre-flight, a retry while an admin delay passes):
    the scripts decode the error and say it in one line instead."""
    from ape_ethereum.provider import Web3Provider
    from ape_ethereum.trace import Trace

    providers: list[type] = [Web3Provider]
    try:
        from ape_foundry.provider import FoundryProvider

        providers.append(FoundryProvider)
    except ImportError:
        pass
    for cls in providers:
        original = cls.__dict__.get("_handle_execution_reverted")
        if original is None or getattr(original, "quiet", False):
            continue

        def quiet(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            shown = Trace.show
            Trace.show = lambda *_a, **_k: None  # type: ignore[method-assign]
            try:
                return _original(self, *args, **kwargs)
            finally:
                Trace.show = shown  # type: ignore[method-assign]

        quiet.quiet = True  # type: ignore[attr-defined]
        cls._handle_execution_reverted = quiet  # type: ignore[attr-defined]


_quiet_reverts()


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


_SAFE_KEY = "somchain.safe"


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.meta.setdefault(_SAFE_KEY, {})[param.name] = value
    return value


def safe_options(f: Callable) -> Callable:
    """--safe, --proposal-file, --safe-nonce: propose to a Safe instead of sending. They are
    kept in the click context (not passed to the command), so every command takes them."""
    f = click.option(
        "--safe-nonce",
        type=click.IntRange(min=0),
        expose_value=False,
        callback=_remember,
        help="With --safe: the Safe nonce to use (default: the Safe's current nonce).",
    )(f)
    f = click.option(
        "--proposal-file",
        expose_value=False,
        callback=_remember,
        help="With --safe: where to write the proposal (default: proposals/safe-...json).",
    )(f)
    return click.option(
        "--safe",
        expose_value=False,
        callback=_remember,
        help="Write a proposal for this Safe (address or name in the manifest) to sign "
        "instead of sending; see `ape run safe`.",
    )(f)


@dataclass(frozen=True)
class SafeSender:
    """Who acts when a command runs with --safe: the Safe (no key; nothing is signed here)."""

    address: str


def safe_choice() -> dict:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_SAFE_KEY, {}) if ctx is not None else {}


def acting(account: Any) -> Any:
    """The sender of the command's action(s): the Safe with --safe, else `account`."""
    resolved = safe_choice().get("resolved")
    return SafeSender(resolved) if resolved else account


class Bar:
    """A rich progress bar on stderr for a command that sends many chunks: chunks done,
    items (payees, wallets) and gas."""

    def __init__(self, verb: str, items: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.items = items
        self.progress = Progress(
            TextColumn(f"[bold]{verb}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(f"chunks, {{task.fields[items]:,}} {items}, gas {{task.fields[gas]:,}}"),
            console=Console(stderr=True),
            transient=False,
        )
        self.task: Any = None
        self.count = 0
        self.gas = 0

    def start(self, chunks: int, items: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task("chunks", total=chunks, items=0, gas=0)
        self.progress.log(f"{chunks} chunks, {items:,} {self.items}")

    def advance(self, items: int, gas: int) -> None:
        self.count += items
        self.gas += gas
        self.progress.update(self.task, advance=1, items=self.count, gas=self.gas)

    def stop(self) -> None:
        self.progress.stop()


def ask_account(param_type: Any = None) -> Any:
    """Without --account: ape's account menu on a terminal, else one line saying what to pass
    (a prompt nobody can answer would only print "Aborted!")."""
    if sys.stdin.isatty():
        return (param_type or AccountAliasPromptChoice()).select_account()
    click.secho(
        "error: no account to sign with: pass --account ALIAS (see `ape accounts list`)",
        fg="red",
        err=True,
    )
    sys.exit(InputError.exit_code)


def _account_or_explain(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """The --account given, or `ask_account()`."""
    return value if value else ask_account(param.type)


def signer_option(ask: bool = True) -> Callable:
    """--account ALIAS: the ape account that signs. With `ask`, a missing one is asked for
    (`ask_account`); without, it stays None for the command to decide (a Safe needs none)."""
    return click.option(
        "--account",
        type=AccountAliasPromptChoice(),
        callback=_account_or_explain if ask else None,
        help="The ape account that signs: an alias (`ape accounts list`) or TEST::N.",
    )


def operator_options(f: Callable) -> Callable:
    """--account, --yes, --rehearse, --print-calldata, --mainnet and the Safe options on a
    state-changing command."""
    f = safe_options(f)
    f = click.option("--mainnet", is_flag=True, help="Allow BNB mainnet (chain id 56).")(f)
    f = click.option(
        "--print-calldata",
        is_flag=True,
        help="Print target, value and calldata (and a proposal's operation id, salt and "
        "execute calldata) for signing outside this tool; send nothing.",
    )(f)
    f = click.option(
        "--rehearse",
        is_flag=True,
        help="Run the action first on a local anvil fork of the network and show what changes.",
    )(f)
    f = click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")(f)
    # No prompt for a missing --account here: with --safe none is needed (run() asks).
    return signer_option(ask=False)(f)


class OperatorCommand(ConnectedProviderCommand):
    """Connects like ape's command, and turns a node on the wrong chain (a misconfigured
    RPC), an RPC address left unset or an unreachable node into a one-line error."""

    unreachable_exit_code = ActionFailed.exit_code

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """A command line click cannot parse (an argument or --to missing, an option with no
        value, an unknown option) is one line and exit 2, like any other bad input, instead
        of click's usage block. A negative amount (`mint 0x... -5`) reads to click as an
        unknown option: it is named as the negative amount it is instead."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as err:
            negative = isinstance(err, click.NoSuchOption) and re.fullmatch(
                r"-[0-9][0-9.,_]*", err.option_name
            )
            # ape's own choices (a --network) list their options one a line: one line here.
            said = re.sub(r"\s*\n\s*", ", ", err.format_message().strip()).replace(":, ", ": ")
            message = (
                f"amount {err.option_name} is negative: amounts are positive, like 1250.50"
                if negative
                else f"{said.rstrip('.')} (see `{ctx.command_path} --help`)"
            )
            click.secho(f"error: {message}", fg="red", err=True)
            ctx.exit(InputError.exit_code)

    def invoke(self, ctx: click.Context) -> Any:
        # A missing --account is settled before connecting (none needed with --safe or
        # --print-calldata): ape's menu on a terminal, else one line saying what to pass.
        if (
            "account" in ctx.params
            and ctx.params["account"] is None
            and not ctx.meta.get(_SAFE_KEY, {}).get("safe")
            and not ctx.params.get("print_calldata")
        ):
            ctx.params["account"] = ask_account()
        try:
            return super().invoke(ctx)
        except NetworkMismatchError as err:
            click.secho(f"error: wrong chain: {err}", fg="red", err=True)
            ctx.exit(InputError.exit_code)
        except ConfigError as err:
            unset = re.search(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", str(err))
            message = (
                f"the network's RPC address is unset: export {unset.group(1)} "
                "(`. ./activate` sets BNB Chain's public endpoints)"
                if unset
                else str(err)
            )
            click.secho(f"error: {message}", fg="red", err=True)
            ctx.exit(InputError.exit_code)
        except ProviderError as err:
            click.secho(f"error: cannot use the network: {err}", fg="red", err=True)
            ctx.exit(self.unreachable_exit_code)


def operator_command(group: click.Group, name: str, **kwargs) -> Callable:
    return group.command(name, cls=OperatorCommand, **kwargs)


def run(
    build: Callable[[], Action | list[Action]],
    account: Any,
    provider: Any,
    yes: bool,
    rehearse: bool,
    mainnet: bool,
    print_calldata: bool = False,
    on_receipt: Callable[[Action, Any], None] | None = None,
) -> list[Any]:
    """Runs the pipeline with click's prompt and output; a failure exits with its code.
    An admin action whose role the governance timelock holds is proposed to the timelock
    instead (the sender must be one of its proposers); a proposal sent ends with its
    operation id and the command that executes it. With --safe the Safe is the sender and a
    proposal file is written instead of sending."""
    choice = safe_choice()
    sent: list[Action] = []
    try:
        safe = None
        if choice.get("safe"):
            from somchain.safe.deploy import resolve

            safe = resolve(choice["safe"])
            choice["resolved"] = safe
        elif choice.get("proposal_file") or choice.get("safe_nonce") is not None:
            raise InputError("--proposal-file and --safe-nonce go with --safe")
        if safe is None and account is None:
            account = ask_account()
        sender = safe or account.address

        def routed() -> list[Action]:
            built = build()
            actions = [built] if isinstance(built, Action) else list(built)
            sent[:] = governance.route(actions, sender, governance_timelock())
            return sent

        receipts = run_pipeline(
            routed,
            account,
            provider,
            yes=yes,
            rehearse=rehearse,
            mainnet=mainnet,
            print_calldata=print_calldata,
            confirm=confirm,
            echo=echo,
            safe=safe,
            proposal_path=choice.get("proposal_file"),
            safe_nonce=choice.get("safe_nonce"),
            on_receipt=on_receipt,
        )
    except (InputError, ActionFailed, Aborted) as err:
        fail(err)
    if receipts:
        for line in followup_lines(sent):
            click.echo(line)
    return receipts


def operator_action(group: click.Group, name: str) -> Callable:
    """Makes `f(account, **arguments) -> Action | list[Action]` a state-changing subcommand
    of `group`: connected, with the operator options, run through the pipeline."""

    def decorator(f: Callable) -> click.Command:
        @functools.wraps(f)
        def callback(provider, account, yes, rehearse, print_calldata, mainnet, **arguments):
            run(
                lambda: f(acting(account), **arguments),
                account,
                provider,
                yes,
                rehearse,
                mainnet,
                print_calldata,
            )

        # ape reads the callback's own signature to know what to pass (provider, ...).
        del callback.__wrapped__
        return operator_command(group, name)(operator_options(callback))

    return decorator


def governance_timelock() -> Any | None:
    """The deployment's governance timelock on the connected chain, if the manifest has one."""
    from ape import project

    found = manifest.address_of(chain.chain_id, "timelock")
    return project.GovernanceTimelock.at(found) if found else None


def start_block(timelock_address: str | None) -> int:
    """Where the timelock's events start: its deployment block from the manifest (0 for
    a timelock given by address)."""
    if timelock_address:
        return 0
    entry = manifest.entry(chain.chain_id, "timelock") or {}
    return int(entry.get("block", 0))


def contract_at(key: str, contract_type: Any, address: str | None) -> Any:
    """The contract at `address`, or at the manifest's address for this chain."""
    if address:
        return contract_type.at(checksummed(address, f"{key} address"))
    found = manifest.address_of(chain.chain_id, key)
    if not found:
        raise InputError(manifest.absent(chain.chain_id, key))
    return contract_type.at(found)


def mount_compliance(
    group: click.Group, token: Callable[[str | None], Any], address_option: Callable
) -> None:
    """Adds the controls both tokens share (freeze, unfreeze, freeze-batch, seize, pause,
    unpause, grant-role, revoke-role, the admin handover, rescue, upgrade) to `group`;
    `token(address)` finds the contract."""

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

    mount_token_admin(group, token, address_option)
    mount_upgrade(group, token, address_option)


def mount_token_admin(
    group: click.Group, token: Callable[[str | None], Any], address_option: Callable
) -> None:
    """The delayed admin handover (begin, accept, cancel) and the rescue of tokens sent
    to the contract by mistake."""

    @operator_action(group, "begin-admin-transfer")
    @click.argument("new_admin")
    @address_option
    def begin_admin_transfer(account, address, new_admin):
        """Start handing DEFAULT_ADMIN_ROLE to NEW_ADMIN (it accepts after the admin delay)."""
        return compliance.begin_admin_transfer(token(address), account.address, new_admin)

    @operator_action(group, "accept-admin-transfer")
    @address_option
    def accept_admin_transfer(account, address):
        """Accept the pending admin handover (the new admin, or proposed to the timelock
        when the timelock is the new admin)."""
        return compliance.accept_admin_transfer(
            token(address), account.address, governance_timelock()
        )

    @operator_action(group, "cancel-admin-transfer")
    @address_option
    def cancel_admin_transfer(account, address):
        """Drop the pending admin handover."""
        return compliance.cancel_admin_transfer(token(address), account.address)

    @operator_action(group, "rescue")
    @click.argument("stuck_token")
    @click.argument("to")
    @click.argument("amount")
    @address_option
    def rescue(account, address, stuck_token, to, amount):
        """Send AMOUNT of STUCK_TOKEN, sent to the token contract by mistake, to TO."""
        return compliance.rescue(token(address), account.address, stuck_token, to, amount)


def mount_upgrade(
    group: click.Group, token: Callable[[str | None], Any], address_option: Callable
) -> None:
    """`upgrade IMPLEMENTATION`: a new implementation behind the token's proxy."""

    @operator_command(group, "upgrade")
    @click.argument("implementation")
    @click.option("--call-data", help="0x calldata run on the proxy right after the upgrade.")
    @click.option(
        "--deploy-only", is_flag=True, help="Deploy the implementation NAME and stop there."
    )
    @operator_options
    @address_option
    def upgrade_command(
        provider,
        account,
        yes,
        rehearse,
        print_calldata,
        mainnet,
        address,
        implementation,
        call_data,
        deploy_only,
    ):
        """Upgrade the proxy to IMPLEMENTATION: an address, or the name of a project
        contract, deployed first (proposed to the governance timelock)."""
        candidate_type = None
        try:
            contract = token(address)
            if not implementation.startswith("0x"):
                candidate = upgrades.project_type(implementation)
                candidate_type = candidate.contract_type
                if rehearse or print_calldata:
                    raise InputError(
                        "--rehearse and --print-calldata need the implementation's address: "
                        f"deploy it first (upgrade {implementation} --deploy-only)"
                    )
                check_chain(provider, allow_mainnet=mainnet)
                upgrades.may_upgrade(contract, account.address, governance_timelock())
                running = upgrades.implementation_of(contract.address)
                problem = upgrades.recorded_layout_check(
                    contract.address, running, running, candidate_type.name
                )
                if problem:  # refused before anything is deployed
                    raise InputError(problem)
                implementation = _deploy_implementation(candidate, account, yes)
                upgrades.record_candidate(contract.address, implementation, candidate_type.name)
                if deploy_only:
                    return
            elif deploy_only:
                raise InputError("--deploy-only takes a contract name, not an address")
        except (InputError, ActionFailed, Aborted) as err:
            fail(err)
        run(
            lambda: upgrades.upgrade(
                contract,
                account.address,
                implementation,
                call_data,
                candidate_type=candidate_type,
            ),
            account,
            provider,
            yes,
            rehearse,
            mainnet,
            print_calldata,
        )


def _deploy_implementation(container: Any, account: Any, yes: bool) -> str:
    """Deploys a new implementation after confirming; prints its transaction."""
    name = container.contract_type.name
    echo(f"will deploy the implementation {name} from {account.address}")
    if not yes and not confirm("deploy it?"):
        raise Aborted("aborted; nothing sent")
    unlock(account)
    try:
        deployed = container.deploy(sender=account)
    except Exception as err:
        raise ActionFailed(f"deploying {name} failed: {describe_error(err)}") from err
    receipt = chain.provider.get_receipt(deployed.txn_hash)
    echo(f"deployed {name} at {deployed.address}")
    for line in receipt_lines(receipt)[:2]:
        echo(f"  {line}")
    return deployed.address
