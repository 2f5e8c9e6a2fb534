"""`ape run safe <command>`: sign, merge, check and execute Safe proposal files.

Any state-changing command run with `--safe SAFE` writes a proposal file instead of
sending (see docs/multisig.md). `sign` and `show` need no node (an air-gapped machine: the
file carries the SafeTx, the manifest names its targets); `sign --rehearse --network N`
re-runs the proposal on a fork of the signer's own node; `status` and `execute` read the
Safe's owners, threshold and nonce from the chain.
"""

import time
from pathlib import Path

import click

from scripts._common import confirm, echo, fail, operator_command, signer_option
from somchain.actions.pipeline import run as run_pipeline
from somchain.errors import Aborted, ActionFailed, InputError
from somchain.network import unlock
from somchain.safe import proposal as proposals

files_argument = click.argument("files", nargs=-1, required=True)
output_option = click.option(
    "-o", "--output", help="Write the result here (default: back into the first FILE)."
)
manifest_option = click.option(
    "--manifest",
    "manifest_file",
    help="The deployment manifest that names the targets (default: the one of the "
    "proposal's chain id in deployments/).",
)
refund_option = click.option(
    "--allow-refund",
    is_flag=True,
    help="Accept a SafeTx with gas-refund fields (refused by default); its worst case is shown.",
)


@click.group()
def cli():
    """Sign, merge, check and execute Safe proposals."""


def _screen(proposal, manifest_file, allow_refund, network, rehearse) -> list[str]:
    """The signing screen: offline from the manifest, or with `network` from the chain
    too (and with `rehearse`, a fork rehearsal from the Safe)."""
    if rehearse and not network:
        raise InputError("--rehearse needs --network: the node to fork")
    if not network:
        found = proposals.signer_catalog(proposal, manifest_file)
        return proposals.describe(proposal, found, allow_refund=allow_refund, now=int(time.time()))
    from ape import chain, networks

    with networks.parse_network_choice(network) as provider:
        found = proposals.signer_catalog(proposal, manifest_file, provider)
        now = int(chain.blocks.head.timestamp)
        lines = proposals.describe(proposal, found, allow_refund=allow_refund, now=now)
        if not rehearse:
            return lines
        result = proposals.rehearse_on_fork(proposal, found, provider)
    lines = proposals.describe(
        proposal, found, allow_refund=allow_refund, now=now, rehearsal=result.lines()
    )
    if not result.succeeded:
        for line in lines:
            click.echo(line)
        raise ActionFailed(f"the rehearsal reverted: {result.error}; nothing signed")
    return lines


@cli.command("sign")
@files_argument
@signer_option()
@output_option
@click.option(
    "--copy", is_flag=True, help="Write to a copy named after the signer (FILE.<address>.json)."
)
@click.option("--yes", "-y", is_flag=True, help="Sign without asking.")
@manifest_option
@refund_option
@click.option(
    "--rehearse",
    is_flag=True,
    help="Run the SafeTx on a fork of --network first (the Safe as sender).",
)
@click.option("--network", help="A node to read the chain's facts from (and fork with --rehearse).")
def sign(files, account, output, copy, yes, manifest_file, allow_refund, rehearse, network):
    """Sign the proposal in FILES (several files of one proposal are merged) with ACCOUNT,
    an owner of the Safe. Needs no network."""
    try:
        if output and copy:
            raise InputError("--output and --copy exclude each other")
        proposal = proposals.load_all(list(files), allow_refund)
        for line in _screen(proposal, manifest_file, allow_refund, network, rehearse):
            click.echo(line)
        if not yes and not confirm(f"sign SafeTx 0x{proposal.safe_tx_hash.hex()}?"):
            raise Aborted("aborted; nothing signed")
        unlock(account)
        proposals.add_signature(proposal, account)
        if copy:
            first = Path(files[0])
            output = first.with_name(f"{first.stem}.{account.address[:10]}{first.suffix}")
        written = proposal.save(output or files[0])
    except (InputError, ActionFailed, Aborted) as err:
        fail(err)
    click.secho(
        f"done: signed by {account.address} ({len(proposal.signatures)} signature(s)); "
        f"written to {written}",
        fg="green",
    )


@cli.command("merge")
@files_argument
@click.option("-o", "--output", required=True, help="The merged proposal file.")
@refund_option
def merge(files, output, allow_refund):
    """Merge the signatures of several files of one proposal into OUTPUT. Needs no network."""
    try:
        proposal = proposals.load_all(list(files), allow_refund)
        written = proposal.save(output)
    except InputError as err:
        fail(err)
    click.secho(
        f"done: {len(proposal.signatures)} signature(s) "
        f"({', '.join(proposal.signatures) or 'none'}) written to {written}",
        fg="green",
    )


@cli.command("show")
@files_argument
@manifest_option
@refund_option
@click.option("--network", help="A node to read the chain's facts from.")
def show(files, manifest_file, allow_refund, network):
    """What the proposal does, recomputed from its SafeTx. Needs no network."""
    try:
        proposal = proposals.load_all(list(files), allow_refund)
        lines = _screen(proposal, manifest_file, allow_refund, network, rehearse=False)
    except (InputError, ActionFailed) as err:
        fail(err)
    for line in lines:
        click.echo(line)


@operator_command(cli, "address")
@click.argument("name", default="safe")
def address(provider, name):
    """Print the address of the Safe NAME (default: safe) recorded in the deployment's
    manifest for the connected chain; nothing else goes to stdout."""
    from somchain.network import check_chain
    from somchain.safe.deploy import resolve

    try:
        check_chain(provider, allow_mainnet=True)
        found = resolve(name)
    except InputError as err:
        fail(err)
    click.echo(found)


@operator_command(cli, "status")
@files_argument
@refund_option
def status(provider, files, allow_refund):
    """Signatures checked against the Safe's owners and threshold on chain, and its nonce."""
    from somchain.network import check_chain

    try:
        chain_id = check_chain(provider, allow_mainnet=True)
        proposal = proposals.load_all(list(files), allow_refund)
        proposals.check_chain_matches(proposal, chain_id)
        found = proposals.status(proposal)
    except InputError as err:
        fail(err)
    click.echo(f"Safe {proposal.safe}: {found.threshold} of {len(found.owners)} owners")
    click.echo(f"SafeTx 0x{proposal.safe_tx_hash.hex()}, nonce {proposal.nonce}")
    click.echo(f"Safe nonce on chain: {found.nonce}")
    for owner in found.owners:
        mark = "signed" if owner in found.valid else "-"
        click.echo(f"  {owner}  {mark}")
    for other in found.not_owners:
        click.echo(f"  {other}  signed, but not an owner (ignored)")
    problem = found.ready(proposal)
    if problem:
        click.echo(f"not executable: {problem}")
    else:
        click.secho("ready: the threshold is met at the Safe's nonce", fg="green")


@operator_command(cli, "execute")
@files_argument
@signer_option()
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--rehearse", is_flag=True, help="Run execTransaction first on a local fork.")
@click.option("--mainnet", is_flag=True, help="Allow BNB mainnet (chain id 56).")
@manifest_option
@refund_option
def execute(provider, files, account, yes, rehearse, mainnet, manifest_file, allow_refund):
    """Send execTransaction of the proposal in FILES once enough owners have signed; any
    account may send it (it pays the gas). Every check of the signing screen runs again."""

    def build():
        proposal = proposals.load_all(list(files), allow_refund)
        found = proposals.signer_catalog(proposal, manifest_file, provider)
        head = int(provider.get_block("latest").timestamp)
        shown = proposals.screen(proposal, found, allow_refund, now=head)
        for line in [*shown.lines, *shown.warnings]:
            echo(line)
        return proposals.exec_action(proposal, found, allow_refund)

    try:
        run_pipeline(
            build,
            account,
            provider,
            yes=yes,
            rehearse=rehearse,
            mainnet=mainnet,
            confirm=confirm,
            echo=echo,
        )
    except (InputError, ActionFailed, Aborted) as err:
        fail(err)
