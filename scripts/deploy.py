"""`ape run deploy <part>`: deploy the governance timelock, the stablecoin, the CBDC, the
reserve, or all of them, then seal the deployment.

Parameters come from deploy-config.yaml (validated: an unknown key or a lower-case address
is an error naming it). Before anything is sent the command prints the plan (contract,
role, holder, delay) and asks to confirm. After `all` (or `seal`) the governance timelock
holds every admin power and the deploying account holds no role anywhere, checked on
chain. Addresses, transactions, arguments, the role matrix, compiler settings and the git
commit go to deployments/<chain id>-<genesis>.json (see somchain/manifest.py), and the
command ends with a table of every part's address, block, gas used and transaction. A part
already recorded there is left alone unless --force. `--rehearse` runs the same steps on a
local anvil fork of the network and prints them; nothing is sent and the manifest is left
alone.
"""

import sys

import click

from scripts._common import OperatorCommand, fail, signer_option
from somchain import config as deploy_config
from somchain import manifest
from somchain.deployment import Outcome, deployment_rows, on_a_fork
from somchain.errors import InputError
from somchain.governance.deploy import plan
from somchain.network import check_chain, unlock
from somchain.stack import PARTS, seal

STEPS = {name: [name] for name in PARTS}
STEPS["seal"] = ["seal"]
STEPS["all"] = [*PARTS, "seal"]


def _run_step(name, account, config, network, force):
    if name == "seal":
        return seal(account, config, network, echo=click.echo)
    return PARTS[name](account, config, network, force=force, echo=click.echo)


def _show_plan(rows):
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    header = ("contract", "role", "holder", "delay")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    for row in (header, *rows):
        click.echo("  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))


def _run_steps(part, account, config, network, force) -> Outcome:
    outcome = Outcome()
    try:
        for step in STEPS[part]:
            done = _run_step(step, account, config, network, force)
            outcome.deployed += done.deployed
            outcome.existing += done.existing
    except InputError as err:
        fail(err)
    return outcome


def _rehearse(part, provider, account, config, network, force):
    """The whole deployment on a local anvil fork of the network; sends nothing to it and
    leaves its manifest alone."""
    try:
        with on_a_fork(provider) as uri:
            click.echo(f"rehearsing on a fork of {provider.uri} at {uri}")
            unlock(account)
            outcome = _run_steps(part, account, config, network, force)
            _show_deployed(provider.chain_id)
    except InputError as err:
        fail(err)
    deployed = ", ".join(outcome.deployed) or "nothing"
    click.secho(f"done: rehearsed on a fork (would deploy {deployed}); nothing sent", fg="green")


def _show_deployed(chain_id):
    """The manifest's contracts: address, deployment transaction, block and gas used."""
    rows = deployment_rows(chain_id)
    header = ("part", "contract", "address", "block", "gas used", "tx")
    table = [
        (r.key, r.contract, r.address, str(r.block), f"{r.gas_used:,}" if r.gas_used else "-", r.tx)
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in (header, *table)) for i in range(len(header))]
    for row in (header, *table):
        click.echo("  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
    total = sum(r.gas_used or 0 for r in rows)
    click.echo(f"  total gas used by the deployments above: {total:,}")


def _deploy(part, provider, account, config_path, force, yes, mainnet, rehearse):
    network = f"{provider.network.ecosystem.name}:{provider.network.name}"
    try:
        chain_id = check_chain(provider, allow_mainnet=mainnet)
        manifest.check_node(
            provider.network.name, chain_id, manifest.connected_genesis(chain_id), provider.uri
        )
        config = deploy_config.load(network, config_path)
        problems = deploy_config.separation_problems(config, account.address, network)
        if problems and not deploy_config.is_local(network):
            raise InputError(f"refused on {network}: " + "; ".join(problems))
    except InputError as err:
        fail(err)
    for problem in problems:
        click.secho(f"warning (local chain only): {problem}", fg="yellow", err=True)
    click.echo(f"will deploy {part} on {network} (chain id {chain_id}) from {account.address}")
    click.echo(f"  manifest {manifest.manifest_path(chain_id)}")
    rows = plan(config, STEPS[part])
    if rows:
        _show_plan(rows)
    if rehearse:
        _rehearse(part, provider, account, config, network, force)
        return
    if not yes and not click.confirm("deploy?", default=False):
        click.echo("aborted; nothing sent")
        sys.exit(1)
    unlock(account)
    outcome = _run_steps(part, account, config, network, force)
    _show_deployed(chain_id)
    if outcome.deployed:
        click.secho(
            f"done: deployed {', '.join(outcome.deployed)}; manifest "
            f"{manifest.manifest_path(chain_id)}",
            fg="green",
        )
    else:
        click.secho(
            f"done: nothing to deploy ({', '.join(outcome.existing)} already deployed)", fg="green"
        )


@click.group()
def cli():
    """Deploy the national money stack."""


def _command(part):
    help_text = {
        "all": "Deploy every part, then seal the deployment.",
        "seal": "End the bootstrap: the timelock's delay, the deployer's roles revoked.",
    }.get(part, f"Deploy {part}.")

    @cli.command(part, cls=OperatorCommand, help=help_text)
    @signer_option()
    @click.option(
        "--config", "config", default=None, help="Deploy config file (default: deploy-config.yaml)."
    )
    @click.option("--force", is_flag=True, help="Redeploy even if the manifest has it.")
    @click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
    @click.option("--mainnet", is_flag=True, help="Allow BNB mainnet (chain id 56).")
    @click.option(
        "--rehearse",
        is_flag=True,
        help="Run the deployment on a local anvil fork of the network and print what it did; "
        "send nothing.",
    )
    def command(provider, account, config, force, yes, mainnet, rehearse):
        _deploy(part, provider, account, config, force, yes, mainnet, rehearse)

    return command


for _part in STEPS:
    _command(_part)


@cli.command("safe", cls=OperatorCommand)
@signer_option()
@click.option("--owner", "owners", multiple=True, help="An owner (repeat for each).")
@click.option("--threshold", type=int, required=True, help="Signatures required.")
@click.option("--name", default="safe", show_default=True, help="Its name in the manifest.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--mainnet", is_flag=True, help="Allow BNB mainnet (chain id 56).")
def safe(provider, account, owners, threshold, name, yes, mainnet):
    """Create a Safe multisig (v1.4.1) with OWNERS and THRESHOLD: the canonical Safe
    contracts on BNB Chain, deployed once from npm on a local chain."""
    from somchain.safe.deploy import check_owners, deploy_safe

    network = f"{provider.network.ecosystem.name}:{provider.network.name}"
    try:
        chain_id = check_chain(provider, allow_mainnet=mainnet)
        checked = check_owners(list(owners), threshold)
    except InputError as err:
        fail(err)
    click.echo(
        f"will create a {threshold}-of-{len(checked)} Safe {name!r} on {network} "
        f"(chain id {chain_id}) from {account.address}"
    )
    for owner in checked:
        click.echo(f"  owner {owner}")
    if not yes and not click.confirm("deploy?", default=False):
        click.echo("aborted; nothing sent")
        sys.exit(1)
    unlock(account)
    try:
        entry = deploy_safe(account, checked, threshold, provider.network.name, name, click.echo)
    except InputError as err:
        fail(err)
    click.secho(
        f"done: Safe {name} at {entry['address']}; manifest {manifest.manifest_path(chain_id)}",
        fg="green",
    )
