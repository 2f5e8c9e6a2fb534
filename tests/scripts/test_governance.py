"""Governance through the scripts, on anvil: a default deployment leaves the deployer with
no role; admin commands become timelock proposals executed after the delay."""

import json

import pytest

from tests.utils.chain import advance, through_timelock
from tests.utils.constants import ALICE, BANK, DEPLOYER, GOVERNANCE_DELAY, STRANGER
from tests.utils.paths import manifest_in

SOM = 100


def _operation(output: str) -> str:
    """The operation id printed in a `propose through the timelock` line."""
    line = next(ln for ln in output.splitlines() if "operation 0x" in ln)
    return line.split("operation ")[1].split(")")[0]


@pytest.fixture
def som(w3, stack):
    from ape import project

    data = json.loads(manifest_in(stack / "local").read_text())
    abi = [a.model_dump(by_alias=True) for a in project.DigitalSom.contract_type.abi]
    return w3.eth.contract(address=data["contracts"]["cbdc"]["address"], abi=abi)


def test_deploy_all__default_local_config__deployer_holds_no_role(op, w3, tmp_path, monkeypatch):
    """The repository's deploy-config.yaml on a local chain: TEST::0 deploys, every role
    goes to another test account, the timelock holds every admin power."""
    monkeypatch.setenv("SOMCHAIN_DEPLOYMENTS", str(tmp_path))
    result = op("deploy", "all")
    assert result.exit_code == 0, result.output
    assert "contract" in result.output
    assert "holder" in result.output  # the plan table, printed before confirming
    assert f"the deployer {DEPLOYER} holds no role in any contract" in result.output
    data = json.loads(manifest_in(tmp_path / "local").read_text())
    timelock = data["contracts"]["timelock"]["address"]
    for key, roles in data["roles"].items():
        for role, holders in roles.items():
            assert DEPLOYER not in holders, f"{key}.{role}"
        if key != "timelock":
            assert roles["DEFAULT_ADMIN_ROLE"] == [timelock], key
    assert data["roles"]["stablecoin"]["UPGRADER_ROLE"] == [timelock]
    assert data["roles"]["cbdc"]["UPGRADER_ROLE"] == [timelock]
    assert data["governance"]["min_delay"] == 600


def test_deploy__config_with_unknown_key__exits_2_naming_it(op, tmp_path):
    config = tmp_path / "deploy-config.yaml"
    from somchain import config as deploy_config

    text = deploy_config.DEFAULT_PATH.read_text().replace(
        "    master_minter: null ", "    master_mintr: null ", 1
    )
    config.write_text(text)
    result = op("deploy", "all", "--config", str(config), "--force")
    assert result.exit_code == 2
    assert "roles.master_mintr: unknown key" in result.output


def test_deploy__config_with_lowercase_address__exits_2(op, tmp_path):
    config = tmp_path / "deploy-config.yaml"
    from somchain import config as deploy_config

    text = deploy_config.DEFAULT_PATH.read_text().replace(
        "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", ALICE.lower(), 1
    )
    config.write_text(text)
    result = op("deploy", "all", "--config", str(config), "--force")
    assert result.exit_code == 2
    assert "roles.master_minter: address" in result.output
    assert "not checksummed" in result.output


def test_set_tier_limits__by_board__proposed_then_executed_after_the_delay(
    op, cli, network, w3, som
):
    before = som.functions.tierLimits(0).call()
    result = op("cbdc", "set-tier-limits", "0", "12000", "2000", "5000")
    assert result.exit_code == 0, result.output
    assert "propose through the timelock: set tier 0 limits" in result.output
    assert som.functions.tierLimits(0).call() == before  # nothing changes yet
    op_id = _operation(result.output)
    early = op("governance", "execute", op_id)
    assert early.exit_code == 2
    assert "is not ready before" in early.output
    listing = cli("governance", "list", "--network", network)
    assert op_id in listing.output
    assert "waiting" in listing.output
    assert (
        f"{som.address} (cbdc): setTierLimits(tier=0, maxBalance=12,000 KGSD, "
        "maxPayment=2,000 KGSD, dailyLimit=5,000 KGSD)"
    ) in listing.output
    advance(w3, GOVERNANCE_DELAY + 1)
    done = op("governance", "execute", op_id)
    assert done.exit_code == 0, done.output
    assert som.functions.tierLimits(0).call()[0] == 12_000 * SOM
    again = op("governance", "execute", op_id)
    assert again.exit_code == 2
    assert "already executed" in again.output


def test_grant_role__proposal_cancelled__never_applies(op, w3, som):
    result = op("cbdc", "grant-role", "bank", STRANGER)
    assert result.exit_code == 0, result.output
    op_id = _operation(result.output)
    cancelled = op("governance", "cancel", op_id)
    assert cancelled.exit_code == 0, cancelled.output
    advance(w3, GOVERNANCE_DELAY + 1)
    result = op("governance", "execute", op_id)
    assert result.exit_code == 2
    assert "cancelled" in result.output
    assert not som.functions.hasRole(som.functions.BANK_ROLE().call(), STRANGER).call()


def test_admin_command__that_would_revert__refused_before_proposing(op):
    """A limit above what the contract stores is caught by simulating the call from the
    timelock, before any proposal."""
    too_large = str(2**100)
    result = op("cbdc", "set-tier-limits", "0", too_large, "2000", "5000")
    assert result.exit_code == 2
    assert "would revert when executed: CbdcLimitTooLarge" in result.output


def test_admin_command__by_someone_outside_the_board__exits_2(op):
    result = op("cbdc", "set-tier-limits", "0", "12000", "2000", "5000", account=3)
    assert result.exit_code == 2
    assert "is held by the governance timelock" in result.output


def test_relink_wallet__through_the_timelock__applies_after_the_delay(op, cli, network, w3, som):
    assert op("cbdc", "register-wallet", ALICE, "--tier", "1", account=4).exit_code == 0
    assert op("cbdc", "grant-role", "bank", STRANGER).exit_code == 0
    proposals = cli("governance", "list", "--json", "--network", network)
    [grant] = json.loads(proposals.output[proposals.output.index("[") :])
    advance(w3, GOVERNANCE_DELAY + 1)
    assert op("governance", "execute", grant["id"]).exit_code == 0
    result = op("cbdc", "relink-wallet", ALICE, STRANGER)
    assert result.exit_code == 0, result.output
    advance(w3, GOVERNANCE_DELAY + 1)
    assert op("governance", "execute", _operation(result.output)).exit_code == 0
    assert som.functions.walletOf(ALICE).call() == [1, STRANGER, True]
    assert som.functions.walletOf(BANK).call()[2] is False


def test_increase_and_decrease_minter_allowance__by_master_minter__change_by_the_difference(
    op, w3, stack
):
    from ape import project

    data = json.loads(manifest_in(stack / "local").read_text())
    abi = [a.model_dump(by_alias=True) for a in project.NationalStablecoin.contract_type.abi]
    token = w3.eth.contract(address=data["contracts"]["stablecoin"]["address"], abi=abi)
    before = token.functions.minterAllowance(DEPLOYER).call()
    assert op("stablecoin", "increase-minter-allowance", DEPLOYER, "500", account=8).exit_code == 0
    assert token.functions.minterAllowance(DEPLOYER).call() == before + 500 * 10**18
    assert op("stablecoin", "decrease-minter-allowance", DEPLOYER, "200", account=8).exit_code == 0
    assert token.functions.minterAllowance(DEPLOYER).call() == before + 300 * 10**18


def test_set_issuance_allowance__through_the_timelock__bounds_issue(op, w3, som):
    through_timelock(
        op, w3, "cbdc", "set-issuance-allowance", DEPLOYER, "1000", delay=GOVERNANCE_DELAY
    )
    assert som.functions.issuanceAllowance(DEPLOYER).call() == 1000 * SOM
    result = op("cbdc", "issue", BANK, "1000.01")
    assert result.exit_code == 2
    assert "exceeds the issuer's allowance of 1,000" in result.output
    assert op("cbdc", "issue", BANK, "1000").exit_code == 0


def test_assign_tier__institutional_by_central_bank__while_a_bank_is_refused(op, som):
    assert op("cbdc", "register-wallet", ALICE, "--tier", "1", account=4).exit_code == 0
    refused = op("cbdc", "set-tier", ALICE, "4", account=4)
    assert refused.exit_code == 2  # before sending; the chain would say CbdcTierNotRetail
    assert "tier 4 is institutional: a bank sets tiers 0..2" in refused.output
    assert op("cbdc", "assign-tier", ALICE, "4").exit_code == 0
    assert som.functions.walletOf(ALICE).call()[0] == 4


def test_set_reserve_feed__max_age_above_seven_days__exits_2(op, stack):
    data = json.loads(manifest_in(stack / "local").read_text())
    feed = data["contracts"]["attestation"]["address"]
    result = op("stablecoin", "set-reserve-feed", feed, str(7 * 86_400 + 1))
    assert result.exit_code == 2
    assert "must be from 1 s to 604800 s" in result.output


EXECUTING_SAFE = "executing-board"


@pytest.fixture(scope="session")
def executing_safe(cli, network, stack, listed, w3):
    """A 2-of-3 Safe (TEST::1..3, named executing-board) holding the timelock's executor
    role beside the board member TEST::0."""
    from tests.utils.board import board_safe

    return board_safe(cli, network, stack, w3, EXECUTING_SAFE, ("EXECUTOR_ROLE",))


def test_governance_execute__account_not_an_executor__exits_2_saying_to_use_safe(op, w3):
    proposed = op("cbdc", "set-tier-limits", "0", "12000", "2000", "5000")
    op_id = _operation(proposed.output)
    advance(w3, GOVERNANCE_DELAY + 1)
    before = w3.eth.block_number
    result = op("governance", "execute", op_id, account=3)
    assert result.exit_code == 2, result.output
    assert f"account {STRANGER} does not hold EXECUTOR_ROLE on the timelock" in result.output
    # Without a Safe executor in the manifest it says to pass one; the session's other
    # suites may have made a Safe the executor, and then it names it.
    assert "pass --safe SAFE" in result.output or (
        f"ape run governance execute {op_id} --safe " in result.output
    )
    assert result.output.strip().count("\n") == 0
    assert w3.eth.block_number == before


def test_governance_execute__safe_is_the_executor__refusal_names_it_and_the_safe_path_executes(
    executing_safe, op, safe_cli, som, w3, tmp_path
):
    proposed = op("cbdc", "set-tier-limits", "0", "12000", "2000", "5000")
    op_id = _operation(proposed.output)
    advance(w3, GOVERNANCE_DELAY + 1)
    refused = op("governance", "execute", op_id, account=3)
    assert refused.exit_code == 2, refused.output
    assert f"ape run governance execute {op_id} --safe {EXECUTING_SAFE}`" in refused.output

    path = tmp_path / "execute.json"
    written = op("governance", "execute", op_id, "--safe", EXECUTING_SAFE, "--proposal-file", path)
    assert written.exit_code == 0, written.output
    assert "done: proposal written to" in written.output
    for owner in ("TEST::1", "TEST::2"):
        signed = safe_cli("sign", path, "--account", owner, "--yes", connected=False)
        assert signed.exit_code == 0, signed.output
    executed = safe_cli("execute", path, "--account", "TEST::5", "--yes")
    assert executed.exit_code == 0, executed.output
    assert som.functions.tierLimits(0).call()[0] == 12_000 * SOM
