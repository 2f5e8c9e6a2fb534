"""Where a benchmark figure comes from: the machine, the date, the git commit and the command
of the run that produced it. Every benchmark wraps its results with `Run.finish`, and the
report (`python -m benchmarks.report`) names each figure's run from these records."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def _first_line(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = out.stdout.strip().splitlines()
    return lines[0] if out.returncode == 0 and lines else "unknown"


def _proc_field(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _os_name() -> str:
    pretty = None
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                pretty = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return f"{pretty or platform.system()}, kernel {platform.release()}"


def machine() -> dict[str, Any]:
    """The machine a run measures on: CPU model, logical cores, RAM, OS, Python, anvil."""
    memory = _proc_field("/proc/meminfo", "MemTotal")
    ram_gb = round(int(memory.split()[0]) / 1024**2, 1) if memory else None
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "os": _os_name(),
        "python": platform.python_version(),
        "anvil": _first_line(["anvil", "--version"]),
    }


def commit() -> dict[str, Any]:
    """The checked-out commit, and whether the tree differed from it (results aside)."""
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", ".", ":(exclude)benchmarks/results"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return {
        "commit": _first_line(["git", "rev-parse", "HEAD"]),
        "dirty": bool(status.stdout.strip()) if status.returncode == 0 else None,
    }


class Run:
    """One run of one benchmark: started now; `finish(results)` returns the JSON document
    (`run` record plus `results`) and writes it to benchmarks/results/<benchmark>.json."""

    def __init__(self, benchmark: str) -> None:
        self.benchmark = benchmark
        self.started = datetime.now(UTC)
        self._clock = time.perf_counter()
        self.command = " ".join(["python", "-m", f"benchmarks.{benchmark}", *sys.argv[1:]])

    @property
    def id(self) -> str:
        return f"{self.benchmark}@{self.started:%Y-%m-%dT%H:%M:%SZ}"

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "benchmark": self.benchmark,
            "command": self.command,
            "started": self.started.isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - self._clock, 1),
            **commit(),
            "machine": machine(),
        }

    def finish(self, results: dict[str, Any], out: Path | None = None) -> dict[str, Any]:
        document = {"run": self.record(), "results": results}
        path = out or RESULTS / f"{self.benchmark}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2) + "\n")
        print(f"wrote {path.relative_to(ROOT)} ({document['run']['seconds']} s)", flush=True)
        return document


def merge_sizes(path: Path, size: str, result: dict[str, Any], **fields: Any) -> None:
    """Writes `result` (which carries its own `run` record) as size `size` of the sized
    benchmark at `path`, keeping the other sizes' results from earlier runs."""
    data = json.loads(path.read_text()) if path.exists() else {}
    data.update(fields)
    data.setdefault("sizes", {})[size] = result
    data["sizes"] = dict(sorted(data["sizes"].items(), key=lambda item: int(item[0])))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")
    print(f"wrote {path.relative_to(ROOT)}", flush=True)


def arguments(
    doc: str | None,
    sizes: tuple[int, ...] = (),
    folder: Path | None = None,
    network: str | None = None,
) -> Any:
    """A benchmark's command line: `--help` prints its docstring and runs nothing; sizes
    (numbers of payees or transfers), a results folder or a network where the benchmark
    takes them."""
    import argparse

    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    if sizes:
        parser.add_argument(
            "sizes", nargs="*", type=int, default=list(sizes), help=f"default: {list(sizes)}"
        )
    if folder is not None:
        parser.add_argument("folder", nargs="?", type=Path, default=folder)
    if network is not None:
        parser.add_argument("network", nargs="?", default=network, help=f"default: {network}")
    return parser.parse_args()
