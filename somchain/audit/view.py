"""One formatted view of an audit's results, read by both report templates (HTML and
Markdown): amounts in token units with thousands separators and the symbol, "no limit"
for unlimited values, times in UTC, short addresses with the full one kept for a tooltip.
Built from the checks' typed details, never by looking results up by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from somchain import display
from somchain.audit import parts
from somchain.audit.checks import (
    FAIL,
    PASS,
    SKIP,
    CbdcDetails,
    CheckResult,
    CodeDetails,
    CoverageDetails,
    FrozenDetails,
    JournalDetails,
    ReserveDetails,
    RolesDetails,
    SanctionsDetails,
    SupplyDetails,
)
from somchain.constants import FIAT, FIAT_CODE, NATIVE_SYMBOL

UNLIMITED = display.UNLIMITED
JOURNAL_ROWS = 200


# What each check means, in one sentence, for the supervisor reading the report.
MEANING = {
    "supply": "The token's total supply equals every holder's balance rebuilt from its "
    "transfers and equals everything minted less everything burned; each verified "
    "holder's balance equals the chain's.",
    "coverage": "The latest attested reserve covers the stablecoin's supply and is no "
    "older than the token allows.",
    "journal": "Every mint, burn, issue, redemption and seizure moved exactly the tokens it "
    "announced, and every administrative action has a known sender.",
    "roles": "Who holds each administrative role, rebuilt from the role events, is what the "
    "contract itself answers; minters and their remaining allowances agree.",
    "frozen": "The frozen accounts and the pause state rebuilt from the events are those the "
    "contract enforces.",
    "code": "The code running at the audited address is the reviewed build (up to metadata "
    "and immutables), behind the proxy the manifest records.",
    "cbdc": "Every digital som wallet is registered in its tier, holds no more than the "
    "tier allows, and every payroll batch is marked paid.",
    "reserve": "The national crypto reserve's holdings are priced with fresh prices, add up "
    "to its total value, and stay within the policy's share caps.",
    "sanctions": "No address on the sanctions list holds tokens without being frozen.",
    "minting": "The MintController alone configures minters, within the mint budget the "
    "board granted; every minter has a rate limit and no account is both master minter "
    "and minter.",
    "governance": "The governance timelock alone administers and upgrades every contract, "
    "no deploying account kept a role, no one both attests the reserve and mints, no "
    "minter holds compliance powers, and the timelock's delay is the one configured.",
}


def units(value: int | None, decimals: int, places: int | None = None) -> str:
    """`value` smallest units as token units with thousands separators (truncated to
    `places`, default min(decimals, 2)); "no limit" for unlimited values."""
    return display.amount(value, decimals, places=min(decimals, 2) if places is None else places)


@dataclass
class Amount:
    """An amount as shown (`text`) with its exact smallest-unit value (`raw`)."""

    raw: int | None
    text: str
    exact: str  # every decimal, for the tooltip

    @classmethod
    def of(cls, value: int | None, decimals: int, symbol: str = "") -> Amount:
        shown = units(value, decimals)
        if symbol and shown not in ("-", "no limit"):
            shown += f" {symbol}"
        exact = units(value, decimals, decimals) if value is not None else "-"
        return cls(value, shown, exact)


@dataclass
class Addr:
    full: str
    short: str
    label: str = ""

    @classmethod
    def of(cls, address: str | None, labels: dict[str, str] | None = None) -> Addr:
        if not address:
            return cls("", "-")
        full = address
        short = full[:6] + "…" + full[-4:] if len(full) > 12 else full
        return cls(full, short, (labels or {}).get(full.lower(), ""))


@dataclass
class Figure:
    name: str
    value: str
    raw: str = ""  # exact value (smallest units or ratio) for machines and tests
    note: str = ""


@dataclass
class CheckRow:
    id: str
    title: str
    status: str
    meaning: str
    summary: str


@dataclass
class Table:
    title: str
    head: list[str]
    rows: list[list[Any]]  # cells: str, Amount or Addr
    note: str = ""


@dataclass
class ReportView:
    title: str
    passed: bool
    verdict: str
    failing: list[tuple[str, str]]  # id, title of each failed check
    counts: dict[str, int]
    audited: list[tuple[str, str]]
    contracts: list[tuple[str, str, Addr]]
    figures: list[Figure]
    charts: list[tuple[str, str, str]]  # name, caption, src (file or data URI)
    checks: list[CheckRow]
    tables: list[Table]
    journal: list[dict[str, Any]]
    journal_total: int
    notes: list[str] = field(default_factory=list)


def _of(results: list[CheckResult], kind: type) -> list[CheckResult]:
    return [r for r in results if isinstance(r.details, kind)]


CAPTIONS = {
    "supply_reserve": "Stablecoin supply and attested reserve over time, with the coverage "
    "ratio (100% line: fully backed)",
    "reserve_composition": "Reserve composition",
    "cbdc_tiers": "Digital som held per wallet tier",
}


def build(report: dict[str, Any], results: list[CheckResult], charts: dict[str, str]) -> ReportView:
    """The view of `report` (report.json's content) and the checks' typed results;
    `charts` maps a chart's name to the src the page shows it with."""
    m = report["meta"]
    contracts = m["contracts"]
    labels = {a.lower(): k for k, a in contracts.items()}
    counts = {s: sum(r.status == s for r in results) for s in (PASS, FAIL, SKIP)}
    passed = report["passed"]
    failing = [(r.id, r.title) for r in results if r.status == FAIL]
    verdict = (
        f"PASS: every check passed ({counts[PASS]} passed, {counts[SKIP]} skipped)"
        if passed
        else f"FAIL: {counts[FAIL]} of {len(results)} checks failed: "
        + ", ".join(f"{title} ({cid})" for cid, title in failing)
    )
    network = m.get("network") or f"chain id {m['chain_id']}"
    generated = datetime.fromisoformat(m["generated_at"]).astimezone(UTC)
    verification = m.get("verification", {})
    mode = {
        "sample": f"a sample of {verification.get('sample')} accounts (seed "
        f"{verification.get('seed')})",
        "all": "every account",
        "new": "every account whose balance changed since the last clean audit (every "
        "account on a first audit)",
    }.get(verification.get("mode"), "-")
    audited = [
        ("Network", network if not m.get("network") else f"{network} (chain id {m['chain_id']})"),
        ("Institution", m.get("institution") or "not stated in the manifest"),
        ("Block", f"{m['block']:,} ({display.utc(m['block_time'])})"),
        ("Deployed from commit", m.get("deployed_commit") or "not recorded in the manifest"),
        ("Audit tool commit", m.get("audit_commit") or "unknown"),
        ("Report generated", generated.strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("Balances read on chain", mode),
        ("Sanctions list", m.get("sanctions") or "none given"),
    ]
    names = {p.key: p.contract for p in parts.PARTS}
    contract_rows = [(k, names.get(k, k), Addr.of(a)) for k, a in contracts.items()]

    figures: list[Figure] = []
    supplies = _of(results, SupplyDetails)
    for r in supplies:
        d = r.details
        figures.append(
            Figure(
                f"Supply of {d.symbol}",
                Amount.of(d.total_supply, d.decimals, d.symbol).text,
                str(d.total_supply),
                display.count(d.holders, "holder"),
            )
        )
    for r in _of(results, CoverageDetails):
        d = r.details
        no_attestation = not d.as_of
        figures.append(
            Figure(
                f"Attested reserve ({FIAT}, {FIAT_CODE})",
                "no attestation posted yet"
                if no_attestation
                else Amount.of(d.reserve, d.decimals, FIAT).text,
                str(d.reserve),
                "" if no_attestation else f"fiat, as of {display.utc(d.as_of)}",
            )
        )
        figures.append(
            Figure(
                "Coverage",
                display.coverage(d.reserve, d.supply) if d.as_of else "-",
                f"{d.ratio!r}" if d.ratio is not None else "",
                "reserve / supply",
            )
        )
    for r in _of(results, ReserveDetails):
        if r.details.total_value_usd8 is not None:
            figures.append(
                Figure(
                    "Crypto reserve value",
                    f"${units(r.details.total_value_usd8, 8)}",
                    str(r.details.total_value_usd8),
                )
            )
    for r in _of(results, FrozenDetails):
        d = r.details
        frozen_total = sum(f["balance"] or 0 for f in d.frozen)
        figures.append(
            Figure(
                f"Frozen {d.symbol}",
                Amount.of(frozen_total, d.decimals, d.symbol).text,
                str(frozen_total),
                display.count(len(d.frozen), "account"),
            )
        )
    hits = [x for r in _of(results, SanctionsDetails) for x in r.details.listed]
    figures.append(
        Figure(
            "Sanctions hits",
            f"{len(hits)}" if m.get("sanctions") else "no list given",
            str(len(hits)),
            f"{sum(x['failure'] for x in hits)} holding and not frozen" if hits else "",
        )
    )

    checks = [
        CheckRow(r.id, r.title, r.status, MEANING.get(r.id.split(".")[0], ""), r.summary)
        for r in results
    ]
    tables = _tables(results, labels)
    scales = _scales(results)
    journal = [_journal_row(j, labels, scales) for j in report["journal"][-JOURNAL_ROWS:]]
    chart_rows = [(n, CAPTIONS.get(n, n), src) for n, src in charts.items()]
    return ReportView(
        title=f"Audit report: {network}, block {m['block']:,}",
        passed=passed,
        verdict=verdict,
        failing=failing,
        counts=counts,
        audited=audited,
        contracts=contract_rows,
        figures=figures,
        charts=chart_rows,
        checks=checks,
        tables=tables,
        journal=journal,
        journal_total=len(report["journal"]),
    )


def _scales(results: list[CheckResult]) -> dict[str, tuple[str, int]]:
    """Symbol and decimals by journal contract key (the tokens, the attestation's fiat) and
    by lower-case asset address (the reserve's holdings)."""
    scales: dict[str, tuple[str, int]] = {}
    for r in _of(results, SupplyDetails):
        scales[r.id.split(".", 1)[-1]] = (r.details.symbol, r.details.decimals)
    for r in _of(results, CoverageDetails):
        scales["attestation"] = (FIAT, r.details.feed_decimals)
    for r in _of(results, ReserveDetails):
        for h in r.details.holdings or []:
            scales[h.asset.lower()] = (h.symbol, h.decimals)
    return scales


def _bytes32(value: str) -> Any:
    """A 32-byte reference as its text when it is text (a case or payment reference),
    else shortened hex with the full value in the tooltip."""
    try:
        raw = bytes.fromhex(value[2:]).rstrip(b"\x00")
    except ValueError:
        return Addr.of(value)
    if raw and all(32 <= c < 127 for c in raw):
        return raw.decode()
    return Addr.of(value)


def _journal_arg(
    name: str,
    value: Any,
    contract: str,
    args: dict[str, Any],
    scales: dict[str, tuple[str, int]],
    labels: dict[str, str],
) -> Any:
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return Addr.of(value, labels)
    if isinstance(value, str) and value.startswith("0x") and len(value) == 66:
        return _bytes32(value)
    if isinstance(value, str) and value.startswith("0x"):
        return Addr.of(value)
    if not isinstance(value, int) or isinstance(value, bool):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if name in display.TIMES:
        return display.utc(value)
    if name in display.DURATIONS:
        return f"{display.duration(value)} ({value:,} s)"
    scale = None
    if contract == "timelock" and name == "value":
        scale = (NATIVE_SYMBOL, 18)
    elif contract == "attestation" and name in display.FIAT_AMOUNTS:
        scale = scales.get("attestation")
    elif name in display.TOKEN_AMOUNTS:
        asset = str(args.get("asset") or args.get("token") or "").lower()
        scale = scales.get(asset) if contract == "reserve" else scales.get(contract)
    if scale is None:
        return f"{value:,}"
    symbol, decimals = scale
    return Amount.of(value, decimals, symbol)


def _journal_row(
    j: dict[str, Any], labels: dict[str, str], scales: dict[str, tuple[str, int]]
) -> dict[str, Any]:
    contract = j["contract"]
    details = [
        (k, _journal_arg(k, v, contract, j["args"], scales, labels)) for k, v in j["args"].items()
    ]
    return {
        "block": f"{j['block']:,}",
        "time": display.utc(j["time"]),
        "contract": contract,
        "event": j["event"],
        "actor": Addr.of(j["actor"], labels),
        "tx": Addr.of(j["tx"]),
        "details": details,
    }


def _tables(results: list[CheckResult], labels: dict[str, str]) -> list[Table]:
    tables = []
    for r in _of(results, SupplyDetails):
        d = r.details
        amount = lambda v, d=d: Amount.of(v, d.decimals, d.symbol)  # noqa: E731
        tables.append(
            Table(
                f"Supply: {d.symbol}",
                ["totalSupply", "rebuilt", "minted", "burned", "transfers", "holders", "read"],
                [
                    [
                        amount(d.total_supply),
                        amount(d.rebuilt_supply),
                        amount(d.minted),
                        amount(d.burned),
                        f"{d.transfers:,}",
                        f"{d.holders:,}",
                        f"{d.balances_checked:,} ({d.balance_mode})",
                    ]
                ],
            )
        )
    for r in _of(results, CoverageDetails):
        d = r.details
        age = (
            "no attestation posted yet"
            if not d.as_of
            else f"{d.age_seconds:,} s (max {d.max_age_seconds:,} s)"
        )
        tables.append(
            Table(
                "Reserve coverage",
                ["feed", "round", "as of", "age", "reserve", "supply", "coverage"],
                [
                    [
                        Addr.of(d.feed, labels),
                        f"{d.round_id:,}",
                        display.utc(d.as_of),
                        age,
                        Amount.of(d.reserve, d.decimals, d.symbol),
                        Amount.of(d.supply, d.decimals, d.symbol),
                        display.coverage(d.reserve, d.supply) if d.as_of else "-",
                    ]
                ],
            )
        )
    rows = []
    for r in _of(results, RolesDetails):
        for role, accounts in r.details.holders.items():
            for a in accounts:
                rows.append([r.key, role, Addr.of(a, labels)])
        for minter, allowance in (r.details.minters or {}).items():
            rows.append([r.key, f"minter, allowance {units(allowance, 18)}", Addr.of(minter)])
    tables.append(Table("Roles", ["contract", "role", "holder"], rows))
    rows = [
        [
            r.key,
            Addr.of(f["account"], labels),
            Amount.of(f["balance"], r.details.decimals, r.details.symbol),
        ]
        for r in _of(results, FrozenDetails)
        for f in r.details.frozen
    ]
    tables.append(
        Table("Frozen accounts", ["token", "account", "balance"], rows, "" if rows else "None.")
    )
    for r in _of(results, CbdcDetails):
        d = r.details
        tables.append(
            Table(
                "Digital som by tier",
                ["tier", "wallets", "balance", "holding limit"],
                [
                    [
                        t,
                        f"{v.wallets:,}",
                        Amount.of(v.balance, d.decimals, d.symbol),
                        Amount.of(v.max_balance, d.decimals, d.symbol),
                    ]
                    for t, v in d.tiers.items()
                ],
                f"{d.batches} payroll batches to {d.batch_totals['recipients']:,} payees; paid "
                f"{units(d.batch_totals['paid'], d.decimals)}, swept "
                f"{units(d.batch_totals['swept'], d.decimals)}, skipped "
                f"{units(d.batch_totals['skipped'], d.decimals)} {d.symbol}.",
            )
        )
    for r in _of(results, ReserveDetails):
        d = r.details
        if d.holdings is None:
            continue
        tables.append(
            Table(
                "National crypto reserve",
                ["asset", "balance", "price (USD)", "value (USD)", "share", "max share"],
                [
                    [
                        h.symbol,
                        units(h.balance, h.decimals, 4),
                        units(h.price, 8),
                        units(h.value, 8),
                        f"{h.share_bps / 100:.2f}%",
                        f"{h.max_share_bps / 100:.2f}%" if h.max_share_bps else "no limit",
                    ]
                    for h in d.holdings
                ],
                f"Total value ${units(d.total_value_usd8 or 0, 8)}; within policy: "
                f"{'yes' if d.within_policy else 'no'}.",
            )
        )
    rows = [
        [
            r.key,
            Addr.of(x["account"]),
            x["currency"] or "-",
            x["name"] or "-",
            Amount.of(x["balance"], r.details.decimals, r.details.symbol),
            "yes" if x["frozen"] else "no",
        ]
        for r in _of(results, SanctionsDetails)
        for x in r.details.listed
    ]
    tables.append(
        Table(
            "Sanctions",
            ["token", "account", "list", "entry", "balance", "frozen"],
            rows,
            "" if rows else "No holder is listed.",
        )
    )
    rows = [
        [
            r.key,
            r.details.contract,
            f"{r.details.deployed_size:,} bytes" if r.details.deployed_size else "-",
            f"{len(r.details.immutables)} masked",
            Addr.of(r.details.implementation_slot) if r.details.implementation_slot else "-",
        ]
        for r in _of(results, CodeDetails)
    ]
    tables.append(
        Table("Deployed code", ["part", "contract", "size", "immutables", "implementation"], rows)
    )
    counts = [
        [r.key, ", ".join(f"{n:,} {k}" for k, n in sorted(r.details.counts.items())) or "none"]
        for r in _of(results, JournalDetails)
    ]
    tables.append(Table("Supply events", ["token", "events"], counts))
    return tables
