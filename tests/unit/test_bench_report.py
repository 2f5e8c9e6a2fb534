"""The benchmark report (`python -m benchmarks.report`) over small fixture results: every
figure comes from the JSON, each names its run, and a missing benchmark is reported as such."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import report
from benchmarks.floor import TRANSFER_LOG, batch_floor, calldata_gas, floor

MACHINE = {
    "cpu": "Test CPU 9000",
    "cores": 2,
    "ram_gb": 8.0,
    "os": "Debian GNU/Linux 12 (bookworm), kernel 6.1",
    "python": "3.11.7",
    "anvil": "anvil Version: 1.7.1",
}


def _run(benchmark: str, started: str) -> dict:
    return {
        "id": f"{benchmark}@{started}",
        "benchmark": benchmark,
        "command": f"python -m benchmarks.{benchmark}",
        "started": started,
        "seconds": 12.5,
        "commit": "0123456789abcdef0123456789abcdef01234567",
        "dirty": False,
        "machine": MACHINE,
    }


def _engine(eps: int) -> dict:
    return {
        "plain": {"events_per_second": 2 * eps},
        "index": {"events_per_second": eps},
        "index_vs_plain": 0.5,
        "full_audit": {"audit_seconds": 1.25, "peak_rss_mb": 101.4},
        "incremental_audit": {"audit_seconds": 0.5, "peak_rss_mb": 80.0},
    }


FIXTURES = {
    "stablecoin_gas": {
        "run": _run("stablecoin_gas", "2026-01-02T10:00:00+00:00"),
        "results": {
            "operations": {
                "transfer to an existing holder": {
                    "ours": 41_342,
                    "plain_oz": 34_491,
                    "floor": 33_388,
                },
                "transferWithAuthorization": {"ours": 78_691, "plain_oz": None, "floor": None},
            }
        },
    },
    "cbdc_gas": {
        "run": _run("cbdc_gas", "2026-01-02T10:01:00+00:00"),
        "results": {
            "disburse": {
                "100": {
                    "new": {"gas_per_payee": 30_392, "floor_per_payee": 24_443},
                    "existing": {"gas_per_payee": 13_292, "floor_per_payee": 7_343},
                    "registration": {"per_call": 100, "gas_per_wallet": 47_685},
                }
            },
            "airdrop_baseline": {
                "100": {
                    "new": {"gas_per_payee": 26_681, "floor_per_payee": 24_444},
                    "existing": {"gas_per_payee": 9_581, "floor_per_payee": 7_344},
                }
            },
            "erc20_transfer": {"to_existing_holder_gas": 34_443},
            "limited_transfer": {
                "first_in_window_gas": 53_417,
                "within_open_window_gas": 53_393,
                "with_waterfall_sweep_gas": 62_456,
                "floor": 33_340,
            },
        },
    },
    "payroll_scale": {
        "sizes": {
            "1000": {
                "wall_seconds": 1.7,
                "payees_per_second": 588,
                "gas_per_payee": 30_274,
                "transactions": 5,
                "run": _run("payroll_scale", "2026-01-02T10:03:00+00:00"),
            }
        }
    },
    "desk_gas": {
        "run": _run("desk_gas", "2026-01-02T10:06:00+00:00"),
        "results": {
            "operations": {
                "convertToSom (after an approval)": {"ours": 109_028, "limit": 120_000},
            }
        },
    },
    "onboarding_scale": {
        "sizes": {
            "10000": {
                "wall_seconds": 14.4,
                "wallets_per_second": 694,
                "gas_per_wallet": 47_713,
                "transactions": 50,
                "run": _run("onboarding_scale", "2026-01-02T10:05:00+00:00"),
            }
        }
    },
    "audit_scale": {
        "runs": {
            "10000": {
                "sqlite": _engine(35_081),
                "postgresql": _engine(25_608),
                "run": _run("audit_scale", "2026-01-02T10:04:00+00:00"),
            },
            "1000000": {"sqlite": _engine(36_396), "code": "commit c8d6f7d"},
        }
    },
    "watch_scale": {
        "sizes": {
            "10000": {
                "catch_up": {"events_per_second": 21_500, "peak_rss_mb": 114.2},
                "latency": {
                    "transactions_per_block": 1_001,
                    "median_seconds": 0.112,
                    "max_seconds": 0.174,
                },
                "run": _run("watch_scale", "2026-01-02T10:06:00+00:00"),
            }
        }
    },
}


@pytest.fixture
def results(tmp_path: Path) -> Path:
    for name, document in FIXTURES.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(document))
    return tmp_path


@pytest.fixture
def readme(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    path.write_text(
        f"# Title\n\n## Benchmarks\n\n{report.BEGIN}\nstale figures\n{report.END}\n\n## Next\n"
    )
    return path


def test_report__fixture_results__tables_cite_their_runs(results, readme):
    bench = report.main(results, readme)

    gas = {(r["contract"], r["operation"]): r for r in bench["tables"]["gas"]}
    transfer = gas[("KGST (proxy)", "transfer to an existing holder")]
    assert (transfer["gas"], transfer["plain_oz"], transfer["floor"]) == (41_342, 34_491, 33_388)
    assert transfer["run"] == "stablecoin_gas@2026-01-02T10:00:00+00:00"
    assert gas[("digital som (proxy)", "wallet transfer (daily window open)")]["gas"] == 53_393
    batch = {(r["payees"], r["case"]): r for r in bench["tables"]["batch"]}
    assert batch[(100, "existing")]["airdrop_baseline_per_payee"] == 9_581
    assert batch[(100, "existing")]["disburse_per_payee"] == 13_292
    assert bench["tables"]["payroll"][0]["payees_per_second"] == 588
    assert bench["tables"]["onboarding"][0]["gas_per_wallet"] == 47_713
    assert gas[("ConversionDesk", "convertToSom (after an approval)")]["gas"] == 109_028
    assert [r["transfers"] for r in bench["tables"]["audit"]] == [10_000, 10_000, 1_000_000]
    assert bench["tables"]["audit"][-1]["run"] == report.UNRECORDED
    assert bench["missing"] == ["reserve_gas"]
    every_run = {r["run"] for table in bench["tables"].values() for r in table}
    assert every_run == set(bench["runs"])
    assert json.loads((results / "bench.json").read_text())["tables"] == bench["tables"]


def test_report__markdown__rows_machine_and_runs(results, readme):
    report.main(results, readme)
    md = (results / "bench.md").read_text()

    assert md.startswith("<!-- Generated by `python -m benchmarks.report`")
    assert "Test CPU 9000, 2 cores, 8.0 GB RAM, Debian GNU/Linux 12" in md
    assert "anvil 1.7.1" in md
    assert (
        "| KGST (proxy) | transfer to an existing holder | 41,342 | 34,491 "
        "| transfer to an existing holder | 33,388 | R1 |"
    ) in md
    assert "| KGST (proxy) | transferWithAuthorization | 78,691 | - | - | - | R1 |" in md
    assert "| 100 | existing | 9,581 | 13,292 | - | 7,344 | R2 |" in md
    assert "| 100 | new | 26,681 | 30,392 | 78,077 | 24,444 | R2 |" in md
    assert "| 1,000 | 1.70 | 588 | 30,274 | 5 | R3 |" in md
    assert "| 10,000 | 14.40 | 694 | 47,713 | 50 | R5 |" in md
    assert "| 10,000 | sqlite | 35,081 | 70,162 | 0.50 | 1.25 (101) | 0.50 (80) | R4 |" in md
    assert "| 1,000,000 | sqlite | 36,396 |" in md
    assert "| 10,000 | 21,500 | 114 | 1,001 | 0.11 | 0.17 | R7 |" in md
    assert "| unrecorded |" in md
    assert (
        "| R2 | 2026-01-02T10:01:00Z | 0123456789 | `python -m benchmarks.cbdc_gas` | 12.5 |" in md
    )
    assert "Not measured (no JSON): reserve_gas." in md


def test_report__readme__only_the_block_is_replaced(results, readme):
    report.main(results, readme)
    text = readme.read_text()

    assert text.startswith("# Title\n\n## Benchmarks\n\n<!-- bench:begin -->")
    assert text.endswith("<!-- bench:end -->\n\n## Next\n")
    assert "stale figures" not in text
    assert "Test CPU 9000" in text
    assert "| 10,000 | SQLite / PostgreSQL | 35,081 / 25,608 |" in text
    assert "| 100 | existing | 9,581 | 13,292 | - | 7,344 | R2 |" in text


def test_report__partial_rerun__refreshes_only_its_part(results, readme):
    report.main(results, readme)
    rerun = dict(
        FIXTURES["stablecoin_gas"], run=_run("stablecoin_gas", "2026-02-01T09:00:00+00:00")
    )
    (results / "stablecoin_gas.json").write_text(json.dumps(rerun))

    bench = report.main(results, readme)

    runs = {r["contract"]: r["run"] for r in bench["tables"]["gas"]}
    assert runs["KGST (proxy)"] == "stablecoin_gas@2026-02-01T09:00:00+00:00"
    assert runs["digital som (proxy)"] == "cbdc_gas@2026-01-02T10:01:00+00:00"
    assert "Measured 2026-01-02 to 2026-02-01" in (results / "bench.md").read_text()


def test_floor__erc20_transfer__intrinsic_calldata_two_slots_and_a_log():
    calldata = bytes.fromhex("a9059cbb") + bytes(12) + b"\x11" * 20 + bytes(31) + b"\x01"
    assert calldata_gas(calldata) == 4 * 16 + 12 * 4 + 20 * 16 + 31 * 4 + 16
    assert TRANSFER_LOG == 1_756
    assert floor(calldata, 2, 0, [TRANSFER_LOG]) == 21_000 + 572 + 10_000 + 1_756


def test_floor__batch__payer_once_then_each_payee():
    calldata = b"\x01" * 100
    assert batch_floor(calldata, 10, new=False) == 21_000 + 1_600 + 11 * 5_000 + 10 * 1_756
    assert batch_floor(calldata, 10, new=True) == 21_000 + 1_600 + 5_000 + 10 * (22_100 + 1_756)


def test_report__result_in_an_older_format__listed_as_not_measured(results, readme):
    (results / "cbdc_gas.json").write_text(json.dumps({"disburse": {"100": {"gas": 1}}}))

    bench = report.main(results, readme)

    assert "cbdc_gas (not in the current format: re-run it)" in bench["missing"]
    assert bench["tables"]["batch"] == []
    assert {r["contract"] for r in bench["tables"]["gas"]} == {"KGST (proxy)", "ConversionDesk"}
