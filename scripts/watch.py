"""`ape run watch`: the live monitor of the connected network's deployment.

Follows every contract of the manifest and its Safes, `confirmations` blocks behind the
head, and prints each alert as one JSON line on stdout (and to the file, webhooks and
email of `--config watch.yaml`); status lines go to stderr. `--once` processes up to the
head, delivers what it can and exits; without it the watcher runs until interrupted.
Exit code 2 on bad input (config, manifest, breaker key), nothing sent.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from pathlib import Path

import click
from ape.cli import AccountAliasPromptChoice

from scripts._common import OperatorCommand
from somchain import manifest as manifests
from somchain.audit.runner import DEFAULT_INDEX_DIR
from somchain.compliance.sanctions import load as load_sanctions
from somchain.errors import InputError
from somchain.network import unlock
from somchain.watch import Breaker, Metrics, Store, Watcher, load


class WatchCommand(OperatorCommand):
    unreachable_exit_code = 2


def _error(message: str) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(InputError.exit_code)


def _network_choice(provider, ecosystem, network) -> str:
    """The --network an operator passes to reach this node (`bsc:testnet:node`)."""
    try:
        return str(provider.network_choice)
    except Exception:
        return f"{ecosystem.name}:{network.name}"


def _breaker(provider, account, manifest: dict) -> Breaker:
    """Sends `pause()` from `account` to a token of the manifest, by its project ABI."""
    from ape import project

    unlock(account)
    types = {e["address"].lower(): e["contract"] for e in manifest["contracts"].values()}

    def send(token: str) -> str:
        contract = getattr(project, types[token.lower()]).at(token)
        return str(contract.pause(sender=account).txn_hash)

    return Breaker(provider.web3, account.address, send)


@click.command(cls=WatchCommand)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="watch.yaml: rules, thresholds, delivery (default: every rule, JSON lines on stdout).",
)
@click.option("--once", is_flag=True, help="Process up to the head, deliver, and exit.")
@click.option(
    "--manifest",
    "manifest_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Deployment manifest (default: the chain's deployments/<chain id>-<genesis>.json).",
)
@click.option(
    "--index",
    "index_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite store of the checkpoint and outbox (default: the audit's, "
    "reports/index/<chain_id>.sqlite).",
)
@click.option("--db", "db_url", default=None, help="Store URL instead, e.g. postgresql://...")
@click.option(
    "--confirmations",
    type=click.IntRange(min=0),
    default=None,
    help="Blocks below the head before a block is processed (default: watch.yaml's, 2).",
)
@click.option("--start-block", type=click.IntRange(min=0), default=None, help="First block.")
@click.option(
    "--sanctions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Sanctions list (OFAC SDN entries or plain addresses) for the sanctions rule.",
)
@click.option(
    "--pauser",
    type=AccountAliasPromptChoice(),
    default=None,
    help="The circuit breaker's ape account: it must hold PAUSER_ROLE and no other role.",
)
@click.option(
    "--metrics-port",
    type=click.IntRange(min=0, max=65535),
    default=None,
    help="Serve /metrics (Prometheus) and /health on this port.",
)
@click.option("--metrics-host", default="127.0.0.1", show_default=True)
def cli(
    ecosystem,
    network,
    provider,
    config_file,
    once,
    manifest_file,
    index_path,
    db_url,
    confirmations,
    start_block,
    sanctions,
    pauser,
    metrics_port,
    metrics_host,
):
    """Watches the deployment and raises alerts (see docs/watch.md)."""
    chain_id = provider.chain_id
    try:
        config = load(config_file)
        if db_url and index_path:
            raise InputError("give --index or --db, not both")
        manifest = (
            json.loads(manifest_file.read_text()) if manifest_file else manifests.load(chain_id)
        )
        if not manifest.get("contracts"):
            raise InputError(
                f"no contracts in the manifest {manifest_file or manifests.manifest_path(chain_id)}"
            )
        if confirmations is not None:
            config.confirmations = confirmations
        if start_block is not None:
            config.start_block = start_block
        if config.governance.network is None:
            config.governance.network = _network_choice(provider, ecosystem, network)
        listed = sanctions or config.rules.sanctions.list
        sanctioned = load_sanctions(listed).entries if listed else None
        store = Store(db_url or index_path or DEFAULT_INDEX_DIR / f"{chain_id}.sqlite")
        breaker = _breaker(provider, pauser, manifest) if pauser is not None else None
        metrics = Metrics(config.max_lag_seconds)
        watcher = Watcher(
            provider.web3,
            manifest,
            config,
            store,
            sanctioned=sanctioned,
            breaker=breaker,
            metrics=metrics,
        )
    except InputError as err:
        _error(str(err))
    if metrics_port is not None:
        server = metrics.serve(metrics_host, metrics_port)
        click.echo(
            f"metrics on http://{metrics_host}:{server.server_address[1]}/metrics (and /health)",
            err=True,
        )
    click.echo(
        f"watching chain {chain_id} from block {watcher.start:,}, {config.confirmations} "
        f"confirmation(s): {', '.join(watcher.addresses)}; store {store.location}",
        err=True,
    )
    if once:
        result = watcher.step()
        click.echo(
            f"processed blocks up to {result.to_block:,}: {result.logs:,} events, "
            f"{result.alerts} alert(s), {result.delivered} delivered, {result.failed} failed",
            err=True,
        )
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        watcher.run(stop, echo=lambda line: click.echo(line, err=True))
    click.echo("watch stopped", err=True)
