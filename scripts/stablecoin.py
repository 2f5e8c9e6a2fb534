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
    acting,
    contract_at,
    echo,
    fail,
    mount_compliance,
    operator_action,
    operator_command,
    operator_options,
    run,
)
from somchain import manifest
from somchain.display import public
from somchain.errors import InputError
from somchain.inputs import checksummed
from somchain.network import check_chain
from somchain.stablecoin import attestation, ops

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


@operator_command(cli, "attest-reserve")
@click.argument("reserve", required=False)
@click.option("--report-hash", help="0x-prefixed SHA-256 of the signed reserve report.")
@click.option(
    "--as-of",
    help="The date the report is valid for, as every attestor names it: 2026-12-01, "
    "'2026-12-01 00:00' (UTC) or unix seconds.",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False),
    help='The report\'s summary (JSON: "reserve", "as_of", "report_hash") instead of '
    "RESERVE, --report-hash and --as-of.",
)
@click.option("--feed", "feed_address", help="Attestation contract address (default: manifest).")
@operator_options
def attest_reserve(
    provider,
    account,
    yes,
    rehearse,
    print_calldata,
    mainnet,
    feed_address,
    reserve,
    report_hash,
    as_of,
    report_file,
):
    """Vote for the audited fiat RESERVE (in som, like 2000000.00) as of the report's date.
    The figure becomes the feed's answer once the quorum of attestors has voted for the same
    figure, as-of and report hash; the command ends with the round's state."""
    try:
        feed = contract_at("attestation", project.ReserveAttestation, feed_address)
        vote = attestation.triple(feed, reserve, report_hash, as_of, report_file)
    except InputError as err:
        fail(err)
    receipts = run(
        lambda: attestation.attest_reserve(feed, acting(account).address, vote),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
        print_calldata,
    )
    if receipts:
        start = manifest.start_block(provider.chain_id, feed.address)
        for line in attestation.round_lines(feed, vote, start):
            echo(line)


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
