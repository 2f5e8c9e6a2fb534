"""`ape run audit` as a scheduler runs it: against a node, exit code checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from somchain.anvil import Anvil
from somchain.devchain import Stack
from somchain.manifest import ROOT, file_name


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    """anvil with the stack and a short history deployed, and its manifest on disk."""
    folder = tmp_path_factory.mktemp("deployments")
    with Anvil() as anvil:
        stack = Stack(anvil.w3).deploy().history()
        genesis = anvil.w3.eth.get_block(0)["hash"].to_0x_hex()
        name = file_name(anvil.w3.eth.chain_id, genesis)
        (folder / name).write_text(json.dumps(stack.manifest()))
        yield anvil, stack, folder


def _ape_run_audit(node, tmp_path, *args: str) -> subprocess.CompletedProcess:
    anvil, _, folder = node
    env = os.environ | {"SOMCHAIN_DEPLOYMENTS": str(folder)}
    ape = os.path.join(os.path.dirname(sys.executable), "ape")
    command = [ape, "run", "audit", "--network", anvil.url, "--out", str(tmp_path / "out")]
    command += ["--index", str(tmp_path / "index.sqlite"), *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_ape_run_audit__clean_history__exits_0_and_writes_every_output(node, tmp_path):
    run = _ape_run_audit(node, tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "audit passed" in run.stdout
    out = tmp_path / "out"
    report = json.loads((out / "report.json").read_text())
    assert report["passed"] is True
    assert (out / "report.md").read_text().startswith("# Audit report")
    assert "data:image/png;base64," in (out / "report.html").read_text()
    assert {p.name for p in (out / "charts").iterdir()} == {
        "supply_reserve.png",
        "reserve_composition.png",
        "cbdc_tiers.png",
    }


def test_ape_run_audit__unfrozen_sanctioned_holder__exits_1(node, tmp_path):
    _, stack, _ = node
    listed = tmp_path / "list.txt"
    listed.write_text(f"{stack.alice}  # holds KGST, not frozen\n")
    run = _ape_run_audit(node, tmp_path, "--sanctions", str(listed), "--confirmations", "2")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "audit FAILED" in run.stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    failed = {c["id"] for c in report["checks"] if c["status"] == "fail"}
    assert failed == {"sanctions.stablecoin", "sanctions.cbdc"}


def test_ape_run_audit__no_manifest_for_the_chain__exits_2(node, tmp_path):
    anvil, _, _ = node
    env = os.environ | {"SOMCHAIN_DEPLOYMENTS": str(tmp_path)}
    ape = os.path.join(os.path.dirname(sys.executable), "ape")
    run = subprocess.run(
        [ape, "run", "audit", "--network", anvil.url, "--out", str(tmp_path / "o")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2, run.stdout + run.stderr
