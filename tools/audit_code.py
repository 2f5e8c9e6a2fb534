"""`make audit-code`: Slither over the production contracts, offline, through the project's
wasm compiler; fails on any finding not triaged in security/slither-triage.json.

The compiler shim speaks only `--standard-json`, so Slither reads a solc standard-JSON input
written here (every production source by path, the remappings and optimizer settings of
ape-config.yaml) with crytic-compile's `solc-json` framework. Each finding is keyed by its
detector and the contract.function (or contract.variable) it names first; the triage file
gives every accepted key a reason.

Usage: python tools/audit_code.py [--json OUT]   (exit 0: clean, 1: untriaged findings)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TRIAGE = ROOT / "security" / "slither-triage.json"
# The production contracts: everything but the test-only mocks.
FOLDERS = (
    "cbdc",
    "compliance",
    "desk",
    "governance",
    "interfaces",
    "proxy",
    "reserve",
    "stablecoin",
)
REMAPPINGS = {
    "@openzeppelin/contracts/": "vendor/openzeppelin-contracts/",
    "@openzeppelin/contracts-upgradeable/": "vendor/openzeppelin-contracts-upgradeable/",
}
# Detectors whose findings are style rather than risk (naming, pragma, assembly use, ...).
EXCLUDED = (
    "naming-convention,solc-version,pragma,assembly,low-level-calls,dead-code,"
    "too-many-digits,unused-return,similar-names,cyclomatic-complexity"
)


def sources() -> list[Path]:
    return sorted(p for f in FOLDERS for p in (ROOT / "contracts" / f).rglob("*.sol"))


def standard_json() -> dict:
    cfg = yaml.safe_load((ROOT / "ape-config.yaml").read_text())["solidity"]
    return {
        "language": "Solidity",
        "sources": {
            str(p.relative_to(ROOT)): {"urls": [str(p.relative_to(ROOT))]} for p in sources()
        },
        "settings": {
            "remappings": [f"{k}={v}" for k, v in REMAPPINGS.items()],
            "optimizer": {"enabled": bool(cfg["optimize"]), "runs": cfg["optimization_runs"]},
            "evmVersion": cfg["evm_version"],
            "viaIR": bool(cfg.get("via_ir", False)),
            "outputSelection": {
                "*": {"*": ["abi", "evm.bytecode", "evm.deployedBytecode"], "": ["ast"]}
            },
        },
    }


def solc_binary() -> Path:
    version = yaml.safe_load((ROOT / "ape-config.yaml").read_text())["solidity"]["version"]
    folder = Path(os.environ.get("SOLCX_BINARY_PATH", ROOT / ".solcx"))
    return folder / f"solc-v{version}"


def run_slither() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "input.json"
        out = Path(tmp) / "slither.json"
        source.write_text(json.dumps(standard_json()))
        cmd = [
            "slither",
            str(source),
            "--compile-force-framework",
            "solc-json",
            "--solc",
            str(solc_binary()),
            "--solc-args",
            f"--base-path {ROOT}",
            "--filter-paths",
            "vendor|node_modules",
            "--exclude-informational",
            "--exclude-optimization",
            "--exclude",
            EXCLUDED,
            "--json",
            str(out),
        ]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if not out.exists():
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit("slither did not run (see its output above)")
        report = json.loads(out.read_text())
    if not report.get("success"):
        raise SystemExit(f"slither failed: {report.get('error')}")
    return report.get("results", {}).get("detectors", [])


def key_of(finding: dict) -> str:
    """`detector:Contract.member`, from the first element the finding names."""
    for element in finding.get("elements", []):
        parent = element.get("type_specific_fields", {}).get("parent", {})
        if element["type"] in ("function", "variable") and parent.get("type") == "contract":
            return f"{finding['check']}:{parent['name']}.{element['name']}"
        if element["type"] == "contract":
            return f"{finding['check']}:{element['name']}"
    return f"{finding['check']}:?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the findings, keyed, to this file")
    args = parser.parse_args()
    findings = run_slither()
    triage = json.loads(TRIAGE.read_text())["findings"]
    keyed: dict[str, dict] = {}
    for f in findings:
        keyed.setdefault(key_of(f), f)
    if args.json:
        rows = [
            {
                "key": k,
                "impact": f["impact"],
                "confidence": f["confidence"],
                "description": f["description"],
            }
            for k, f in sorted(keyed.items())
        ]
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    untriaged = {k: f for k, f in keyed.items() if k not in triage}
    stale = sorted(set(triage) - set(keyed))
    for key, f in sorted(keyed.items()):
        mark = "triaged" if key in triage else "NEW"
        print(f"{mark:8} {f['impact']:6} {key}")
    for key in stale:
        print(f"stale    triage entry no longer reported: {key}")
    print(
        f"slither: {len(keyed)} findings ({len(findings)} results), "
        f"{len(keyed) - len(untriaged)} triaged, {len(untriaged)} new"
    )
    for key, f in sorted(untriaged.items()):
        print(f"\n{key} [{f['impact']}/{f['confidence']}]\n{f['description'].strip()}")
    return 1 if untriaged or stale else 0


if __name__ == "__main__":
    sys.exit(main())
