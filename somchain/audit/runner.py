"""The audit from end to end: index, read the chain, run the checks, write the report."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from somchain import manifest as manifests
from somchain.audit import parts, rebuild, report
from somchain.audit.abi import EventCodec
from somchain.audit.checks import (
    FAIL,
    AuditData,
    CbdcDetails,
    Check,
    CheckResult,
    CoverageDetails,
    ReserveDetails,
    run_checks,
)
from somchain.audit.indexer import Index
from somchain.audit.logs import RangePolicy
from somchain.audit.onchain import read_chain
from somchain.compliance.sanctions import SanctionsList
from somchain.compliance.sanctions import load as load_sanctions

DEFAULT_INDEX_DIR = manifests.ROOT / "reports" / "index"


@dataclass
class Sources:
    """What the audit compares against: contract ABIs and local runtime builds by name."""

    abis: dict[str, list[dict]]
    builds: dict[str, str]


def project_sources(names: set[str]) -> Sources:
    """ABIs and runtime code of `names` (and the proxy) from the ape project's build."""
    from ape import project

    abis, builds = {}, {}
    for name in names | {"TokenProxy"}:
        try:
            ct = getattr(project, name).contract_type
        except AttributeError:
            continue
        abis[name] = [item.model_dump(mode="json", by_alias=True) for item in ct.abi]
        if ct.runtime_bytecode and ct.runtime_bytecode.bytecode:
            builds[name] = ct.runtime_bytecode.bytecode
    return Sources(abis, builds)


def build_sources(
    names: tuple[str, ...] = (
        "NationalStablecoin",
        "ReserveAttestation",
        "DigitalSom",
        "TokenProxy",
    ),
) -> Sources:
    """ABIs and runtime code of `names` from the ape build, without importing ape."""
    types = json.loads((manifests.ROOT / ".build" / "__local__.json").read_text())["contractTypes"]
    return Sources(
        {n: types[n]["abi"] for n in names},
        {n: types[n]["runtimeBytecode"]["bytecode"] for n in names},
    )


def connected_web3() -> Any:
    """The web3 instance of ape's connected provider."""
    from ape import chain

    return chain.provider.web3


def _manifest(chain_id_or_manifest: int | dict) -> dict[str, Any]:
    if isinstance(chain_id_or_manifest, dict):
        return chain_id_or_manifest
    return manifests.load(int(chain_id_or_manifest))


def manifest_from_contracts(chain_id: int, **contracts: Any) -> dict[str, Any]:
    """A manifest built in memory from ape contract instances (for example the demo's),
    keyed like a deployment manifest (stablecoin=..., cbdc=..., attestation=...)."""
    w3 = connected_web3()
    from somchain.audit.onchain import IMPLEMENTATION_SLOT

    entries = {}
    for key, contract in contracts.items():
        if contract is None:
            continue
        entry = {"contract": contract.contract_type.name, "address": contract.address, "block": 0}
        word = bytes(w3.eth.get_storage_at(contract.address, IMPLEMENTATION_SLOT))[-20:]
        if any(word):
            entry["implementation"] = w3.to_checksum_address(word)
        entries[key] = entry
    return {"chain_id": chain_id, "contracts": entries}


@dataclass
class Verify:
    """Whose balances are read on chain. By default every account whose stored balance
    changed since the last audit that verified the token without a mismatch (every
    account on a first audit, after a rebuild or at an earlier block); `all` reads every
    account; `sample` reads that many accounts drawn with `seed`."""

    all: bool = False
    sample: int | None = None
    seed: int = 0


def _verified_key(token: str) -> str:
    return f"verified:{token}"


def _plan(conn: Any, index: Index, token: str, verify: Verify, fresh_state: bool):
    if verify.sample is not None:
        accounts = rebuild.sample_holders(conn, token, verify.sample, verify.seed)
        return accounts, f"sample of {len(accounts)} (seed {verify.seed})"
    since = None if verify.all or fresh_state else index.meta(_verified_key(token), conn)
    accounts = rebuild.holders_changed_after(conn, token, int(since) if since else None)
    return accounts, ("all accounts" if since is None else f"changed after block {since}")


def gather(
    w3: Any,
    manifest: dict[str, Any],
    block: int | None = None,
    sanctions: str | Path | SanctionsList | None = None,
    confirmations: int = 0,
    index_path: str | Path | None = None,
    sources: Sources | None = None,
    verify: Verify | None = None,
    policy: RangePolicy | None = None,
    get_logs: Callable[[dict], Iterable[Any]] | None = None,
    progress: Callable[[int, int], Any] | None = None,
    rebuild_state: bool = False,
) -> tuple[AuditData, dict[str, Any]]:
    """Brings the index up to date and reads the chain: the inputs of every check, and
    facts about the indexing run. `index_path` is a SQLite file or a database URL."""
    chain_id = w3.eth.chain_id
    verify = verify or Verify()
    entries = manifest.get("contracts", {})
    present = parts.present(manifest)
    keys = [p.key for p in present]
    addresses = [entries[k]["address"].lower() for k in keys]
    tokens = {p.key: entries[p.key]["address"].lower() for p in present if p.is_token}
    sources = sources or project_sources({entries[k].get("contract", "") for k in keys})
    codec = EventCodec(sources.abis.values())
    start = min([int(entries[k].get("block", 0) or 0) for k in keys] or [0])

    head = w3.eth.block_number
    target = head if block is None else int(block)
    if target > head:
        raise ValueError(f"block {target} is beyond the chain head {head}")
    safe = max(-1, min(target, head - confirmations))
    location = index_path or DEFAULT_INDEX_DIR / f"{chain_id}.sqlite"
    listed = load_sanctions(sanctions) if isinstance(sanctions, str | Path) else sanctions
    block_time = int(w3.eth.get_block(target)["timestamp"])

    with Index(location) as index:
        first = start if index.last_block is None else max(start, index.last_block + 1)
        ticker = progress(first, safe) if progress is not None and safe >= first else None
        clock = time.perf_counter()
        synced = index.sync(w3, codec, addresses, start, safe, policy, ticker, get_logs)
        timings = {"index": time.perf_counter() - clock}
        stored_to = index.last_block if index.last_block is not None else start - 1
        fresh_state = rebuild_state or target < stored_to
        with index.snapshot(
            w3, codec, addresses, target, start, rebuild_state, policy, get_logs
        ) as conn:
            clock = time.perf_counter()
            state = rebuild.load_state(conn, list(tokens.values()))
            plan = {}
            for key, token in tokens.items():
                plan[key] = _plan(conn, index, token, verify, fresh_state)
                wallets = state.wallets(token)
                known = set(state.frozen(token)) | state.seized(token) | set(wallets)
                state.add_balances(conn, token, [*plan[key][0], *known])
                if listed is not None:
                    state.add_balances(conn, token, listed.entries)
            timings["books"] = time.perf_counter() - clock
            clock = time.perf_counter()
            reads = read_chain(w3, manifest, state, target, listed, plan)
            timings["chain_reads"] = time.perf_counter() - clock
        data = AuditData(manifest, target, block_time, state, reads, sources.builds, listed)
        info = {
            "keys": keys,
            "verified_markers": {
                k: t for k, t in tokens.items() if verify.sample is None and target >= stored_to
            },
            "location": index.location,  # with any password: for mark_verified, not reports
            "engine": index.engine.dialect.name,
            "index": {
                "path": str(location)
                if index.engine.dialect.name == "sqlite"
                else index.engine.url.render_as_string(hide_password=True),
                "engine": index.engine.dialect.name,
                "from_block": start,
                "to_block": stored_to,
                "fetched_blocks": max(0, synced.to_block - synced.from_block + 1),
                "fetched_logs": synced.logs,
                "requests": synced.stats.requests,
                "range_errors": synced.stats.range_errors,
                "reset": synced.reset,
                "tail_blocks": max(0, target - stored_to),
                "rebuilt": fresh_state,
                "transfers": state.counts["transfers"],
                "events": state.counts["events"],
            },
            "timings": timings,
            "verification": {
                "mode": "sample" if verify.sample is not None else "all" if verify.all else "new",
                "sample": verify.sample,
                "seed": verify.seed if verify.sample is not None else None,
            },
        }
    return data, info


def mark_verified(location: str | Path, info: dict[str, Any], results: list[CheckResult]):
    """Records, per token whose supply check passed, the block up to which every changed
    balance was verified on chain; the next audit reads only accounts changed after it."""
    passed = {r.key for r in results if r.id.startswith("supply") and r.status != FAIL}
    with Index(location) as index, index.engine.begin() as conn:
        for key, token in info["verified_markers"].items():
            if key in passed:
                index._set_meta(conn, _verified_key(token), str(info["index"]["to_block"]))


def audit(
    w3: Any,
    manifest: dict[str, Any],
    out_dir: str | Path,
    block: int | None = None,
    sanctions: str | Path | SanctionsList | None = None,
    confirmations: int = 0,
    index_path: str | Path | None = None,
    sources: Sources | None = None,
    verify: Verify | None = None,
    policy: RangePolicy | None = None,
    get_logs: Callable[[dict], Iterable[Any]] | None = None,
    progress: Callable[[int, int], Any] | None = None,
    registry: list[Check] | None = None,
    draw: bool = True,
    rebuild_state: bool = False,
    institution: str | None = None,
) -> dict[str, Any]:
    """Runs the audit at `block` (default: latest) and writes report.json, report.md,
    report.html and charts/*.png to `out_dir`; returns the report.

    `progress(first_block, last_block)` returns a callable that is given the number of
    blocks and of logs each fetched range covered.
    """
    chain_id = w3.eth.chain_id
    entries = manifest.get("contracts", {})
    data, info = gather(
        w3,
        manifest,
        block,
        sanctions,
        confirmations,
        index_path,
        sources,
        verify,
        policy,
        get_logs,
        progress,
        rebuild_state,
    )
    clock = time.perf_counter()
    results = run_checks(data, registry)
    info["timings"]["checks"] = time.perf_counter() - clock
    mark_verified(info["location"], info, results)
    target, block_time, listed, view = data.block, data.block_time, data.sanctions, data.view
    keys = info["keys"]

    labels = {entries[k]["address"].lower(): k for k in keys}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rep: dict[str, Any] = {
        "meta": {
            "chain_id": chain_id,
            "block": target,
            "block_time": block_time,
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "network": manifest.get("network"),
            "institution": institution or manifest.get("institution"),
            "deployed_commit": manifest.get("git_commit"),
            "audit_commit": manifests.git_commit(),
            "contracts": {k: entries[k]["address"] for k in keys},
            "confirmations": confirmations,
            "sanctions": listed.source if listed else None,
            "index": info["index"],
            "verification": info["verification"],
            "timings": {k: round(v, 3) for k, v in info["timings"].items()},
        },
        "passed": not any(r.status == FAIL for r in results),
        "checks": [r.to_dict() for r in results],
        "journal": view.journal(labels),
        "charts": {},
    }
    if draw:
        rep["charts"] = _draw(results, out / "charts")
    report.write(rep, results, out)
    return rep


def _first(results: list[CheckResult], kind: type) -> Any:
    return next((r.details for r in results if isinstance(r.details, kind)), None)


def _draw(results: list[CheckResult], folder: Path) -> dict[str, str]:
    from somchain.audit import charts  # matplotlib only when charts are drawn

    folder.mkdir(parents=True, exist_ok=True)
    drawn = {}
    cov = _first(results, CoverageDetails)
    if cov and cov.series:
        p = charts.supply_and_reserve(
            cov.series, cov.decimals, folder / "supply_reserve.png", cov.symbol
        )
        if p:
            drawn["supply_reserve"] = str(p)
    reserve = _first(results, ReserveDetails)
    if reserve and reserve.holdings:
        pie = {h.symbol: h.value / 10**8 for h in reserve.holdings}
        title = "National crypto reserve by value (USD)"
    elif cov and cov.reserve is not None:
        pie = {f"attested fiat reserve ({cov.symbol} backing)": cov.reserve / 10**cov.decimals}
        title = f"Reserve composition ({cov.symbol})"
    else:
        pie = {}
    unit = "USD" if reserve and reserve.holdings else (cov.symbol if cov else "")
    p = charts.composition(pie, folder / "reserve_composition.png", title, unit) if pie else None
    if p:
        drawn["reserve_composition"] = str(p)
    cbdc = _first(results, CbdcDetails)
    if cbdc and cbdc.tiers:
        tiers = {t: {"wallets": v.wallets, "balance": v.balance} for t, v in cbdc.tiers.items()}
        p = charts.cbdc_by_tier(tiers, cbdc.decimals, folder / "cbdc_tiers.png", cbdc.symbol)
        if p:
            drawn["cbdc_tiers"] = str(p)
    return drawn


def run_audit(
    chain_id_or_manifest: int | dict,
    out_dir: str | Path,
    block: int | None = None,
    sanctions: str | Path | SanctionsList | None = None,
    confirmations: int = 0,
    **options: Any,
) -> dict[str, Any]:
    """The audit on ape's connected network. `chain_id_or_manifest` is a chain id (its
    manifest is read from deployments/) or a manifest dict, such as the demo's built with
    `manifest_from_contracts`. Further options are those of `audit`."""
    w3 = options.pop("w3", None) or connected_web3()
    return audit(
        w3, _manifest(chain_id_or_manifest), out_dir, block, sanctions, confirmations, **options
    )
