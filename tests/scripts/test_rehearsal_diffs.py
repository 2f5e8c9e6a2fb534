"""A rehearsal of an admin action routed through the governance timelock, proposed by a
board member or by the board's Safe, shows the state diff the direct action would: read
on the contract the scheduled call targets, after the operation executes on the fork."""

import json

import pytest

from tests.utils.board import board_safe
from tests.utils.constants import ALICE
from tests.utils.paths import manifest_in

SAFE_NAME = "rehearsal-board"


@pytest.fixture(scope="session")
def board_as_safe(cli, network, stack, listed, w3):
    """A 2-of-3 Safe (named rehearsal-board) made a proposer of the governance timelock."""
    return board_safe(cli, network, stack, w3, SAFE_NAME, ("PROPOSER_ROLE",))


def _feed(stack) -> str:
    return json.loads(manifest_in(stack / "local").read_text())["contracts"]["attestation"][
        "address"
    ]


CASES = {
    "role grant": (
        lambda _stack: ["stablecoin", "grant-role", "pauser", ALICE],
        f"hasRole(PAUSER_ROLE, {ALICE}): false -> true",
    ),
    "tier-limit change": (
        lambda _stack: ["cbdc", "set-tier-limits", "0", "12000", "2000", "5000"],
        "tier 0 limits: balance 10,000 KGSD, payment 2,000 KGSD, daily 5,000 KGSD -> "
        "balance 12,000 KGSD, payment 2,000 KGSD, daily 5,000 KGSD",
    ),
    "feed change": (
        lambda stack: ["stablecoin", "set-reserve-feed", _feed(stack), "3600"],
        "reserve feed: {feed}, maximum age 1 d 1 h -> {feed}, maximum age 1 h",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_rehearse__through_the_timelock__shows_the_targets_state_diff(op, stack, case):
    args, expected = CASES[case]
    result = op(*args(stack), "--rehearse")
    assert result.exit_code == 0, result.output
    assert "then, 601 s later on the fork, the timelock executed the operation" in result.output
    assert expected.format(feed=_feed(stack)) in result.output
    assert "no watched state changed" not in result.output


@pytest.mark.parametrize("case", list(CASES))
def test_rehearse__safe_proposal_through_the_timelock__shows_the_targets_state_diff(
    board_as_safe, op, stack, tmp_path, case
):
    args, expected = CASES[case]
    path = tmp_path / "proposal.json"
    result = op(*args(stack), "--safe", SAFE_NAME, "--proposal-file", str(path))
    assert result.exit_code == 0, result.output
    shown = expected.format(feed=_feed(stack))
    assert shown in result.output
    assert any(shown in line for line in json.loads(path.read_text())["rehearsal"]["lines"])
