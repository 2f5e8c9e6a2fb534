"""`ape run desk <command>`: the conversion desk between KGST and the digital som.

A holder converts at par (`convert AMOUNT --to som|kgst`, with an optional --reference
such as a remittance's sender reference); the board sets each direction's bucket through
the governance timelock (`set-rate-limit`, --safe for the board's Safe); the pauser pauses
the desk and lowers a bucket at once. Every state-changing command validates its input
with read-only calls first, prints what it will do and asks for confirmation unless --yes.
The desk's address comes from the chain's manifest unless --address is given; its two
tokens are the ones the desk names.
"""

import json

import click
from ape import project

from scripts._common import contract_at, fail, operator_action, operator_command
from somchain import manifest
from somchain.desk import ops
from somchain.display import public
from somchain.errors import InputError
from somchain.network import check_chain

address_option = click.option("--address", help="ConversionDesk address (default: manifest).")
to_option = click.option(
    "--to", "to", required=True, help="Direction: `som` (KGST to digital som) or `kgst`."
)


def _desk(address):
    """The desk and the two tokens it converts between."""
    desk = contract_at("desk", project.ConversionDesk, address)
    return desk, project.NationalStablecoin.at(desk.kgst()), project.DigitalSom.at(desk.som())


@click.group()
def cli():
    """Convert between KGST and the digital som at par, and administer the desk."""


@operator_action(cli, "convert")
@click.argument("amount")
@to_option
@click.option("--reference", help="Payment reference (up to 32 bytes), e.g. a remittance's.")
@address_option
def convert(account, address, amount, to, reference):
    """Convert AMOUNT (in som, like 1250.50) of the caller's KGST into digital som paid to
    its wallet (--to som), or of its digital som into KGST (--to kgst). The caller first
    approves the desk for the amount when its allowance falls short."""
    desk, kgst, som = _desk(address)
    return ops.convert(desk, kgst, som, account.address, amount, to, reference)


@operator_action(cli, "set-rate-limit")
@click.argument("capacity")
@click.argument("refill_per_second")
@to_option
@address_option
def set_rate_limit(account, address, capacity, refill_per_second, to):
    """Give the direction --to a bucket of CAPACITY som refilled by REFILL_PER_SECOND som
    (the board: proposed to the governance timelock). It applies at once."""
    desk, kgst, som = _desk(address)
    return ops.set_rate_limit(desk, kgst, som, account.address, to, capacity, refill_per_second)


@operator_action(cli, "lower-rate-limit")
@click.argument("capacity")
@click.argument("refill_per_second")
@to_option
@address_option
def lower_rate_limit(account, address, capacity, refill_per_second, to):
    """Lower the direction --to to a bucket of CAPACITY som refilled by REFILL_PER_SECOND
    som, at once (the pauser; protective)."""
    desk, kgst, som = _desk(address)
    return ops.lower_rate_limit(desk, kgst, som, account.address, to, capacity, refill_per_second)


@operator_action(cli, "pause")
@address_option
def pause(account, address):
    """Stop every conversion (the pauser; protective)."""
    return ops.pause(_desk(address)[0], account.address)


@operator_action(cli, "unpause")
@address_option
def unpause(account, address):
    """Resume conversions (the pauser)."""
    return ops.unpause(_desk(address)[0], account.address)


@operator_command(cli, "address")
def address(provider):
    """Print the desk's address recorded in the deployment's manifest for the connected
    chain; nothing else goes to stdout."""
    try:
        check_chain(provider, allow_mainnet=True)
        found = contract_at("desk", project.ConversionDesk, None).address
    except InputError as err:
        fail(err)
    click.echo(found)


@operator_command(cli, "status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (amounts exact).")
@address_option
def status(provider, address, as_json):
    """Pause, each direction's bucket, the desk's allowances on both tokens, what it holds
    and the totals converted (from its events), with the deployment's names."""
    try:
        check_chain(provider, allow_mainnet=True)
        desk, kgst, som = _desk(address)
        report = ops.status(desk, kgst, som, manifest.start_block(provider.chain_id, desk.address))
    except InputError as err:
        fail(err)
    if as_json:
        click.echo(json.dumps(public(report), indent=2))
        return
    for line in ops.status_lines(report, manifest.names(provider.chain_id)):
        click.echo(line)
