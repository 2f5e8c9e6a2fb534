"""`ape run stablecoin <command>`: operate the national stablecoin (KGST).

Every state-changing command validates its input and the caller's role with read-only
calls first, prints what it will do, asks for confirmation unless --yes, and can rehearse
on a local anvil fork with --rehearse. Addresses come from deployments/<chain id>.json
unless --address is given.
"""

import json

import click
from ape import project

from scripts._common import contract_at, fail, operator_command, operator_options, run
from somchain import stablecoin_ops as ops
from somchain.errors import InputError
from somchain.guards import check_chain

address_option = click.option("--address", help="Stablecoin proxy address (default: manifest).")


def _token(address):
    return contract_at("stablecoin", project.NationalStablecoin, address)


@click.group()
def cli():
    """Operate the national stablecoin."""


@operator_command(cli, "mint")
@click.argument("to")
@click.argument("amount")
@operator_options
@address_option
def mint(provider, account, yes, rehearse, mainnet, address, to, amount):
    """Mint AMOUNT (token units, e.g. 1250.50) to TO from the caller's minter allowance."""
    run(
        lambda: ops.mint(_token(address), account.address, to, amount),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "burn")
@click.argument("amount")
@operator_options
@address_option
def burn(provider, account, yes, rehearse, mainnet, address, amount):
    """Burn AMOUNT of the caller's (a minter's) own tokens."""
    run(
        lambda: ops.burn(_token(address), account.address, amount),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "configure-minter")
@click.argument("minter")
@click.argument("allowance")
@operator_options
@address_option
def configure_minter(provider, account, yes, rehearse, mainnet, address, minter, allowance):
    """Let MINTER mint up to ALLOWANCE (replaces its allowance)."""
    run(
        lambda: ops.configure_minter(_token(address), account.address, minter, allowance),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "remove-minter")
@click.argument("minter")
@operator_options
@address_option
def remove_minter(provider, account, yes, rehearse, mainnet, address, minter):
    """Take the minting right from MINTER."""
    run(
        lambda: ops.remove_minter(_token(address), account.address, minter),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "freeze")
@click.argument("target")
@operator_options
@address_option
def freeze(provider, account, yes, rehearse, mainnet, address, target):
    """Freeze the account TARGET."""
    run(
        lambda: ops.freeze(_token(address), account.address, target),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "unfreeze")
@click.argument("target")
@operator_options
@address_option
def unfreeze(provider, account, yes, rehearse, mainnet, address, target):
    """Unfreeze the account TARGET."""
    run(
        lambda: ops.unfreeze(_token(address), account.address, target),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "freeze-batch")
@click.argument("file")
@operator_options
@address_option
def freeze_batch(provider, account, yes, rehearse, mainnet, address, file):
    """Freeze every address in FILE (one per line, or CSV with the address first)."""
    run(
        lambda: ops.freeze_batch(_token(address), account.address, file),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "seize")
@click.argument("target")
@click.argument("to")
@click.argument("amount")
@click.option(
    "--case", "case", required=True, help="Court case reference (text up to 32 bytes or 0x hex)."
)
@operator_options
@address_option
def seize(provider, account, yes, rehearse, mainnet, address, target, to, amount, case):
    """Move AMOUNT out of the frozen TARGET to TO under a court order."""
    run(
        lambda: ops.seize(_token(address), account.address, target, to, amount, case),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "pause")
@operator_options
@address_option
def pause(provider, account, yes, rehearse, mainnet, address):
    """Pause every balance change."""
    run(
        lambda: ops.pause(_token(address), account.address),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "unpause")
@operator_options
@address_option
def unpause(provider, account, yes, rehearse, mainnet, address):
    """Lift the pause."""
    run(
        lambda: ops.unpause(_token(address), account.address),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "attest-reserve")
@click.argument("reserve")
@click.option(
    "--report-hash", required=True, help="0x-prefixed SHA-256 of the signed audit report."
)
@click.option(
    "--as-of",
    type=int,
    default=None,
    help="Unix time the audit figure is valid for (default: now).",
)
@click.option("--feed", "feed_address", help="Attestation contract address (default: manifest).")
@operator_options
def attest_reserve(
    provider, account, yes, rehearse, mainnet, feed_address, reserve, report_hash, as_of
):
    """Post the audited fiat RESERVE (in som, e.g. 5000000.00) to the attestation feed."""
    run(
        lambda: ops.attest_reserve(
            contract_at("attestation", project.ReserveAttestation, feed_address),
            account.address,
            reserve,
            report_hash,
            as_of,
        ),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "grant-role")
@click.argument("role")
@click.argument("target")
@operator_options
@address_option
def grant_role(provider, account, yes, rehearse, mainnet, address, role, target):
    """Grant ROLE (e.g. PAUSER_ROLE or pauser) to TARGET."""
    run(
        lambda: ops.grant_role(_token(address), account.address, role, target),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "revoke-role")
@click.argument("role")
@click.argument("target")
@operator_options
@address_option
def revoke_role(provider, account, yes, rehearse, mainnet, address, role, target):
    """Revoke ROLE from TARGET."""
    run(
        lambda: ops.revoke_role(_token(address), account.address, role, target),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "status")
@click.option(
    "--holder", "holders", multiple=True, help="Candidate role holder to check (repeatable)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--mainnet", is_flag=True, help="Allow BNB mainnet (read-only here).")
@address_option
def status(provider, address, holders, as_json, mainnet):
    """Supply, attested reserve, coverage, pause state and role holders."""
    try:
        check_chain(provider, allow_mainnet=True)
        token = _token(address)
        from somchain.addresses import checksummed

        report = ops.status(token, [checksummed(h, "holder") for h in holders])
    except InputError as err:
        fail(err)
    if as_json:
        click.echo(json.dumps(report, indent=2, default=str))
        return
    for key, value in report.items():
        if key == "roles":
            for role, members in value.items():
                click.echo(f"{role:>20}: {', '.join(members) or '-'}")
        else:
            click.echo(f"{key:>20}: {value}")
