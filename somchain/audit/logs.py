"""`eth_getLogs` over a block range in chunks that shrink when the node refuses a range
(too many results, range too wide) or when a range returned more than `max_logs` logs
(the next range is sized to the density just seen), and grow back after successes;
transient errors are retried with a back-off."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
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

    initial: int = 5_000
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


def iter_logs(
    get_logs: Callable[[dict], list[Any]],
    addresses: list[str],
    start: int,
    end: int,
    policy: RangePolicy | None = None,
    stats: FetchStats | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[tuple[int, int, list[Any]]]:
    """Yields (from_block, to_block, logs) for consecutive ranges covering [start, end]."""
    policy = policy or RangePolicy()
    stats = stats if stats is not None else FetchStats()
    size = max(policy.minimum, min(policy.initial, policy.maximum))
    successes = 0
    block = start
    while block <= end:
        hi = min(end, block + size - 1)
        params = {"address": addresses, "fromBlock": block, "toBlock": hi}
        attempt = 0
        while True:
            stats.requests += 1
            try:
                logs = get_logs(params)
                break
            except Exception as exc:
                if is_unavailable_error(exc):
                    raise LogsUnavailable(
                        f"the node does not serve eth_getLogs ({exc}); the audit needs an RPC "
                        "endpoint that serves logs for the contracts' whole history (see "
                        'docs/audit.md, "Which node")'
                    ) from exc
                if is_range_error(exc):
                    stats.range_errors += 1
                    if hi == block:
                        raise RangeTooLarge(f"block {block}: {exc}") from exc
                    size = max(policy.minimum, (hi - block + 1) // 2)
                    successes = 0
                    hi = min(end, block + size - 1)
                    params = {"address": addresses, "fromBlock": block, "toBlock": hi}
                    continue
                if is_transient_error(exc) and attempt < policy.retries:
                    stats.retries += 1
                    sleep(policy.backoff * 2**attempt)
                    attempt += 1
                    continue
                raise
        stats.logs += len(logs)
        yield block, hi, logs
        width = hi - block + 1
        block = hi + 1
        if len(logs) > policy.max_logs:
            size = max(policy.minimum, width * policy.max_logs // len(logs))
            successes = 0
            continue
        successes += 1
        dense = len(logs) * 2 > policy.max_logs
        if successes >= policy.grow_after and size < policy.maximum and not dense:
            size = min(policy.maximum, size * 2)
            successes = 0
