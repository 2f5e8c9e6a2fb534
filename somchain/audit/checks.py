"""The audit's checks: pure functions of the index and the on-chain reads.

Each check takes an `AuditData` and returns a `CheckResult`. Checks are registered with
`@check(...)`; one registered for `keys` runs once per manifest key present (for example
the supply check for both the stablecoin and the CBDC), and a check whose key is absent
from the manifest is reported as skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from somchain.audit import bytecode, rebuild
from somchain.audit.indexer import ZERO, History
from somchain.audit.sanctions import SanctionsList

PASS, FAIL, SKIP = "pass", "fail", "skip"
TOKENS = ("stablecoin", "cbdc")
MAX_LISTED = 50  # rows of mismatches kept in a report


@dataclass
class AuditData:
    """Inputs of every check. `chain` holds the on-chain reads made at `block`."""

    manifest: dict[str, Any]
    block: int
    block_time: int
    history: History
    chain: dict[str, Any]
    builds: dict[str, str] = field(default_factory=dict)
    sanctions: SanctionsList | None = None

    def address(self, key: str) -> str | None:
        entry = self.manifest.get("contracts", {}).get(key)
        return entry["address"].lower() if entry else None


@dataclass
class CheckResult:
    id: str
    title: str
    status: str
    summary: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status != FAIL

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    fn: Callable[[AuditData, str], CheckResult]
    keys: tuple[str, ...]


REGISTRY: list[Check] = []


def check(id: str, title: str, keys: tuple[str, ...]) -> Callable:
    """Registers `fn(data, key) -> CheckResult` to run for each of `keys` in the manifest."""

    def register(fn: Callable[[AuditData, str], CheckResult]) -> Callable:
        REGISTRY.append(Check(id, title, fn, keys))
        return fn

    return register


def run_checks(data: AuditData, registry: list[Check] | None = None) -> list[CheckResult]:
    results = []
    for c in registry if registry is not None else REGISTRY:
        present = [k for k in c.keys if data.address(k)]
        if not present:
            keys = "/".join(c.keys)
            results.append(CheckResult(c.id, c.title, SKIP, f"no `{keys}` in the manifest"))
        for key in present:
            try:
                result = c.fn(data, key)
            except Exception as exc:  # a check that cannot run is a failed check
                result = CheckResult(c.id, c.title, FAIL, f"check raised {exc!r}")
            result.id = f"{c.id}.{key}" if len(c.keys) > 1 else c.id
            results.append(result)
    return results


def _status(ok: bool) -> str:
    return PASS if ok else FAIL


def _fmt(amount: int, decimals: int) -> str:
    whole, frac = divmod(abs(amount), 10**decimals)
    sign = "-" if amount < 0 else ""
    return f"{sign}{whole:,}" + (f".{frac:0{decimals}d}"[:3] if decimals else "")


# ---------------------------------------------------------------- supply


@check("supply", "Supply reconciliation", TOKENS)
def check_supply(data: AuditData, key: str) -> CheckResult:
    token = data.address(key)
    reads = data.chain["tokens"][key]
    book = rebuild.ledger(data.history, token)
    decimals = reads["decimals"]
    total = reads["totalSupply"]
    rebuilt = book.supply
    net = book.minted - book.burned
    negative = {a: b for a, b in book.balances.items() if b < 0}
    mismatches = [
        {"account": a, "rebuilt": book.balances.get(a, 0), "on_chain": v}
        for a, v in reads["balances"].items()
        if book.balances.get(a, 0) != v
    ]
    ok = total == rebuilt == net and not mismatches and not negative
    holders = sum(1 for b in book.balances.values() if b > 0)
    summary = (
        f"totalSupply {_fmt(total, decimals)} {reads['symbol']}; sum of rebuilt balances "
        f"{_fmt(rebuilt, decimals)}; minted - burned {_fmt(net, decimals)}; "
        f"{len(reads['balances'])} of {len(book.balances)} accounts checked "
        f"({reads['balance_mode']}), {len(mismatches)} mismatched"
    )
    return CheckResult(
        "supply",
        "Supply reconciliation",
        _status(ok),
        summary,
        {
            "symbol": reads["symbol"],
            "decimals": decimals,
            "total_supply": total,
            "rebuilt_supply": rebuilt,
            "minted": book.minted,
            "burned": book.burned,
            "transfers": book.transfers,
            "accounts": len(book.balances),
            "holders": holders,
            "balances_checked": len(reads["balances"]),
            "balance_mode": reads["balance_mode"],
            "mismatches": mismatches[:MAX_LISTED],
            "negative_balances": list(negative.items())[:MAX_LISTED],
        },
    )


# ---------------------------------------------------------------- reserve coverage


@check("coverage", "Reserve coverage", ("stablecoin",))
def check_coverage(data: AuditData, key: str) -> CheckResult:
    feed = data.chain.get("reserve_feed")
    reads = data.chain["tokens"][key]
    if not feed or not feed.get("address") or int(feed["address"], 16) == 0:
        return CheckResult("coverage", "Reserve coverage", FAIL, "no reserve feed is set")
    shift = reads["decimals"] - feed["decimals"]
    scale = (lambda v: v * 10**shift) if shift >= 0 else (lambda v: v // 10 ** (-shift))
    reserve = scale(feed["answer"])
    supply = reads["totalSupply"]
    age = data.block_time - feed["updatedAt"]
    covered = reserve >= supply
    fresh = 0 <= age <= feed["maxAge"]
    ratio = reserve / supply if supply else None

    series = []
    book = rebuild.ledger(data.history, data.address(key))
    feed_address = feed["address"].lower()
    rounds = rebuild.attestations(data.history, feed_address)
    points = sorted(
        [(b, "supply", s) for b, s in book.supply_series]
        + [(r["block"], "reserve", scale(r["reserve"])) for r in rounds]
    )
    cur_supply, cur_reserve = 0, None
    for block, kind, value in points:
        if kind == "supply":
            cur_supply = value
        else:
            cur_reserve = value
        series.append(
            {
                "block": block,
                "time": data.history.times.get(block),
                "supply": cur_supply,
                "reserve": cur_reserve,
                "ratio": (cur_reserve / cur_supply) if cur_supply and cur_reserve else None,
            }
        )
    expected_feed = data.address("attestation")
    details = {
        "feed": feed_address,
        "feed_is_manifest_attestation": expected_feed is None or expected_feed == feed_address,
        "reserve": reserve,
        "supply": supply,
        "ratio": ratio,
        "round_id": feed["roundId"],
        "as_of": feed["updatedAt"],
        "age_seconds": age,
        "max_age_seconds": feed["maxAge"],
        "covered": covered,
        "fresh": fresh,
        "attestations": len(rounds),
        "series": series,
    }
    ok = covered and fresh and details["feed_is_manifest_attestation"]
    ratio_text = f"{ratio:.2%}" if ratio is not None else "n/a (no supply)"
    summary = (
        f"reserve {_fmt(reserve, reads['decimals'])} vs supply {_fmt(supply, reads['decimals'])}"
        f" (coverage {ratio_text}); attestation round {feed['roundId']} is {age:,} s old"
        f" (max {feed['maxAge']:,} s){'' if fresh else ': STALE'}"
    )
    return CheckResult("coverage", "Reserve coverage", _status(ok), summary, details)


# ---------------------------------------------------------------- journal


@check("journal", "Journal consistency", TOKENS)
def check_journal(data: AuditData, key: str) -> CheckResult:
    """Every Mint/Issued, Burn/Redeemed and Seized event has its Transfer in the same tx."""
    token = data.address(key)
    moves = Counter(
        (t.tx, t.src, t.dst, t.value) for t in data.history.transfers if t.address == token
    )
    unmatched = []
    counts: Counter = Counter()
    for e in rebuild.events_of(data.history, token, "Mint", "Burn", "Issued", "Redeemed", "Seized"):
        counts[e.name] += 1
        a = e.args
        if e.name == "Mint":
            want = (e.tx, ZERO, a["to"], a["amount"])
        elif e.name == "Issued":
            want = (e.tx, ZERO, a["bank"], a["amount"])
        elif e.name == "Burn":
            want = (e.tx, a["burner"], ZERO, a["amount"])
        elif e.name == "Redeemed":
            want = (e.tx, a["bank"], ZERO, a["amount"])
        else:
            want = (e.tx, a["account"], a["to"], a["amount"])
        if moves[want] > 0:
            moves[want] -= 1
        else:
            unmatched.append({"event": e.name, "block": e.block, "tx": e.tx, "args": a})
    no_actor = [e.tx for e in data.history.events if e.tx not in data.history.senders]
    ok = not unmatched and not no_actor
    summary = (
        ", ".join(f"{n} {name}" for name, n in sorted(counts.items())) or "no supply events"
    ) + f"; {len(unmatched)} without their Transfer"
    return CheckResult(
        "journal",
        "Journal consistency",
        _status(ok),
        summary,
        {"counts": dict(counts), "unmatched": unmatched[:MAX_LISTED], "no_actor": no_actor[:10]},
    )


# ---------------------------------------------------------------- roles


@check("roles", "Roles and minters", ("stablecoin", "cbdc", "attestation", "reserve", "timelock"))
def check_roles(data: AuditData, key: str) -> CheckResult:
    address = data.address(key)
    members = rebuild.role_members(data.history, address)
    on_chain: dict[str, dict[str, bool]] = data.chain["roles"][key]
    mismatches = []
    for role, accounts in on_chain.items():
        for account, has in accounts.items():
            expected = account in members.get(role, set())
            if has != expected:
                mismatches.append(
                    {"role": rebuild.role_name(role), "account": account, "has_role": has}
                )
    holders = {rebuild.role_name(r): sorted(a) for r, a in members.items() if a}
    details: dict[str, Any] = {"holders": holders, "mismatches": mismatches}
    ok = not mismatches
    if key == "stablecoin":
        rebuilt = rebuild.minters(data.history, address)
        reads = data.chain.get("minters", {})
        bad = [
            {"minter": m, "rebuilt": rebuilt.get(m), "on_chain": r}
            for m, r in reads.items()
            if (r["allowance"] if r["is_minter"] else None) != rebuilt.get(m)
        ]
        details["minters"] = {m: a for m, a in rebuilt.items() if a is not None}
        details["minter_mismatches"] = bad
        ok = ok and not bad
    summary = f"{sum(len(a) for a in holders.values())} role assignments over {len(holders)} roles"
    summary += f"; {len(mismatches)} differ from hasRole"
    if key == "stablecoin":
        minters, bad = len(details["minters"]), len(details["minter_mismatches"])
        summary += f"; {minters} minters, {bad} allowance mismatches"
    return CheckResult("roles", "Roles and minters", _status(ok), summary, details)


# ---------------------------------------------------------------- frozen


@check("frozen", "Frozen accounts and pause", TOKENS)
def check_frozen(data: AuditData, key: str) -> CheckResult:
    address = data.address(key)
    rebuilt = rebuild.frozen(data.history, address)
    reads = data.chain["tokens"][key]
    mismatches = [
        {"account": a, "rebuilt": rebuilt.get(a, False), "on_chain": f}
        for a, f in reads["frozen"].items()
        if rebuilt.get(a, False) != f
    ]
    paused_rebuilt = rebuild.paused(data.history, address)
    accounts = [
        {"account": a, "balance": reads["frozen_balances"].get(a)}
        for a, f in sorted(rebuilt.items())
        if f
    ]
    ok = not mismatches and paused_rebuilt == reads["paused"]
    summary = (
        f"{len(accounts)} frozen accounts; {len(mismatches)} differ from isFrozen; "
        f"paused {reads['paused']} (rebuilt {paused_rebuilt})"
    )
    return CheckResult(
        "frozen",
        "Frozen accounts and pause",
        _status(ok),
        summary,
        {"frozen": accounts, "mismatches": mismatches, "paused": reads["paused"]},
    )


# ---------------------------------------------------------------- code


@check("code", "Deployed code", ("stablecoin", "cbdc", "attestation", "reserve", "timelock"))
def check_code(data: AuditData, key: str) -> CheckResult:
    entry = data.manifest["contracts"][key]
    reads = data.chain["code"][key]
    name = entry.get("contract", "")
    build = data.builds.get(name)
    problems = []
    details: dict[str, Any] = {"contract": name}
    if entry.get("implementation"):
        slot = reads["implementation_slot"]
        details["implementation_slot"] = slot
        details["manifest_implementation"] = entry["implementation"].lower()
        if slot != entry["implementation"].lower():
            problems.append(f"proxy points to {slot}, manifest says {entry['implementation']}")
    if build is None:
        problems.append(f"no local build of {name!r}")
    elif not reads["code"] or reads["code"] in ("0x", b""):
        problems.append("no code at the audited address")
    else:
        cmp = bytecode.compare(reads["code"], build, data.chain.get("immutables", {}).get(name))
        details |= {
            "deployed_size": cmp.deployed_size,
            "build_size": cmp.build_size,
            "immutables": cmp.immutables,
            "mask": cmp.source_of_mask,
            "first_difference": cmp.first_difference,
        }
        if not cmp.matches:
            problems.append(
                f"runtime code differs from the build at byte {cmp.first_difference}"
                f" ({cmp.deployed_size} vs {cmp.build_size} bytes without metadata)"
            )
    details["problems"] = problems
    summary = "; ".join(problems) or (
        f"{name}: runtime code matches the build ({len(details.get('immutables', {}))} "
        "immutables masked, metadata stripped)"
        + ("; proxy slot matches the manifest" if entry.get("implementation") else "")
    )
    return CheckResult("code", "Deployed code", _status(not problems), summary, details)


# ---------------------------------------------------------------- cbdc


@check("cbdc", "CBDC wallets, limits and batches", ("cbdc",))
def check_cbdc(data: AuditData, key: str) -> CheckResult:
    address = data.address(key)
    reads = data.chain["cbdc"]
    rebuilt = rebuild.wallets(data.history, address)
    book = rebuild.ledger(data.history, address)
    problems: list[dict[str, Any]] = []
    tiers: dict[int, dict[str, int]] = {}
    for wallet, w in rebuilt.items():
        if not w["open"]:
            continue
        tier = w["tier"]
        chain_w = reads["wallets"].get(wallet)
        if chain_w is not None and (chain_w["tier"] != tier or not chain_w["registered"]):
            problems.append({"wallet": wallet, "problem": "registration differs", **chain_w})
        balance = reads["balances"].get(wallet, book.balances.get(wallet, 0))
        limit = reads["tiers"][tier]["max_balance"]
        row = tiers.setdefault(tier, {"wallets": 0, "balance": 0, "max_balance": limit})
        row["wallets"] += 1
        row["balance"] += balance
        if balance > limit:
            problems.append(
                {"wallet": wallet, "problem": "above holding limit", "balance": balance}
            )
    paid = rebuild.batches(data.history, address)
    unpaid = [b["batchId"] for b in paid if not reads["batches"].get(b["batchId"])]
    problems += [{"batch": b, "problem": "isBatchPaid is false"} for b in unpaid]
    totals = {k: sum(b[k] for b in paid) for k in ("recipients", "paid", "swept", "skipped")}
    swept = sum(e.args["amount"] for e in rebuild.events_of(data.history, address, "Swept"))
    summary = (
        f"{sum(t['wallets'] for t in tiers.values())} open wallets in {len(tiers)} tiers; "
        f"{len(paid)} batches paid to {totals['recipients']} payees; {len(problems)} problems"
    )
    return CheckResult(
        "cbdc",
        "CBDC wallets, limits and batches",
        _status(not problems),
        summary,
        {
            "tiers": {str(k): v for k, v in sorted(tiers.items())},
            "batches": len(paid),
            "batch_totals": totals,
            "swept_total": swept,
            "problems": problems[:MAX_LISTED],
        },
    )


# ---------------------------------------------------------------- reserve vault


@check("reserve", "National crypto reserve", ("reserve",))
def check_reserve(data: AuditData, key: str) -> CheckResult:
    """Holdings, prices, total value and policy shares of the reserve vault; the listed
    assets rebuilt from the index match `assets()`."""
    reads = data.chain["reserve"]
    problems = []
    listed = rebuild.listed_assets(data.history, data.address(key))
    if listed != set(reads["assets"]):
        problems.append(
            f"assets() {sorted(reads['assets'])} differ from the index {sorted(listed)}"
        )
    rows = []
    if reads["error"]:
        problems.append(f"valuation reverted: {reads['error']}")
    else:
        total = reads["total_value"]
        if sum(h["value"] for h in reads["holdings"]) != total:
            problems.append("holdings do not add up to totalValue")
        for h in reads["holdings"]:
            asset = reads["assets"].get(h["asset"], {})
            share = h["value"] * 10_000 // total if total else 0
            cap = asset.get("max_share_bps", 0)
            rows.append(
                {
                    **h,
                    "symbol": asset.get("symbol", h["asset"]),
                    "decimals": asset.get("decimals", 18),
                    "share_bps": share,
                    "max_share_bps": cap,
                    "within_cap": not cap or share <= cap,
                }
            )
        if not reads["within_policy"]:
            names = [reads["assets"].get(b["asset"], {}).get("symbol") for b in reads["breaches"]]
            problems.append(f"policy shares breached: {', '.join(map(str, names))}")
    total_usd = (reads["total_value"] or 0) / 10**8
    summary = "; ".join(problems) or (
        f"{len(rows)} assets worth ${total_usd:,.2f}; every capped share within policy"
    )
    return CheckResult(
        "reserve",
        "National crypto reserve",
        _status(not problems),
        summary,
        {
            "holdings": rows,
            "total_value_usd8": reads["total_value"],
            "within_policy": reads["within_policy"],
            "problems": problems,
        },
    )


# ---------------------------------------------------------------- sanctions


@check("sanctions", "Sanctions screening", TOKENS)
def check_sanctions(data: AuditData, key: str) -> CheckResult:
    if data.sanctions is None:
        return CheckResult("sanctions", "Sanctions screening", SKIP, "no sanctions list given")
    address = data.address(key)
    reads = data.chain["tokens"][key]
    book = rebuild.ledger(data.history, address)
    listed = []
    for account, balance in book.balances.items():
        if account not in data.sanctions:
            continue
        is_frozen = reads["frozen"].get(account, False)
        listed.append(
            {
                "account": account,
                "balance": balance,
                "frozen": is_frozen,
                **data.sanctions.entries[account.lower()],
                "failure": not is_frozen and balance > 0,
            }
        )
    failures = [r for r in listed if r["failure"]]
    summary = (
        f"{len(book.balances)} accounts screened against {len(data.sanctions)} listed addresses"
        f" ({data.sanctions.source}); {len(listed)} listed, {len(failures)} holding and not frozen"
    )
    return CheckResult(
        "sanctions",
        "Sanctions screening",
        _status(not failures),
        summary,
        {"listed": listed, "list_size": len(data.sanctions), "source": data.sanctions.source},
    )
