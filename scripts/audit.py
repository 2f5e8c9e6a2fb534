"""`ape run audit`: the supervisory audit report of the connected network's deployment.

Exit codes: 0 every check passed (or was skipped), 1 a check failed, 2 the audit could not
run (bad option, no manifest, RPC failure).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from ape.cli import ConnectedProviderCommand

from somchain import manifest as manifests
from somchain.audit import run_audit
from somchain.audit.logs import RangePolicy
from somchain.audit.onchain import DEFAULT_MAX_BALANCE_READS


@click.command(cls=ConnectedProviderCommand)
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
    help="Deployment manifest (default: deployments/<chain_id>.json; local/ for local chains).",
)
@click.option(
    "--index",
    "index_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite index (default: reports/index/<chain_id>.sqlite).",
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
    "--max-balance-reads",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BALANCE_READS,
    show_default=True,
    help="balanceOf reads per token; above it the holders are sampled.",
)
@click.option(
    "--range",
    "initial_range",
    type=click.IntRange(min=1),
    default=5_000,
    show_default=True,
    help="First eth_getLogs block range (shrinks and grows with the node's answers).",
)
def cli(
    ecosystem,
    network,
    provider,
    block: int | None,
    out_dir: Path | None,
    manifest_file: Path | None,
    index_path: Path | None,
    sanctions: Path | None,
    confirmations: int,
    max_balance_reads: int,
    initial_range: int,
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
    bars = []

    def progress(first: int, last: int):
        bar = click.progressbar(length=last - first + 1, label="indexing blocks", file=sys.stderr)
        bar.__enter__()
        bars.append(bar)
        return bar.update

    try:
        report = run_audit(
            manifest,
            out,
            block=target,
            sanctions=sanctions,
            confirmations=confirmations,
            index_path=index_path,
            max_balance_reads=max_balance_reads,
            policy=RangePolicy(initial=initial_range),
            progress=progress,
        )
    except Exception as exc:
        click.secho(f"audit could not run: {exc}", fg="red", err=True)
        sys.exit(2)
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    for check in report["checks"]:
        colour = {"pass": "green", "fail": "red", "skip": "yellow"}[check["status"]]
        click.secho(f"{check['status'].upper():5} {check['id']:<22} {check['summary']}", fg=colour)
    click.echo(f"report: {out / 'report.html'} (also report.md, report.json, charts/)")
    if not report["passed"]:
        click.secho("audit FAILED", fg="red", bold=True)
        sys.exit(1)
    click.secho("audit passed", fg="green", bold=True)
