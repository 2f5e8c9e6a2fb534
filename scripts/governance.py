"""`ape run governance <command>`: the governance timelock's queue.

`list` rebuilds every scheduled operation from the timelock's events (not from a local
file), with its state and its ready time in UTC; `execute ID` executes a ready one and
`cancel ID` cancels a pending one. Any admin command of the other scripts, run by a board
member, is proposed to the timelock instead of sent.
"""

import json

import click
from ape import project

from scripts._common import contract_at, fail, operator_action, operator_command, start_block
from somchain import display
from somchain.errors import InputError
from somchain.governance import ops
from somchain.governance.timelock import operations
from somchain.network import check_chain

timelock_option = click.option("--timelock", help="GovernanceTimelock address (default: manifest).")


def _timelock(address):
    return contract_at("timelock", project.GovernanceTimelock, address)


@click.group()
def cli():
    """The governance timelock: list, execute and cancel operations."""


@operator_command(cli, "list")
@click.option("--all", "show_all", is_flag=True, help="Also executed and cancelled operations.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--ids", "ids_only", is_flag=True, help="Print only the ids, one per line.")
@timelock_option
def list_operations(provider, timelock, show_all, as_json, ids_only):
    """Operations scheduled on the timelock, from its events."""
    try:
        check_chain(provider, allow_mainnet=True)
        contract = _timelock(timelock)
        found = operations(contract, start_block(timelock))
    except InputError as err:
        fail(err)
    rows = [ops.describe(contract, p) for p in found if show_all or p.state in ("waiting", "ready")]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if ids_only:
        for row in rows:
            click.echo(row["id"])
        return
    delay = contract.getMinDelay()
    click.echo(f"timelock {contract.address}, delay {delay:,} s ({display.duration(delay)})")
    if not rows:
        click.echo("no pending operations")
    for row in rows:
        click.echo(f"{row['id']}  {row['state']:<9}  ready {row['ready_at']}")
        for line in row["calls"]:
            click.echo(f"    {line}")


@operator_action(cli, "execute")
@click.argument("operation_id")
@timelock_option
def execute(account, timelock, operation_id):
    """Execute the ready operation OPERATION_ID."""
    return ops.execute(_timelock(timelock), account.address, operation_id, start_block(timelock))


@operator_action(cli, "cancel")
@click.argument("operation_id")
@timelock_option
def cancel(account, timelock, operation_id):
    """Cancel the pending operation OPERATION_ID (a proposer)."""
    return ops.cancel(_timelock(timelock), account.address, operation_id, start_block(timelock))
