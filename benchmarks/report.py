"""The benchmarks' one report, built only from the JSON the benchmarks wrote.

Run: `python -m benchmarks.report [results folder]` (`make bench` runs it last). Reads
benchmarks/results/{stablecoin_gas,cbdc_gas,reserve_gas,desk_gas,payroll_scale,onboarding_scale,
audit_scale}.json,
whichever exist, and writes:

- benchmarks/results/bench.json: every figure of the tables, each with the id of the run
  that produced it, and those runs (machine, date, git commit, command, duration);
- benchmarks/results/bench.md: the same tables in Markdown, generated (never edit it);
- the README's block between `<!-- bench:begin -->` and `<!-- bench:end -->`: the machine
  and the key rows.

A benchmark re-run alone rewrites its own JSON; running the report again refreshes its
part of the tables and leaves the others as they were measured.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.provenance import arguments

RESULTS = Path(__file__).resolve().parent / "results"
README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
UNRECORDED = "unrecorded"
SOURCES = (
    "stablecoin_gas",
    "cbdc_gas",
    "reserve_gas",
    "desk_gas",
    "payroll_scale",
    "onboarding_scale",
    "audit_scale",
    "watch_scale",
)


class Figures:
    """The tables under construction and the runs they cite."""

    def __init__(self) -> None:
        self.runs: dict[str, dict[str, Any]] = {}
        self.tables: dict[str, list[dict[str, Any]]] = {
            "gas": [],
            "batch": [],
            "payroll": [],
            "onboarding": [],
            "audit": [],
            "watch": [],
            "stablecoin_vs_usdc": [],
        }
        self.missing: list[str] = []

    def cite(self, record: dict[str, Any] | None, note: str | None = None) -> str:
        if not record:
            self.runs.setdefault(UNRECORDED, {"id": UNRECORDED, "note": note})
            return UNRECORDED
        self.runs[record["id"]] = record
        return record["id"]


def _load(folder: Path, name: str) -> dict[str, Any] | None:
    path = folder / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _gas_row(
    contract: str,
    operation: str,
    ours: int,
    plain: int | None,
    plain_op: str | None,
    floor: int | None,
    run: str,
) -> dict[str, Any]:
    return {
        "contract": contract,
        "operation": operation,
        "gas": ours,
        "plain_oz": plain,
        "plain_oz_operation": plain_op,
        "floor": floor,
        "run": run,
    }


def _stablecoin(f: Figures, doc: dict[str, Any]) -> None:
    run = f.cite(doc["run"])
    for name, row in doc["results"]["operations"].items():
        plain_op = name if row.get("plain_oz") is not None else None
        f.tables["gas"].append(
            _gas_row(
                "KGST (proxy)", name, row["ours"], row["plain_oz"], plain_op, row.get("floor"), run
            )
        )
    _usdc(f, doc)


def _usdc(f: Figures, doc: dict[str, Any]) -> None:
    run = f.cite(doc["run"])
    for name, row in doc["results"]["operations"].items():
        f.tables["stablecoin_vs_usdc"].append(
            {
                "operation": name,
                "gas": row["ours"],
                "usdc_v2_2": row.get("usdc_v2_2"),
                "budget": row.get("budget"),
                "percent_of_usdc": row.get("percent_of_usdc"),
                "within_budget": row.get("within_budget"),
                "run": run,
            }
        )


def _cbdc(f: Figures, doc: dict[str, Any]) -> None:
    run = f.cite(doc["run"])
    r = doc["results"]
    plain = r["erc20_transfer"]
    limited = r["limited_transfer"]
    existing = "transfer to an existing holder"
    for operation, gas in (
        ("wallet transfer (daily window open)", limited["within_open_window_gas"]),
        ("wallet transfer (opens the daily window)", limited["first_in_window_gas"]),
        ("wallet transfer with waterfall sweep", limited["with_waterfall_sweep_gas"]),
    ):
        f.tables["gas"].append(
            _gas_row(
                "digital som (proxy)",
                operation,
                gas,
                plain["to_existing_holder_gas"],
                existing,
                limited["floor"],
                run,
            )
        )
    largest = max(r["disburse"], key=int)
    registration = r["disburse"][largest].get("registration")
    if registration:
        f.tables["gas"].append(
            _gas_row(
                "digital som (proxy)",
                f"registerWallets, per wallet ({registration['per_call']} per call)",
                registration["gas_per_wallet"],
                None,
                None,
                None,
                run,
            )
        )
    for size, cases in r["disburse"].items():
        baseline = r["airdrop_baseline"][size]
        for case in ("existing", "new"):
            # A new payee's storage is written when its wallet is registered (the kind and
            # tier live in its balance word): its first payment costs both.
            first = (
                registration["gas_per_wallet"] + cases[case]["gas_per_payee"]
                if registration and case == "new"
                else None
            )
            f.tables["batch"].append(
                {
                    "payees": int(size),
                    "case": case,
                    "airdrop_baseline_per_payee": baseline[case]["gas_per_payee"],
                    "disburse_per_payee": cases[case]["gas_per_payee"],
                    "registration_and_payment_per_payee": first,
                    "floor_per_payee": baseline[case]["floor_per_payee"],
                    "disburse_floor_per_payee": cases[case]["floor_per_payee"],
                    "run": run,
                }
            )


def _reserve(f: Figures, doc: dict[str, Any]) -> None:
    run = f.cite(doc["run"])
    for name, row in doc["results"]["operations"].items():
        contract = "GovernanceTimelock" if name.startswith("timelock") else "ReserveVault"
        operation = name.removeprefix("timelock ")
        f.tables["gas"].append(
            _gas_row(
                contract,
                operation,
                row["ours"],
                row["plain_oz"],
                row["plain_oz_operation"],
                None,
                run,
            )
        )


def _desk(f: Figures, doc: dict[str, Any]) -> None:
    run = f.cite(doc["run"])
    for name, row in doc["results"]["operations"].items():
        f.tables["gas"].append(_gas_row("ConversionDesk", name, row["ours"], None, None, None, run))


def _payroll(f: Figures, doc: dict[str, Any]) -> None:
    for size, row in doc["sizes"].items():
        f.tables["payroll"].append(
            {
                "payees": int(size),
                "wall_seconds": row["wall_seconds"],
                "payees_per_second": row["payees_per_second"],
                "gas_per_payee": row["gas_per_payee"],
                "transactions": row["transactions"],
                "run": f.cite(row.get("run")),
            }
        )


def _onboarding(f: Figures, doc: dict[str, Any]) -> None:
    for size, row in sorted(doc["sizes"].items(), key=lambda item: int(item[0])):
        f.tables["onboarding"].append(
            {
                "wallets": int(size),
                "wall_seconds": row["wall_seconds"],
                "wallets_per_second": row["wallets_per_second"],
                "gas_per_wallet": row["gas_per_wallet"],
                "transactions": row["transactions"],
                "run": f.cite(row.get("run")),
            }
        )


def _audit(f: Figures, doc: dict[str, Any]) -> None:
    for size, row in sorted(doc["runs"].items(), key=lambda item: int(item[0])):
        note = "measured before runs were recorded: no machine, date or commit on file"
        run = f.cite(row.get("run"), note)
        for engine in ("sqlite", "postgresql"):
            if engine not in row:
                continue
            e = row[engine]
            f.tables["audit"].append(
                {
                    "transfers": int(size),
                    "engine": engine,
                    "index_events_per_second": e["index"]["events_per_second"],
                    "plain_events_per_second": e["plain"]["events_per_second"],
                    "index_vs_plain": e["index_vs_plain"],
                    "full_audit_seconds": e["full_audit"]["audit_seconds"],
                    "full_audit_peak_mb": e["full_audit"]["peak_rss_mb"],
                    "incremental_audit_seconds": e["incremental_audit"]["audit_seconds"],
                    "incremental_audit_peak_mb": e["incremental_audit"]["peak_rss_mb"],
                    "run": run,
                }
            )


def _watch(f: Figures, doc: dict[str, Any]) -> None:
    for size, row in sorted(doc["sizes"].items(), key=lambda item: int(item[0])):
        run = f.cite(row.get("run"))
        catch_up, latency = row["catch_up"], row["latency"]
        f.tables["watch"].append(
            {
                "transfers": int(size),
                "catch_up_events_per_second": catch_up["events_per_second"],
                "catch_up_peak_mb": catch_up["peak_rss_mb"],
                "transactions_per_block": latency["transactions_per_block"],
                "alert_median_seconds": latency["median_seconds"],
                "alert_max_seconds": latency["max_seconds"],
                "run": run,
            }
        )


READERS = {
    "stablecoin_gas": _stablecoin,
    "cbdc_gas": _cbdc,
    "reserve_gas": _reserve,
    "desk_gas": _desk,
    "payroll_scale": _payroll,
    "onboarding_scale": _onboarding,
    "audit_scale": _audit,
    "watch_scale": _watch,
}


def collect(folder: Path = RESULTS) -> dict[str, Any]:
    """The combined document (bench.json) from the benchmark JSON files in `folder`."""
    f = Figures()
    for name in SOURCES:
        doc = _load(folder, name)
        if doc is None:
            f.missing.append(name)
            continue
        part = Figures()
        try:
            READERS[name](part, doc)
        except (KeyError, TypeError, AttributeError):
            f.missing.append(f"{name} (not in the current format: re-run it)")
            continue
        f.runs.update(part.runs)
        for table, rows in part.tables.items():
            f.tables[table] += rows
    return {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "generator": "python -m benchmarks.report",
        "sources": [f"benchmarks/results/{n}.json" for n in SOURCES if n not in f.missing],
        "missing": f.missing,
        "runs": f.runs,
        "tables": f.tables,
    }


# ---------------------------------------------------------------- Markdown


def _n(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def _table(header: Iterable[str], rows: Iterable[Iterable[Any]], align: str) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def machine_line(record: dict[str, Any]) -> str:
    m = record["machine"]
    return (
        f"{m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}, "
        f"{m['anvil'].replace('anvil Version:', 'anvil')}, Python {m['python']}"
    )


def _labels(bench: dict[str, Any]) -> dict[str, str]:
    """Short labels (R1, R2, ...) for the runs, in date order."""
    recorded = sorted(
        (r for r in bench["runs"].values() if r["id"] != UNRECORDED),
        key=lambda r: (r["started"], r["id"]),
    )
    labels = {r["id"]: f"R{i}" for i, r in enumerate(recorded, 1)}
    labels[UNRECORDED] = "unrecorded"
    return labels


def machines(bench: dict[str, Any]) -> list[str]:
    return sorted({machine_line(r) for r in bench["runs"].values() if r["id"] != UNRECORDED})


def dates(bench: dict[str, Any]) -> tuple[str, str] | None:
    days = sorted(r["started"][:10] for r in bench["runs"].values() if r["id"] != UNRECORDED)
    return (days[0], days[-1]) if days else None


def _when(bench: dict[str, Any]) -> str:
    span = dates(bench)
    if span is None:
        return "no recorded run"
    return span[0] if span[0] == span[1] else f"{span[0]} to {span[1]}"


def gas_lines(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[str]:
    return _table(
        ["contract", "operation", "gas", "plain OZ ERC20", "plain OZ operation", "floor", "run"],
        (
            [
                r["contract"],
                r["operation"],
                _n(r["gas"]),
                _n(r["plain_oz"]),
                r["plain_oz_operation"] or "-",
                _n(r["floor"]),
                labels[r["run"]],
            ]
            for r in rows
        ),
        ["---", "---", "---:", "---:", "---", "---:", "---"],
    )


def batch_lines(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[str]:
    return _table(
        [
            "payees",
            "payee",
            "airdrop baseline, gas per payee",
            "DigitalSom `disburse`",
            "registerWallets + `disburse`",
            "floor",
            "run",
        ],
        (
            [
                _n(r["payees"]),
                r["case"],
                _n(r["airdrop_baseline_per_payee"]),
                _n(r["disburse_per_payee"]),
                _n(r.get("registration_and_payment_per_payee")),
                _n(r["floor_per_payee"]),
                labels[r["run"]],
            ]
            for r in rows
        ),
        ["---:", "---", "---:", "---:", "---:", "---:", "---"],
    )


def payroll_lines(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[str]:
    return _table(
        ["payees", "wall time s", "payees/s", "gas per payee", "transactions", "run"],
        (
            [
                _n(r["payees"]),
                _n(r["wall_seconds"]),
                _n(r["payees_per_second"]),
                _n(r["gas_per_payee"]),
                _n(r["transactions"]),
                labels[r["run"]],
            ]
            for r in rows
        ),
        ["---:", "---:", "---:", "---:", "---:", "---"],
    )


def onboarding_lines(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[str]:
    return _table(
        ["wallets", "wall time s", "wallets/s", "gas per wallet", "transactions", "run"],
        (
            [
                _n(r["wallets"]),
                _n(r["wall_seconds"]),
                _n(r["wallets_per_second"]),
                _n(r["gas_per_wallet"]),
                _n(r["transactions"]),
                labels[r["run"]],
            ]
            for r in rows
        ),
        ["---:", "---:", "---:", "---:", "---:", "---"],
    )


def usdc_lines(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[str]:
    return _table(
        ["operation", "KGST (proxy)", "USDC v2.2 (reference)", "budget", "% of USDC", "run"],
        (
            [
                r["operation"],
                _n(r["gas"]),
                _n(r["usdc_v2_2"]),
                _n(r["budget"]) + ("" if r["within_budget"] in (True, None) else " (over)"),
                "-" if r["percent_of_usdc"] is None else f"{r['percent_of_usdc']}%",
                labels[r["run"]],
            ]
            for r in rows
        ),
        ["---", "---:", "---:", "---:", "---:", "---"],
    )


def audit_lines(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[str]:
    return _table(
        [
            "transfers",
            "engine",
            "index events/s",
            "plain pipeline events/s",
            "index / plain",
            "full audit s (peak MB)",
            "audit after +1% s (peak MB)",
            "run",
        ],
        (
            [
                _n(r["transfers"]),
                r["engine"],
                _n(r["index_events_per_second"]),
                _n(r["plain_events_per_second"]),
                _n(r["index_vs_plain"]),
                f"{_n(r['full_audit_seconds'])} ({r['full_audit_peak_mb']:.0f})",
                f"{_n(r['incremental_audit_seconds'])} ({r['incremental_audit_peak_mb']:.0f})",
                labels[r["run"]],
            ]
            for r in rows
        ),
        ["---:", "---", "---:", "---:", "---:", "---:", "---:", "---"],
    )


def watch_lines(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[str]:
    return _table(
        [
            "backlog transfers",
            "catch-up events/s",
            "peak MB",
            "tx per block",
            "alert after confirmation, median s",
            "max s",
            "run",
        ],
        (
            [
                _n(r["transfers"]),
                _n(r["catch_up_events_per_second"]),
                f"{r['catch_up_peak_mb']:.0f}",
                _n(r["transactions_per_block"]),
                _n(r["alert_median_seconds"]),
                _n(r["alert_max_seconds"]),
                labels[r["run"]],
            ]
            for r in rows
        ),
        ["---:", "---:", "---:", "---:", "---:", "---:", "---"],
    )


def runs_lines(bench: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """One row per run, by date; a machine column only when the runs span several."""
    several = len(machines(bench)) > 1
    rows = []
    ordered = sorted(
        bench["runs"].values(), key=lambda r: (r["id"] != UNRECORDED, r.get("started", ""))
    )
    for r in ordered:
        if r["id"] == UNRECORDED:
            row = ["unrecorded", "-", "-", r.get("note") or "not recorded", "-"]
        else:
            commit = r["commit"][:10] + (" (uncommitted changes)" if r.get("dirty") else "")
            started = r["started"].replace("+00:00", "Z")
            row = [labels[r["id"]], started, commit, f"`{r['command']}`", f"{r['seconds']:,.1f}"]
        if several:
            row.append(machine_line(r) if r["id"] != UNRECORDED else "-")
        rows.append(row)
    header = ["run", "started (UTC)", "commit", "command", "s"]
    align = ["---", "---", "---", "---", "---:"]
    if several:
        header, align = header + ["machine"], align + ["---"]
    return _table(header, rows, align)


def markdown(bench: dict[str, Any]) -> str:
    """bench.md: every table, then the runs they cite."""
    labels = _labels(bench)
    t = bench["tables"]
    out = [
        "<!-- Generated by `python -m benchmarks.report` from benchmarks/results/*.json. "
        "Do not edit: re-run the benchmark, then the report. -->",
        "# Benchmarks",
        "",
        f"Measured {_when(bench)} on: " + "; ".join(machines(bench) or ["-"]) + ".",
        "The machine may have been shared with other work: wall times are noisy, gas is not.",
        "Method and the floor: docs/gas.md. Each figure names its run (last table).",
    ]
    if bench["missing"]:
        out.append(f"Not measured (no JSON): {', '.join(bench['missing'])}.")
    sections = [
        ("Gas per transaction", gas_lines(t["gas"], labels)),
        (
            "KGST against USDC v2.2 (USDC: reference figures measured once side by side, "
            "not in these runs; budgets: docs/gas.md)",
            usdc_lines(t["stablecoin_vs_usdc"], labels),
        ),
        (
            "Paying many accounts in one transaction (gas per payee)",
            batch_lines(t["batch"], labels),
        ),
        ("Payroll on a local anvil", payroll_lines(t["payroll"], labels)),
        (
            "Onboarding wallets from a file on a local anvil",
            onboarding_lines(t["onboarding"], labels),
        ),
        ("Audit indexing and reconciliation", audit_lines(t["audit"], labels)),
        ("The watcher: backlog catch-up and alert latency", watch_lines(t["watch"], labels)),
        ("Runs", runs_lines(bench, labels)),
    ]
    for title, lines in sections:
        out += ["", f"## {title}", "", *lines]
    return "\n".join(out) + "\n"


KEY_GAS = (
    ("KGST (proxy)", "transfer to an existing holder"),
    ("KGST (proxy)", "mint to an existing holder"),
    ("digital som (proxy)", "registerWallets, per wallet (250 per call)"),
    ("digital som (proxy)", "wallet transfer (daily window open)"),
    ("ReserveVault", "deposit (BEP-20 the vault holds)"),
    ("GovernanceTimelock", "execute (reserve withdraw, BEP-20)"),
    ("ConversionDesk", "convertToSom (after an approval)"),
    ("ConversionDesk", "convertToKgst (after an approval)"),
    ("ConversionDesk", "convertToSomWithAuthorization (relayed)"),
)


def readme_block(bench: dict[str, Any]) -> str:
    """The README's key rows: a few gas figures, the batch at every size, payroll, audit
    and the watcher; the whole set is in benchmarks/results/bench.md."""
    labels = _labels(bench)
    t = bench["tables"]
    gas = [r for key in KEY_GAS for r in t["gas"] if (r["contract"], r["operation"]) == key]
    batch = t["batch"]
    lines = [
        BEGIN,
        "<!-- Generated by `python -m benchmarks.report`; do not edit. -->",
        f"Measured {_when(bench)} on " + "; ".join(machines(bench) or ["-"]) + " (shared: "
        "wall times are noisy). All figures, and the run of each: "
        "[benchmarks/results/bench.md](benchmarks/results/bench.md).",
        "",
        "Gas per transaction:",
        "",
        *gas_lines(gas, labels),
        "",
        "Paying many accounts in one transaction, gas per payee (the baseline: one "
        "`transferFrom`, then a plain `transfer` each, over a plain OZ ERC20). A digital-som "
        "wallet's storage is written when it is registered, not when it is first paid: the "
        "fair comparison with the airdrop's new recipient is registration plus first payment.",
        "",
        *batch_lines(batch, labels),
        "",
        "Payroll from a file (`run_payroll`, new wallets, local anvil):",
        "",
        *payroll_lines(t["payroll"], labels),
        "",
        "Onboarding wallets from a file (`register-wallet --csv`, default chunk gas, local anvil):",
        "",
        *onboarding_lines(t["onboarding"], labels),
        "",
        "Audit, one transfer per transaction over N/10 holders:",
        "",
        *readme_audit_lines(t["audit"], labels),
        "",
        "The watcher (`ape run watch`): catching up a backlog of transfers with every rule on, "
        "and the delay from a block's confirmation to its alert at a webhook:",
        "",
        *watch_lines(t["watch"], labels),
        END,
    ]
    return "\n".join(lines)


def readme_audit_lines(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[str]:
    """The audit table with one row per size, SQLite / PostgreSQL side by side."""
    sizes: dict[int, dict[str, dict[str, Any]]] = {}
    for r in rows:
        sizes.setdefault(r["transfers"], {})[r["engine"]] = r

    def both(size: dict[str, dict[str, Any]], cell: Any) -> str:
        return " / ".join(cell(size[e]) for e in ("sqlite", "postgresql") if e in size)

    return _table(
        [
            "transfers",
            "engines",
            "index events/s",
            "index / plain",
            "full audit s (peak MB)",
            "audit after +1% s",
            "run",
        ],
        (
            [
                _n(n),
                both(size, lambda r: "SQLite" if r["engine"] == "sqlite" else "PostgreSQL"),
                both(size, lambda r: _n(r["index_events_per_second"])),
                both(size, lambda r: _n(r["index_vs_plain"])),
                both(
                    size, lambda r: f"{_n(r['full_audit_seconds'])} ({r['full_audit_peak_mb']:.0f})"
                ),
                both(size, lambda r: _n(r["incremental_audit_seconds"])),
                both(size, lambda r: labels[r["run"]])
                if len({labels[r["run"]] for r in size.values()}) > 1
                else labels[next(iter(size.values()))["run"]],
            ]
            for n, size in sorted(sizes.items())
        ),
        ["---:", "---", "---:", "---:", "---:", "---:", "---"],
    )


def replace_block(text: str, block: str) -> str:
    """`text` with its bench block replaced by `block`; unchanged if it has no block."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        return text
    return text[:start] + block + text[end + len(END) :]


def main(folder: Path = RESULTS, readme: Path | None = README) -> dict[str, Any]:
    bench = collect(folder)
    (folder / "bench.json").write_text(json.dumps(bench, indent=2) + "\n")
    (folder / "bench.md").write_text(markdown(bench))
    if readme is not None and readme.exists():
        readme.write_text(replace_block(readme.read_text(), readme_block(bench)))
    print(f"wrote {folder / 'bench.json'} and {folder / 'bench.md'}")
    if bench["missing"]:
        print(f"no results yet for: {', '.join(bench['missing'])}")
    return bench


if __name__ == "__main__":
    main(arguments(__doc__, folder=RESULTS).folder)
