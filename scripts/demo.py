"""`ape run demo`: the walk-through of every part on the embedded chain."""

import click
from ape.cli import ConnectedProviderCommand

from somchain import cbdc_demo, reserve_demo, stablecoin_demo


@click.command(cls=ConnectedProviderCommand)
def cli() -> None:
    """Deploys and exercises the national money stack, printing each step."""
    stablecoin_demo.demo(click.echo)
    click.echo()
    cbdc_demo.demo(click.echo)
    click.echo()
    reserve_demo.demo(click.echo)
    click.secho("demo complete", fg="green")
