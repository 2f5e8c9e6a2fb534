"""`ape run cbdc <command>`: operate the digital som (KGSD).

Amounts are in som with up to 2 decimals ("1250.50"). Every state-changing command checks
its input and the caller's role first, prints what it will do, asks unless --yes, and can
rehearse on a local anvil fork with --rehearse.
"""

import json

import click
from ape import project

from scripts._common import contract_at, fail, operator_command, operator_options, run
from somchain import cbdc_ops as ops
from somchain.addresses import checksummed
from somchain.errors import InputError
from somchain.guards import check_chain

address_option = click.option("--address", help="Digital som proxy address (default: manifest).")


def _som(address):
    return contract_at("cbdc", project.DigitalSom, address)


@click.group()
def cli():
    """Operate the digital som."""


@operator_command(cli, "issue")
@click.argument("bank")
@click.argument("amount")
@operator_options
@address_option
def issue(provider, account, yes, rehearse, mainnet, address, bank, amount):
    """Issue AMOUNT of new digital som to BANK (central bank, ISSUER_ROLE)."""
    run(
        lambda: ops.issue(_som(address), account.address, bank, amount),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "redeem")
@click.argument("amount")
@operator_options
@address_option
def redeem(provider, account, yes, rehearse, mainnet, address, amount):
    """Return AMOUNT of the calling bank's holdings to the central bank (burn)."""
    run(
        lambda: ops.redeem(_som(address), account.address, amount),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "register-wallet")
@click.argument("wallet", required=False)
@click.option("--tier", "tier_text", default="0", show_default=True, help="KYC tier 0-4.")
@click.option("--csv", "csv_path", help="Register every `address,tier` row of this file instead.")
@operator_options
@address_option
def register_wallet(
    provider, account, yes, rehearse, mainnet, address, wallet, tier_text, csv_path
):
    """Register WALLET (or the wallets of --csv) with the calling bank as linked bank."""
    if bool(wallet) == bool(csv_path):
        fail(InputError("give either a WALLET or --csv FILE"))
    if wallet:
        run(
            lambda: ops.register_wallet(_som(address), account.address, wallet, tier_text),
            account,
            provider,
            yes,
            rehearse,
            mainnet,
        )
        return
    try:
        by_tier = ops.read_wallet_csv(csv_path)
    except InputError as err:
        fail(err)
    for t, wallets in sorted(by_tier.items()):
        run(
            lambda t=t, wallets=wallets: ops.register_wallets(
                _som(address), account.address, wallets, t, csv_path
            ),
            account,
            provider,
            yes,
            rehearse,
            mainnet,
        )


@operator_command(cli, "set-tier")
@click.argument("wallet")
@click.argument("tier")
@operator_options
@address_option
def set_tier(provider, account, yes, rehearse, mainnet, address, wallet, tier):
    """Move WALLET (linked to the calling bank) to TIER."""
    run(
        lambda: ops.set_tier(_som(address), account.address, wallet, tier),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "set-tier-limits")
@click.argument("tier")
@click.argument("max_balance")
@click.argument("max_payment")
@click.argument("daily_limit")
@operator_options
@address_option
def set_tier_limits(
    provider, account, yes, rehearse, mainnet, address, tier, max_balance, max_payment, daily_limit
):
    """Set TIER's MAX_BALANCE, MAX_PAYMENT and DAILY_LIMIT in som (`none` = no limit)."""
    run(
        lambda: ops.set_tier_limits(
            _som(address), account.address, tier, max_balance, max_payment, daily_limit
        ),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "pay")
@click.argument("to")
@click.argument("amount")
@click.option("--reference", help="Payment reference (tax or invoice number, up to 32 bytes).")
@operator_options
@address_option
def pay(provider, account, yes, rehearse, mainnet, address, to, amount, reference):
    """Pay AMOUNT to TO from the caller, with an optional --reference."""
    run(
        lambda: ops.pay(_som(address), account.address, to, amount, reference),
        account,
        provider,
        yes,
        rehearse,
        mainnet,
    )


@operator_command(cli, "status")
@click.option("--wallet", "wallets", multiple=True, help="Account to show (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@address_option
def status(provider, address, wallets, as_json):
    """Supply, pause state, tier limits and the given accounts."""
    try:
        check_chain(provider, allow_mainnet=True)
        report = ops.status(_som(address), [checksummed(w, "wallet") for w in wallets])
    except InputError as err:
        fail(err)
    if as_json:
        click.echo(json.dumps(report, indent=2, default=str))
        return
    for key, value in report.items():
        if key == "tier_limits":
            click.echo(f"{'tier limits':>12}: balance / payment / daily (som)")
            for t, limits in value.items():
                click.echo(f"{'':>12}  {t}: {' / '.join(limits)}")
        elif key == "accounts":
            for wallet, info in value.items():
                click.echo(f"{'':>12}  {wallet}: {info}")
        else:
            click.echo(f"{key:>12}: {value}")
