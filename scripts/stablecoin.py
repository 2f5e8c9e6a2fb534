"""`ape run stablecoin <command>`: operate the national stablecoin (KGST).

Every state-changing command validates its input and the caller's role with read-only
calls first, prints what it will do, asks for confirmation unless --yes, and can rehearse
on a local anvil fork with --rehearse. Addresses come from the chain's manifest unless
--address is given.
"""

import json

import click
from ape import chain, project

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


controller_option = click.option(
    "--controller", "controller_address", help="MintController address (default: manifest)."
)


def _token(address):
    return contract_at("stablecoin", project.NationalStablecoin, address)


def _controller(address, required=False):
    """The deployment's MintController (the token's master minter), or None when the
    manifest has none and none is given (a token administered directly)."""
    if address or required or manifest.address_of(chain.chain_id, "mint_controller"):
        return contract_at("mint_controller", project.MintController, address)
    return None


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
@controller_option
def configure_minter(account, address, controller_address, minter, allowance):
    """Let MINTER mint up to ALLOWANCE (replaces its allowance), taken from the mint budget."""
    controller = _controller(controller_address)
    return ops.configure_minter(_token(address), account.address, minter, allowance, controller)


@operator_action(cli, "increase-minter-allowance")
@click.argument("minter")
@click.argument("amount")
@address_option
@controller_option
def increase_minter_allowance(account, address, controller_address, minter, amount):
    """Raise MINTER's allowance by AMOUNT from the mint budget (safe against a minter
    front-running the change)."""
    controller = _controller(controller_address)
    return ops.change_minter_allowance(
        _token(address), account.address, minter, amount, True, controller
    )


@operator_action(cli, "decrease-minter-allowance")
@click.argument("minter")
@click.argument("amount")
@address_option
@controller_option
def decrease_minter_allowance(account, address, controller_address, minter, amount):
    """Lower MINTER's allowance by AMOUNT (to zero at most), at once; it returns to the budget."""
    controller = _controller(controller_address)
    return ops.change_minter_allowance(
        _token(address), account.address, minter, amount, False, controller
    )


@operator_action(cli, "increase-mint-budget")
@click.argument("amount")
@address_option
@controller_option
def increase_mint_budget(account, address, controller_address, amount):
    """Grant AMOUNT more mint budget for the master minter to give (the board: proposed to
    the governance timelock)."""
    controller = _controller(controller_address, required=True)
    return ops.change_mint_budget(_token(address), controller, account.address, amount, True)


@operator_action(cli, "decrease-mint-budget")
@click.argument("amount")
@address_option
@controller_option
def decrease_mint_budget(account, address, controller_address, amount):
    """Withdraw up to AMOUNT of the budget not yet given (the master minter at once, or the
    board through the timelock)."""
    controller = _controller(controller_address, required=True)
    return ops.change_mint_budget(_token(address), controller, account.address, amount, False)


@operator_action(cli, "set-minter-rate-limit")
@click.argument("minter")
@click.argument("capacity")
@click.argument("refill_per_second")
@address_option
@controller_option
def set_minter_rate_limit(
    account, address, controller_address, minter, capacity, refill_per_second
):
    """Give MINTER a bucket of CAPACITY refilled by REFILL_PER_SECOND (token units; the
    board: proposed to the governance timelock). A lower limit applies at once."""
    controller = _controller(controller_address, required=True)
    return ops.set_minter_rate_limit(
        _token(address), controller, account.address, minter, capacity, refill_per_second
    )


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
@controller_option
def remove_minter(account, address, controller_address, minter):
    """Take the minting right from MINTER at once; what it had not minted returns to the budget."""
    controller = _controller(controller_address)
    return ops.remove_minter(_token(address), account.address, minter, controller)


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
    """Supply, attested reserve, coverage, pause state, role holders (from the role
    events), the mint budget and each minter's allowance and bucket, with the deployment's
    names beside addresses."""
    try:
        check_chain(provider, allow_mainnet=True)
        token = _token(address)
        report = ops.status(
            token,
            [checksummed(h, "holder") for h in holders],
            manifest.start_block(provider.chain_id, token.address),
            _controller(None) if not address else None,
        )
    except InputError as err:
        fail(err)
    if as_json:
        click.echo(json.dumps(public(report), indent=2))
        return
    for line in ops.status_lines(report, manifest.names(provider.chain_id)):
        click.echo(line)
