"""The audit at national scale on anvil: N stablecoin transfers (one per transaction) over
N/10 holders, indexed and audited with SQLite and with PostgreSQL.

Run: `python benchmarks/audit_scale.py [N ...]` (after `ape compile`; default 10000 100000);
merges its runs into benchmarks/results/audit_scale.json, each size with its run record
(machine, date, commit: `benchmarks/provenance.py`). For each N, on a fresh anvil
(`--prune-history`, blocks mined by hand, 2,000 transfers per block):

- plain: the floor: raw `eth_getLogs` via `make_request` in ranges of at most 10,000 logs,
  plain hex decoding, one `executemany` per range into a single table;
- index: `Index.sync` alone (the same fetching, plus events, block times, senders and the
  running balances) into an empty database;
- full audit: `audit()` in a fresh process on an empty database with the options of a
  plain `ape run audit` (its default range policy: ranges from one block, sized by the logs
  they return, answers streamed; indexing, SQL books, every holder's balance and freeze flag
  read on chain in JSON-RPC batches, every check, report files without charts), with its
  wall time and peak RSS (the child's VmHWM); anvil does not cap `eth_getLogs`;
- incremental: N/100 more transfers, then `audit()` again in a fresh process on that index.

The two engines are measured one after the other; the PostgreSQL server is a throwaway
one (`somchain/audit/pgserver.py`, fsync off).
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from eth_utils import to_checksum_address

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.provenance import Run, arguments  # noqa: E402
from somchain.anvil import Anvil  # noqa: E402
from somchain.audit.abi import TRANSFER_TOPIC, EventCodec  # noqa: E402
from somchain.audit.indexer import Index  # noqa: E402
from somchain.audit.logs import RangePolicy, iter_logs  # noqa: E402
from somchain.audit.pgserver import PostgresServer  # noqa: E402
from somchain.audit.pgserver import available as pg_available  # noqa: E402
from somchain.audit.runner import build_sources  # noqa: E402
from somchain.devchain import Stack  # noqa: E402

OUT = Path(__file__).parent / "results" / "audit_scale.json"
SIZES = (10_000, 100_000)
PER_BLOCK = 2_000
SENDERS = 8  # anvil accounts 8..15 (after the stack roles) send; they hold minted KGST
ONE = 10**18
MAX_LOGS = 10_000


def _holders(n: int) -> list[str]:
    base = 0x5C0 << 148
    return [to_checksum_address((base + i).to_bytes(20, "big")) for i in range(n)]


def _rpc_batch(w3, calls: list[tuple[str, list]]) -> list:
    answers = w3.provider.make_batch_request(calls)
    bad = [a for a in answers if "error" in a]
    if bad:
        raise RuntimeError(bad[0]["error"])
    return [a["result"] for a in answers]


class Generator:
    """Sends KGST transfers, one per transaction, from SENDERS accounts to the holders,
    PER_BLOCK per mined block."""

    def __init__(self, stack: Stack, holders: int) -> None:
        self.stack, self.w3 = stack, stack.w3
        self.token = stack.contracts["stablecoin"]
        self.holders = _holders(holders)
        self.senders = self.w3.eth.accounts[8 : 8 + SENDERS]
        for s in self.senders:
            stack.send(self.token.functions.mint(s, 10**8 * ONE), stack.minter)
        self.nonces = {s: self.w3.eth.get_transaction_count(s) for s in self.senders}
        self.sent = 0
        self.w3.provider.make_request("evm_setAutomine", [False])
        self.selector = self.token.functions.transfer(
            self.holders[0], 1
        )._encode_transaction_data()[:10]

    def transfers(self, count: int) -> float:
        start = time.perf_counter()
        gas_price = hex(10 * 10**9)
        for lo in range(0, count, PER_BLOCK):
            calls = []
            for i in range(lo, min(count, lo + PER_BLOCK)):
                k = self.sent + i
                sender = self.senders[k % SENDERS]
                to = self.holders[(k * 7919) % len(self.holders)]
                value = 1 + k % 997
                data = self.selector + to[2:].lower().rjust(64, "0") + hex(value)[2:].rjust(64, "0")
                tx = {
                    "from": sender,
                    "to": self.token.address,
                    "data": data,
                    "gas": hex(90_000),
                    "gasPrice": gas_price,
                    "nonce": hex(self.nonces[sender]),
                }
                self.nonces[sender] += 1
                calls.append(("eth_sendTransaction", [tx]))
            for i in range(0, len(calls), 500):
                _rpc_batch(self.w3, calls[i : i + 500])
            self.w3.provider.make_request("evm_mine", [])
        self.sent += count
        return time.perf_counter() - start


def plain_pipeline(w3, addresses: list[str], start: int, end: int, db_url: str | None) -> dict:
    """The floor the index is compared with: raw logs, slices of hex, one executemany."""
    checksummed = [w3.to_checksum_address(a) for a in addresses]

    def get_logs(p):
        q = {
            "address": p["address"],
            "fromBlock": hex(p["fromBlock"]),
            "toBlock": hex(p["toBlock"]),
        }
        return w3.provider.make_request("eth_getLogs", [q])["result"]

    if db_url is None:
        folder = tempfile.mkdtemp()
        db = sqlite3.connect(Path(folder) / "plain.sqlite")
        mark = "?"
    else:
        import psycopg

        db = psycopg.connect(db_url)
        mark = "%s"
    db.execute(
        "CREATE TABLE plain (block INTEGER, log_index INTEGER, tx TEXT, address TEXT, "
        "src TEXT, dst TEXT, value TEXT, PRIMARY KEY (block, log_index))"
    )
    db.commit()
    sql = f"INSERT INTO plain VALUES ({', '.join([mark] * 7)})"
    policy = RangePolicy(initial=1, max_logs=MAX_LOGS)
    t = time.perf_counter()
    logs = 0
    for _, _, found in iter_logs(get_logs, checksummed, start, end, policy):
        rows = [
            (
                int(x["blockNumber"], 16),
                int(x["logIndex"], 16),
                x["transactionHash"],
                x["address"],
                "0x" + x["topics"][1][-40:],
                "0x" + x["topics"][2][-40:],
                str(int(x["data"], 16)),
            )
            for x in found
            if x["topics"][0] == TRANSFER_TOPIC and len(x["topics"]) == 3
        ]
        cur = db.cursor()
        cur.executemany(sql, rows)
        db.commit()
        logs += len(found)
    seconds = time.perf_counter() - t
    db.close()
    return {"logs": logs, "seconds": round(seconds, 2), "events_per_second": round(logs / seconds)}


def index_only(w3, manifest: dict, location: str) -> dict:
    sources = build_sources()
    codec = EventCodec(sources.abis.values())
    entries = manifest["contracts"].values()
    addresses = [c["address"].lower() for c in entries]
    start = min(c["block"] for c in entries)
    policy = RangePolicy(initial=1, max_logs=MAX_LOGS)
    with Index(location) as index:
        t = time.perf_counter()
        result = index.sync(w3, codec, addresses, start, w3.eth.block_number, policy)
        seconds = time.perf_counter() - t
    return {
        "logs": result.logs,
        "seconds": round(seconds, 2),
        "events_per_second": round(result.logs / seconds),
    }


def audit_in_child(url: str, manifest_file: Path, location: str, out: Path) -> dict:
    """`audit()` in a fresh Python process: wall time, peak RSS, what it fetched."""
    command = [sys.executable, __file__, "--child", url, str(manifest_file), location, str(out)]
    t = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    _, status, _ = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - t
    answer = json.loads(process.stdout.read().strip().splitlines()[-1])
    if status != 0:
        raise RuntimeError(f"audit child failed: {answer}")
    return {
        "seconds": round(seconds, 2),
        "audit_seconds": answer["seconds"],
        **answer["facts"],
    }


def child(url: str, manifest_file: str, location: str, out: str) -> None:
    from web3 import HTTPProvider, Web3

    from somchain.audit import audit

    w3 = Web3(HTTPProvider(url, request_kwargs={"timeout": 300}))
    manifest = json.loads(Path(manifest_file).read_text())
    t = time.perf_counter()
    report = audit(w3, manifest, out, index_path=location, sources=build_sources(), draw=False)
    seconds = time.perf_counter() - t
    supply = next(c for c in report["checks"] if c["id"] == "supply.stablecoin")["details"]
    facts = {
        "passed": report["passed"],
        "failed": [c["id"] for c in report["checks"] if c["status"] == "fail"],
        "fetched_logs": report["meta"]["index"]["fetched_logs"],
        "holders": supply["holders"],
        "balances_checked": supply["balances_checked"],
        "balance_mode": supply["balance_mode"],
        "transfers": supply["transfers"],
        "phases_seconds": report["meta"]["timings"],
    }
    # VmHWM: this process's own peak RSS (ru_maxrss would include the parent's size at fork)
    status = Path("/proc/self/status").read_text().splitlines()
    facts["peak_rss_mb"] = round(
        int(next(line for line in status if line.startswith("VmHWM")).split()[1]) / 1024, 1
    )
    print(json.dumps({"seconds": round(seconds, 2), "facts": facts}))


def run_size(n: int, pg: PostgresServer | None) -> dict:
    result: dict = {"transfers": n, "holders": n // 10}
    node = Anvil("--prune-history", "--gas-limit", "1000000000", "--accounts", "16").start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            w3 = node.w3
            stack = Stack(w3).deploy().history()
            manifest = stack.manifest()
            manifest["contracts"] = {k: v for k, v in manifest["contracts"].items() if k != "cbdc"}
            manifest_file = Path(tmp) / "manifest.json"
            manifest_file.write_text(json.dumps(manifest))
            gen = Generator(stack, n // 10)
            result["generate_seconds"] = round(gen.transfers(n), 1)
            print(f"{n}: generated in {result['generate_seconds']} s", flush=True)
            head = w3.eth.block_number
            addresses = [c["address"].lower() for c in manifest["contracts"].values()]
            start = min(c["block"] for c in manifest["contracts"].values())
            engines = {"sqlite": None}
            if pg is not None:
                engines["postgresql"] = pg
            locations = {}
            for engine, server in engines.items():
                plain_db = server.create_database() if server else None
                plain = plain_pipeline(w3, addresses, start, head, plain_db)
                location = server.create_database() if server else str(Path(tmp) / "idx.sqlite")
                indexed = index_only(w3, manifest, location)
                full_location = (
                    server.create_database() if server else str(Path(tmp) / "full.sqlite")
                )
                locations[engine] = full_location
                full = audit_in_child(node.url, manifest_file, full_location, Path(tmp) / "out")
                result[engine] = {
                    "plain": plain,
                    "index": indexed,
                    "index_vs_plain": round(
                        indexed["events_per_second"] / plain["events_per_second"], 2
                    ),
                    "full_audit": full,
                }
                print(engine, json.dumps(result[engine]), flush=True)
            result["extra_transfers"] = n // 100
            gen.transfers(n // 100)
            for engine in engines:
                inc = audit_in_child(node.url, manifest_file, locations[engine], Path(tmp) / "out")
                result[engine]["incremental_audit"] = inc
                result[engine]["incremental_vs_full"] = round(
                    inc["audit_seconds"] / result[engine]["full_audit"]["audit_seconds"], 3
                )
                print(engine, "incremental", json.dumps(inc), flush=True)
    finally:
        node.stop()
    return result


def main(sizes: list[int]) -> None:
    data = json.loads(OUT.read_text()) if OUT.exists() else {"runs": {}}
    data["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "anvil": subprocess.run(["anvil", "--version"], capture_output=True, text=True)
        .stdout.strip()
        .splitlines()[0],
    }
    data["method"] = __doc__.strip()
    reason = pg_available()
    data["postgresql"] = reason or "PostgreSQL 15, throwaway server, fsync off"
    server = PostgresServer().start() if reason is None else None
    try:
        for n in sizes:
            run = Run("audit_scale")
            data["runs"][str(n)] = run_size(n, server)
            data["runs"][str(n)]["run"] = run.record()
            OUT.parent.mkdir(parents=True, exist_ok=True)
            OUT.write_text(json.dumps(data, indent=2) + "\n")
            print(f"wrote {OUT}", flush=True)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:6])
    else:
        main(arguments(__doc__, sizes=tuple(SIZES)).sizes)
