import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.utils.chain import start_anvil, through_timelock
from tests.utils.constants import ALICE, BOB, DEPLOYER, GOVERNANCE_DELAY, STRANGER
from tests.utils.paths import ROOT, manifest_in

ONE = 10**18
CASE = "KG-COURT-2026-0042"


@pytest.fixture
def token(w3, stack):
    from ape import project

    data = json.loads(manifest_in(stack / "local").read_text())
    abi = [a.model_dump(by_alias=True) for a in project.NationalStablecoin.contract_type.abi]
    return w3.eth.contract(address=data["contracts"]["stablecoin"]["address"], abi=abi)


def _sent_nothing(w3, before: int) -> bool:
    return w3.eth.block_number == before


# ---------------------------------------------------------------- happy paths


def test_mint__happy_path__prints_tx_block_gas_and_events(op, token):
    result = op("stablecoin", "mint", ALICE, "1250.50")
    assert result.exit_code == 0, result.output
    assert "will mint 1,250.5 KGST to" in result.output
    assert "gas used" in result.output
    assert "block" in result.output
    assert "event Mint(" in result.output
    # Events read in token units with named, checksummed addresses.
    assert f"to={ALICE}, amount=1,250.5 KGST)" in result.output
    assert f"event Transfer(from=0x0000000000000000000000000000000000000000, to={ALICE}, " in (
        result.output
    )
    assert token.functions.balanceOf(ALICE).call() == 125050 * ONE // 100


def test_burn__by_minter__reduces_supply(op, token):
    op("stablecoin", "mint", DEPLOYER, "10")
    result = op("stablecoin", "burn", "4")
    assert result.exit_code == 0, result.output
    assert token.functions.totalSupply().call() == 6 * ONE


def test_configure_and_remove_minter__round_trip(op, token):
    """The master minter (TEST::8) sets the rate-limited minter's allowance, then removes it."""
    configured = op("stablecoin", "configure-minter", DEPLOYER, "500", account=8)
    assert configured.exit_code == 0, configured.output
    assert token.functions.minterAllowance(DEPLOYER).call() == 500 * ONE
    assert op("stablecoin", "remove-minter", DEPLOYER, account=8).exit_code == 0
    assert not token.functions.isMinter(DEPLOYER).call()


def test_freeze_and_unfreeze__round_trip(op, token):
    assert op("stablecoin", "freeze", ALICE).exit_code == 0
    assert token.functions.isFrozen(ALICE).call()
    assert op("stablecoin", "unfreeze", ALICE).exit_code == 0
    assert not token.functions.isFrozen(ALICE).call()


def test_freeze_batch__from_file__freezes_each(op, token, tmp_path):
    listing = tmp_path / "sanctioned.csv"
    listing.write_text(f"address,note\n{ALICE},case 1\n# reviewed\n{BOB},case 2\n")
    result = op("stablecoin", "freeze-batch", str(listing))
    assert result.exit_code == 0, result.output
    assert token.functions.isFrozen(ALICE).call()
    assert token.functions.isFrozen(BOB).call()


def test_freeze_batch__the_audits_sanctions_formats__freezes_every_evm_address(
    op, token, w3, tmp_path
):
    """OFAC's SDN CSV (EVM addresses among other chains') and a plain lower-case list with
    trailing comments, as `ape run audit --sanctions` reads them."""
    sdn = ROOT / "examples" / "sanctions" / "sdn_digital_currency.csv"
    result = op("stablecoin", "freeze-batch", str(sdn))
    assert result.exit_code == 0, result.output
    listed = [
        w3.to_checksum_address(a)
        for a in (
            "0x00000000000000000000000000000000deadbeef",
            "0x000000000000000000000000000000000badbad1",
            "0xa0ee7a142d267c1f36714e4a8f75612f20a79720",
        )
    ]
    assert "freeze 3 accounts" in result.output
    assert all(token.functions.isFrozen(a).call() for a in listed)
    plain = tmp_path / "plain.txt"
    plain.write_text(f"# published list\n{ALICE.lower()}  # case 1\n{BOB.lower()}\n")
    result = op("stablecoin", "freeze-batch", str(plain))
    assert result.exit_code == 0, result.output
    assert token.functions.isFrozen(ALICE).call()
    assert token.functions.isFrozen(BOB).call()


def test_seize__frozen_account__moves_funds(op, token):
    op("stablecoin", "mint", ALICE, "100")
    op("stablecoin", "freeze", ALICE)
    result = op("stablecoin", "seize", ALICE, DEPLOYER, "60", "--case", CASE)
    assert result.exit_code == 0, result.output
    assert "event Seized(" in result.output
    assert f"amount=60 KGST, caseRef='{CASE}')" in result.output
    assert token.functions.balanceOf(DEPLOYER).call() == 60 * ONE


def test_pause_and_unpause__round_trip(op, token):
    assert op("stablecoin", "pause").exit_code == 0
    assert token.functions.paused().call()
    assert op("stablecoin", "unpause").exit_code == 0
    assert not token.functions.paused().call()


def test_grant_and_revoke_role__round_trip_through_the_timelock(op, w3, token):
    role = token.functions.PAUSER_ROLE().call()
    through_timelock(op, w3, "stablecoin", "grant-role", "pauser", ALICE, delay=GOVERNANCE_DELAY)
    assert token.functions.hasRole(role, ALICE).call()
    args = ("stablecoin", "revoke-role", "PAUSER_ROLE", ALICE)
    through_timelock(op, w3, *args, delay=GOVERNANCE_DELAY)
    assert not token.functions.hasRole(role, ALICE).call()


def test_attest_reserve__posts_new_round(op, w3):
    head = w3.eth.get_block("latest").timestamp
    result = op(
        "stablecoin",
        "attest-reserve",
        "750000.25",
        "--report-hash",
        "0x" + "cd" * 32,
        "--as-of",
        str(head),
    )
    assert result.exit_code == 0, result.output
    assert "event ReserveAttested(" in result.output
    assert "reserve=750,000.25 som, asOf=20" in result.output  # the fiat, a UTC time


def test_status__json__stdout_is_json_with_supply_reserve_and_roles(op, cli, network):
    op("stablecoin", "mint", ALICE, "1000")
    result = cli("stablecoin", "status", "--json", "--network", network)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # ape's log lines go to stderr
    assert report["supply"] == "1000"
    assert report["reserve"]["state"] == "current"
    assert report["reserve"]["amount"] == "500000"
    assert report["reserve"]["as_of"].endswith("+00:00")
    assert report["coverage"] == "50,000.00%"
    assert report["paused"] is False
    assert report["roles"]["PAUSER_ROLE"] == [DEPLOYER]  # from the role events


def test_status__text__amounts_with_symbol_times_in_utc_and_names(op, cli, network):
    op("stablecoin", "mint", ALICE, "1250.5")
    result = cli("stablecoin", "status", "--network", network)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    supply = next(line for line in lines if line.startswith("supply "))
    assert supply.split(None, 1)[1] == "1,250.5 KGST"
    reserve = next(line for line in lines if line.startswith("reserve "))
    assert reserve.split(None, 1)[1].startswith("500,000 som, attested 20")
    assert reserve.endswith(" UTC (round 1)")
    assert any(line.startswith("token ") and line.endswith("(stablecoin)") for line in lines)
    assert any(line.startswith("admin ") and line.endswith("(timelock)") for line in lines)
    pauser = next(line for line in lines if line.startswith("  PAUSER_ROLE "))
    assert pauser.split()[1] == DEPLOYER
    assert "pauser" in pauser  # the configured names it holds
    assert " -" not in "\n".join(line for line in lines if line.startswith("  "))


# ---------------------------------------------------------------- bad input: exit 2, nothing sent


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["mint", ALICE.lower(), "1"], "not checksummed"),
        (["mint", "0x1234", "1"], "is not an address"),
        (["mint", "0x0000000000000000000000000000000000000000", "1"], "zero address"),
        (["mint", ALICE, "1.0000000000000000001"], "19 decimal places"),
        (["mint", ALICE, "1,5"], "not a plain decimal"),
        (["mint", ALICE, "1e3"], "not a plain decimal"),
        (["mint", ALICE, "0"], "must be positive"),
        (["mint", ALICE, "-5"], "amount -5 is negative"),
        (["mint", ALICE, "9" * 4301], "is too large"),
        (["mint", ALICE, str(2**256)], "is too large"),
        (["mint", ALICE, "2000000"], "exceeds the minter allowance"),
        (["burn", "1"], "exceeds the balance"),
        (["unfreeze", ALICE], "is not frozen"),
        (["remove-minter", ALICE], "does not hold MASTER_MINTER_ROLE"),
        (["seize", ALICE, DEPLOYER, "1", "--case", CASE], "is not frozen"),
        (["seize", ALICE, DEPLOYER, "1", "--case", "x" * 33], "1 to 32 bytes"),
        (["grant-role", "BANANA_ROLE", ALICE], "unknown role"),
        (["grant-role", "DEFAULT_ADMIN_ROLE", ALICE], "two-step handover"),
        (["revoke-role", "pauser", ALICE], "does not hold PAUSER_ROLE"),
        (["unpause"], "not paused"),
        (["attest-reserve", "1", "--report-hash", "0x12"], "32 bytes"),
        (["mint", ALICE, "1", "--address", "0xnothex"], "is not an address"),
    ],
)
def test_bad_input__exits_2_with_one_line_and_sends_nothing(op, w3, args, problem):
    before = w3.eth.block_number
    result = op("stablecoin", *args)
    assert result.exit_code == 2, result.output
    assert problem in result.output
    assert result.output.strip().count("\n") == 0
    assert _sent_nothing(w3, before)


def test_freeze_batch__missing_file__exits_2(op, tmp_path):
    result = op("stablecoin", "freeze-batch", str(tmp_path / "none.txt"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_freeze_batch__bad_line__names_the_line(op, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text(f"{ALICE}\nnot-an-address\n")
    result = op("stablecoin", "freeze-batch", str(listing))
    assert result.exit_code == 2
    assert "line 2" in result.output


def test_mint__while_paused__exits_2(op, w3):
    op("stablecoin", "pause")
    before = w3.eth.block_number
    result = op("stablecoin", "mint", ALICE, "1")
    assert result.exit_code == 2
    assert "is paused" in result.output
    assert _sent_nothing(w3, before)


def test_missing_role__exits_2_naming_the_role(op, w3):
    before = w3.eth.block_number
    result = op("stablecoin", "pause", account=3)
    assert result.exit_code == 2
    assert f"{STRANGER} does not hold PAUSER_ROLE" in result.output
    assert _sent_nothing(w3, before)


def test_not_a_minter__exits_2(op):
    result = op("stablecoin", "mint", ALICE, "1", account=3)
    assert result.exit_code == 2
    assert "is not a minter" in result.output
    removed = op("stablecoin", "remove-minter", ALICE, account=8)  # by the master minter
    assert removed.exit_code == 2
    assert "is not a minter" in removed.output


def test_no_manifest_entry__exits_2_with_hint(op, monkeypatch, tmp_path):
    monkeypatch.setenv("SOMCHAIN_DEPLOYMENTS", str(tmp_path))
    result = op("stablecoin", "pause")
    assert result.exit_code == 2
    assert "ape run deploy stablecoin" in result.output


# ---------------------------------------------------------------- reverts, confirmation


def test_mint__above_reserve__revert_decoded_exit_1(op, token):
    result = op("stablecoin", "mint", ALICE, "600000")
    assert result.exit_code == 1
    assert "StablecoinReserveExceeded(supplyAfter=600000000000000000000000" in result.output
    assert token.functions.totalSupply().call() == 0


def test_confirmation__declined__sends_nothing(op, w3):
    before = w3.eth.block_number
    result = op("stablecoin", "pause", yes=False, input="n\n")
    assert result.exit_code == 1
    assert "aborted; nothing sent" in result.output
    assert _sent_nothing(w3, before)


def test_confirmation__accepted__sends(op, token):
    result = op("stablecoin", "pause", yes=False, input="y\n")
    assert result.exit_code == 0, result.output
    assert token.functions.paused().call()


# ---------------------------------------------------------------- network guards


def test_chain_id_guard__node_with_other_chain_id__exits_2(cli):
    process, uri = start_anvil(chain_id=1234)
    try:
        result = cli(
            "stablecoin",
            "pause",
            "--network",
            f"bsc:anvil-testnet:{uri}",
            "--account",
            "TEST::0",
            "--yes",
        )
    finally:
        process.stop()
    assert result.exit_code == 2
    assert "wrong chain" in result.output
    assert "1234" in result.output


def test_mainnet_guard__chain_56_without_flag__exits_2(cli, deployments):
    process, uri = start_anvil(chain_id=56)
    try:
        result = cli(
            "stablecoin",
            "pause",
            "--network",
            f"ethereum:local:{uri}",
            "--account",
            "TEST::0",
            "--yes",
        )
    finally:
        process.stop()
    assert result.exit_code == 2
    assert "refusing BNB mainnet" in result.output


# ---------------------------------------------------------------- rehearsal on a fork


def test_rehearse__shows_changes_and_leaves_upstream_untouched_until_broadcast(op, w3, token):
    before = w3.eth.block_number
    result = op("stablecoin", "mint", ALICE, "5", "--rehearse", yes=False, input="n\n")
    assert result.exit_code == 1, result.output
    assert "rehearsal: succeeded" in result.output
    assert f"balanceOf({ALICE}): 0 KGST -> 5 KGST" in result.output
    assert "aborted; nothing sent" in result.output
    assert w3.eth.block_number == before
    assert token.functions.balanceOf(ALICE).call() == 0


def test_rehearse__then_broadcast__applies_upstream(op, token):
    result = op("stablecoin", "freeze", ALICE, "--rehearse")
    assert result.exit_code == 0, result.output
    assert f"isFrozen({ALICE}): false -> true" in result.output
    assert token.functions.isFrozen(ALICE).call()


def test_rehearse__revert_on_fork__exits_1_nothing_sent(op, w3):
    before = w3.eth.block_number
    result = op("stablecoin", "mint", ALICE, "600000", "--rehearse")
    assert result.exit_code == 1
    assert "rehearsal: reverted: StablecoinReserveExceeded" in result.output
    assert w3.eth.block_number == before


# ---------------------------------------------------------------- through `ape run`, with a keyfile


def test_ape_run__keyfile_account_with_passphrase_env__unattended(op, stack, network, w3, token):
    """The real entry point, `ape run`, in a subprocess, signing with a keyfile account whose
    passphrase comes from APE_ACCOUNTS_<alias>_PASSPHRASE."""
    from ape import accounts
    from ape_accounts import import_account_from_private_key

    key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"  # TEST::1
    alias = "opstest"
    if alias not in accounts.aliases:
        import_account_from_private_key(alias, "s3cret", key)
    keyfile = Path(os.environ["APE_DATA_FOLDER"]) / "accounts" / f"{alias}.json"
    env = dict(
        os.environ, APE_ACCOUNTS_opstest_PASSPHRASE="s3cret", SOMCHAIN_DEPLOYMENTS=str(stack)
    )
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]

    def ape_run(*args: str) -> subprocess.CompletedProcess:
        command = [str(Path(sys.executable).parent / "ape"), "run", "stablecoin", *args]
        command += ["--network", network, "--yes"]
        return subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )

    try:
        through_timelock(
            op, w3, "stablecoin", "grant-role", "pauser", ALICE, delay=GOVERNANCE_DELAY
        )
        paused = ape_run("pause", "--account", alias)
        assert paused.returncode == 0, paused.stdout + paused.stderr
        assert "done: pause KGST" in paused.stdout
        assert "Confirmed 0x" not in paused.stdout + paused.stderr  # the tx lines say it
        assert token.functions.paused().call()
        bad = ape_run("freeze", ALICE.lower(), "--account", alias)
        assert bad.returncode == 2
    finally:
        w3.provider.make_request("evm_revert", [snapshot])
        keyfile.unlink(missing_ok=True)


def test_mint__revert_in_a_real_process__decoded_in_one_line_without_a_call_trace(
    stack, network, token
):
    """ape's providers print a call trace on every revert; the command says the decoded
    error in one line instead (the trace goes to the process's stdout, hence `ape run`)."""
    command = [str(Path(sys.executable).parent / "ape"), "run", "stablecoin", "mint", ALICE]
    command += ["600000", "--network", network, "--account", "TEST::0", "--yes"]
    env = dict(os.environ, SOMCHAIN_DEPLOYMENTS=str(stack))
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    for trace in (
        "Call trace",
        "reverted without message",
        "tx.origin",
        "NationalStablecoin.mint(",
    ):
        assert trace not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "StablecoinReserveExceeded(" in errors[0]
    assert token.functions.totalSupply().call() == 0


def test_pause__without_yes_and_no_terminal__exits_2_saying_pass_yes(stack, network, token):
    """`ape run` with stdin closed (cron, CI) and no --yes: one line saying what to do."""
    command = [str(Path(sys.executable).parent / "ape"), "run", "stablecoin", "pause"]
    command += ["--network", network, "--account", "TEST::0"]
    env = dict(os.environ, SOMCHAIN_DEPLOYMENTS=str(stack))
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if not line.startswith("INFO:")]
    assert errors == [  # ape's own log lines (INFO:) go to stderr too
        "error: no answer to the confirmation (stdin is not a terminal): pass --yes to send "
        "without asking"
    ]
    assert not token.functions.paused().call()


@pytest.mark.parametrize(
    "command",
    [
        ["stablecoin", "pause"],
        ["stablecoin", "mint", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1"],
        ["deploy", "all"],
    ],
)
def test_command__no_account_and_no_terminal__exits_2_saying_pass_account(
    stack, anvil, w3, command
):
    """BNB testnet's name on the stand-in, stdin closed, no --account: one line naming the
    option, instead of ape's account menu aborting."""
    before = w3.eth.block_number
    ape = str(Path(sys.executable).parent / "ape")
    env = dict(os.environ, SOMCHAIN_DEPLOYMENTS=str(stack / "local"), BSC_TESTNET_RPC=anvil)
    result = subprocess.run(
        [ape, "run", *command, "--network", "bsc:testnet:node", "--yes"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: no account to sign with: pass --account ALIAS (see `ape accounts list`)"
    ]
    assert w3.eth.block_number == before
