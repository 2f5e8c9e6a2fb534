"""`stablecoin attest-reserve` as a committee runs it: every attestor names the report's
figure, as-of date and hash; the figure moves once the quorum has voted for the same
triple, and each vote ends with the round's state."""

import json
from datetime import UTC, datetime

import pytest

from tests.utils.chain import advance, manifest_contract
from tests.utils.constants import TEST_ACCOUNTS

HASH = "0x" + "5e" * 32
SOM = 100  # the feed's two decimals


@pytest.fixture
def feed(w3, stack):
    return manifest_contract(w3, stack / "local", "attestation", "ReserveAttestation")


@pytest.fixture
def committee(op, w3, stack, feed):
    """Makes TEST::0 .. TEST::n-1 the attestors with a quorum of n (the timelock, the feed's
    admin, impersonated on anvil); the chain is reverted after the test with `op`'s."""

    def committee(n: int) -> None:
        timelock = manifest_contract(w3, stack / "local", "timelock", "GovernanceTimelock")
        sender = {"from": timelock.address}
        w3.provider.make_request("anvil_impersonateAccount", [timelock.address])
        w3.provider.make_request("anvil_setBalance", [timelock.address, hex(10**18)])
        role = feed.functions.ATTESTOR_ROLE().call()
        for account in TEST_ACCOUNTS[1:n]:
            feed.functions.grantRole(role, account).transact(sender)
        feed.functions.setThreshold(n).transact(sender)
        w3.provider.make_request("anvil_stopImpersonatingAccount", [timelock.address])

    return committee


@pytest.fixture
def report_date(w3, feed):
    """A report date (UTC, to the minute) after the last accepted as-of and before the
    latest block, as the attestors would agree on it."""
    advance(w3, 180)
    as_of = (feed.functions.latestRoundData().call()[3] // 60 + 1) * 60
    return datetime.fromtimestamp(as_of, UTC).strftime("%Y-%m-%d %H:%M")


def _vote(op, account: int, reserve: str, as_of: str, *extra: str):
    args = ("attest-reserve", reserve, "--report-hash", HASH, "--as-of", as_of, *extra)
    return op("stablecoin", *args, account=account)


def test_attest_reserve__quorum_of_2_same_as_of__reserve_moves(op, committee, feed, report_date):
    committee(2)
    before = feed.functions.latestRoundData().call()
    first = _vote(op, 0, "2000000.00", report_date)
    assert first.exit_code == 0, first.output
    assert (
        f"1 of 2 votes for 2,000,000.00 som as of {report_date}:00 UTC, hash {HASH}; "
        "waiting for one more" in first.output
    )
    assert feed.functions.latestRoundData().call() == before
    second = _vote(op, 1, "2000000.00", report_date)
    assert second.exit_code == 0, second.output
    assert (
        f"quorum reached: the reserve is now 2,000,000.00 som as of {report_date}:00 UTC, "
        f"hash {HASH} (round 2)" in second.output
    )
    round_id, answer, *_ = feed.functions.latestRoundData().call()
    assert (round_id, answer) == (2, 2_000_000 * SOM)


def test_attest_reserve__quorum_of_3__third_vote_accepts(op, committee, feed, report_date):
    committee(3)
    outputs = [_vote(op, n, "1999999.99", report_date).output for n in range(3)]
    assert "1 of 3 votes for 1,999,999.99 som" in outputs[0]
    assert "waiting for 2 more" in outputs[0]
    assert "2 of 3 votes for 1,999,999.99 som" in outputs[1]
    assert "waiting for one more" in outputs[1]
    assert "quorum reached: the reserve is now 1,999,999.99 som" in outputs[2]
    assert feed.functions.latestRoundData().call()[1] == 199_999_999


def test_attest_reserve__quorum_of_2_different_as_of__says_they_disagree(
    op, committee, feed, report_date, w3
):
    committee(2)
    _vote(op, 0, "2000000.00", report_date)
    head = w3.eth.get_block("latest").timestamp
    second = _vote(op, 1, "2000000.00", str(head))
    assert second.exit_code == 0, second.output
    assert "1 of 2 votes for 2,000,000.00 som" in second.output
    assert (
        f"the open round also has 1 vote for 2,000,000.00 som as of {report_date}:00 UTC"
        in second.output
    )
    assert feed.functions.latestRoundData().call()[0] == 1


def test_attest_reserve__report_file__gives_figure_date_and_hash(
    op, committee, feed, report_date, tmp_path
):
    committee(2)
    report = tmp_path / "reserve-2026-12.json"
    report.write_text(
        json.dumps({"reserve": "2000000.00", "as_of": report_date, "report_hash": HASH})
    )
    for account in (0, 1):
        result = op("stablecoin", "attest-reserve", "--report", str(report), account=account)
        assert result.exit_code == 0, result.output
    assert "quorum reached: the reserve is now 2,000,000.00 som" in result.output
    assert feed.functions.latestRoundData().call()[1] == 2_000_000 * SOM


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["2000000.00", "--report-hash", HASH], "missing --as-of"),
        (["--as-of", "2026-12-01", "--report-hash", HASH], "missing RESERVE"),
        (["2000000.00", "--report-hash", HASH, "--as-of", "1st of December"], "not a date"),
        (["2000000.00", "--report-hash", HASH, "--as-of", "2099-01-01"], "after the latest"),
        (["2000000.00", "--report", "r.json"], "drop RESERVE"),
        (["--report", "none.json"], "does not exist"),
    ],
)
def test_attest_reserve__bad_input__exits_2_and_sends_nothing(op, w3, args, problem):
    before = w3.eth.block_number
    result = op("stablecoin", "attest-reserve", *args)
    assert result.exit_code == 2, result.output
    assert problem in result.output
    assert result.output.strip().count("\n") == 0
    assert w3.eth.block_number == before


def test_attest_reserve__as_of_equal_to_last_accepted__exits_2_and_sends_nothing(op, w3, feed):
    latest = feed.functions.latestRoundData().call()[3]
    before = w3.eth.block_number
    result = _vote(op, 0, "2000000.00", str(latest))
    assert result.exit_code == 2, result.output
    assert "is not after the last accepted attestation (round 1" in result.output
    assert w3.eth.block_number == before
