"""`ape run reserve <command>`: operate the national crypto reserve.

ASSET is `BNB` or a token address. Outflows other than the operator's daily allowance go
through the timelock: `propose-withdrawal` schedules (reserve committee), and after the
delay `execute-withdrawal <operation id>` executes.
"""

import click
from ape import project
from ape.exceptions import ContractLogicError

from scripts._common import (
    contract_at,
    fail,
    operator_action,
    operator_command,
    operator_options,
    run,
)
from somchain.actions import describe_error
from somchain.errors import InputError
from somchain.network import check_chain
from somchain.reserve import ops
from somchain.reserve.valuation import holdings_table

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


def _propose(provider, account, yes, rehearse, mainnet, make):
    state = {}

    def build():
        action, op_id, record = make()
        state.update(id=op_id, record=record)
        return action

    run(build, account, provider, yes, rehearse, mainnet)
    ops.save_operation(state["id"], state["record"])
    click.echo(f"operation id {state['id']}")
    click.echo(f"  after the delay: ape run reserve execute-withdrawal {state['id']}")


@operator_command(cli, "propose-withdrawal")
@click.argument("asset")
@click.argument("to")
@click.argument("amount")
@salt_option
@operator_options
@vault_option
@timelock_option
def propose_withdrawal(
    provider, account, yes, rehearse, mainnet, address, timelock, salt, asset, to, amount
):
    """Schedule a withdrawal of AMOUNT of ASSET to TO through the timelock."""
    _propose(
        provider,
        account,
        yes,
        rehearse,
        mainnet,
        lambda: ops.propose_withdrawal(
            _timelock(timelock), _vault(address), account.address, asset, to, amount, salt
        ),
    )


@operator_command(cli, "propose-add-asset")
@click.argument("asset")
@click.argument("feed")
@click.argument("daily_limit")
@salt_option
@operator_options
@vault_option
@timelock_option
def propose_add_asset(
    provider, account, yes, rehearse, mainnet, address, timelock, salt, asset, feed, daily_limit
):
    """Schedule listing ASSET with its USD price FEED and the operator's DAILY_LIMIT."""
    _propose(
        provider,
        account,
        yes,
        rehearse,
        mainnet,
        lambda: ops.propose_add_asset(
            _timelock(timelock), _vault(address), account.address, asset, feed, daily_limit, salt
        ),
    )


@operator_action(cli, "execute-withdrawal")
@click.argument("operation_id")
@timelock_option
def execute_withdrawal(account, timelock, operation_id):
    """Execute a proposed operation (a withdrawal or a listing) once its delay has passed."""
    return ops.execute(_timelock(timelock), account.address, operation_id)


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
    click.echo(f"{'asset':<8}{'balance':>22}{'price USD':>16}{'value USD':>20}")
    total = 0
    for row in rows:
        click.echo(f"{row.symbol:<8}{row.balance:>22,.8f}{row.price:>16,.2f}{row.value:>20,.2f}")
        total += row.value
    click.echo(f"{'total':<8}{'':>22}{'':>16}{total:>20,.2f}")
    click.echo(f"within policy: {vault.withinPolicy()}")
