"""`ape run deploy <part>`: deploy the stablecoin, the CBDC, the reserve, or all of them.

Parameters come from deploy-config.yaml (the `default` section and the network's own);
addresses, transactions, arguments, compiler settings and the git commit go to
deployments/<chain id>.json. A part already recorded there is left alone unless --force.
"""

import sys

import click
from ape.cli import account_option

from scripts._common import OperatorCommand, fail
from somchain import config as settings
from somchain import manifest
from somchain.deployment import Outcome
from somchain.errors import InputError
from somchain.network import check_chain, unlock
from somchain.stack import PARTS as STEPS

PARTS = {name: [step] for name, step in STEPS.items()}
PARTS["all"] = list(STEPS.values())


def _deploy(part, provider, account, config, force, yes, mainnet):
    network = f"{provider.network.ecosystem.name}:{provider.network.name}"
    try:
        chain_id = check_chain(provider, allow_mainnet=mainnet)
        params = settings.load(network, config)
    except InputError as err:
        fail(err)
    click.echo(f"will deploy {part} on {network} (chain id {chain_id}) from {account.address}")
    click.echo(f"  manifest {manifest.manifest_path(chain_id)}")
    if not yes and not click.confirm("deploy?", default=False):
        click.echo("aborted; nothing sent")
        sys.exit(1)
    unlock(account)
    outcome = Outcome()
    try:
        for step in PARTS[part]:
            done = step(account, params, network, force=force, echo=click.echo)
            outcome.deployed += done.deployed
            outcome.existing += done.existing
    except InputError as err:
        fail(err)
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
    @cli.command(part, cls=OperatorCommand, help=f"Deploy {part}.")
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


for _part in PARTS:
    _command(_part)
