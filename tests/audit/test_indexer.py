"""The SQLite index: incremental runs, confirmations and reorgs."""

from __future__ import annotations

from ape import chain

from somchain.audit.indexer import Index
from somchain.audit.runner import Verify

ONE = 10**18


def _comparable(report: dict) -> list[tuple]:
    return [(c["id"], c["status"], c["summary"]) for c in report["checks"]]


def test_index__incremental_runs__equal_one_full_run(run_audit, tmp_path, stack, alice, bob):
    head = chain.blocks.head.number
    early = run_audit(confirmations=10, index_path=tmp_path / "inc.sqlite", out_dir=tmp_path / "a")
    assert early["meta"]["index"]["to_block"] == head - 10
    stack.som.transfer(bob, 1, sender=alice)
    incremental = run_audit(
        index_path=tmp_path / "inc.sqlite", out_dir=tmp_path / "b", verify=Verify(all=True)
    )
    assert incremental["meta"]["index"]["fetched_blocks"] == 11
    full = run_audit(index_path=tmp_path / "full.sqlite", out_dir=tmp_path / "c")
    assert incremental["meta"]["index"]["reset"] is None
    assert _comparable(incremental) == _comparable(full)
    assert incremental["journal"] == full["journal"]
    with Index(tmp_path / "inc.sqlite") as a, Index(tmp_path / "full.sqlite") as b:
        assert a.dump() == b.dump()


def test_index__second_run_without_new_blocks__fetches_nothing(run_audit):
    run_audit()
    again = run_audit()
    assert again["meta"]["index"]["fetched_blocks"] == 0
    assert again["meta"]["index"]["requests"] == 0
    assert again["passed"] is True


def test_index__confirmations__stores_only_deep_blocks_and_reads_the_rest_live(run_audit, tmp_path):
    head = chain.blocks.head.number
    report = run_audit(confirmations=5)
    assert report["meta"]["index"]["to_block"] == head - 5
    assert report["meta"]["index"]["tail_blocks"] == 5
    with Index(tmp_path / "index.sqlite") as index:
        assert index.last_block == head - 5
        assert max(int(row[0]) for row in index.dump()["transfers"]) <= head - 5
    full = run_audit(index_path=tmp_path / "other.sqlite")
    assert _comparable(report) == _comparable(full)


def test_index__last_indexed_block_reorganised__rebuilds_from_scratch(
    run_audit, stack, alice, attacker, minter
):
    snapshot = chain.snapshot()
    stack.token.transfer(attacker, 7 * ONE, sender=alice)
    assert run_audit()["passed"] is True
    chain.restore(snapshot)
    stack.token.transfer(minter, 3 * ONE, sender=alice)
    report = run_audit()
    assert report["meta"]["index"]["reset"] == f"block {chain.blocks.head.number} was reorganised"
    assert report["passed"] is True


def test_index__second_audit__reads_only_balances_changed_since_the_first(
    run_audit, stack, alice, attacker
):
    first = run_audit()
    stack.token.transfer(attacker, 1, sender=alice)
    again = run_audit()
    supply = {c["id"]: c["details"] for c in again["checks"] if c["id"].startswith("supply.")}
    before = next(c for c in first["checks"] if c["id"] == "supply.stablecoin")["details"]
    assert before["balance_mode"] == "all accounts"
    stablecoin = supply["supply.stablecoin"]
    assert stablecoin["balance_mode"].startswith("changed after block")
    accounts = {m["account"] for m in stablecoin["mismatches"]}
    assert accounts == set()
    assert again["passed"] is True
    # alice and the attacker changed; the frozen and seized accounts are always read
    assert 2 <= stablecoin["balances_checked"] < before["balances_checked"] + 1
    assert supply["supply.cbdc"]["balances_checked"] <= before["balances_checked"]


def test_index__sample__reads_that_many_accounts_and_reports_size_and_seed(run_audit):
    report = run_audit(verify=Verify(sample=2, seed=7))
    supply = next(c for c in report["checks"] if c["id"] == "supply.cbdc")["details"]
    assert supply["balance_mode"] == "sample of 2 (seed 7)"
    assert report["meta"]["verification"] == {"mode": "sample", "sample": 2, "seed": 7}
    assert report["passed"] is True
