"""`ape run demo`: the walk-through of every part on the embedded chain, then the operator
scripts driving a fresh deployment, as an operator would run them."""

import os
import tempfile
from pathlib import Path

import click
from ape import accounts, chain, project
from ape.cli import ConnectedProviderCommand

from somchain.cbdc import demo as cbdc_demo
from somchain.reserve import demo as reserve_demo
from somchain.stablecoin import demo as stablecoin_demo


def _script(group: click.Group, *args: str, sends: bool = True, account: int = 0) -> None:
    """Runs one operator command in this process (so the embedded chain persists)."""
    network = f"{chain.provider.network.ecosystem.name}:{chain.provider.network.name}:test"
    name = group.callback.__module__.rsplit(".", 1)[-1]  # the script's file name
    line = " ".join(args)
    click.secho(f"$ ape run {name} {line}", fg="cyan")
    try:
        group.main(
            [
                *args,
                "--network",
                network,
                *(["--account", f"TEST::{account}", "--yes"] if sends else []),
            ],
            prog_name=name,
            standalone_mode=False,
        )
    except SystemExit as stop:
        if stop.code:
            raise click.ClickException(f"`{line}` failed (exit {stop.code})") from None


def operator_scripts() -> str:
    """Deploys the stack with `ape run deploy all` and operates it; returns the manifest folder."""
    from scripts import cbdc, deploy, reserve, stablecoin

    folder = tempfile.mkdtemp(prefix="somchain-demo-")
    os.environ["SOMCHAIN_DEPLOYMENTS"] = folder
    admin = accounts.test_accounts[0].address
    alice, bob = accounts.test_accounts[8].address, accounts.test_accounts[9].address
    from somchain import config as settings

    bank, payee = accounts.test_accounts[4].address, accounts.test_accounts[7].address
    config = Path(folder) / "deploy-config.yaml"
    config.write_text(
        settings.DEFAULT_PATH.read_text().replace("    banks: []", f'    banks: ["{bank}"]', 1)
    )
    _script(deploy.cli, "all", "--config", str(config))
    head = str(chain.blocks.head.timestamp)
    _script(
        stablecoin.cli,
        "attest-reserve",
        "2000000.00",
        "--report-hash",
        "0x" + "5e" * 32,
        "--as-of",
        head,
    )
    _script(stablecoin.cli, "configure-minter", admin, "1500000")
    _script(stablecoin.cli, "mint", alice, "1250000.50")
    _script(stablecoin.cli, "mint", bob, "40000")
    _script(stablecoin.cli, "freeze", bob)
    case = "KG-COURT-2026-0107"
    _script(stablecoin.cli, "seize", bob, admin, "15000", "--case", case)
    _script(stablecoin.cli, "burn", "15000")
    _script(stablecoin.cli, "status", "--holder", admin, sends=False)
    _script(cbdc.cli, "set-tier-limits", "0", "10000", "2000", "5000")
    _script(cbdc.cli, "issue", bank, "1000000")
    _script(cbdc.cli, "register-wallet", alice, "--tier", "1", account=4)
    _script(cbdc.cli, "register-wallet", payee, "--tier", "0", account=4)
    _script(cbdc.cli, "pay", alice, "20000", account=4)
    _script(cbdc.cli, "pay", payee, "12000", account=4)  # 2,000 above tier 0's limit: swept
    _script(cbdc.cli, "pay", admin, "1500", "--reference", "TAX-2026-INN0123456", account=8)
    _script(cbdc.cli, "status", "--wallet", alice, "--wallet", payee, sends=False)
    feed = project.MockAggregator.deploy(
        8, "BNB / USD", 600 * 10**8, sender=accounts.test_accounts[0]
    )
    _script(reserve.cli, "propose-add-asset", "BNB", feed.address, "10", "--salt", "list-bnb")
    chain.pending_timestamp += 172_800 + 1
    feed.setAnswer(600 * 10**8, sender=accounts.test_accounts[0])
    from somchain import manifest

    op_id = next(iter(manifest.load(chain.chain_id)["operations"]))
    _script(reserve.cli, "execute-withdrawal", op_id)
    head = str(chain.blocks.head.timestamp)
    _script(
        stablecoin.cli,
        "attest-reserve",
        "2000000.00",
        "--report-hash",
        "0x" + "7a" * 32,
        "--as-of",
        head,
    )
    _script(reserve.cli, "deposit", "BNB", "25")
    _script(reserve.cli, "holdings", sends=False)
    return folder


@click.command(cls=ConnectedProviderCommand)
def cli() -> None:
    """Deploys and exercises the national money stack, printing each step."""
    stablecoin_demo.demo(click.echo)
    click.echo()
    cbdc_demo.demo(click.echo)
    click.echo()
    reserve_demo.demo(click.echo)
    click.echo()
    click.secho("== Operator scripts ==", bold=True)
    folder = operator_scripts()
    from somchain import manifest

    manifest_file = manifest.manifest_path(chain.chain_id)
    click.echo(f"manifest: {manifest_file}")
    click.echo()
    click.secho("== Audit ==", bold=True)
    from scripts import audit

    root = Path(__file__).resolve().parent.parent
    _script(
        audit.cli,
        "--manifest",
        str(manifest_file),
        "--index",
        f"{folder}/index.sqlite",
        "--sanctions",
        str(root / "examples/sanctions/sdn_digital_currency.csv"),
        "--out",
        str(root / "reports/demo"),
        sends=False,
    )
    click.secho("demo complete", fg="green")
