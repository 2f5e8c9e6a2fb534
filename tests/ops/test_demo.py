from somchain import stablecoin_demo


def test_stablecoin_demo__walks_every_step():
    lines: list[str] = []
    deployed = stablecoin_demo.demo(lines.append)
    token = deployed["token"]
    assert token.paused() is False
    assert token.totalSupply() == 1_000_000 * 10**18
    text = "\n".join(lines)
    for step in ("attest:", "mint:", "transfer:", "freeze:", "seize:", "pause:", "unpause:"):
        assert step in text


def test_ape_run_demo__walks_everything_and_ends_with_a_passing_audit(tmp_path):
    """`ape run demo`, the script behind `make demo`, in a subprocess."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    ape = str(Path(sys.executable).parent / "ape")
    result = subprocess.run(
        [ape, "run", "demo", "-v", "WARNING"],
        cwd=root,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for part in ("National stablecoin", "Digital Som", "Operator scripts", "Audit"):
        assert part in result.stdout
    assert "audit passed" in result.stdout
    assert "report: " in result.stdout and (root / "reports/demo/report.html").is_file()
