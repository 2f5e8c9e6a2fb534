"""`ape run cbdc <command>`: operate the digital som (KGSD).

Amounts are in som with up to 2 decimals ("1250.50"). Every state-changing command checks
its input and the caller's role first, prints what it will do, asks unless --yes, and can
rehearse on a local anvil fork with --rehearse.
"""

import json

import click
from ape import project

from scripts._common import (
    Bar,
    acting,
    ask_account,
    contract_at,
    echo,
    fail,
    mount_compliance,
    operator_action,
    operator_command,
    operator_options,
    run,
    safe_choice,
)
from somchain import manifest
from somchain.cbdc import onboarding, ops
from somchain.display import public
from somchain.errors import Aborted, ActionFailed, InputError
from somchain.inputs import checksummed
from somchain.network import check_chain
from somchain.rpc import head_reader

address_option = click.option("--address", help="Digital som proxy address (default: manifest).")


def _som(address):
    return contract_at("cbdc", project.DigitalSom, address)


@click.group()
def cli():
    """Operate the digital som."""


mount_compliance(cli, _som, address_option)


@operator_action(cli, "issue")
@click.argument("bank")
@click.argument("amount")
@address_option
def issue(account, address, bank, amount):
    """Issue AMOUNT of new digital som to BANK (central bank, ISSUER_ROLE)."""
    return ops.issue(_som(address), account.address, bank, amount)


@operator_action(cli, "redeem")
@click.argument("amount")
@address_option
def redeem(account, address, amount):
    """Return AMOUNT of the calling bank's holdings to the central bank (burn)."""
    return ops.redeem(_som(address), account.address, amount)


@operator_command(cli, "register-wallet")
@click.argument("wallet", required=False)
@click.option("--tier", "tier_text", default="0", show_default=True, help="KYC tier 0-4.")
@click.option(
    "--csv",
    "csv_path",
    help="Register every `address,tier` row of this file instead, any number of them, in "
    "chunks; a re-run registers only the missing ones. Writes <file>.receipt.csv.",
)
@click.option(
    "--chunk-gas",
    type=click.IntRange(min=100_000),
    default=onboarding.CHUNK_GAS,
    show_default=True,
    help="With --csv: the gas one registration transaction may use.",
)
@address_option
@operator_options
def register_wallet(
    provider,
    account,
    yes,
    rehearse,
    print_calldata,
    mainnet,
    address,
    wallet,
    tier_text,
    csv_path,
    chunk_gas,
):
    """Register WALLET (or the wallets of --csv) with the calling bank as linked bank."""
    if bool(wallet) == bool(csv_path):
        fail(InputError("give either a WALLET or --csv FILE"))
    if wallet:
        run(
            lambda: ops.register_wallet(_som(address), acting(account).address, wallet, tier_text),
            account,
            provider,
            yes,
            rehearse,
            mainnet,
            print_calldata,
        )
        return
    _register_csv(
        provider, account, yes, rehearse, print_calldata, mainnet, address, csv_path, chunk_gas
    )


def _register_csv(
    provider, account, yes, rehearse, print_calldata, mainnet, address, path, chunk_gas
):
    """`register-wallet --csv`: the whole file checked, then only its unregistered wallets
    sent, in chunks of `chunk_gas`, with a progress bar and a receipt file."""
    try:
        check_chain(provider, allow_mainnet=mainnet)
        if safe_choice().get("safe"):
            raise InputError("register-wallet --csv sends from the bank's own account: drop --safe")
        if account is None:
            account = ask_account()
        som = _som(address)
        web3 = provider.web3

        def estimate(action):
            tx = {"from": account.address, "to": som.address, "data": "0x" + action.calldata.hex()}
            return web3.eth.estimate_gas(tx)

        checked = onboarding.plan(
            som, account.address, path, head_reader(provider), estimate, chunk_gas
        )
        if print_calldata:
            for line in checked.lines():
                echo(line)
            if checked.chunks:
                run(
                    lambda: onboarding.actions(som, checked),
                    account,
                    provider,
                    yes,
                    rehearse,
                    mainnet,
                    print_calldata,
                )
            return
    except InputError as err:
        fail(err)

    def send(build, on_receipt):
        return run(build, account, provider, yes, rehearse, mainnet, on_receipt=on_receipt)

    try:
        outcome = onboarding.register(
            som, checked, send, echo, progress=Bar("registering", "wallets")
        )
    except (InputError, ActionFailed, Aborted) as err:
        fail(err)
    echo(
        f"registered now: {outcome.registered_now:,} wallets in "
        f"{len(checked.chunks)} transactions, gas {outcome.gas_used:,}"
    )
    echo(f"receipt: {outcome.receipt_file}")
    echo(
        f"done: {path}: {len(checked.done) + outcome.registered_now:,} of "
        f"{len(checked.rows):,} wallets registered to bank {checked.bank}"
    )


@operator_action(cli, "set-tier")
@click.argument("wallet")
@click.argument("tier")
@address_option
def set_tier(account, address, wallet, tier):
    """Move WALLET (linked to the calling bank) to TIER."""
    return ops.set_tier(_som(address), account.address, wallet, tier)


@operator_action(cli, "set-issuance-allowance")
@click.argument("issuer")
@click.argument("amount")
@address_option
def set_issuance_allowance(account, address, issuer, amount):
    """Let ISSUER issue up to AMOUNT (an admin action: proposed to the governance timelock)."""
    return ops.set_issuance_allowance(_som(address), account.address, issuer, amount)


@operator_action(cli, "assign-tier")
@click.argument("wallet")
@click.argument("tier")
@address_option
def assign_tier(account, address, wallet, tier):
    """Move WALLET to any TIER, institutional ones included (CENTRAL_BANK_ROLE)."""
    return ops.assign_tier(_som(address), account.address, wallet, tier)


@operator_action(cli, "close-wallet")
@click.argument("wallet")
@address_option
def close_wallet(account, address, wallet):
    """Close the empty WALLET (its linked bank, or the wallet itself)."""
    return ops.close_wallet(_som(address), account.address, wallet)


@operator_action(cli, "relink-wallet")
@click.argument("wallet")
@click.argument("bank")
@address_option
def relink_wallet(account, address, wallet, bank):
    """Link WALLET to another licensed BANK (central bank, after a delicensing)."""
    return ops.relink_wallet(_som(address), account.address, wallet, bank)


@operator_action(cli, "set-tier-limits")
@click.argument("tier")
@click.argument("max_balance")
@click.argument("max_payment")
@click.argument("daily_limit")
@address_option
def set_tier_limits(account, address, tier, max_balance, max_payment, daily_limit):
    """Set TIER's MAX_BALANCE, MAX_PAYMENT and DAILY_LIMIT in som (`none` = no limit)."""
    som = _som(address)
    return ops.set_tier_limits(som, account.address, tier, max_balance, max_payment, daily_limit)


@operator_action(cli, "pay")
@click.argument("to")
@click.argument("amount")
@click.option("--reference", help="Payment reference (tax or invoice number, up to 32 bytes).")
@address_option
def pay(account, address, to, amount, reference):
    """Pay AMOUNT to TO from the caller, with an optional --reference."""
    return ops.pay(_som(address), account.address, to, amount, reference)


@operator_command(cli, "status")
@click.option("--wallet", "wallets", multiple=True, help="Account to show (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (amounts exact).")
@address_option
def status(provider, address, wallets, as_json):
    """Supply, pause state, role holders (from the role events), tier limits and the given
    accounts, with the deployment's names beside addresses."""
    try:
        check_chain(provider, allow_mainnet=True)
        som = _som(address)
        report = ops.status(
            som,
            [checksummed(w, "wallet") for w in wallets],
            manifest.start_block(provider.chain_id, som.address),
        )
    except InputError as err:
        fail(err)
    if as_json:
        click.echo(json.dumps(public(report), indent=2))
        return
    for line in ops.status_lines(report, manifest.names(provider.chain_id)):
        click.echo(line)
