"""The watcher on anvil: catching up a backlog of N stablecoin transfers (one per
transaction, 2,000 per block, over N/10 holders), and the delay from a block reaching the
confirmation depth to its alert arriving at a webhook, at 1,000 transactions per block.

Run: `python -m benchmarks.watch_scale [N ...]` (after `ape compile`; default 10000);
merges its runs into benchmarks/results/watch_scale.json, each size with its run record.
For each N, on a fresh anvil (`--prune-history`, blocks mined by hand):

- catch-up: one `Watcher.step()` from the deployment to the head, every rule on (the
  sanctions rule screening every transfer against a 1,000-address list), alerts to a
  JSON-lines file, checkpoint and outbox in SQLite: events per second (logs fetched over
  the step's wall time) and the process's peak RSS (VmHWM) after it;
- latency: the watcher running in a thread (poll every 50 ms, 1 confirmation), then
  ROUNDS blocks each holding 1,000 transfers and one mint above the large-mint threshold,
  each followed by the block that confirms it; the time from that confirming block being
  mined to the mint's alert arriving at an in-process webhook receiver (median and max).
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.audit_scale import ONE, Generator, _holders  # noqa: E402
from benchmarks.provenance import Run, arguments, merge_sizes  # noqa: E402
from somchain.anvil import Anvil  # noqa: E402
from somchain.devchain import Stack  # noqa: E402
from somchain.watch import Store, WatchConfig, Watcher  # noqa: E402

OUT = Path(__file__).parent / "results" / "watch_scale.json"
SIZES = (10_000,)
ROUNDS = 10
PER_BLOCK_STEADY = 1_000


def _peak_rss_mb() -> float:
    status = Path("/proc/self/status").read_text().splitlines()
    return round(int(next(x for x in status if x.startswith("VmHWM")).split()[1]) / 1024, 1)


class _Receiver:
    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                alert = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if alert["rule"] == "large_mint":
                    receiver.arrivals[alert["tx"]] = time.perf_counter()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"


def run_size(n: int) -> dict:
    node = Anvil("--prune-history", "--gas-limit", "1000000000", "--accounts", "16").start()
    result: dict = {"transfers": n, "holders": n // 10}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            w3 = node.w3
            stack = Stack(w3).deploy().history()
            manifest = stack.manifest()
            gen = Generator(stack, n // 10)
            result["generate_seconds"] = round(gen.transfers(n), 1)
            listed = {a.lower(): {"name": "listed"} for a in _holders(n // 10 + 1_000)[-1_000:]}
            config = WatchConfig.model_validate(
                {
                    "confirmations": 0,
                    "delivery": {"stdout": False, "file": str(Path(tmp) / "alerts.jsonl")},
                }
            )
            watcher = Watcher(
                w3, manifest, config, Store(Path(tmp) / "w.sqlite"), sanctioned=listed
            )
            t = time.perf_counter()
            step = watcher.step()
            seconds = time.perf_counter() - t
            result["catch_up"] = {
                "logs": step.logs,
                "alerts": step.alerts,
                "seconds": round(seconds, 2),
                "events_per_second": round(step.logs / seconds),
                "peak_rss_mb": _peak_rss_mb(),
            }
            print(n, "catch-up", json.dumps(result["catch_up"]), flush=True)
            result["latency"] = latency(w3, stack, gen, manifest, tmp)
            print(n, "latency", json.dumps(result["latency"]), flush=True)
    finally:
        node.stop()
    return result


def latency(w3, stack: Stack, gen: Generator, manifest: dict, tmp: str) -> dict:
    receiver = _Receiver()
    config = WatchConfig.model_validate(
        {
            "confirmations": 1,
            "poll_seconds": 0.05,
            "start_block": w3.eth.block_number + 1,
            "delivery": {"stdout": False, "webhooks": [{"url": receiver.url}]},
        }
    )
    watcher = Watcher(w3, manifest, config, Store(Path(tmp) / "latency.sqlite"))
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    kgst = stack.contracts["stablecoin"]
    delays = []
    for _ in range(ROUNDS):
        tx = stack.send(kgst.functions.mint(stack.alice, 200_000 * ONE), stack.minter, wait=False)
        gen.transfers(PER_BLOCK_STEADY)  # mines the block holding the mint and the transfers
        w3.provider.make_request("evm_mine", [])  # the block that confirms it
        confirmed = time.perf_counter()
        key = "0x" + bytes(tx).hex()
        deadline = confirmed + 30
        while key not in receiver.arrivals and time.perf_counter() < deadline:
            time.sleep(0.005)
        delays.append(receiver.arrivals.get(key, float("inf")) - confirmed)
    stop.set()
    thread.join()
    receiver.server.shutdown()
    delays.sort()
    return {
        "rounds": ROUNDS,
        "transactions_per_block": PER_BLOCK_STEADY + 1,
        "confirmations": 1,
        "poll_seconds": 0.05,
        "median_seconds": round(delays[len(delays) // 2], 3),
        "max_seconds": round(delays[-1], 3),
    }


def main(sizes: list[int]) -> None:
    for n in sizes:
        run = Run("watch_scale")
        result = run_size(n)
        result["run"] = run.record()
        merge_sizes(OUT, str(n), result, method=__doc__.strip())


if __name__ == "__main__":
    main(arguments(__doc__, sizes=SIZES).sizes)
