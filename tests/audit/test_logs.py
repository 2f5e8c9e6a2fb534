"""eth_getLogs in ranges that shrink on the node's range errors, grow back, and retry
transient failures."""

from __future__ import annotations

import pytest
from web3.exceptions import Web3RPCError

from somchain.audit.logs import (
    FetchStats,
    LogsUnavailable,
    RangePolicy,
    RangeTooLarge,
    iter_logs,
)


def _refusing(max_range: int, calls: list[tuple[int, int]], logs_of=lambda _lo, _hi: []):
    """A get_logs that refuses ranges wider than `max_range` like Infura/Alchemy do."""

    def get_logs(params: dict):
        lo, hi = params["fromBlock"], params["toBlock"]
        calls.append((lo, hi))
        if hi - lo + 1 > max_range:
            raise Web3RPCError(
                "query returned more than 10000 results",
                rpc_response={
                    "error": {"code": -32005, "message": "query returned more than 10000 results"}
                },
            )
        return logs_of(lo, hi)

    return get_logs


def test_iter_logs__node_refuses_wide_ranges__shrinks_covers_every_block_once_and_grows():
    calls: list[tuple[int, int]] = []
    stats = FetchStats()
    policy = RangePolicy(initial=64, grow_after=2)
    ranges = [
        (lo, hi) for lo, hi, _ in iter_logs(_refusing(8, calls), ["0x1"], 0, 199, policy, stats)
    ]
    covered = [b for lo, hi in ranges for b in range(lo, hi + 1)]
    assert covered == list(range(200))
    assert stats.range_errors >= 3
    assert max(hi - lo + 1 for lo, hi in ranges) <= 8
    widths = [hi - lo + 1 for lo, hi in calls]
    assert 16 in widths[widths.index(8) :]  # grew back after successes and was refused again


def test_iter_logs__range_error_by_message_only__shrinks():
    def get_logs(params):
        if params["toBlock"] - params["fromBlock"] >= 10:
            raise ValueError("eth_getLogs block range is too large, limit exceeded")
        return []

    ranges = [(lo, hi) for lo, hi, _ in iter_logs(get_logs, [], 0, 99, RangePolicy(initial=100))]
    assert ranges[0] == (0, 5)
    assert ranges[-1][1] == 99
    assert all(hi - lo < 10 for lo, hi in ranges)


def test_iter_logs__transient_errors__are_retried():
    failures = iter([ConnectionError("reset by peer"), TimeoutError("timed out")])

    def get_logs(params):
        error = next(failures, None)
        if error:
            raise error
        return [{"n": params["fromBlock"]}]

    stats = FetchStats()
    out = list(iter_logs(get_logs, [], 0, 9, RangePolicy(initial=10), stats, sleep=lambda _: None))
    assert out == [(0, 9, [{"n": 0}])]
    assert stats.retries == 2


def test_iter_logs__one_block_still_too_large__raises():
    with pytest.raises(RangeTooLarge):
        list(iter_logs(_refusing(0, []), [], 5, 9, RangePolicy(initial=4)))


def test_iter_logs__other_rpc_error__propagates():
    def get_logs(params):
        raise Web3RPCError("invalid address", rpc_response={"error": {"code": -32602}})

    with pytest.raises(Web3RPCError):
        list(iter_logs(get_logs, [], 0, 9))


def test_audit__rpc_rejecting_ranges_over_3_blocks__same_report_as_unlimited(
    run_audit, w3, tmp_path
):
    calls: list[tuple[int, int]] = []
    real = w3.eth.get_logs
    wrapped = _refusing(
        3, calls, logs_of=lambda lo, hi: real({**last[0], "fromBlock": lo, "toBlock": hi})
    )
    last: list[dict] = []

    def get_logs(params):
        last[:] = [params]
        return wrapped(params)

    limited = run_audit(get_logs=get_logs, policy=RangePolicy(initial=1_000))
    full = run_audit(index_path=tmp_path / "full.sqlite")
    assert limited["meta"]["index"]["range_errors"] > 0
    assert max(hi - lo + 1 for lo, hi in calls) > 3
    assert [(c["id"], c["summary"]) for c in limited["checks"]] == [
        (c["id"], c["summary"]) for c in full["checks"]
    ]
    assert limited["journal"] == full["journal"]


def test_iter_logs__range_denser_than_max_logs__next_range_sized_to_the_density():
    def get_logs(params):
        return [{"n": b} for b in range(params["fromBlock"], params["toBlock"] + 1)] * 10

    policy = RangePolicy(initial=100, max_logs=50, grow_after=1)
    ranges = [(lo, hi, len(logs)) for lo, hi, logs in iter_logs(get_logs, [], 0, 299, policy)]
    assert ranges[0] == (0, 99, 1_000)
    assert all(n <= 50 for _, _, n in ranges[1:])  # 10 logs a block: 5 blocks a range
    assert [b for lo, hi, _ in ranges for b in range(lo, hi + 1)] == list(range(300))


def test_iter_logs__node_without_eth_getlogs__says_the_audit_needs_a_log_serving_node():
    def get_logs(params: dict):
        raise Web3RPCError(
            "the method eth_getLogs does not exist/is not available",
            rpc_response={"error": {"code": -32601, "message": "method not found"}},
        )

    with pytest.raises(LogsUnavailable, match="the node does not serve eth_getLogs"):
        list(iter_logs(get_logs, ["0x1"], 0, 10, sleep=lambda _s: None))
