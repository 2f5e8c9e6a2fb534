"""`ape run deploy <part>`: deploy the governance timelock, the stablecoin, the CBDC, the
reserve, or all of them, then seal the deployment.

Parameters come from deploy-config.yaml (validated: an unknown key or a lower-case address
is an error naming it). Before anything is sent the command prints the plan (contract,
role, holder, delay) and asks to confirm. After `all` (or `seal`) the governance timelock
holds every admin power and the deploying account holds no role anywhere, checked on
chain. Addresses, transactions, arguments, the role matrix, compiler settings and the git
commit go to deployments/<chain id>.json. A part already recorded there is left alone
unless --force.
"""

import sys

import click
from ape.cli import account_option

from scripts._common import OperatorCommand, fail
from somchain import config as deploy_config
from somchain import manifest
from somchain.deployment import Outcome
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


def _deploy(part, provider, account, config_path, force, yes, mainnet):
    network = f"{provider.network.ecosystem.name}:{provider.network.name}"
    try:
        chain_id = check_chain(provider, allow_mainnet=mainnet)
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
    if not yes and not click.confirm("deploy?", default=False):
        click.echo("aborted; nothing sent")
        sys.exit(1)
    unlock(account)
    outcome = Outcome()
    try:
        for step in STEPS[part]:
            done = _run_step(step, account, config, network, force)
            outcome.deployed += done.deployed
            outcome.existing += done.existing
    except InputError as err:
        fail(err)
    entries = manifest.load(chain_id).get("contracts", {})
    for key, entry in entries.items():
        click.echo(f"  {key:<12} {entry['contract']:<20} {entry['address']}")
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
    @account_option()
    @click.option(
        "--config", "config", default=None, help="Deploy config file (default: deploy-config.yaml)."
    )
    @click.option("--force", is_flag=True, help="Redeploy even if the manifest has it.")
    @click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
    @click.option("--mainnet", is_flag=True, help="Allow BNB mainnet (chain id 56).")
    def command(provider, account, config, force, yes, mainnet):
        _deploy(part, provider, account, config, force, yes, mainnet)

    return command


for _part in STEPS:
    _command(_part)
