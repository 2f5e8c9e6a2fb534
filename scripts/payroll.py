"""`ape run payroll <command> FILE`: pay a payroll file in the digital som or KGST, exactly once.

FILE is CSV: wallet address, amount in token units, optional reference (header optional,
`#` comments allowed). `check` validates the whole file against the chain and sends
nothing; `pay` pays the chunks not yet paid (a re-run resumes, never pays twice) and writes
FILE's receipt (`<name>.receipt.csv`); `status` shows from chain which chunks are paid.
"""

from __future__ import annotations

import json

import click
from ape import chain, project
from ape.cli import account_option

from scripts._common import (
    Bar,
    ask_account,
    confirm,
    contract_at,
    echo,
    fail,
    operator_command,
    operator_options,
    run,
    safe_choice,
)
from somchain import manifest
from somchain.actions.pipeline import run as run_pipeline
from somchain.errors import Aborted, ActionFailed, InputError
from somchain.inputs import checksummed, to_text
from somchain.network import check_chain, unlock
from somchain.payroll import run as payroll
from somchain.payroll.deploy import deploy_disperser
from somchain.payroll.ledgers import CbdcLedger, KgstLedger, Ledger
from somchain.payroll.sheet import token_of

token_option = click.option(
    "--token",
    type=click.Choice(["cbdc", "kgst"]),
    help="Token to pay in (default: the file's `# token:` line).",
)
address_option = click.option("--address", help="Token proxy address (default: manifest).")
disperser_option = click.option(
    "--disperser", help="KGST PayrollDisperser address (default: manifest `payroll`)."
)


def _ledger(
    file: str, token: str | None, payer: str, address: str | None, disperser: str | None
) -> Ledger:
    name = token or token_of(file)
    if name not in ("cbdc", "kgst"):
        raise InputError(f"{file}: pass --token cbdc|kgst (or put a `# token: cbdc` line in it)")
    if name == "cbdc":
        return CbdcLedger(contract_at("cbdc", project.DigitalSom, address), payer)
    kgst = contract_at("stablecoin", project.NationalStablecoin, address)
    return KgstLedger(kgst, contract_at("payroll", project.PayrollDisperser, disperser), payer)


@click.group()
def cli():
    """Pay a payroll file exactly once."""


@operator_command(cli, "check")
@click.argument("file")
@token_option
@address_option
@disperser_option
@account_option()
def check(provider, account, file, token, address, disperser):
    """Validate FILE against the chain (payees, limits, the payer's balance); send nothing."""
    try:
        check_chain(provider, allow_mainnet=True)
        plan = payroll.plan(file, _ledger(file, token, account.address, address, disperser))
    except InputError as err:
        fail(err)
    for line in plan.lines():
        echo(line)
    echo(f"done: {file} is valid; {len(plan.unpaid)} chunks to pay")


@operator_command(cli, "pay")
@click.argument("file")
@token_option
@address_option
@disperser_option
@operator_options
def pay(provider, account, yes, rehearse, print_calldata, mainnet, file, token, address, disperser):
    """Pay every chunk of FILE not yet paid, then write FILE's receipt (.receipt.csv).
    With --safe SAFE (the Safe is the treasury), write one Safe proposal per unpaid chunk
    into FILE's .safe folder instead, at consecutive nonces; with --print-calldata, print
    the unpaid chunks' transactions from --account for a signer outside the tool. Neither
    sends anything."""
    if safe_choice().get("safe"):
        _propose(provider, yes, rehearse, print_calldata, mainnet, file, token, address, disperser)
        return
    try:
        if account is None:
            account = ask_account()
        ledger = _ledger(file, token, account.address, address, disperser)
        if print_calldata:
            check_chain(provider, allow_mainnet=True)
            for line in payroll.calldata(file, ledger):
                echo(line)
            return
    except InputError as err:
        fail(err)

    def send(build, on_receipt):
        return run(build, account, provider, yes, rehearse, mainnet, on_receipt=on_receipt)

    try:
        check_chain(provider, allow_mainnet=mainnet)
        outcome = payroll.pay(file, ledger, send, echo, progress=Bar("paying", "payees"))
    except (InputError, ActionFailed, Aborted) as err:
        fail(err)
    plan = outcome.plan
    paid_now = sum(len(c.payments) for c in outcome.paid_now)
    skipped = outcome.skipped
    echo(
        f"paid now: {len(outcome.paid_now)} chunks, {paid_now:,} payees, "
        f"{ledger.show(sum(c.total for c in outcome.paid_now))}, gas {outcome.gas_used:,}"
    )
    for s in skipped:
        echo(f"skipped: line {s['line']}: {s['payee']} {ledger.show(s['amount'])} ({s['reason']})")
    echo(f"receipt: {outcome.receipt_file}")
    echo(
        f"done: {file}: {len(plan.chunks)} of {len(plan.chunks)} chunks paid, "
        f"{len(plan.payroll.payments) - len(skipped):,} payees paid, {len(skipped)} skipped"
    )


def _propose(provider, yes, rehearse, print_calldata, mainnet, file, token, address, disperser):
    """`pay --safe`: one proposal per unpaid chunk, each rehearsed from the Safe."""
    from somchain.safe import contracts as safe_contracts
    from somchain.safe.deploy import resolve

    choice = safe_choice()
    try:
        if print_calldata or choice.get("proposal_file"):
            raise InputError(
                "payroll pay --safe writes one proposal per chunk into FILE's .safe folder: "
                "drop --print-calldata and --proposal-file"
            )
        check_chain(provider, allow_mainnet=mainnet)
        safe = resolve(choice["safe"])
        ledger = _ledger(file, token, safe, address, disperser)
        first = choice.get("safe_nonce")
        if first is None:
            first = int(safe_contracts.at("SafeL2", safe).call_view_method("nonce"))

        def write(actions, nonce, path):
            run_pipeline(
                lambda: actions,
                None,
                provider,
                yes=yes,
                rehearse=rehearse,
                mainnet=mainnet,
                confirm=confirm,
                echo=echo,
                safe=safe,
                proposal_path=str(path),
                safe_nonce=nonce,
            )
            return path

        written = payroll.propose(file, ledger, write, first, echo)
    except (InputError, ActionFailed, Aborted) as err:
        fail(err)
    if written:
        folder = written[0].parent
        echo(
            f"done: {len(written)} proposals in {folder} (nonces {first} to "
            f"{first + len(written) - 1}); nothing sent"
        )
        echo(f'  next: for f in {folder}/*.json; do ape run safe sign "$f" --account <owner>; done')
        echo(f"  then: ape run safe execute {folder}/<each file, in nonce order> --account <any>")


@operator_command(cli, "status")
@click.argument("file")
@click.option("--payer", required=True, help="The treasury (or KGST payer) that pays FILE.")
@token_option
@address_option
@disperser_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(provider, file, payer, token, address, disperser, as_json):
    """Which chunks of FILE are paid, read from chain."""
    try:
        check_chain(provider, allow_mainnet=True)
        ledger = _ledger(file, token, checksummed(payer, "payer"), address, disperser)
        plan, rows = payroll.status(file, ledger)
    except InputError as err:
        fail(err)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    paid = [r for r in rows if r["state"] == "paid"]
    echo(
        f"payroll {file}: {len(rows)} chunks, {len(paid)} paid, "
        f"{sum(r['payees'] for r in paid):,} of {len(plan.payroll.payments):,} payees"
    )
    for r in rows:
        where = f" tx {r['tx']} block {r['block']}" if r["tx"] else ""
        echo(
            f"  chunk {r['chunk']}: {r['state']}, {r['payees']} payees, "
            f"{to_text(r['total'], ledger.decimals)} (batch {r['batch_id'][:14]}){where}"
        )


@operator_command(cli, "deploy-disperser")
@operator_options
def deploy(provider, account, yes, rehearse, print_calldata, mainnet):
    """Deploy the KGST PayrollDisperser (no owner, no admin) and record it as `payroll`."""
    try:
        check_chain(provider, allow_mainnet=mainnet)
        if print_calldata or account is None:
            raise InputError(
                "deploy-disperser deploys from --account (not --safe or --print-calldata)"
            )
        if rehearse:
            raise InputError("deploy-disperser has no --rehearse; it only deploys a contract")
        kgst = manifest.address_of(chain.chain_id, "stablecoin")
        if not kgst:
            raise InputError("no stablecoin in the manifest; deploy it first")
        echo(f"will deploy PayrollDisperser for KGST {kgst} from {account.address}")
        if not yes and not click.confirm("deploy?", default=False):
            raise Aborted("aborted; nothing sent")
        network = f"{provider.network.ecosystem.name}:{provider.network.name}"
        unlock(account)
        disperser = deploy_disperser(account, kgst, network)
    except (InputError, Aborted) as err:
        fail(err)
    echo(f"done: PayrollDisperser at {disperser.address}")
