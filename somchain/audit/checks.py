"""The audit's checks: pure functions of the index and the on-chain reads.

Each check takes an `AuditData` and a part's key and returns a `CheckResult` whose
`details` is a dataclass of its own (`SupplyDetails`, `RolesDetails`, ...): the report is
built from these, never by looking results up by id. Checks are registered with
`@check(id, title)`; the parts a check runs for come from `parts.PARTS` (a part lists its
checks), and a check whose parts are all absent from the manifest is reported as skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from somchain import display
from somchain.audit import bytecode, parts
from somchain.audit.onchain import ChainReads
from somchain.compliance.sanctions import SanctionsList

PASS, FAIL, SKIP = "pass", "fail", "skip"
MAX_LISTED = 50  # rows of mismatches kept in a report


@dataclass
class AuditData:
    """Inputs of every check: the index (`view`, answering the questions of
    `rebuild.HistoryView`) and the on-chain reads made at `block`."""

    manifest: dict[str, Any]
    block: int
    block_time: int
    view: Any
    chain: ChainReads
    builds: dict[str, str] = field(default_factory=dict)
    sanctions: SanctionsList | None = None

    def address(self, key: str) -> str | None:
        entry = self.manifest.get("contracts", {}).get(key)
        return entry["address"].lower() if entry else None


# ---------------------------------------------------------------- results


@dataclass
class SupplyDetails:
    symbol: str
    decimals: int
    total_supply: int
    rebuilt_supply: int
    minted: int
    burned: int
    transfers: int
    accounts: int
    holders: int
    balances_checked: int
    balance_mode: str
    mismatches: list[dict[str, Any]]
    negative_balances: list[tuple[str, int]]


@dataclass
class CoverageDetails:
    symbol: str
    decimals: int
    feed: str
    feed_is_manifest_attestation: bool
    reserve: int
    supply: int
    ratio: float | None
    round_id: int
    as_of: int
    age_seconds: int
    max_age_seconds: int
    covered: bool
    fresh: bool
    attestations: int
    series: list[dict[str, Any]]
    feed_decimals: int = 0  # the feed's own scale (the attestation's: som and tyiyn)


@dataclass
class JournalDetails:
    counts: dict[str, int]
    unmatched: list[dict[str, Any]]
    no_actor: list[str]


@dataclass
class MinterRow:
    minter: str
    allowance: int


@dataclass
class RolesDetails:
    contract: str
    holders: dict[str, list[str]]  # role name -> accounts
    mismatches: list[dict[str, Any]]
    minters: dict[str, int] | None = None  # minter -> allowance (stablecoin)
    minter_mismatches: list[dict[str, Any]] | None = None


@dataclass
class FrozenDetails:
    symbol: str
    decimals: int
    frozen: list[dict[str, Any]]  # account, balance
    mismatches: list[dict[str, Any]]
    paused: bool


@dataclass
class CodeDetails:
    contract: str
    problems: list[str]
    implementation_slot: str | None = None
    manifest_implementation: str | None = None
    deployed_size: int | None = None
    build_size: int | None = None
    immutables: dict[int, str] = field(default_factory=dict)
    mask: str | None = None
    first_difference: int | None = None


@dataclass
class TierRow:
    wallets: int
    balance: int
    max_balance: int


@dataclass
class CbdcDetails:
    symbol: str
    decimals: int
    tiers: dict[str, TierRow]
    batches: int
    batch_totals: dict[str, int]
    swept_total: int
    problems: list[dict[str, Any]]


@dataclass
class HoldingRow:
    asset: str
    symbol: str
    decimals: int
    balance: int
    price: int
    value: int
    share_bps: int
    max_share_bps: int
    within_cap: bool


@dataclass
class ReserveDetails:
    holdings: list[HoldingRow] | None
    total_value_usd8: int | None
    within_policy: bool | None
    problems: list[str]


@dataclass
class SanctionsDetails:
    symbol: str
    decimals: int
    listed: list[dict[str, Any]]
    list_size: int
    source: str
    screened: int


@dataclass
class CheckResult:
    id: str
    title: str
    status: str
    summary: str
    details: Any = None  # one of the *Details dataclasses, None when skipped or raised
    key: str | None = None  # the part checked

    @property
    def ok(self) -> bool:
        return self.status != FAIL

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["details"] = out["details"] or {}
        return out


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    fn: Callable[[AuditData, str], CheckResult]
    keys: tuple[str, ...]


REGISTRY: list[Check] = []


def check(id: str, title: str, keys: tuple[str, ...] | None = None) -> Callable:
    """Registers `fn(data, key) -> CheckResult` to run for each part listing check `id`
    (or for `keys`) that the manifest has."""

    def register(fn: Callable[[AuditData, str], CheckResult]) -> Callable:
        REGISTRY.append(Check(id, title, fn, keys or parts.keys_with_check(id)))
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
            result.key = key
            results.append(result)
    return results


def _status(ok: bool) -> str:
    return PASS if ok else FAIL


def _fmt(amount: int, decimals: int) -> str:
    return display.amount(amount, decimals, places=2)


# ---------------------------------------------------------------- supply


@check("supply", "Supply reconciliation")
def check_supply(data: AuditData, key: str) -> CheckResult:
    token = data.address(key)
    reads = data.chain.tokens[key]
    book = data.view.book(token)
    decimals = reads.decimals
    total = reads.total_supply
    net = book.minted - book.burned
    rebuilt = data.view.balances_of(token, reads.balances)
    mismatches = [
        {"account": a, "rebuilt": rebuilt.get(a, 0), "on_chain": v}
        for a, v in reads.balances.items()
        if rebuilt.get(a, 0) != v
    ]
    ok = total == book.supply == net and not mismatches and not book.negative
    summary = (
        f"totalSupply {_fmt(total, decimals)} {reads.symbol}; sum of rebuilt balances "
        f"{_fmt(book.supply, decimals)}; minted - burned {_fmt(net, decimals)}; "
        f"{len(reads.balances):,} of {display.count(book.accounts, 'account')} checked "
        f"({reads.balance_mode}), {len(mismatches):,} mismatched"
    )
    details = SupplyDetails(
        symbol=reads.symbol,
        decimals=decimals,
        total_supply=total,
        rebuilt_supply=book.supply,
        minted=book.minted,
        burned=book.burned,
        transfers=book.transfers,
        accounts=book.accounts,
        holders=book.holders,
        balances_checked=len(reads.balances),
        balance_mode=reads.balance_mode,
        mismatches=mismatches[:MAX_LISTED],
        negative_balances=book.negative[:MAX_LISTED],
    )
    return CheckResult("supply", "Supply reconciliation", _status(ok), summary, details)


# ---------------------------------------------------------------- reserve coverage


@check("coverage", "Reserve coverage")
def check_coverage(data: AuditData, key: str) -> CheckResult:
    feed = data.chain.feed
    reads = data.chain.tokens[key]
    if feed is None or int(feed.address, 16) == 0:
        return CheckResult("coverage", "Reserve coverage", FAIL, "no reserve feed is set")
    # read_feed reads the round whenever the feed is set
    assert feed.decimals is not None
    assert feed.updated_at is not None
    assert feed.round_id is not None
    shift = reads.decimals - feed.decimals
    scale = (lambda v: v * 10**shift) if shift >= 0 else (lambda v: v // 10 ** (-shift))
    reserve = scale(feed.answer)
    supply = reads.total_supply
    age = data.block_time - feed.updated_at
    covered = reserve >= supply
    fresh = 0 <= age <= feed.max_age
    ratio = reserve / supply if supply else None

    series = []
    book = data.view.book(data.address(key))
    rounds = data.view.attestations(feed.address)
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
                "time": data.view.time(block),
                "supply": cur_supply,
                "reserve": cur_reserve,
                "ratio": (cur_reserve / cur_supply) if cur_supply and cur_reserve else None,
            }
        )
    expected_feed = data.address("attestation")
    details = CoverageDetails(
        symbol=reads.symbol,
        decimals=reads.decimals,
        feed=feed.address,
        feed_is_manifest_attestation=expected_feed is None or expected_feed == feed.address,
        reserve=reserve,
        supply=supply,
        ratio=ratio,
        round_id=feed.round_id,
        as_of=feed.updated_at,
        age_seconds=age,
        max_age_seconds=feed.max_age,
        covered=covered,
        fresh=fresh,
        attestations=len(rounds),
        series=series,
        feed_decimals=feed.decimals,
    )
    ok = covered and fresh and details.feed_is_manifest_attestation
    coverage = display.coverage(reserve, supply) if feed.round_id else "-"
    attested = (
        f"attestation round {feed.round_id} is {age:,} s old (max {feed.max_age:,} s)"
        f"{'' if fresh else ': STALE'}"
        if feed.round_id
        else "no attestation posted yet"
    )
    summary = (
        f"reserve {_fmt(reserve, reads.decimals)} vs supply {_fmt(supply, reads.decimals)}"
        f" (coverage {coverage}); {attested}"
    )
    return CheckResult("coverage", "Reserve coverage", _status(ok), summary, details)


# ---------------------------------------------------------------- journal


@check("journal", "Journal consistency")
def check_journal(data: AuditData, key: str) -> CheckResult:
    """Every Mint/Issued, Burn/Redeemed and Seized event has its Transfer in the same tx."""
    counts, unmatched = data.view.supply_matching(data.address(key))
    no_actor = data.view.events_without_sender()
    ok = not unmatched and not no_actor
    summary = (
        ", ".join(f"{n} {name}" for name, n in sorted(counts.items())) or "no supply events"
    ) + f"; {len(unmatched)} without their Transfer"
    details = JournalDetails(counts, unmatched[:MAX_LISTED], no_actor[:10])
    return CheckResult("journal", "Journal consistency", _status(ok), summary, details)


# ---------------------------------------------------------------- roles


@check("roles", "Roles and minters")
def check_roles(data: AuditData, key: str) -> CheckResult:
    address = data.address(key)
    members = data.view.role_members(address)
    on_chain = data.chain.roles[key]
    mismatches = []
    for role, accounts in on_chain.items():
        for account, has in accounts.items():
            expected = account in members.get(role, set())
            if has != expected:
                mismatches.append(
                    {"role": parts.role_name(role), "account": account, "has_role": has}
                )
    holders = {parts.role_name(r): sorted(a) for r, a in members.items() if a}
    details = RolesDetails(parts.BY_KEY[key].contract, holders, mismatches)
    ok = not mismatches
    summary = f"{sum(len(a) for a in holders.values())} role assignments over {len(holders)} roles"
    summary += f"; {len(mismatches)} differ from hasRole"
    if parts.MINTERS in parts.BY_KEY[key].reads:
        rebuilt = data.view.minters(address)
        bad = [
            {"minter": m, "rebuilt": rebuilt.get(m), "on_chain": asdict(r)}
            for m, r in data.chain.minters.items()
            if (r.allowance if r.is_minter else None) != rebuilt.get(m)
        ]
        details.minters = {m: a for m, a in rebuilt.items() if a is not None}
        details.minter_mismatches = bad
        ok = ok and not bad
        summary += f"; {len(details.minters)} minters, {len(bad)} allowance mismatches"
    return CheckResult("roles", "Roles and minters", _status(ok), summary, details)


# ---------------------------------------------------------------- governance


@dataclass
class GovernanceDetails:
    timelock: str
    min_delay: int | None
    configured_delay: int | None
    findings: list[str]


# Roles the governance timelock must hold alone, per part.
TIMELOCK_ONLY = {
    "stablecoin": ("DEFAULT_ADMIN_ROLE", "UPGRADER_ROLE"),
    "cbdc": ("DEFAULT_ADMIN_ROLE", "UPGRADER_ROLE"),
    "attestation": ("DEFAULT_ADMIN_ROLE",),
    "reserve": ("DEFAULT_ADMIN_ROLE", "GOVERNOR_ROLE"),
    "desk": ("DEFAULT_ADMIN_ROLE",),
}


def _holders(data: AuditData, key: str) -> dict[str, set[str]]:
    """role name -> accounts holding it on chain at the audited block."""
    out: dict[str, set[str]] = {}
    for role, accounts in data.chain.roles.get(key, {}).items():
        out[parts.role_name(role)] = {a.lower() for a, has in accounts.items() if has}
    return out


@check("governance", "Governance and separation of duties", keys=("timelock",))
def check_governance(data: AuditData, key: str) -> CheckResult:
    """No single key can create money or remove a control: the timelock alone administers
    and upgrades every part, no deploying account holds a role, duties stay separate, and
    the timelock's delay is not below the one configured."""
    timelock = data.address(key) or ""
    if "governance" not in data.manifest:
        return CheckResult(
            "governance",
            "Governance and separation of duties",
            SKIP,
            "the manifest records no governance (a deployment not made by `ape run deploy`)",
        )
    findings: list[str] = []
    for part, roles in TIMELOCK_ONLY.items():
        if not data.address(part):
            continue
        held = _holders(data, part)
        for role in roles:
            others = held.get(role, set()) - {timelock}
            if others or timelock not in held.get(role, set()):
                findings.append(
                    f"{part}.{role} held by {sorted(others) or 'nobody'}, not the timelock"
                )
    deployers = {
        e["deployer"].lower()
        for e in data.manifest.get("contracts", {}).values()
        if e.get("deployer")
    }
    for part in parts.KEYS:
        for role, accounts in _holders(data, part).items():
            for account in sorted(accounts & deployers):
                findings.append(f"the deploying account {account} holds {part}.{role}")
    coin, feed = _holders(data, "stablecoin"), _holders(data, "attestation")
    minters = {m.lower() for m, r in data.chain.minters.items() if r.is_minter}
    attestors = feed.get("ATTESTOR_ROLE", set())
    for account in sorted(attestors & (coin.get("MASTER_MINTER_ROLE", set()) | minters)):
        findings.append(f"{account} attests the reserve and mints or configures minters")
    for account in sorted(minters & coin.get("COMPLIANCE_ROLE", set())):
        findings.append(f"{account} mints and holds COMPLIANCE_ROLE")
    configured = (data.manifest.get("governance") or {}).get("min_delay")
    delay = data.chain.timelock_delay
    if configured is not None and delay is not None and delay < int(configured):
        findings.append(f"timelock delay {delay:,} s is below the configured {int(configured):,} s")
    details = GovernanceDetails(timelock, delay, configured, findings)
    summary = (f"timelock delay {delay:,} s; " if delay is not None else "") + (
        f"{len(findings)} finding(s): {findings[0]}" if findings else "no finding"
    )
    return CheckResult(
        "governance", "Governance and separation of duties", _status(not findings), summary, details
    )


@dataclass
class MintingDetails:
    controller: str | None
    budget: int | None
    granted: int | None
    allocated: int
    findings: list[str]


@check("minting", "Mint budget, rate limits and separation", keys=("stablecoin",))
def check_minting(data: AuditData, key: str) -> CheckResult:
    """No single key creates money: the MintController alone holds the token's
    MASTER_MINTER_ROLE, the allowances it gave stay within the board's grants, every minter
    has a rate limit, and no account is both a master minter and a minter."""
    title = "Mint budget, rate limits and separation"
    findings: list[str] = []
    current = {m.lower(): r for m, r in data.chain.minters.items() if r.is_minter}
    for minter, reads in sorted(current.items()):
        if not reads.capacity:
            findings.append(f"minter {minter} has no rate limit")
    masters = _holders(data, key).get("MASTER_MINTER_ROLE", set())
    for account in sorted(masters & set(current)):
        findings.append(f"{account} is both master minter and minter")
    control = data.chain.mint_control
    allocated = sum(r.allowance for r in current.values())
    if control is None:
        findings.append("no MintController: the token's master minter is bounded by no budget")
    else:
        if not control.holds_token_role:
            findings.append(
                f"the MintController {control.address} is not the token's master minter"
            )
        for account in sorted(masters - {control.address.lower()}):
            findings.append(
                f"{account} holds the token's MASTER_MINTER_ROLE beside the MintController"
            )
        for account in control.master_minters_minting:
            findings.append(f"{account} is both the MintController's master minter and a minter")
        if control.budget + allocated > control.granted:
            findings.append(
                f"allowances ({allocated}) and budget left ({control.budget}) exceed the "
                f"board's grants ({control.granted})"
            )
    details = MintingDetails(
        control.address if control else None,
        control.budget if control else None,
        control.granted if control else None,
        allocated,
        findings,
    )
    summary = f"{len(current)} minters; " + (
        f"{len(findings)} finding(s): {findings[0]}" if findings else "no finding"
    )
    return CheckResult("minting", title, _status(not findings), summary, details)


# ---------------------------------------------------------------- frozen


@check("frozen", "Frozen accounts and pause")
def check_frozen(data: AuditData, key: str) -> CheckResult:
    address = data.address(key)
    rebuilt = data.view.frozen(address)
    reads = data.chain.tokens[key]
    mismatches = [
        {"account": a, "rebuilt": rebuilt.get(a, False), "on_chain": f}
        for a, f in reads.frozen.items()
        if rebuilt.get(a, False) != f
    ]
    paused_rebuilt = data.view.paused(address)
    accounts = [
        {"account": a, "balance": reads.frozen_balances.get(a)}
        for a, f in sorted(rebuilt.items())
        if f
    ]
    ok = not mismatches and paused_rebuilt == reads.paused
    summary = (
        f"{len(accounts)} frozen accounts; {len(mismatches)} differ from isFrozen; "
        f"paused {reads.paused} (rebuilt {paused_rebuilt})"
    )
    details = FrozenDetails(reads.symbol, reads.decimals, accounts, mismatches, reads.paused)
    return CheckResult("frozen", "Frozen accounts and pause", _status(ok), summary, details)


# ---------------------------------------------------------------- code


@check("code", "Deployed code")
def check_code(data: AuditData, key: str) -> CheckResult:
    entry = data.manifest["contracts"][key]
    reads = data.chain.code[key]
    name = entry.get("contract", "")
    build = data.builds.get(name)
    problems: list[str] = []
    details = CodeDetails(contract=name, problems=problems)
    if entry.get("implementation"):
        details.implementation_slot = reads.implementation_slot
        details.manifest_implementation = entry["implementation"].lower()
        if reads.implementation_slot != entry["implementation"].lower():
            problems.append(
                f"proxy points to {reads.implementation_slot}, "
                f"manifest says {entry['implementation']}"
            )
    if build is None:
        problems.append(f"no local build of {name!r}")
    elif not reads.code or reads.code in ("0x", b""):
        problems.append("no code at the audited address")
    else:
        cmp = bytecode.compare(reads.code, build, data.chain.immutables.get(name))
        details.deployed_size = cmp.deployed_size
        details.build_size = cmp.build_size
        details.immutables = cmp.immutables
        details.mask = cmp.source_of_mask
        details.first_difference = cmp.first_difference
        if not cmp.matches:
            problems.append(
                f"runtime code differs from the build at byte {cmp.first_difference}"
                f" ({cmp.deployed_size} vs {cmp.build_size} bytes without metadata)"
            )
    summary = "; ".join(problems) or (
        f"{name}: runtime code matches the build ({len(details.immutables)} "
        "immutables masked, metadata stripped)"
        + ("; proxy slot matches the manifest" if entry.get("implementation") else "")
    )
    return CheckResult("code", "Deployed code", _status(not problems), summary, details)


# ---------------------------------------------------------------- cbdc


@check("cbdc", "CBDC wallets, limits and batches")
def check_cbdc(data: AuditData, key: str) -> CheckResult:
    address = data.address(key)
    reads = data.chain.cbdc
    assert reads is not None  # read for every part with the cbdc check
    token = data.chain.tokens[key]
    rebuilt = data.view.wallets(address)
    open_wallets = {w: v for w, v in rebuilt.items() if v["open"]}
    rebuilt_balances = data.view.balances_of(address, list(open_wallets))
    problems: list[dict[str, Any]] = []
    tiers: dict[int, TierRow] = {}
    for wallet, w in open_wallets.items():
        tier = w["tier"]
        chain_w = reads.wallets.get(wallet)
        if chain_w is not None and (chain_w.tier != tier or not chain_w.registered):
            problems.append(
                {"wallet": wallet, "problem": "registration differs", **asdict(chain_w)}
            )
        balance = reads.balances.get(wallet, rebuilt_balances.get(wallet, 0))
        limit = reads.tiers[tier].max_balance
        row = tiers.setdefault(tier, TierRow(0, 0, limit))
        row.wallets += 1
        row.balance += balance
        if balance > limit:
            problems.append(
                {"wallet": wallet, "problem": "above holding limit", "balance": balance}
            )
    paid = data.view.batches(address)
    unpaid = [b["batchId"] for b in paid if not reads.batches.get((b["treasury"], b["batchId"]))]
    problems += [{"batch": b, "problem": "no content recorded (batchContent)"} for b in unpaid]
    totals = {k: sum(b[k] for b in paid) for k in ("recipients", "paid", "swept", "skipped")}
    summary = (
        f"{display.count(sum(t.wallets for t in tiers.values()), 'open wallet')} in "
        f"{display.count(len(tiers), 'tier')}; {display.count(len(paid), 'batch', 'batches')} "
        f"paid to {display.count(totals['recipients'], 'payee')}; "
        f"{display.count(len(problems), 'problem')}"
    )
    details = CbdcDetails(
        symbol=token.symbol,
        decimals=token.decimals,
        tiers={str(k): v for k, v in sorted(tiers.items())},
        batches=len(paid),
        batch_totals=totals,
        swept_total=data.view.swept(address),
        problems=problems[:MAX_LISTED],
    )
    return CheckResult(
        "cbdc", "CBDC wallets, limits and batches", _status(not problems), summary, details
    )


# ---------------------------------------------------------------- reserve vault


@check("reserve", "National crypto reserve")
def check_reserve(data: AuditData, key: str) -> CheckResult:
    """Holdings, prices, total value and policy shares of the reserve vault; the listed
    assets rebuilt from the index match `assets()`."""
    reads = data.chain.reserve
    problems = []
    listed = data.view.listed_assets(data.address(key))
    assert reads is not None  # read for every part with the reserve check
    if listed != set(reads.assets):
        problems.append(f"assets() {sorted(reads.assets)} differ from the index {sorted(listed)}")
    rows = []
    if reads.error:
        problems.append(f"valuation reverted: {reads.error}")
    else:
        assert reads.holdings is not None  # None only when the valuation reverted
        total = reads.total_value
        if sum(h.value for h in reads.holdings) != total:
            problems.append("holdings do not add up to totalValue")
        for h in reads.holdings:
            asset = reads.assets.get(h.asset)
            share = h.value * 10_000 // total if total else 0
            cap = asset.max_share_bps if asset else 0
            rows.append(
                HoldingRow(
                    asset=h.asset,
                    symbol=asset.symbol if asset else h.asset,
                    decimals=asset.decimals if asset else 18,
                    balance=h.balance,
                    price=h.price,
                    value=h.value,
                    share_bps=share,
                    max_share_bps=cap,
                    within_cap=not cap or share <= cap,
                )
            )
        if not reads.within_policy:
            names = [
                reads.assets[b["asset"]].symbol if b["asset"] in reads.assets else b["asset"]
                for b in reads.breaches
            ]
            problems.append(f"policy shares breached: {', '.join(map(str, names))}")
    total_usd = (reads.total_value or 0) / 10**8
    summary = "; ".join(problems) or (
        f"{len(rows)} assets worth ${total_usd:,.2f}; every capped share within policy"
    )
    details = ReserveDetails(
        rows if reads.holdings is not None else None,
        reads.total_value,
        reads.within_policy,
        problems,
    )
    return CheckResult(
        "reserve", "National crypto reserve", _status(not problems), summary, details
    )


# ---------------------------------------------------------------- sanctions


@check("sanctions", "Sanctions screening")
def check_sanctions(data: AuditData, key: str) -> CheckResult:
    if data.sanctions is None:
        return CheckResult("sanctions", "Sanctions screening", SKIP, "no sanctions list given")
    address = data.address(key)
    reads = data.chain.tokens[key]
    book = data.view.book(address)
    listed = []
    for account, balance in sorted(data.view.balances_of(address, data.sanctions.entries).items()):
        is_frozen = reads.frozen.get(account, False)
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
        f"{display.count(book.accounts, 'account')} screened against "
        f"{display.count(len(data.sanctions), 'listed address', 'listed addresses')}"
        f" ({data.sanctions.source}); {len(listed):,} listed, {len(failures):,} holding and not "
        "frozen"
    )
    details = SanctionsDetails(
        reads.symbol,
        reads.decimals,
        listed,
        len(data.sanctions),
        data.sanctions.source,
        book.accounts,
    )
    return CheckResult("sanctions", "Sanctions screening", _status(not failures), summary, details)


# ---------------------------------------------------------------- conversion desk


@dataclass
class DeskDetails:
    kgst_per_unit: int
    som_per_unit: int
    flows: dict[str, int]  # rebuild.DESK_FLOWS, in each token's smallest unit
    held_kgst: int
    held_som: int
    findings: list[str]


def _desk_findings(flows: dict[str, int], kgst_unit: int, som_unit: int) -> list[str]:
    """Where the desk's flows disagree: its events against the tokens' supply events, and
    one side against the other at par (in desk units), per direction and net."""
    findings = []
    for said, done, what in (
        ("said_kgst_burned", "kgst_burned", "KGST burned"),
        ("said_som_issued", "som_issued", "digital som issued"),
        ("said_som_redeemed", "som_redeemed", "digital som redeemed"),
        ("said_kgst_minted", "kgst_minted", "KGST minted"),
    ):
        if flows[said] != flows[done]:
            findings.append(
                f"{what}: the desk's events say {flows[said]}, the token's {flows[done]}"
            )
    for kgst_side, som_side, direction in (
        ("kgst_burned", "som_issued", "KGST -> digital som"),
        ("kgst_minted", "som_redeemed", "digital som -> KGST"),
    ):
        if flows[kgst_side] * som_unit != flows[som_side] * kgst_unit:
            findings.append(
                f"{direction}: {flows[kgst_side]} KGST units against {flows[som_side]} "
                "digital som units, not at par"
            )
    net_kgst = flows["kgst_burned"] - flows["kgst_minted"]
    net_som = flows["som_issued"] - flows["som_redeemed"]
    if net_kgst * som_unit != net_som * kgst_unit:
        findings.append(f"net: {net_kgst} KGST units left, {net_som} digital som units entered")
    return findings


@check("desk", "Conversion desk: burned on one side, issued on the other")
def check_desk(data: AuditData, key: str) -> CheckResult:
    """Everything the desk burned on one side equals what it issued on the other, per
    direction and in total (its own events agreeing with the tokens'); both tokens' supplies
    reconcile; the desk holds neither token."""
    title = "Conversion desk: burned on one side, issued on the other"
    reads = data.chain.desk
    if reads is None:
        return CheckResult("desk", title, FAIL, "the desk was not read")
    flows = data.view.desk_flows(data.address(key), reads.kgst, reads.som)
    findings = _desk_findings(flows, reads.kgst_per_unit, reads.som_per_unit)
    for held, symbol in ((reads.held_kgst, "KGST"), (reads.held_som, "digital som")):
        if held:
            findings.append(f"the desk holds {held} units of {symbol}, which it never keeps")
    for token_key, address in (("stablecoin", reads.kgst), ("cbdc", reads.som)):
        token = data.chain.tokens.get(token_key)
        if token is None or data.address(token_key) != address:
            findings.append(f"the desk's token {address} is not the manifest's {token_key}")
            continue
        book = data.view.book(address)
        if not token.total_supply == book.supply == book.minted - book.burned:
            findings.append(f"{token.symbol}'s supply does not reconcile")
    details = DeskDetails(
        reads.kgst_per_unit, reads.som_per_unit, flows, reads.held_kgst, reads.held_som, findings
    )
    summary = (
        f"{flows['to_som']:,} conversions to the digital som, {flows['to_kgst']:,} to KGST; "
        + (f"{len(findings)} finding(s): {findings[0]}" if findings else "at par, nothing held")
    )
    return CheckResult("desk", title, _status(not findings), summary, details)
