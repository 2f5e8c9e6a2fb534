"""`ape run reserve <command>`: operate the national crypto reserve.

ASSET is `BNB` or a token address. Outflows other than the operator's daily allowance go
through the timelock: `propose-withdrawal` schedules (reserve committee), and after the
delay `ape run governance execute <operation id>` executes; `cancel` withdraws a
proposal. The guardian pauses at once; unpausing is governance's.
"""

import click
from ape import project
from ape.exceptions import ContractLogicError

from scripts._common import (
    contract_at,
    fail,
    operator_action,
    operator_command,
    start_block,
)
from somchain.actions import describe_error
from somchain.errors import InputError
from somchain.governance import ops as governance_ops
from somchain.network import check_chain
from somchain.reserve import ops
from somchain.reserve.valuation import format_holdings, holdings_table

vault_option = click.option("--address", help="ReserveVault address (default: manifest).")
timelock_option = click.option("--timelock", help="GovernanceTimelock address (default: manifest).")
salt_option = click.option(
    "--salt", help="Text salt (default: random) to tell equal proposals apart."
)


def _vault(address):
    return contract_at("reserve", project.ReserveVault, address)


def _timelock(address):
    return contract_at("timelock", project.GovernanceTimelock, address)


@click.group()
def cli():
    """Operate the national crypto reserve."""


@operator_action(cli, "deposit")
@click.argument("asset")
@click.argument("amount")
@vault_option
def deposit(account, address, asset, amount):
    """Deposit AMOUNT of a listed ASSET (approving the vault first for a token)."""
    return ops.deposit(_vault(address), account.address, asset, amount)


@operator_action(cli, "operational-transfer")
@click.argument("asset")
@click.argument("to")
@click.argument("amount")
@vault_option
def operational_transfer(account, address, asset, to, amount):
    """Send AMOUNT of ASSET to TO within today's operator limit (OPERATOR_ROLE, no delay)."""
    return ops.operational_transfer(_vault(address), account.address, asset, to, amount)


@operator_action(cli, "propose-withdrawal")
@click.argument("asset")
@click.argument("to")
@click.argument("amount")
@salt_option
@vault_option
@timelock_option
def propose_withdrawal(account, address, timelock, salt, asset, to, amount):
    """Schedule a withdrawal of AMOUNT of ASSET to TO through the timelock."""
    return ops.propose_withdrawal(
        _timelock(timelock), _vault(address), account.address, asset, to, amount, salt
    )


@operator_action(cli, "propose-add-asset")
@click.argument("asset")
@click.argument("feed")
@click.argument("daily_limit")
@salt_option
@vault_option
@timelock_option
def propose_add_asset(account, address, timelock, salt, asset, feed, daily_limit):
    """Schedule listing ASSET with its USD price FEED and the operator's DAILY_LIMIT."""
    return ops.propose_add_asset(
        _timelock(timelock), _vault(address), account.address, asset, feed, daily_limit, salt
    )


@operator_action(cli, "propose-remove-asset")
@click.argument("asset")
@salt_option
@vault_option
@timelock_option
def propose_remove_asset(account, address, timelock, salt, asset):
    """Schedule delisting ASSET (a balance left behind is recoverable by governance)."""
    return ops.propose_remove_asset(
        _timelock(timelock), _vault(address), account.address, asset, salt
    )


@operator_action(cli, "set-max-share")
@click.argument("asset")
@click.argument("max_share_bps")
@vault_option
def set_max_share(account, address, asset, max_share_bps):
    """Cap ASSET at MAX_SHARE_BPS basis points of the reserve's value (0 removes the cap;
    proposed to the timelock)."""
    return ops.set_max_share(_vault(address), account.address, asset, max_share_bps)


@operator_action(cli, "pause")
@vault_option
def pause(account, address):
    """Stop every outflow at once (GUARDIAN_ROLE, no delay)."""
    return ops.pause(_vault(address), account.address)


@operator_action(cli, "unpause")
@vault_option
def unpause(account, address):
    """Resume outflows (governance: proposed to the timelock)."""
    return ops.unpause(_vault(address), account.address)


@operator_action(cli, "cancel")
@click.argument("operation_id")
@timelock_option
def cancel(account, timelock, operation_id):
    """Cancel the pending timelock operation OPERATION_ID (the same as `governance cancel`)."""
    return governance_ops.cancel(
        _timelock(timelock), account.address, operation_id, start_block(timelock)
    )


@cli.command("execute-withdrawal", hidden=True, context_settings={"ignore_unknown_options": True})
@click.argument("ignored", nargs=-1, type=click.UNPROCESSED)
def execute_withdrawal(ignored):
    """Replaced by `ape run governance execute ID`."""
    fail(
        InputError(
            "`reserve execute-withdrawal` is replaced by `ape run governance execute "
            "<operation id>` (any timelock operation, from the timelock's events)"
        )
    )


@operator_command(cli, "holdings")
@vault_option
def holdings(provider, address):
    """Balances, USD prices and USD values of every listed asset."""
    try:
        check_chain(provider, allow_mainnet=True)
        vault = _vault(address)
        rows = holdings_table(vault)
    except InputError as err:
        fail(err)
    except ContractLogicError as err:  # a stale or invalid price, by its decoded error
        fail(InputError(f"cannot value the reserve: {describe_error(err, vault)}"))
    for line in format_holdings(rows):
        click.echo(line)
    click.echo(f"within policy: {'yes' if vault.withinPolicy() else 'no'}")
