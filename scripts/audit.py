"""`ape run audit`: the supervisory audit report of the connected network's deployment.

Exit codes: 0 every check passed (or was skipped), 1 a check failed, 2 the audit could not
run (bad option, no manifest, RPC failure).
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from scripts._common import OperatorCommand
from somchain import manifest as manifests
from somchain.audit import run_audit
from somchain.audit.logs import RangePolicy
from somchain.audit.runner import Verify


@contextmanager
def indexing_progress():
    """A rich progress bar on stderr: blocks indexed, events per second and time left."""
    columns = (
        TextColumn("indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("blocks  {task.fields[logs]:,} events  {task.fields[rate]:,.0f} events/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:

        def progress(first: int, last: int):
            task = bar.add_task("index", total=last - first + 1, logs=0, rate=0.0)
            started = time.perf_counter()

            def advance(blocks: int, logs: int) -> None:
                done = bar.tasks[task].fields["logs"] + logs
                rate = done / max(time.perf_counter() - started, 1e-6)
                bar.update(task, advance=blocks, logs=done, rate=rate)

            return advance

        yield progress


class AuditCommand(OperatorCommand):
    """An unreachable or unset RPC is a one-line error; exit code 2: the audit did not run."""

    unreachable_exit_code = 2


@click.command(cls=AuditCommand)
@click.option("--block", type=int, default=None, help="Block to audit (default: latest).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: reports/audit/<chain_id>/<block>).",
)
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
    help="SQLite index file (default: reports/index/<chain_id>.sqlite).",
)
@click.option(
    "--db",
    "db_url",
    default=None,
    help="Index database URL instead of a SQLite file, e.g. postgresql://user@host/db.",
)
@click.option(
    "--sanctions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Sanctions list: OFAC SDN 'Digital Currency Address' entries or plain addresses.",
)
@click.option(
    "--confirmations",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Blocks below the head before a block is written to the index.",
)
@click.option(
    "--verify-all",
    is_flag=True,
    help="Read every account's balance on chain, not only those changed since the last audit.",
)
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    default=None,
    help="Read only N accounts' balances on chain, drawn at random (see --seed).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --sample.")
@click.option(
    "--rebuild",
    "rebuild_state",
    is_flag=True,
    help="Recompute every balance from the stored transfers instead of the running balances.",
)
@click.option(
    "--range",
    "max_range",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="Most blocks per eth_getLogs request (ranges start at one block, grow while their "
    "answers are small and shrink on large ones or on the node's limits).",
)
@click.option(
    "--max-logs",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Logs per eth_getLogs range, and per piece held in memory: a denser range makes "
    "the next one narrower.",
)
def cli(
    ecosystem,
    network,
    provider,
    block: int | None,
    out_dir: Path | None,
    manifest_file: Path | None,
    index_path: Path | None,
    db_url: str | None,
    sanctions: Path | None,
    confirmations: int,
    verify_all: bool,
    sample: int | None,
    seed: int,
    rebuild_state: bool,
    max_range: int,
    max_logs: int,
) -> None:
    """Indexes the deployment's events, reconciles them with the chain and writes the
    audit report (JSON, Markdown, HTML, charts); exits 1 when a check fails."""
    chain_id = provider.chain_id
    manifest = json.loads(manifest_file.read_text()) if manifest_file else manifests.load(chain_id)
    if not manifest.get("contracts"):
        where = manifest_file or manifests.manifest_path(chain_id)
        click.secho(f"no contracts in the manifest {where}", fg="red", err=True)
        sys.exit(2)
    target = block if block is not None else provider.web3.eth.block_number
    out = out_dir or manifests.ROOT / "reports" / "audit" / str(chain_id) / str(target)
    click.echo(
        f"auditing chain {chain_id} at block {target:,}: "
        + ", ".join(f"{k} {v['address']}" for k, v in manifest["contracts"].items())
    )
    if db_url and index_path:
        click.secho("give --index or --db, not both", fg="red", err=True)
        sys.exit(2)
    policy = RangePolicy(maximum=max_range, max_logs=max_logs)
    with indexing_progress() as progress:
        try:
            report = run_audit(
                manifest,
                out,
                block=target,
                sanctions=sanctions,
                confirmations=confirmations,
                index_path=db_url or index_path,
                verify=Verify(all=verify_all, sample=sample, seed=seed),
                policy=policy,
                progress=progress,
                rebuild_state=rebuild_state,
            )
        except Exception as exc:
            click.secho(f"audit could not run: {exc}", fg="red", err=True)
            sys.exit(2)
    for check in report["checks"]:
        colour = {"pass": "green", "fail": "red", "skip": "yellow"}[check["status"]]
        click.secho(f"{check['status'].upper():5} {check['id']:<22} {check['summary']}", fg=colour)
    click.echo(f"report: {out / 'report.html'} (also report.md, report.json, charts/)")
    if not report["passed"]:
        click.secho("audit FAILED", fg="red", bold=True)
        sys.exit(1)
    click.secho("audit passed", fg="green", bold=True)
