"""The report in three forms: JSON for machines, Markdown and one self-contained HTML page
(charts inlined) for people."""

from __future__ import annotations

import base64
import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from somchain.audit.checks import (
    CbdcDetails,
    CheckResult,
    CoverageDetails,
    FrozenDetails,
    ReserveDetails,
    RolesDetails,
    SanctionsDetails,
    SupplyDetails,
)

JOURNAL_ROWS = 200  # rows of the journal shown in Markdown/HTML (JSON has all)
ICON = {"pass": "PASS", "fail": "FAIL", "skip": "skip"}


def _time(t: int | None) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%S") if t else "-"


def _short(value: Any) -> str:
    text = str(value)
    return text[:10] + "…" + text[-4:] if text.startswith("0x") and len(text) > 42 else text


def _of(results: list[CheckResult], kind: type) -> list[CheckResult]:
    """The results whose details are of `kind`, in the order the checks ran."""
    return [r for r in results if isinstance(r.details, kind)]


def write_json(report: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return path


def _table(head: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return out


def markdown(report: dict[str, Any], results: list[CheckResult]) -> str:
    m = report["meta"]
    lines = [
        f"# Audit report: chain {m['chain_id']}, block {m['block']:,}",
        "",
        f"Block time {_time(m['block_time'])} UTC; generated {m['generated_at']}; "
        f"index {m['index']['path']} (blocks {m['index']['from_block']:,}.."
        f"{m['index']['to_block']:,} stored, {m['confirmations']} confirmations, "
        f"{m['index']['tail_blocks']} newer blocks read live).",
        "",
        f"**Result: {'PASS' if report['passed'] else 'FAIL'}** "
        f"({sum(c['status'] == 'fail' for c in report['checks'])} failed, "
        f"{sum(c['status'] == 'skip' for c in report['checks'])} skipped, "
        f"{len(report['checks'])} checks)",
        "",
        "## Checks",
        "",
    ]
    lines += _table(
        ["check", "result", "summary"],
        [[c["id"], ICON[c["status"]], c["summary"]] for c in report["checks"]],
    )
    supplies = _of(results, SupplyDetails)
    for r in supplies:
        d = r.details
        lines += ["", f"## Supply: {d.symbol}", ""]
        lines += _table(
            ["totalSupply", "rebuilt", "minted", "burned", "transfers", "holders", "balances"],
            [
                [
                    d.total_supply,
                    d.rebuilt_supply,
                    d.minted,
                    d.burned,
                    d.transfers,
                    d.holders,
                    f"{d.balances_checked} ({d.balance_mode})",
                ]
            ],
        )
    for r in _of(results, CoverageDetails):
        d = r.details
        ratio = f"{d.ratio:.4f}" if d.ratio is not None else "-"
        lines += ["", "## Reserve coverage", ""]
        lines += _table(
            ["feed", "round", "as of", "age (s)", "max age (s)", "reserve", "supply", "ratio"],
            [
                [
                    d.feed,
                    d.round_id,
                    _time(d.as_of),
                    d.age_seconds,
                    d.max_age_seconds,
                    d.reserve,
                    d.supply,
                    ratio,
                ]
            ],
        )
    lines += ["", "## Roles", ""]
    for r in _of(results, RolesDetails):
        rows = [[r.key, role, ", ".join(accts)] for role, accts in r.details.holders.items()]
        rows += [
            [r.key, f"minter (allowance {a})", m] for m, a in (r.details.minters or {}).items()
        ]
        lines += _table(["contract", "role", "holders"], rows) + [""]
    lines += ["## Frozen accounts", ""]
    rows = [
        [r.key, f["account"], f["balance"]]
        for r in _of(results, FrozenDetails)
        for f in r.details.frozen
    ]
    lines += _table(["token", "account", "balance"], rows) if rows else ["None."]
    for r in _of(results, CbdcDetails):
        d = r.details
        lines += ["", "## Digital som by tier", ""]
        lines += _table(
            ["tier", "wallets", "balance", "holding limit"],
            [[t, v.wallets, v.balance, v.max_balance] for t, v in d.tiers.items()],
        )
        bt = d.batch_totals
        lines += [
            "",
            f"Batches: {d.batches}, payees {bt['recipients']}, paid "
            f"{bt['paid']}, swept {bt['swept']}, skipped {bt['skipped']} (smallest units).",
        ]
    for r in _of(results, ReserveDetails):
        d = r.details
        if d.holdings is None:
            continue
        lines += ["", "## National crypto reserve", ""]
        lines += _table(
            ["asset", "balance", "price (USD)", "value (USD)", "share", "max share"],
            [
                [
                    h.symbol,
                    f"{h.balance / 10**h.decimals:,.4f}",
                    f"{h.price / 1e8:,.2f}",
                    f"{h.value / 1e8:,.2f}",
                    f"{h.share_bps / 100:.2f}%",
                    f"{h.max_share_bps / 100:.2f}%" if h.max_share_bps else "-",
                ]
                for h in d.holdings
            ],
        )
        total = (d.total_value_usd8 or 0) / 1e8
        lines += ["", f"Total value ${total:,.2f}; within policy: {d.within_policy}."]
    lines += ["", "## Sanctions", ""]
    listed = [
        [r.key, x["account"], x["currency"], x["name"], x["balance"], x["frozen"]]
        for r in _of(results, SanctionsDetails)
        for x in r.details.listed
    ]
    lines += (
        _table(["token", "account", "list", "entry", "balance", "frozen"], listed)
        if listed
        else ["No holder is listed." if report["meta"]["sanctions"] else "No list given."]
    )
    journal = report["journal"]
    lines += [
        "",
        f"## Journal ({len(journal)} events; the last {min(len(journal), JOURNAL_ROWS)})",
        "",
    ]
    lines += _table(
        ["block", "time", "contract", "event", "actor", "tx", "details"],
        [
            [
                j["block"],
                _time(j["time"]),
                j["contract"],
                j["event"],
                j["actor"],
                _short(j["tx"]),
                ", ".join(f"{k}={_short(v)}" for k, v in j["args"].items()),
            ]
            for j in journal[-JOURNAL_ROWS:]
        ],
    )
    if report.get("charts"):
        lines += ["", "## Charts", ""] + [
            f"![{n}](charts/{Path(p).name})" for n, p in report["charts"].items()
        ]
    return "\n".join(lines) + "\n"


def _md_to_html(md: str) -> str:
    """The Markdown above as HTML: headings, paragraphs, tables, images, bold."""
    out, table = [], []

    def flush() -> None:
        if table:
            head, *body = table
            out.append("<table><tr>" + "".join(f"<th>{c}</th>" for c in head) + "</tr>")
            for row in body:
                out.append("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
            out.append("</table>")
            table.clear()

    for line in md.splitlines():
        if line.startswith("|"):
            cells = [
                html.escape(c.strip().replace("\\|", "|")) for c in line.strip("|").split(" | ")
            ]
            if not all(set(c) <= {"-"} for c in cells):
                cells = [
                    f'<b class="{c.lower()}">{c}</b>' if c in ("PASS", "FAIL") else c for c in cells
                ]
                table.append(cells)
            continue
        flush()
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{html.escape(line[level:].strip())}</h{level}>")
        elif line.startswith("!["):
            out.append(line)
        elif line.strip():
            text = html.escape(line)
            while "**" in text:
                text = text.replace("**", "<b>", 1).replace("**", "</b>", 1)
            out.append(f"<p>{text}</p>")
    flush()
    return "\n".join(out)


def write_html(report: dict[str, Any], md: str, path: Path, charts_dir: Path) -> Path:
    body = _md_to_html(md)
    for name in (report.get("charts") or {}).values():
        png = charts_dir / Path(name).name
        data = base64.b64encode(png.read_bytes()).decode()
        tag = f'<img alt="{png.stem}" src="data:image/png;base64,{data}">'
        body = body.replace(f"![{png.stem}](charts/{png.name})", tag)
    style = (
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}"
        "table{border-collapse:collapse;margin:.5em 0;font-size:90%}"
        "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;word-break:break-all}"
        ".pass{color:#080}.fail{color:#b00}img{max-width:100%}"
    )
    title = html.escape(md.splitlines()[0].lstrip("# "))
    path.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{style}</style></head><body>{body}</body></html>\n"
    )
    return path
