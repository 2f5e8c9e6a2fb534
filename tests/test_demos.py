"""The three walk-throughs and `ape run demo` (the script behind `make demo`)."""

import pytest

from somchain.cbdc import demo as cbdc_demo
from somchain.reserve import demo as reserve_demo
from somchain.stablecoin import demo as stablecoin_demo


def test_stablecoin_demo__walks_every_step():
    lines: list[str] = []
    deployed = stablecoin_demo.demo(lines.append)
    token = deployed["token"]
    assert token.paused() is False
    assert token.totalSupply() == 1_000_000 * 10**18
    text = "\n".join(lines)
    for step in ("attest:", "mint:", "transfer:", "freeze:", "seize:", "pause:", "unpause:"):
        assert step in text


@pytest.mark.slow
def test_ape_run_demo__walks_everything_and_ends_with_a_passing_audit(tmp_path):
    """`ape run demo`, the script behind `make demo`, in a subprocess with a temporary
    folder of its own (TMPDIR), which other tests running beside it do not write to."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    ape = str(Path(sys.executable).parent / "ape")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = subprocess.run(
        [ape, "run", "demo", "-v", "WARNING"],
        cwd=root,
        env=dict(os.environ, TMPDIR=str(temporary)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for part in ("National stablecoin", "Digital Som", "Operator scripts", "Audit"):
        assert part in result.stdout
    assert "audit passed" in result.stdout
    assert "report: " in result.stdout
    assert (root / "reports/demo/report.html").is_file()
    # What the demo works with stays beside the report, nothing in the temporary folder.
    assert list((root / "reports/demo/deployments").rglob("*.json"))
    assert (root / "reports/demo/index.sqlite").is_file()
    left = list(temporary.iterdir())
    assert not [p for p in left if p.name.startswith("somchain")]


def test_cbdc_demo__runs__prints_every_step():
    lines: list[str] = []
    cbdc_demo.demo(lines.append)
    assert [line.split(".")[0] for line in lines[1:]] == ["1", "2", "3", "4", "5"]
    assert "swept" in lines[-1]


def test_reserve_demo__on_local_chain__reports_each_step():
    lines: list[str] = []

    reserve_demo.demo(lines.append)

    text = "\n".join(lines)
    assert lines[0].startswith("Deploying the reserve")
    assert any(line.strip().startswith("total") for line in lines)
    assert "ready now? False" in text
    assert "ready now? True" in text
    assert any(line.startswith("Executed: 10,000 USDT to") for line in lines)
    assert "  recipient USDT balance: 10,000 USDT" in lines
    assert lines[-1] == "  reserve value: $200,000.00"  # $60k BNB + $100k BTCB + $40k USDT
