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
        return [{"blockNumber": params["fromBlock"]}]

    stats = FetchStats()
    out = list(iter_logs(get_logs, [], 0, 9, RangePolicy(initial=10), stats, sleep=lambda _: None))
    assert out == [(0, 9, [{"blockNumber": 0}])]
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


def _dense(per_block: int, calls: list):
    """A node that does not cap eth_getLogs: `per_block` logs in every block, in order."""

    def get_logs(params):
        calls.append((params["fromBlock"], params["toBlock"]))
        return (
            {"blockNumber": hex(b), "i": i}
            for b in range(params["fromBlock"], params["toBlock"] + 1)
            for i in range(per_block)
        )

    return get_logs


def test_iter_logs__range_denser_than_max_logs__handed_on_in_pieces_and_next_range_narrower():
    calls: list[tuple[int, int]] = []
    policy = RangePolicy(initial=100, max_logs=50, grow_after=1)
    ranges = [
        (lo, hi, len(logs)) for lo, hi, logs in iter_logs(_dense(10, calls), [], 0, 299, policy)
    ]
    assert calls[0] == (0, 99)
    assert calls[1] == (100, 104)  # 1,000 logs over 100 blocks: 5 blocks for the next 50
    assert all(n <= 50 for _, _, n in ranges)  # the wide answer too, in pieces
    assert [b for lo, hi, _ in ranges for b in range(lo, hi + 1)] == list(range(300))


def test_iter_logs__default_policy_on_a_node_without_a_cap__no_piece_over_max_logs():
    """1,000,000 logs (2,000 a block) after a sparse start: whatever range the policy asks
    for, no more than max_logs logs (plus one block's) are held at once."""

    def get_logs(params):
        for b in range(params["fromBlock"], params["toBlock"] + 1):
            per_block = 2_000 if b >= 100 else 1
            yield from ({"blockNumber": hex(b), "i": i} for i in range(per_block))

    policy = RangePolicy()
    assert policy.initial == 1
    sizes, total = [], 0
    for _lo, _hi, logs in iter_logs(get_logs, [], 0, 599, policy):
        sizes.append(len(logs))
        total += len(logs)
    assert total == 100 + 500 * 2_000
    assert max(sizes) <= policy.max_logs + 2_000


def test_iter_logs__stream_broken_midway__asks_again_from_the_first_block_not_handed_on():
    broken = [True]

    def get_logs(params):
        for b in range(params["fromBlock"], params["toBlock"] + 1):
            if b == 7 and broken[0]:
                broken[0] = False
                raise ConnectionError("reset by peer")
            yield from ({"blockNumber": hex(b), "i": i} for i in range(10))

    policy = RangePolicy(initial=10, max_logs=20)
    ranges = [(lo, hi) for lo, hi, _ in iter_logs(get_logs, [], 0, 9, policy, sleep=lambda _: None)]
    assert [b for lo, hi in ranges for b in range(lo, hi + 1)] == list(range(10))


def test_iter_logs__node_without_eth_getlogs__says_the_audit_needs_a_log_serving_node():
    def get_logs(params: dict):
        raise Web3RPCError(
            "the method eth_getLogs does not exist/is not available",
            rpc_response={"error": {"code": -32601, "message": "method not found"}},
        )

    with pytest.raises(LogsUnavailable, match="the node does not serve eth_getLogs"):
        list(iter_logs(get_logs, ["0x1"], 0, 10, sleep=lambda _s: None))


def test_raw_get_logs__http_node__streams_the_same_logs_as_one_answer():
    from somchain.anvil import Anvil
    from somchain.audit.indexer import RpcError, raw_get_logs
    from somchain.devchain import Stack

    with Anvil() as anvil:
        w3 = anvil.w3
        Stack(w3).deploy().history()
        params = {"address": [], "fromBlock": 0, "toBlock": w3.eth.block_number}
        query = {"fromBlock": "0x0", "toBlock": hex(params["toBlock"])}
        whole = w3.provider.make_request("eth_getLogs", [query])["result"]
        streamed = raw_get_logs(w3)(params)
        assert not isinstance(streamed, list)
        assert list(streamed) == whole
        assert len(whole) > 10
        with pytest.raises(RpcError):
            raw_get_logs(w3)({"address": ["0x12"], "fromBlock": 0, "toBlock": 1})
