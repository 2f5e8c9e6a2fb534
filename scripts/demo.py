"""`ape run demo`: the walk-through of every part on the embedded chain, then the operator
scripts driving a fresh deployment, as an operator would run them."""

import os
import shutil
from pathlib import Path

import click
from ape import accounts, chain, project
from ape.cli import ConnectedProviderCommand

from somchain.cbdc import demo as cbdc_demo
from somchain.reserve import demo as reserve_demo
from somchain.stablecoin import demo as stablecoin_demo


def _script(group: click.Group, *args: str, sends: bool = True, account: int = 0) -> None:
    """Runs one operator command in this process (so the embedded chain persists), signed
    by the test account TEST::<account>."""
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


REPORT = Path(__file__).resolve().parent.parent / "reports" / "demo"


def operator_scripts(folder: Path) -> None:
    """Deploys the stack with `ape run deploy all` (TEST::0 deploying, the roles of
    deploy-config.yaml's `ethereum:local` section) and operates it, the admin actions
    through the governance timelock; the manifest goes to `folder` (emptied first: the
    embedded chain starts afresh on every run)."""
    from scripts import cbdc, deploy, governance, reserve, stablecoin
    from somchain import manifest
    from somchain.governance.timelock import operations

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["SOMCHAIN_DEPLOYMENTS"] = str(folder)
    a = [acct.address for acct in accounts.test_accounts]
    master_minter, minter, pauser, compliance, attestor = 1, 2, 3, 4, 5
    bank, board, alice, bob, treasury, payee = 7, 11, 8, 9, 6, 10

    def run_next_operation(delay: int) -> None:
        """Waits out the timelock's delay (the embedded chain's clock moves) and executes
        the newest pending operation, as any board member would."""
        timelock = project.GovernanceTimelock.at(manifest.address_of(chain.chain_id, "timelock"))
        pending = [p for p in operations(timelock) if p.state in ("waiting", "ready")]
        chain.pending_timestamp += delay + 1
        _script(governance.cli, "list", sends=False)
        _script(governance.cli, "execute", "0x" + pending[-1].operation.id.hex(), account=board)

    _script(deploy.cli, "all")
    delay = int(manifest.load(chain.chain_id)["governance"]["min_delay"])
    head = str(chain.blocks.head.timestamp)
    report = "0x" + "5e" * 32
    _script(
        stablecoin.cli,
        "attest-reserve",
        "2000000.00",
        "--report-hash",
        report,
        "--as-of",
        head,
        account=attestor,
    )
    click.secho(
        "-- a mint budget and the minter's rate limit: proposed by the board, executed after "
        "the delay",
        bold=True,
    )
    _script(stablecoin.cli, "increase-mint-budget", "1500000", account=board)
    run_next_operation(delay)
    # A bucket of 1,500,000 KGST refilled by 1,500,000 KGST a day (17.36 a second).
    _script(stablecoin.cli, "set-minter-rate-limit", a[minter], "1500000", "17.36", account=board)
    run_next_operation(delay)
    _script(stablecoin.cli, "configure-minter", a[minter], "1500000", account=master_minter)
    _script(stablecoin.cli, "mint", a[alice], "1250000.50", account=minter)
    _script(stablecoin.cli, "mint", a[bob], "40000", account=minter)
    _script(stablecoin.cli, "freeze", a[bob], account=compliance)
    case = "KG-COURT-2026-0107"
    _script(stablecoin.cli, "seize", a[bob], a[minter], "15000", "--case", case, account=compliance)
    _script(stablecoin.cli, "burn", "15000", account=minter)
    _script(stablecoin.cli, "pause", account=pauser)
    _script(stablecoin.cli, "unpause", account=pauser)
    _script(stablecoin.cli, "status", "--holder", a[minter], sends=False)
    click.secho(
        "-- a tier limit change: proposed by the board, executed after the delay", bold=True
    )
    _script(cbdc.cli, "set-tier-limits", "0", "12000", "2000", "5000", account=board)
    run_next_operation(delay)
    _script(cbdc.cli, "issue", a[bank], "1000000", account=minter)
    _script(cbdc.cli, "register-wallet", a[alice], "--tier", "1", account=bank)
    _script(cbdc.cli, "register-wallet", a[payee], "--tier", "0", account=bank)
    _script(cbdc.cli, "pay", a[alice], "20000", account=bank)
    _script(cbdc.cli, "pay", a[payee], "14000", account=bank)  # 2,000 above tier 0's limit: swept
    _script(
        cbdc.cli, "pay", a[treasury], "1500", "--reference", "TAX-2026-INN0123456", account=alice
    )
    _script(cbdc.cli, "status", "--wallet", a[alice], "--wallet", a[payee], sends=False)
    # The shop: a test account no sanctions example lists (bob's address is listed).
    remittance(a, master_minter, bank, alice, attestor, payee)
    feed = project.MockAggregator.deploy(
        8, "BNB / USD", 600 * 10**8, sender=accounts.test_accounts[0]
    )
    click.secho(
        "-- listing BNB in the reserve: proposed by the board, executed after the delay", bold=True
    )
    _script(
        reserve.cli,
        "propose-add-asset",
        "BNB",
        feed.address,
        "10",
        "--salt",
        "list-bnb",
        account=board,
    )
    run_next_operation(delay)
    feed.setAnswer(600 * 10**8, sender=accounts.test_accounts[0])
    head = str(chain.blocks.head.timestamp)
    _script(
        stablecoin.cli,
        "attest-reserve",
        "2000000.00",
        "--report-hash",
        "0x" + "7a" * 32,
        "--as-of",
        head,
        account=attestor,
    )
    _script(reserve.cli, "deposit", "BNB", "25")
    _script(reserve.cli, "holdings", sends=False)
    safe_board(folder, delay, board, run_next_operation)


def remittance(a: list[str], master_minter: int, bank: int, exchange: int, shop: int, family: int):
    """A remittance through the conversion desk: KGST arrives from an exchange's wallet,
    the family converts it into digital som at par and pays a shop; a worker converts
    digital som back into KGST. The desk came with `deploy all`, its limits and allowances
    set by the board in the deployment; the master minter gives it its KGST allowance."""
    from scripts import cbdc, desk, stablecoin
    from somchain import manifest

    click.secho("-- a remittance: KGST in, digital som out, through the conversion desk", bold=True)
    address = manifest.address_of(chain.chain_id, "desk")
    _script(stablecoin.cli, "configure-minter", address, "100000", account=master_minter)
    kgst = project.NationalStablecoin.at(manifest.address_of(chain.chain_id, "stablecoin"))
    kgst.transfer(a[family], 500 * 10**18, sender=accounts.test_accounts[exchange])
    click.echo(f"the exchange {a[exchange]} sends 500 KGST to the family's address {a[family]}")
    _script(cbdc.cli, "set-tier", a[family], "1", account=bank)  # KYC done: verified
    _script(cbdc.cli, "register-wallet", a[shop], "--tier", "1", account=bank)
    _script(
        desk.cli, "convert", "500", "--to", "som", "--reference", "WU-7781-2026-12", account=family
    )
    _script(cbdc.cli, "pay", a[shop], "120.50", "--reference", "SHOP-INV-0042", account=family)
    _script(desk.cli, "convert", "1000", "--to", "kgst", account=exchange)
    _script(desk.cli, "status", sends=False)


def _offline(group: click.Group, *args: str) -> None:
    """Runs a command that needs no network (signing a Safe proposal), as on an
    air-gapped machine."""
    name = group.callback.__module__.rsplit(".", 1)[-1]
    click.secho(f"$ ape run {name} {' '.join(args)}", fg="cyan")
    try:
        group.main(list(args), prog_name=name, standalone_mode=False)
    except SystemExit as stop:
        if stop.code:
            raise click.ClickException(f"`{' '.join(args)}` failed (exit {stop.code})") from None


def safe_board(folder: Path, delay: int, board: int, run_next_operation) -> None:
    """A 2-of-3 Safe (v1.4.1, from npm) proposes a reserve feed change through the
    timelock: the command writes a proposal file, two owners sign it offline, anyone sends
    execTransaction (which schedules), and after the delay the operation applies it."""
    from scripts import deploy, safe, stablecoin
    from somchain import manifest
    from somchain.governance.timelock import govern

    a = [acct.address for acct in accounts.test_accounts]
    owners = (board, 8, 9)
    click.secho("-- the board as a 2-of-3 Safe multisig", bold=True)
    _script(deploy.cli, "safe", *sum((["--owner", a[o]] for o in owners), []), "--threshold", "2")
    data = manifest.load(chain.chain_id)
    address = data["safes"]["safe"]["address"]
    timelock = project.GovernanceTimelock.at(data["contracts"]["timelock"]["address"])
    roles = [timelock.PROPOSER_ROLE(), timelock.EXECUTOR_ROLE(), timelock.CANCELLER_ROLE()]
    calls = [(timelock, 0, bytes(timelock.grantRole.encode_input(r, address))) for r in roles]
    click.echo("the board makes the Safe a proposer, executor and canceller (timelocked)")
    govern(timelock, calls, accounts.test_accounts[board], salt=b"safe-board")
    feed = data["contracts"]["attestation"]["address"]
    proposal = str(Path(folder) / "reserve-feed.json")
    _script(
        stablecoin.cli,
        "set-reserve-feed",
        feed,
        "172800",
        "--safe",
        "safe",
        "--proposal-file",
        proposal,
    )
    for owner in owners[:2]:
        _offline(safe.cli, "sign", proposal, "--account", f"TEST::{owner}", "--yes")
    _script(safe.cli, "status", proposal, sends=False)
    _script(safe.cli, "execute", proposal, account=5)
    run_next_operation(delay)


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
    operator_scripts(REPORT / "deployments")
    from somchain import manifest

    manifest_file = manifest.manifest_path(chain.chain_id)
    click.echo(f"manifest: {manifest_file}")
    click.echo()
    click.secho("== Audit ==", bold=True)
    from scripts import audit

    root = Path(__file__).resolve().parent.parent
    index = REPORT / "index.sqlite"
    index.unlink(missing_ok=True)  # an index of the previous run's chain
    _script(
        audit.cli,
        "--manifest",
        str(manifest_file),
        "--index",
        str(index),
        "--sanctions",
        str(root / "examples/sanctions/sdn_digital_currency.csv"),
        "--out",
        str(REPORT),
        sends=False,
    )
    click.secho("demo complete", fg="green")
