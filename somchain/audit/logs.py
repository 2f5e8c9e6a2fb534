"""`eth_getLogs` over a block range in chunks sized by the logs they return: the first
range is one block; a range grows after answers well under `max_logs` logs, and one that
returned more than `max_logs` makes the next one narrower (sized to the density just
seen); a range the node refuses (too many results, range too wide) is halved. Transient
errors are retried with a back-off.

Memory is bounded by `max_logs`, not by what a node returns: an answer may be a stream
(`raw_get_logs` parses the node's JSON as it arrives), and a range whose answer holds more
than `max_logs` logs is handed on in pieces of about `max_logs` logs, each ending at a block
boundary, so a node that does not cap `eth_getLogs` never has its whole answer in memory."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

RANGE_ERROR_CODES = {-32005, -32614}
RANGE_ERROR_MESSAGES = (
    "query returned more than",
    "block range",
    "limit exceeded",
    "too many results",
    "response size exceeded",
    "range too large",
    "exceed maximum block range",
    "query timeout exceeded",
)
# A node that does not serve logs at all (BNB Chain's public mainnet endpoints, for one).
UNAVAILABLE_CODES = {-32601}
UNAVAILABLE_MESSAGES = ("method not found", "does not exist", "not supported", "disabled")
TRANSIENT_MESSAGES = ("timeout", "timed out", "connection", "429", "502", "503", "504", "reset")


class RangeTooLarge(Exception):
    """Raised when the node refuses a one-block range: nothing smaller can be asked."""


class LogsUnavailable(Exception):
    """Raised when the node does not serve `eth_getLogs`: the audit needs one that does."""


def _error_code_and_message(exc: BaseException) -> tuple[int | None, str]:
    code = None
    response = getattr(exc, "rpc_response", None)
    if isinstance(response, dict) and isinstance(response.get("error"), dict):
        code = response["error"].get("code")
    for arg in getattr(exc, "args", ()):
        if isinstance(arg, dict):
            code = arg.get("code", code)
    return code, str(exc).lower()


def is_range_error(exc: BaseException) -> bool:
    """Whether `exc` says the requested block range returns too much."""
    code, message = _error_code_and_message(exc)
    return code in RANGE_ERROR_CODES or any(m in message for m in RANGE_ERROR_MESSAGES)


def is_unavailable_error(exc: BaseException) -> bool:
    """Whether `exc` says the node does not serve `eth_getLogs` at all."""
    code, message = _error_code_and_message(exc)
    return code in UNAVAILABLE_CODES or any(m in message for m in UNAVAILABLE_MESSAGES)


def is_transient_error(exc: BaseException) -> bool:
    """Whether `exc` looks like a network hiccup worth retrying."""
    if isinstance(exc, ConnectionError | TimeoutError | OSError):
        return True
    _, message = _error_code_and_message(exc)
    return type(exc).__name__ in ("ReadTimeout", "ConnectTimeout", "HTTPError") or any(
        m in message for m in TRANSIENT_MESSAGES
    )


@dataclass
class RangePolicy:
    """How the chunk size moves: start, bounds, growth after `grow_after` successes, and
    the number of logs a range should not exceed (`max_logs`)."""

    initial: int = 1
    minimum: int = 1
    maximum: int = 100_000
    max_logs: int = 10_000
    grow_after: int = 2
    retries: int = 5
    backoff: float = 0.25


@dataclass
class FetchStats:
    requests: int = 0
    range_errors: int = 0
    retries: int = 0
    logs: int = 0


def block_of(log: Any) -> int:
    """The block number of a log, raw (hex string) or decoded by web3 (int)."""
    value = log["blockNumber"]
    return int(value, 16) if isinstance(value, str) else int(value)


def _pieces(answer: Iterable[Any], lo: int, hi: int, max_logs: int) -> Iterator[tuple]:
    """The logs of the answer for [lo, hi] in pieces of about `max_logs` logs, each ending
    at a block boundary: (from_block, to_block, logs)."""
    piece: list[Any] = []
    last = lo
    for log in answer:
        number = block_of(log)
        if len(piece) >= max_logs and number > last:
            yield lo, last, piece
            lo, piece = last + 1, []
        piece.append(log)
        last = number
    yield lo, hi, piece


def _refused(exc: Exception, block: int, hi: int, stats: FetchStats) -> bool:
    """Whether the node refused the range [block, hi] as too large (halve it); raises when
    it does not serve logs at all or refuses a single block."""
    if is_unavailable_error(exc):
        raise LogsUnavailable(
            f"the node does not serve eth_getLogs ({exc}); the audit needs an RPC "
            "endpoint that serves logs for the contracts' whole history (see "
            'docs/audit.md, "Which node")'
        ) from exc
    if not is_range_error(exc):
        return False
    stats.range_errors += 1
    if hi == block:
        raise RangeTooLarge(f"block {block}: {exc}") from exc
    return True


def iter_logs(
    get_logs: Callable[[dict], Iterable[Any]],
    addresses: list[str],
    start: int,
    end: int,
    policy: RangePolicy | None = None,
    stats: FetchStats | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[tuple[int, int, list[Any]]]:
    """Yields (from_block, to_block, logs) for consecutive ranges covering [start, end], each
    holding at most about `max_logs` logs (more only when one block holds more)."""
    policy = policy or RangePolicy()
    stats = stats if stats is not None else FetchStats()
    size = max(policy.minimum, min(policy.initial, policy.maximum))
    successes = 0
    block = start
    attempt = 0
    while block <= end:
        first, hi = block, min(end, block + size - 1)
        stats.requests += 1
        count = 0
        try:
            answer = get_logs({"address": addresses, "fromBlock": block, "toBlock": hi})
            for lo, top, piece in _pieces(answer, block, hi, policy.max_logs):
                count += len(piece)
                stats.logs += len(piece)
                yield lo, top, piece
                block = top + 1
        except Exception as exc:
            if count == 0 and _refused(exc, block, hi, stats):
                size = max(policy.minimum, (hi - block + 1) // 2)
                successes = 0
                continue
            if not is_transient_error(exc) or attempt >= policy.retries:
                raise
            stats.retries += 1  # ask again from the first block not yet handed on
            sleep(policy.backoff * 2**attempt)
            attempt += 1
            continue
        attempt = 0
        width = hi - first + 1
        if count > policy.max_logs:
            size = max(policy.minimum, width * policy.max_logs // count)
            successes = 0
            continue
        successes += 1
        dense = count * 2 > policy.max_logs
        if successes >= policy.grow_after and size < policy.maximum and not dense:
            size = min(policy.maximum, size * 2)
            successes = 0
