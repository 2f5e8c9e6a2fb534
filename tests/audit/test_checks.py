"""Each check fails when its invariant is broken: in the index, on chain, in the build or
in the inputs it is given."""

from __future__ import annotations

import copy
import sqlite3

from ape import chain

from somchain import display
from somchain.audit import checks
from somchain.audit.checks import FAIL, PASS, SKIP, AuditData, Check, CheckResult, run_checks
from somchain.audit.runner import Sources
from somchain.cbdc import TIER_VERIFIED
from somchain.reserve import NATIVE
from tests.audit.conftest import statuses, write

ONE = 10**18


def _sql(path, statement: str, *params) -> int:
    db = sqlite3.connect(path)
    changed = db.execute(statement, params).rowcount
    db.commit()
    db.close()
    return changed


def test_supply__transfer_value_tampered_in_index__fails(run_audit, tmp_path, stack):
    run_audit()
    index = tmp_path / "index.sqlite"
    token = stack.token.address.lower()
    changed = _sql(
        index,
        "UPDATE transfers SET value = '1' WHERE rowid = "
        "(SELECT rowid FROM transfers WHERE address = ? AND src != ? LIMIT 1)",
        token,
        "0x" + "00" * 20,
    )
    assert changed == 1
    report = run_audit(rebuild_state=True)
    assert statuses(report)["supply.stablecoin"] == FAIL
    assert statuses(report)["supply.cbdc"] == PASS
    supply = next(c for c in report["checks"] if c["id"] == "supply.stablecoin")
    assert supply["details"]["mismatches"]
    assert report["passed"] is False


def test_supply__on_chain_balance_differs__fails(gather_data):
    data = gather_data()
    balances = data.chain.tokens["stablecoin"].balances
    account = next(iter(balances))
    balances[account] += 1
    result = checks.check_supply(data, "stablecoin")
    assert result.status == FAIL
    assert result.details.mismatches[0]["account"] == account


def test_supply__total_supply_differs_from_minted_less_burned__fails(gather_data):
    data = gather_data()
    data.chain.tokens["cbdc"].total_supply += 1
    assert checks.check_supply(data, "cbdc").status == FAIL


def test_journal__mint_transfer_missing_from_index__fails(run_audit, tmp_path, stack):
    run_audit()
    _sql(
        tmp_path / "index.sqlite",
        "DELETE FROM transfers WHERE address = ? AND src = ?",
        stack.token.address.lower(),
        "0x" + "00" * 20,
    )
    s = statuses(run_audit(rebuild_state=True))
    assert s["journal.stablecoin"] == FAIL
    assert s["supply.stablecoin"] == FAIL


def test_code__build_of_another_contract__fails(run_audit, sources):
    swapped = Sources(
        sources.abis, sources.builds | {"NationalStablecoin": sources.builds["DigitalSom"]}
    )
    report = run_audit(sources=swapped)
    s = statuses(report)
    assert s["code.stablecoin"] == FAIL
    assert s["code.cbdc"] == PASS


def test_code__one_byte_changed_in_build__fails(gather_data):
    data = gather_data()
    build = bytearray.fromhex(data.builds["ReserveAttestation"][2:])
    build[10] ^= 0xFF
    data.builds = data.builds | {"ReserveAttestation": "0x" + build.hex()}
    result = checks.check_code(data, "attestation")
    assert result.status == FAIL
    assert result.details.first_difference == 10


def test_code__proxy_not_at_manifest_implementation__fails(run_audit, stack):
    manifest = copy.deepcopy(stack.manifest)
    manifest["contracts"]["stablecoin"]["implementation"] = stack.feed.address
    report = run_audit(manifest=manifest)
    code = next(c for c in report["checks"] if c["id"] == "code.stablecoin")
    assert code["status"] == FAIL
    assert "proxy points to" in code["summary"]


def test_coverage__attestation_older_than_max_age__fails(run_audit):
    chain.mine(1, timestamp=chain.pending_timestamp + 2 * 86_400)
    report = run_audit()
    coverage = next(c for c in report["checks"] if c["id"] == "coverage")
    assert coverage["status"] == FAIL
    assert coverage["details"]["fresh"] is False
    assert coverage["details"]["covered"] is True


def test_coverage__reserve_below_supply__fails(gather_data):
    data = gather_data()
    data.chain.feed.answer = 1
    result = checks.check_coverage(data, "stablecoin")
    assert result.status == FAIL
    assert result.details.covered is False


def test_coverage__no_attestation_posted__says_so_instead_of_an_age(gather_data):
    data = gather_data()
    feed = data.chain.feed
    feed.round_id, feed.answer, feed.updated_at = 0, 0, 0
    result = checks.check_coverage(data, "stablecoin")
    assert result.status == FAIL
    assert result.summary.endswith("(coverage -); no attestation posted yet")
    assert " s old" not in result.summary


def test_coverage__summary__coverage_in_the_display_format(gather_data):
    result = checks.check_coverage(gather_data(), "stablecoin")
    coverage = result.summary.split("(coverage ")[1].split(")")[0]
    assert coverage.endswith("%")
    assert coverage == display.coverage(result.details.reserve, result.details.supply)


def test_coverage__scripted_history__series_has_each_mint_burn_and_attestation(gather_data):
    result = checks.check_coverage(gather_data(), "stablecoin")
    series = result.details.series
    assert [p["supply"] for p in series][-1] == 1_000_600 * ONE
    assert series[0]["reserve"] == 5_000_000 * ONE  # the attestation precedes every mint
    assert all(p["time"] for p in series)


def test_roles__grant_missing_from_index__fails(run_audit, tmp_path, stack):
    run_audit()
    changed = _sql(
        tmp_path / "index.sqlite",
        "DELETE FROM events WHERE address = ? AND name = 'RoleGranted' AND args LIKE ?",
        stack.token.address.lower(),
        "%" + stack.token.PAUSER_ROLE().hex()[-64:] + "%",
    )
    assert changed == 1
    report = run_audit()
    roles = next(c for c in report["checks"] if c["id"] == "roles.stablecoin")
    assert roles["status"] == FAIL
    assert roles["details"]["mismatches"][0]["role"] == "PAUSER_ROLE"


def test_roles__minter_allowance_differs__fails(gather_data):
    data = gather_data()
    reads = next(iter(data.chain.minters.values()))
    reads.allowance -= 1
    result = checks.check_roles(data, "stablecoin")
    assert result.status == FAIL
    assert result.details.minter_mismatches


def test_frozen__freeze_missing_from_index__fails(run_audit, tmp_path):
    run_audit()
    assert _sql(tmp_path / "index.sqlite", "DELETE FROM events WHERE name = 'Frozen'") == 1
    s = statuses(run_audit())
    assert s["frozen.stablecoin"] == FAIL


def test_frozen__paused_on_chain_but_not_in_index__fails(gather_data):
    data = gather_data()
    data.chain.tokens["stablecoin"].paused = True
    assert checks.check_frozen(data, "stablecoin").status == FAIL


def test_cbdc__limit_lowered_below_a_balance__reports_breach(run_audit, stack, admin):
    stack.som.setTierLimits(TIER_VERIFIED, 100, 100, 100, sender=admin)
    report = run_audit()
    cbdc = next(c for c in report["checks"] if c["id"] == "cbdc")
    assert cbdc["status"] == FAIL
    assert cbdc["details"]["problems"][0]["problem"] == "above holding limit"


def test_cbdc__batch_not_marked_paid_on_chain__fails(gather_data):
    data = gather_data()
    batch = next(iter(data.chain.cbdc.batches))
    data.chain.cbdc.batches[batch] = False
    assert checks.check_cbdc(data, "cbdc").status == FAIL


def test_sanctions__listed_holder_not_frozen__fails(run_audit, tmp_path, alice):
    listed = write(
        tmp_path / "sdn.csv",
        f'1,"HOLDER, Listed",individual,"CYBER2",,,,,,,,"Digital Currency Address - ETH '
        f'{alice.address};"\n',
    )
    report = run_audit(sanctions=listed)
    sanctions = next(c for c in report["checks"] if c["id"] == "sanctions.stablecoin")
    assert sanctions["status"] == FAIL
    [row] = sanctions["details"]["listed"]
    assert row["account"] == alice.address.lower()
    assert (row["currency"], row["name"], row["frozen"]) == ("ETH", "HOLDER, Listed", False)
    assert report["passed"] is False


def test_sanctions__listed_holder_frozen_on_one_token_only__fails_the_other(
    run_audit, stack, compliance, bob
):
    example = "examples/sanctions/sdn_digital_currency.csv"
    report = run_audit(sanctions=example)
    s = statuses(report)
    assert (s["sanctions.stablecoin"], s["sanctions.cbdc"]) == (PASS, FAIL)
    stablecoin = next(c for c in report["checks"] if c["id"] == "sanctions.stablecoin")
    [row] = stablecoin["details"]["listed"]
    assert (row["account"], row["frozen"], row["currency"]) == (bob.address.lower(), True, "USDT")

    stack.som.freeze(bob, sender=compliance)
    assert run_audit(sanctions=example)["passed"] is True


def test_reserve__price_older_than_max_age__fails(run_audit):
    chain.mine(1, timestamp=chain.pending_timestamp + 86_401)
    reserve = next(c for c in run_audit()["checks"] if c["id"] == "reserve")
    assert reserve["status"] == FAIL
    assert "ReservePriceStale" in reserve["summary"]


def test_reserve__bnb_above_its_policy_share__fails(run_audit, stack, admin):
    stack.vault.deposit(NATIVE, 200 * 10**18, sender=admin, value=200 * 10**18)
    reserve = next(c for c in run_audit()["checks"] if c["id"] == "reserve")
    assert reserve["status"] == FAIL
    assert "policy shares breached: BNB" in reserve["summary"]


def test_registry__manifest_without_reserve__skips_reserve_check(gather_data, stack):
    manifest = copy.deepcopy(stack.manifest)
    del manifest["contracts"]["reserve"]
    results = {r.id: r for r in run_checks(gather_data(manifest=manifest))}
    assert results["reserve"].status == SKIP


def test_registry__added_check__runs_per_key_and_can_fail_the_audit(run_audit):
    def no_attestation(data: AuditData, key: str) -> CheckResult:
        return CheckResult("x", "x", FAIL if data.address(key) else PASS, "present")

    extra = Check("extra", "Extra", no_attestation, ("attestation",))
    report = run_audit(registry=[*checks.REGISTRY, extra])
    assert statuses(report)["extra"] == FAIL
    assert report["passed"] is False
