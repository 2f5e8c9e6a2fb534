"""The reserve attestation as a committee does it: each attestor votes for the same
triple (the reserve figure, the report's as-of date, the report's hash), taken from the
signed reserve report rather than from the chain, and reads after its vote how far the
open round is from the quorum.

The as-of is the date the report is valid for, agreed by the attestors: it is always
given (never the block's time, which differs from one vote to the next), and it must be
after the last accepted as-of and not after the latest block, as the contract requires.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ape import chain

from somchain import display
from somchain.actions import Action
from somchain.errors import InputError
from somchain.inputs import to_units, utc_time

SYMBOL = "som"
REPORT_KEYS = ("reserve", "as_of", "report_hash")


@dataclass(frozen=True)
class Triple:
    """One vote's content: the reserve in the feed's units, its as-of (unix seconds, UTC)
    and the report's 32-byte hash."""

    reserve: int
    as_of: int
    report_hash: bytes

    def text(self, decimals: int) -> str:
        return (
            f"{display.amount(self.reserve, decimals, SYMBOL, places=decimals)} as of "
            f"{display.utc(self.as_of)}, hash 0x{self.report_hash.hex()}"
        )


def report_hash(text: str) -> bytes:
    """A report hash given as 0x-prefixed 32-byte hex."""
    value = str(text).strip()
    if not (value.startswith("0x") and len(value) == 66):
        raise InputError(f"report hash {value!r} must be 32 bytes of 0x-prefixed hex")
    try:
        return bytes.fromhex(value[2:])
    except ValueError:
        raise InputError(f"report hash {value!r} is not valid hex") from None


def read_report(path: str | Path) -> dict[str, str]:
    """The reserve report's summary file: a JSON object with `reserve` (som, like
    "2000000.00"), `as_of` (a UTC date or time, like "2026-12-01") and `report_hash` (the
    report's SHA-256, 0x hex). Numbers are kept as written, never as floats."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"report file {str(path)!r} does not exist")
    try:
        data = json.loads(file.read_text(), parse_float=str, parse_int=str)
    except (ValueError, UnicodeDecodeError) as err:
        raise InputError(f"report file {str(path)!r} is not JSON: {err}") from None
    if not isinstance(data, dict):
        raise InputError(f"report file {str(path)!r} must hold a JSON object")
    missing = [key for key in REPORT_KEYS if key not in data]
    if missing:
        raise InputError(f"report file {str(path)!r} lacks {', '.join(missing)}")
    return {key: str(data[key]) for key in REPORT_KEYS}


def triple(
    feed: Any,
    reserve: str | None,
    hash_text: str | None,
    as_of: str | None,
    report: str | None = None,
) -> Triple:
    """The vote from the command line: RESERVE with --report-hash and --as-of, or all
    three from --report; nothing is guessed."""
    given = {"RESERVE": reserve, "--report-hash": hash_text, "--as-of": as_of}
    if report is not None:
        named = [name for name, value in given.items() if value is not None]
        if named:
            raise InputError(f"--report gives the figure, as-of and hash: drop {', '.join(named)}")
        fields = read_report(report)
        reserve, hash_text, as_of = fields["reserve"], fields["report_hash"], fields["as_of"]
    units = to_units(reserve, feed.decimals(), allow_zero=True) if reserve is not None else None
    digest = report_hash(hash_text) if hash_text is not None else None
    when = utc_time(as_of, "as-of") if as_of is not None else None
    if units is None or digest is None or when is None:
        missing = [name for name, value in given.items() if value is None]
        raise InputError(
            f"missing {', '.join(missing)}: every attestor names the report's figure, hash "
            "and as-of date (or --report FILE with all three)"
        )
    return Triple(units, when, digest)


def attest_reserve(feed: Any, sender: str, vote: Triple) -> Action:
    """A vote for `vote` in the open round, checked as the contract checks it: the as-of
    not after the latest block and strictly after the last accepted as-of."""
    decimals = feed.decimals()
    head = chain.blocks.head.timestamp
    if vote.as_of > head:
        raise InputError(
            f"as-of {display.utc(vote.as_of)} is after the latest block's time "
            f"({display.utc(head)})"
        )
    round_id, _answer, _started, latest, _ = feed.latestRoundData()
    if round_id and vote.as_of <= latest:
        raise InputError(
            f"as-of {display.utc(vote.as_of)} is not after the last accepted attestation "
            f"(round {round_id}, as of {display.utc(latest)})"
        )
    return Action(
        feed,
        "attest",
        [vote.reserve, vote.as_of, vote.report_hash],
        f"vote for a reserve of {vote.text(decimals)}",
        role="ATTESTOR_ROLE",
    )


def round_lines(feed: Any, vote: Triple, start_block: int = 0) -> list[str]:
    """The round's state after a vote for `vote`: accepted ("quorum reached: ..."), or its
    votes against the quorum and the other triples of the open round, so attestors who
    named different figures, dates or hashes see it."""
    decimals = feed.decimals()
    round_id, answer, _started, as_of, _ = feed.latestRoundData()
    if (
        round_id
        and int(as_of) == vote.as_of
        and int(answer) == vote.reserve
        and bytes(feed.reportHash(round_id)) == vote.report_hash
    ):
        return [f"quorum reached: the reserve is now {vote.text(decimals)} (round {round_id})"]
    votes = int(feed.votesFor(vote.reserve, vote.as_of, vote.report_hash))
    needed = int(feed.threshold())
    missing = needed - votes
    more = "one more" if missing == 1 else f"{missing} more"
    lines = [f"{votes} of {needed} votes for {vote.text(decimals)}; waiting for {more}"]
    for other, count in _other_triples(feed, vote, int(round_id) + 1, start_block):
        lines.append(
            f"  the open round also has {count} vote{'s' if count != 1 else ''} for "
            f"{other.text(decimals)}: the attestors must name the same triple"
        )
    return lines


def _other_triples(
    feed: Any, vote: Triple, open_round: int, start_block: int
) -> list[tuple[Triple, int]]:
    """The other triples holding votes in the open round: those its AttestationSubmitted
    events name, with their tallies read on chain (a moved or revoked vote no longer
    counts)."""
    events = feed.AttestationSubmitted.range(
        start_block, chain.blocks.height + 1, search_topics={"roundId": open_round}
    )
    found: dict[Triple, int] = {}
    for event in events:
        other = Triple(int(event.reserve), int(event.asOf), bytes(event.reportHash))
        if other != vote and other not in found:
            found[other] = int(feed.votesFor(other.reserve, other.as_of, other.report_hash))
    return [(other, count) for other, count in found.items() if count]
