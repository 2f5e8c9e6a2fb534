"""A rehearsal of an admin action routed through the governance timelock, proposed by a
board member or by the board's Safe, shows the state diff the direct action would: read
on the contract the scheduled call targets, after the operation executes on the fork."""

import json

import pytest

from tests.utils.chain import advance
from tests.utils.constants import ALICE, DEPLOYER, GOVERNANCE_DELAY, TEST_ACCOUNTS
from tests.utils.paths import manifest_in

SAFE_NAME = "rehearsal-board"


@pytest.fixture(scope="session")
def board_as_safe(cli, network, stack, listed, w3):
    """A 2-of-3 Safe (`ape run deploy safe`, named rehearsal-board) made a proposer of the
    governance timelock, through the timelock."""
    from ape import project

    owners = sum((["--owner", o] for o in TEST_ACCOUNTS[1:4]), [])
    args = ["deploy", "safe", *owners, "--threshold", "2", "--name", SAFE_NAME]
    result = cli(*args, "--network", network, "--account", "TEST::0", "--yes")
    assert result.exit_code == 0, result.output
    data = json.loads(manifest_in(stack / "local").read_text())
    safe = data["safes"][SAFE_NAME]["address"]
    abi = [a.model_dump(by_alias=True) for a in project.GovernanceTimelock.contract_type.abi]
    timelock = w3.eth.contract(address=data["contracts"]["timelock"]["address"], abi=abi)
    payload = timelock.encode_abi(
        "grantRole", args=[timelock.functions.PROPOSER_ROLE().call(), safe]
    )
    salt, zero = b"\x02" * 32, b"\x00" * 32
    call = (timelock.address, 0, payload, zero, salt)
    timelock.functions.schedule(*call, GOVERNANCE_DELAY).transact({"from": DEPLOYER})
    advance(w3, GOVERNANCE_DELAY + 1)
    timelock.functions.execute(*call).transact({"from": DEPLOYER})
    return safe


def _feed(stack) -> str:
    return json.loads(manifest_in(stack / "local").read_text())["contracts"]["attestation"][
        "address"
    ]


CASES = {
    "role grant": (
        lambda _stack: ["stablecoin", "grant-role", "pauser", ALICE],
        f"hasRole(PAUSER_ROLE, {ALICE}): False -> True",
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
