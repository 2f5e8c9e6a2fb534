"""The README's local-chain walk-through, extracted from the README itself and run in a
fresh shell (a clean environment: nothing but PATH and HOME), against the anvil that
`make anvil-start` starts."""

import os
import re
import shutil
import subprocess

import pytest

from tests.utils.paths import ROOT


def _local_chain_blocks() -> str:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Operate on a local chain", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    assert len(blocks) >= 3, "the section shows its commands in sh blocks"
    return "\n".join(blocks)


@pytest.fixture
def clean_state(tmp_path):
    """The walk-through writes local manifests (deployments/local/) and starts anvil on
    port 8597: both are moved aside and restored."""
    local = ROOT / "deployments" / "local"
    saved = tmp_path / "local"
    if local.exists():
        shutil.move(local, saved)
    yield
    subprocess.run(["make", "anvil-stop"], cwd=ROOT, capture_output=True, check=False)
    shutil.rmtree(ROOT / ".anvil", ignore_errors=True)
    shutil.rmtree(local, ignore_errors=True)
    (ROOT / "proposals" / "pause.json").unlink(missing_ok=True)
    if saved.exists():
        shutil.move(saved, local)


@pytest.mark.slow
def test_readme__local_chain_walk_through__runs_in_a_fresh_shell(clean_state):
    script = "set -euo pipefail\n" + _local_chain_blocks()
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root")}
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "holds no role in any contract" in result.stdout
    assert "propose through the timelock: set tier 0 limits" in result.stdout
    assert "done: execute operation" in result.stdout
    assert "audit passed" in result.stdout
    assert "done: proposal written to proposals/pause.json" in result.stdout
    assert "done: execute through the Safe" in result.stdout
