"""Throughput of the audit's event index on anvil: index and reconcile 10,000 and 100,000
Transfer events, then an incremental run after 1,000 more.

Run: `python benchmarks/audit_index.py` (after `ape compile`); writes
benchmarks/results/audit_index.json. The transfers come from the digital som's `disburse`
(500 payees per transaction) to 1,000 registered wallets, sent with web3.py to an anvil
started on a free port. "index" is `Index.sync` alone (eth_getLogs, decoding, SQLite);
"audit" is the whole `audit()` on that index afterwards (loading it, on-chain reads of
every balance, the checks and the report files, charts off); "incremental" is one
`audit()` after 1,000 more transfers, fetching only the new blocks.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from eth_utils import keccak, to_checksum_address

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from somchain.audit import audit  # noqa: E402
from somchain.audit.abi import EventCodec  # noqa: E402
from somchain.audit.devchain import Anvil, Stack, build_sources  # noqa: E402
from somchain.audit.indexer import Index  # noqa: E402

OUT = Path(__file__).parent / "results" / "audit_index.json"
SIZES = (10_000, 100_000)
WALLETS = 1_000
PER_TX = 500
EXTRA = 1_000


def _wallets(n: int) -> list[str]:
    base = 0xA0D17 << 140
    return [to_checksum_address((base + i).to_bytes(20, "big")) for i in range(n)]


class Generator:
    """Sends `disburse` batches of PER_TX payees and counts the Transfer events made."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.som = stack.contracts["cbdc"]
        self.wallets = _wallets(WALLETS)
        for i in range(0, WALLETS, 250):
            stack.send(self.som.functions.registerWallets(self.wallets[i : i + 250], 4), stack.bank)
        self.batches = 0

    def transfers(self, count: int) -> float:
        """Sends `count` more transfers (a multiple of PER_TX); returns the seconds taken."""
        start = time.perf_counter()
        last = None
        for _ in range(count // PER_TX):
            payees = [self.wallets[(self.batches * PER_TX + j) % WALLETS] for j in range(PER_TX)]
            bid = keccak(text=f"bench/{self.batches}")
            fn = self.som.functions.disburse(bid, payees, [1] * PER_TX)
            last = fn.transact({"from": self.stack.treasury, "gas": 25_000_000})
            self.batches += 1
        if last is not None:
            receipt = self.stack.w3.eth.wait_for_transaction_receipt(last, timeout=300)
            assert receipt.status == 1
        return time.perf_counter() - start


def _time_index(w3, manifest, sources, path: Path) -> tuple[float, int]:
    codec = EventCodec(sources.abis.values())
    addresses = [c["address"].lower() for c in manifest["contracts"].values()]
    start = min(c["block"] for c in manifest["contracts"].values())
    with Index(path) as index:
        t = time.perf_counter()
        result = index.sync(w3, codec, addresses, start, w3.eth.block_number)
        return time.perf_counter() - t, result.logs


def _time_audit(w3, manifest, sources, path: Path, out: Path) -> tuple[float, dict]:
    t = time.perf_counter()
    report = audit(w3, manifest, out, index_path=path, sources=sources, draw=False)
    return time.perf_counter() - t, report


def _transfer_count(report: dict) -> int:
    return report["meta"]["index"]["transfers"]


def run() -> dict:
    sources = build_sources()
    results: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "anvil": subprocess.run(["anvil", "--version"], capture_output=True, text=True)
            .stdout.strip()
            .splitlines()[0],
        },
        "method": __doc__.strip().splitlines()[0],
        "per_tx": PER_TX,
        "wallets": WALLETS,
        "runs": [],
    }
    with Anvil() as node, tempfile.TemporaryDirectory() as tmp:
        w3 = node.w3
        stack = Stack(w3).deploy().history()
        manifest = stack.manifest()
        gen = Generator(stack)
        made = 0
        for size in SIZES:
            gen_seconds = gen.transfers(size - made)
            made = size
            path = Path(tmp) / f"{size}.sqlite"
            index_s, logs = _time_index(w3, manifest, sources, path)
            audit_s, report = _time_audit(w3, manifest, sources, path, Path(tmp) / "out")
            assert report["passed"], [c for c in report["checks"] if c["status"] == "fail"]
            gen.transfers(EXTRA)
            made += EXTRA
            inc_s, inc_report = _time_audit(w3, manifest, sources, path, Path(tmp) / "out")
            assert inc_report["passed"]
            run = {
                "transfers_generated": size,
                "generate_seconds": round(gen_seconds, 2),
                "blocks": report["meta"]["block"],
                "logs_indexed": logs,
                "transfer_events": _transfer_count(report),
                "index_seconds": round(index_s, 2),
                "index_events_per_second": round(logs / index_s),
                "audit_seconds": round(audit_s, 2),
                "balances_checked": next(
                    c["details"]["balances_checked"]
                    for c in report["checks"]
                    if c["id"] == "supply.cbdc"
                ),
                "balance_mode": next(
                    c["details"]["balance_mode"]
                    for c in report["checks"]
                    if c["id"] == "supply.cbdc"
                ),
                "incremental_new_logs": inc_report["meta"]["index"]["fetched_logs"],
                "incremental_seconds": round(inc_s, 2),
            }
            results["runs"].append(run)
            print(json.dumps(run), flush=True)
    return results


if __name__ == "__main__":
    data = run()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=2) + "\n")
    print(f"wrote {OUT}")
