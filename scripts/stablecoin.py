"""`ape run stablecoin <command>`: operate the national stablecoin (KGST).

Every state-changing command validates its input and the caller's role with read-only
calls first, prints what it will do, asks for confirmation unless --yes, and can rehearse
on a local anvil fork with --rehearse. Addresses come from the chain's manifest unless
--address is given.
"""

import json

import click
from ape import project

from scripts._common import (
    contract_at,
    fail,
    mount_compliance,
    operator_action,
    operator_command,
)
from somchain import manifest
from somchain.display import public
from somchain.errors import InputError
from somchain.inputs import checksummed
from somchain.network import check_chain
from somchain.stablecoin import ops

address_option = click.option("--address", help="Stablecoin proxy address (default: manifest).")


def _token(address):
    return contract_at("stablecoin", project.NationalStablecoin, address)


@click.group()
def cli():
    """Operate the national stablecoin."""


mount_compliance(cli, _token, address_option)


@operator_action(cli, "mint")
@click.argument("to")
@click.argument("amount")
@address_option
def mint(account, address, to, amount):
    """Mint AMOUNT (token units, like 1250.50) to TO from the caller's minter allowance."""
    return ops.mint(_token(address), account.address, to, amount)


@operator_action(cli, "burn")
@click.argument("amount")
@address_option
def burn(account, address, amount):
    """Burn AMOUNT of the caller's (a minter's) own tokens."""
    return ops.burn(_token(address), account.address, amount)


@operator_action(cli, "configure-minter")
@click.argument("minter")
@click.argument("allowance")
@address_option
def configure_minter(account, address, minter, allowance):
    """Let MINTER mint up to ALLOWANCE (replaces its allowance)."""
    return ops.configure_minter(_token(address), account.address, minter, allowance)


@operator_action(cli, "increase-minter-allowance")
@click.argument("minter")
@click.argument("amount")
@address_option
def increase_minter_allowance(account, address, minter, amount):
    """Raise MINTER's allowance by AMOUNT (safe against a minter front-running the change)."""
    return ops.change_minter_allowance(_token(address), account.address, minter, amount, True)


@operator_action(cli, "decrease-minter-allowance")
@click.argument("minter")
@click.argument("amount")
@address_option
def decrease_minter_allowance(account, address, minter, amount):
    """Lower MINTER's allowance by AMOUNT (to zero at most)."""
    return ops.change_minter_allowance(_token(address), account.address, minter, amount, False)


@operator_action(cli, "set-reserve-feed")
@click.argument("feed")
@click.argument("max_age", type=int)
@address_option
def set_reserve_feed(account, address, feed, max_age):
    """Point the token at the reserve FEED, accepting answers up to MAX_AGE seconds old
    (an admin action: proposed to the governance timelock)."""
    return ops.set_reserve_feed(_token(address), account.address, feed, max_age)


@operator_action(cli, "set-attestation-threshold")
@click.argument("threshold", type=int)
@click.option("--feed", "feed_address", help="Attestation contract address (default: manifest).")
def set_attestation_threshold(account, feed_address, threshold):
    """Require THRESHOLD attestors to post the same figure (proposed to the timelock)."""
    feed = contract_at("attestation", project.ReserveAttestation, feed_address)
    return ops.set_attestation_threshold(feed, account.address, threshold)


@operator_action(cli, "remove-minter")
@click.argument("minter")
@address_option
def remove_minter(account, address, minter):
    """Take the minting right from MINTER."""
    return ops.remove_minter(_token(address), account.address, minter)


@operator_action(cli, "attest-reserve")
@click.argument("reserve")
@click.option("--report-hash", required=True, help="0x-prefixed SHA-256 of the audit report.")
@click.option("--as-of", type=int, default=None, help="Unix time of the audit figure.")
@click.option("--feed", "feed_address", help="Attestation contract address (default: manifest).")
def attest_reserve(account, feed_address, reserve, report_hash, as_of):
    """Post the audited fiat RESERVE (in som, like 5000000.00) to the attestation feed."""
    feed = contract_at("attestation", project.ReserveAttestation, feed_address)
    return ops.attest_reserve(feed, account.address, reserve, report_hash, as_of)


@operator_command(cli, "status")
@click.option("--holder", "holders", multiple=True, help="Candidate role holder (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (amounts exact, times UTC).")
@address_option
def status(provider, address, holders, as_json):
    """Supply, attested reserve, coverage, pause state and role holders (from the role
    events), with the deployment's names beside addresses."""
    try:
        check_chain(provider, allow_mainnet=True)
        token = _token(address)
        report = ops.status(
            token,
            [checksummed(h, "holder") for h in holders],
            manifest.start_block(provider.chain_id, token.address),
        )
    except InputError as err:
        fail(err)
    if as_json:
        click.echo(json.dumps(public(report), indent=2))
        return
    for line in ops.status_lines(report, manifest.names(provider.chain_id)):
        click.echo(line)
