"""`ape run desk`: a holder's conversions both ways, the status, the board's limits
through the timelock and the pauser's protective actions, against the scripts' anvil
stack (`deploy all` deploys the desk with no power: the board gives it here)."""

from __future__ import annotations

import json

import pytest

from tests.utils.board import board_safe
from tests.utils.chain import advance, manifest_contract, operation_id, proposed_operation
from tests.utils.constants import ALICE, BANK, DEPLOYER, GOVERNANCE_DELAY, ONE
from tests.utils.paths import manifest_in

SOM = 100
BANK_ACCOUNT = 4
ALICE_ACCOUNT = 1
MASTER_MINTER_ACCOUNT = "TEST::8"
DESK_SAFE = "desk-board"


@pytest.fixture(scope="session")
def desk_safe(cli, network, stack, listed, w3):
    """A 2-of-3 Safe (TEST::1..3, named desk-board) made a proposer of the governance
    timelock. Created before the module's snapshot, it outlives the module, as its entry in
    the manifest does."""
    return board_safe(cli, network, stack, w3, DESK_SAFE, ("PROPOSER_ROLE",))


@pytest.fixture(scope="module")
def desk_powers(cli, network, stack, listed, w3, desk_safe):
    """The board (TEST::0) gives the desk, through the timelock, a bucket of 10,000 som each
    way (refilled by 100 som a second, and left to fill), 100,000 som to issue and 100,000
    KGST of mint budget with a minter bucket, which the master minter gives it; alice
    (TEST::1) holds 5,000 KGST and is a verified wallet holding 2,000 som. Undone after the
    module."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]
    desk = manifest_contract(w3, stack / "local", "desk", "ConversionDesk")

    def run(script: str, *args: str, account: str = "TEST::0") -> str:
        result = cli(script, *args, "--network", network, "--account", account, "--yes")
        assert result.exit_code == 0, result.output
        return result.output

    proposals = [
        run("desk", "set-rate-limit", "10000", "100", "--to", "som"),
        run("desk", "set-rate-limit", "10000", "100", "--to", "kgst"),
        run("cbdc", "set-issuance-allowance", desk.address, "100000"),
        run("stablecoin", "increase-mint-budget", "100000"),
        run("stablecoin", "set-minter-rate-limit", desk.address, "100000", "100"),
    ]
    advance(w3, GOVERNANCE_DELAY + 1)
    for proposed in proposals:
        run("governance", "execute", operation_id(proposed))
    run("stablecoin", "configure-minter", desk.address, "100000", account=MASTER_MINTER_ACCOUNT)
    advance(w3, 200)  # a raised limit keeps the bucket's level: it refills to 10,000
    run("stablecoin", "mint", ALICE, "5000")
    run("cbdc", "issue", BANK, "100000")
    run("cbdc", "register-wallet", ALICE, "--tier", "1", account=f"TEST::{BANK_ACCOUNT}")
    run("cbdc", "pay", ALICE, "2000", account=f"TEST::{BANK_ACCOUNT}")
    yield desk
    w3.provider.make_request("evm_revert", [snapshot])


@pytest.fixture
def tokens(w3, stack):
    return (
        manifest_contract(w3, stack / "local", "stablecoin", "NationalStablecoin"),
        manifest_contract(w3, stack / "local", "cbdc", "DigitalSom"),
    )


def test_convert__to_som_with_reference__approves_then_converts_at_par(desk_powers, op, tokens):
    kgst, som = tokens
    result = op("desk", "convert", "1250.50", "--to", "som", "--reference", "WU-7781", account=1)
    assert result.exit_code == 0, result.output
    assert "approve the desk" in result.output
    assert "ConvertedToSom" in result.output
    assert kgst.functions.balanceOf(ALICE).call() == 5_000 * ONE - 125_050 * ONE // SOM
    assert som.functions.balanceOf(ALICE).call() == 2_000 * SOM + 125_050
    assert kgst.functions.balanceOf(desk_powers.address).call() == 0


def test_convert__to_kgst__redeems_and_mints(desk_powers, op, tokens):
    kgst, som = tokens
    result = op("desk", "convert", "300", "--to", "kgst", account=ALICE_ACCOUNT)
    assert result.exit_code == 0, result.output
    assert som.functions.balanceOf(ALICE).call() == 1_700 * SOM
    assert kgst.functions.balanceOf(ALICE).call() == 5_300 * ONE


@pytest.fixture
def desk_cli(network, w3):
    """`ape run desk ...` in process with stderr kept apart from stdout, the chain reverted
    afterwards."""
    from click.testing import CliRunner

    import scripts.desk

    runner = CliRunner(mix_stderr=False)
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]

    def run(command: str, *args: str, account: str | None):
        # The command's own arguments last, so that an option missing its value ends the line.
        signer = ["--account", account, "--yes"] if account else []
        return runner.invoke(scripts.desk.cli, [command, "--network", network, *signer, *args])

    yield run
    w3.provider.make_request("evm_revert", [snapshot])


HOLDER, BOARD = f"TEST::{ALICE_ACCOUNT}", "TEST::0"
BAD_INPUT = {
    "convert, zero": (HOLDER, ["convert", "0", "--to", "som"], "amount '0' must be positive"),
    "convert, negative": (HOLDER, ["convert", "-5", "--to", "som"], "amount -5 is negative"),
    "convert, not a number": (HOLDER, ["convert", "1e3", "--to", "som"], "not a plain decimal"),
    "convert, inexact": (HOLDER, ["convert", "1.001", "--to", "som"], "has 3 decimal places"),
    "convert, direction": (HOLDER, ["convert", "10", "--to", "euro"], "direction 'euro' must be"),
    "convert, no direction": (HOLDER, ["convert", "10"], "Missing option '--to'"),
    "convert, no amount": (HOLDER, ["convert", "--to", "som"], "Missing argument 'AMOUNT'"),
    "convert, balance": (HOLDER, ["convert", "9000", "--to", "som"], "holds 5,000"),
    "convert, reference": (
        HOLDER,
        ["convert", "10", "--to", "som", "--reference", "x" * 33],
        "1 to 32 bytes",
    ),
    "convert, empty reference": (
        HOLDER,
        ["convert", "10", "--to", "som", "--reference", ""],
        "1 to 32 bytes",
    ),
    "set, zero capacity": (
        BOARD,
        ["set-rate-limit", "0", "1", "--to", "som"],
        "amount '0' must be positive",
    ),
    "set, negative refill": (
        BOARD,
        ["set-rate-limit", "10", "-1", "--to", "som"],
        "amount -1 is negative",
    ),
    "set, inexact refill": (
        BOARD,
        ["set-rate-limit", "10", "0.001", "--to", "kgst"],
        "has 3 decimal places",
    ),
    "set, capacity too large": (
        BOARD,
        ["set-rate-limit", "12089258196146291747061.76", "1", "--to", "som"],
        "above the largest bucket",
    ),
    "set, refill too large": (
        BOARD,
        ["set-rate-limit", "10", "720575940379279.36", "--to", "som"],
        "above the largest refill",
    ),
    "set, direction": (BOARD, ["set-rate-limit", "10", "1", "--to", "up"], "direction 'up'"),
    "set, no refill": (BOARD, ["set-rate-limit", "10", "--to", "som"], "Missing argument"),
    "lower, not a number": (
        BOARD,
        ["lower-rate-limit", "10", "ten", "--to", "som"],
        "not a plain decimal",
    ),
    "lower, raised": (
        BOARD,
        ["lower-rate-limit", "20000", "0", "--to", "som"],
        "may only lower",
    ),
    "lower, direction": (BOARD, ["lower-rate-limit", "1", "0", "--to", "both"], "direction"),
    "lower, unknown option": (
        BOARD,
        ["lower-rate-limit", "1", "0", "--to", "som", "--now"],
        "No such option: --now",
    ),
    "unpause, not paused": (BOARD, ["unpause"], "the desk is not paused"),
    "pause, bad address": (BOARD, ["pause", "--address", "0x1234"], "is not an address"),
    "safe, no name": (BOARD, ["pause", "--safe"], "Option '--safe' requires an argument"),
    "safe, no proposal file": (
        BOARD,
        ["set-rate-limit", "10", "1", "--to", "som", "--safe", DESK_SAFE, "--proposal-file"],
        "Option '--proposal-file' requires an argument",
    ),
    "safe, proposal file alone": (
        BOARD,
        ["pause", "--proposal-file", "p.json"],
        "--proposal-file and --safe-nonce go with --safe",
    ),
    "safe, negative nonce": (
        BOARD,
        ["pause", "--safe", DESK_SAFE, "--safe-nonce", "-1"],
        "Invalid value for '--safe-nonce'",
    ),
    "safe, unknown": (BOARD, ["pause", "--safe", "treasury"], "no Safe named 'treasury'"),
    "status, bad address": (None, ["status", "--address", "0x1234"], "is not an address"),
    "status, bad network": (None, ["status", "--network", "bsc:nowhere"], "'--network'"),
    "status, unknown option": (None, ["status", "--yaml"], "No such option: --yaml"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input__one_line_on_stderr_exit_2_nothing_sent(desk_powers, desk_cli, w3, case):
    from ape import accounts

    account, args, message = BAD_INPUT[case]
    sender = accounts.test_accounts[int((account or BOARD).split("::")[1])].address
    nonce, block = w3.eth.get_transaction_count(sender), w3.eth.block_number
    result = desk_cli(*args, account=account)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert (w3.eth.get_transaction_count(sender), w3.eth.block_number) == (nonce, block)


def test_status__buckets_powers_and_totals(desk_powers, op, cli, network):
    assert op("desk", "convert", "10", "--to", "som", account=ALICE_ACCOUNT).exit_code == 0
    result = cli("desk", "status", "--network", network)
    assert result.exit_code == 0, result.output
    assert "paused" in result.output
    assert "bucket KGST -> KGSD" in result.output
    assert "10 KGST burned, 10 KGSD issued (1 conversion)" in result.output
    report = json.loads(cli("desk", "status", "--json", "--network", network).output)
    assert report["converted"]["to_som"]["som_issued"] == "10"
    assert report["buckets"]["to_kgst"]["capacity"] == "10000"
    assert report["held"] == {"kgst": "0", "som": "0"}


def test_pause_and_lower__pauser__at_once(desk_powers, op, w3):
    assert op("desk", "lower-rate-limit", "500", "0", "--to", "som").exit_code == 0
    assert desk_powers.functions.rateLimit(0).call() == [50_000, 0, 50_000]
    raised = op("desk", "lower-rate-limit", "600", "0", "--to", "som")
    assert raised.exit_code == 2
    assert "may only lower" in raised.output
    assert op("desk", "pause").exit_code == 0
    refused = op("desk", "convert", "1", "--to", "som", account=ALICE_ACCOUNT)
    assert refused.exit_code == 2
    assert "is paused" in refused.output
    assert op("desk", "unpause").exit_code == 0


def test_set_rate_limit__board__proposed_to_the_timelock(desk_powers, op, w3):
    result = op("desk", "set-rate-limit", "20000", "2", "--to", "kgst")
    assert result.exit_code == 0, result.output
    advance(w3, GOVERNANCE_DELAY + 1)
    done = op("governance", "execute", operation_id(result.output))
    assert done.exit_code == 0, done.output
    assert desk_powers.functions.rateLimit(1).call()[:2] == [2_000_000, 200]


def test_set_rate_limit__not_a_proposer__exit_2(desk_powers, op):
    result = op("desk", "set-rate-limit", "20000", "2", "--to", "kgst", account=ALICE_ACCOUNT)
    assert result.exit_code == 2
    assert "not one of its proposers" in result.output


# --- the board's and the pauser's commands through a Safe ---------------------------------


def _proposed(op, path, *args: str):
    """`ape run desk ARGS --safe desk-board`: the proposal, rehearsed from the Safe."""
    result = op("desk", *args, "--safe", DESK_SAFE, "--proposal-file", path)
    assert result.exit_code == 0, result.output
    assert "rehearsal: succeeded" in result.output
    assert "done: proposal written" in result.output
    return result


def _signed_and_executed(safe_cli, path) -> tuple[str, str]:
    """Two owners sign with no network (the first one's screen is returned), then anyone
    executes; returns the screen and the execution's output."""
    screens = []
    for owner in ("TEST::1", "TEST::3"):
        signed = safe_cli("sign", path, "--account", owner, "--yes", connected=False)
        assert signed.exit_code == 0, signed.output
        screens.append(signed.output)
    executed = safe_cli("execute", path, "--account", "TEST::5", "--yes")
    assert executed.exit_code == 0, executed.output
    return screens[0], executed.output


def test_set_rate_limit__board_safe__scheduled_signed_executed_then_applied_after_delay(
    desk_safe, desk_powers, op, safe_cli, stack, w3, tmp_path
):
    timelock = manifest_contract(w3, stack / "local", "timelock", "GovernanceTimelock")
    desk = desk_powers.address
    path = tmp_path / "rate.json"
    proposed = _proposed(op, path, "set-rate-limit", "20000", "2", "--to", "kgst")
    assert "the timelock executed the operation" in proposed.output
    assert (
        "the desk's digital som -> KGST bucket: 10,000 som, refilled by 100 som a second "
        "(8,640,000 som a day) -> 20,000 som, refilled by 2 som a second (172,800 som a day)"
    ) in proposed.output
    data = json.loads(path.read_text())
    assert (data["safe"], data["safe_tx"]["to"]) == (desk_safe, timelock.address)
    assert [call["function"] for call in data["calls"]] == ["schedule"]

    screen, executed = _signed_and_executed(safe_cli, path)
    # Decoded from the signed SafeTx by the ABI of each target the manifest names.
    assert f"GovernanceTimelock (timelock) {timelock.address}: schedule, delay 600 s" in screen
    assert (
        f"ConversionDesk (desk) {desk}: "
        "setRateLimit(direction=1, capacity=20,000 KGSD, refillPerSecond=2 KGSD)"
    ) in screen
    assert "WARNING" not in screen
    assert "event CallScheduled" in executed
    assert desk_powers.functions.rateLimit(1).call()[:2] == [1_000_000, 10_000]

    advance(w3, GOVERNANCE_DELAY + 1)
    done = op("governance", "execute", proposed_operation(proposed.output))
    assert done.exit_code == 0, done.output
    assert desk_powers.functions.rateLimit(1).call()[:2] == [2_000_000, 200]


def _grant_desk_pauser(w3, stack, desk, safe: str) -> None:
    """The board gives the Safe the desk's PAUSER_ROLE through the governance timelock (the
    desk's admin), TEST::0 proposing and executing."""
    timelock = manifest_contract(w3, stack / "local", "timelock", "GovernanceTimelock")
    grant = desk.encode_abi("grantRole", args=[desk.functions.PAUSER_ROLE().call(), safe])
    call = (desk.address, 0, grant, b"\0" * 32, b"desk pauser".ljust(32, b"\0"))
    timelock.functions.schedule(*call, GOVERNANCE_DELAY).transact({"from": DEPLOYER})
    advance(w3, GOVERNANCE_DELAY + 1)
    timelock.functions.execute(*call).transact({"from": DEPLOYER})


def test_pause_and_lower__safe_holding_the_desks_pauser_role__at_once(
    desk_safe, desk_powers, op, safe_cli, stack, w3, tmp_path
):
    desk = desk_powers
    refused = op("desk", "pause", "--safe", DESK_SAFE, "--proposal-file", tmp_path / "no.json")
    assert refused.exit_code == 2, refused.output
    assert f"account {desk_safe} does not hold PAUSER_ROLE" in refused.output
    assert not (tmp_path / "no.json").exists()
    # Without the role, the board's Safe lowers a bucket through the timelock (the desk's admin).
    board = tmp_path / "board.json"
    _proposed(op, board, "lower-rate-limit", "500", "0", "--to", "som")
    assert [call["function"] for call in json.loads(board.read_text())["calls"]] == ["schedule"]

    _grant_desk_pauser(w3, stack, desk, desk_safe)
    lower = tmp_path / "lower.json"
    lowered = _proposed(op, lower, "lower-rate-limit", "500", "0", "--to", "som")
    assert (
        "the desk's KGST -> digital som bucket: 10,000 som, refilled by 100 som a second "
        "(8,640,000 som a day) -> 500 som, refilled by 0 som a second (0 som a day)"
    ) in lowered.output
    data = json.loads(lower.read_text())
    assert data["safe_tx"]["to"] == desk.address  # the pauser's own call: no timelock
    assert [call["function"] for call in data["calls"]] == ["lowerRateLimit"]
    screen, executed = _signed_and_executed(safe_cli, lower)
    assert (
        f"ConversionDesk (desk) {desk.address}: "
        "lowerRateLimit(direction=0, capacity=500 KGSD, refillPerSecond=0 KGSD)"
    ) in screen
    assert "WARNING" not in screen
    assert "event DeskRateLimitSet" in executed
    assert desk.functions.rateLimit(0).call() == [50_000, 0, 50_000]

    pause = tmp_path / "pause.json"
    paused = _proposed(op, pause, "pause")
    assert "paused: false -> true" in paused.output
    assert json.loads(pause.read_text())["nonce"] == data["nonce"] + 1
    screen, executed = _signed_and_executed(safe_cli, pause)
    assert f"ConversionDesk (desk) {desk.address}: pause()" in screen
    assert "event Paused" in executed
    assert desk.functions.paused().call()


def test_address__prints_the_manifests_desk_alone(cli, network, stack, w3):
    result = cli("desk", "address", "--network", network)
    assert result.exit_code == 0, result.output
    desk = manifest_contract(w3, stack / "local", "desk", "ConversionDesk")
    assert result.output.strip().splitlines()[-1] == desk.address


def test_deploy_all__wires_the_desk_and_hands_it_to_the_timelock(stack, w3, tokens):
    kgst, som = tokens
    data = json.loads(manifest_in(stack / "local").read_text())
    desk = manifest_contract(w3, stack / "local", "desk", "ConversionDesk")
    assert data["contracts"]["desk"]["contract"] == "ConversionDesk"
    assert desk.functions.kgst().call() == kgst.address
    assert desk.functions.som().call() == som.address
    assert desk.functions.defaultAdmin().call() == data["contracts"]["timelock"]["address"]
    for role in ("ISSUER_ROLE", "BANK_ROLE"):
        assert som.functions.hasRole(som.functions[role]().call(), desk.address).call()
    assert kgst.functions.minterRateLimit(desk.address).call()[0] > 0
    assert desk.functions.rateLimit(0).call()[0] > 0  # set at deployment
    assert data["roles"]["desk"]["PAUSER_ROLE"]


def test_convert_to_kgst__desks_minter_bucket_short__exit_2_nothing_sent(desk_powers, op, w3):
    proposed = op("stablecoin", "set-minter-rate-limit", desk_powers.address, "5", "0")
    assert proposed.exit_code == 0, proposed.output
    advance(w3, GOVERNANCE_DELAY + 1)
    assert op("governance", "execute", operation_id(proposed.output)).exit_code == 0
    nonce = w3.eth.get_transaction_count(ALICE)
    result = op("desk", "convert", "10", "--to", "kgst", account=ALICE_ACCOUNT)
    assert result.exit_code == 2, result.output
    assert "the desk's minter bucket holds 5 KGST now, less than 10 KGST" in result.output
    assert w3.eth.get_transaction_count(ALICE) == nonce
