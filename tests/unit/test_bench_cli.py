"""Every benchmark's `--help` prints its description and runs nothing."""

import runpy
import sys

import pytest

from benchmarks.provenance import RESULTS
from benchmarks.report import SOURCES

BENCHMARKS = [*SOURCES, "report"]


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_help__prints_its_description_and_writes_nothing(name, monkeypatch, capsys):
    before = {p.name: p.stat().st_mtime_ns for p in RESULTS.iterdir()}
    monkeypatch.setattr(sys, "argv", [f"benchmarks/{name}.py", "--help"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_module(f"benchmarks.{name}", run_name="__main__")
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: ")
    assert "-h, --help" in out
    assert {p.name: p.stat().st_mtime_ns for p in RESULTS.iterdir()} == before


def test_benchmark_sizes__not_a_number__one_line_usage_error(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["benchmarks/payroll_scale.py", "many"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("benchmarks.payroll_scale", run_name="__main__")
    assert exited.value.code == 2
    assert "invalid int value: 'many'" in capsys.readouterr().err
