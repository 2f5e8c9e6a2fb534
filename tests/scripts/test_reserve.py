import json

import pytest

from somchain.constants import NATIVE
from tests.utils.chain import advance, operation_id
from tests.utils.constants import ALICE, BOB, GOVERNANCE_DELAY, STRANGER
from tests.utils.paths import manifest_in

ONE = 10**18


@pytest.fixture
def funded(op, listed):
    assert op("reserve", "deposit", "BNB", "50").exit_code == 0
    assert op("reserve", "deposit", listed["usdt"].address, "20000").exit_code == 0


def test_deploy__records_timelock_and_vault(stack):
    data = json.loads(manifest_in(stack / "local").read_text())
    assert data["contracts"]["reserve"]["contract"] == "ReserveVault"
    assert data["contracts"]["timelock"]["contract"] == "GovernanceTimelock"
    assert data["contracts"]["timelock"]["constructor_args"][0] == 0  # the bootstrap delay
    assert data["governance"]["min_delay"] == GOVERNANCE_DELAY  # set when sealed


def test_deposit__bnb_and_token__credit_the_vault(op, vault, listed, w3):
    result = op("reserve", "deposit", "BNB", "1.5")
    assert result.exit_code == 0, result.output
    assert vault.functions.balanceOf(NATIVE).call() == 15 * ONE // 10
    result = op("reserve", "deposit", listed["usdt"].address, "250.25")
    assert result.exit_code == 0, result.output
    assert "will approve 250.25 USDT" in result.output
    assert "event Deposited(" in result.output
    assert vault.functions.balanceOf(listed["usdt"].address).call() == 25025 * ONE // 100


def test_holdings__prints_values_and_policy(op, cli, network, funded):
    result = cli("reserve", "holdings", "--network", network)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    bnb = next(line for line in lines if line.startswith("BNB "))
    assert bnb.split()[1:] == ["50", "BNB", "$600.00", "$30,000.00"]  # 50 BNB at $600
    assert lines[-2].split() == ["total", "$50,000.00"]
    assert lines[-1] == "within policy: yes"


def test_withdrawal__propose_wait_execute__pays_out(op, w3, funded, listed):
    usdt = listed["usdt"]
    result = op("reserve", "propose-withdrawal", usdt.address, ALICE, "5000", "--salt", "w-1")
    assert result.exit_code == 0, result.output
    op_id = operation_id(result.output)
    early = op("governance", "execute", op_id)
    assert early.exit_code == 2
    assert "is not ready before" in early.output
    advance(w3, GOVERNANCE_DELAY + 1)
    done = op("governance", "execute", op_id)
    assert done.exit_code == 0, done.output
    assert usdt.functions.balanceOf(ALICE).call() == 5000 * ONE
    again = op("governance", "execute", op_id)
    assert again.exit_code == 2
    assert "already executed" in again.output


def test_propose_withdrawal__by_non_proposer__exits_2(op, funded):
    result = op("reserve", "propose-withdrawal", "BNB", ALICE, "1", account=3)
    assert result.exit_code == 2
    assert "does not hold PROPOSER_ROLE" in result.output


def test_propose_withdrawal__more_than_held__exits_2(op, funded):
    result = op("reserve", "propose-withdrawal", "BNB", ALICE, "51")
    assert result.exit_code == 2
    assert "holds less than" in result.output


def test_execute_withdrawal__retired__points_to_governance_execute(op, w3, listed):
    before = w3.eth.block_number
    result = op("reserve", "execute-withdrawal", "0x" + "12" * 32)
    assert result.exit_code == 2
    assert "ape run governance execute" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert w3.eth.block_number == before


def test_operational_transfer__within_limit__pays_without_delay(op, funded, w3):
    before = w3.eth.get_balance(BOB)
    result = op("reserve", "operational-transfer", "BNB", BOB, "4")
    assert result.exit_code == 0, result.output
    assert w3.eth.get_balance(BOB) == before + 4 * ONE


def test_operational_transfer__above_daily_limit__exits_2(op, funded):
    assert op("reserve", "operational-transfer", "BNB", BOB, "8").exit_code == 0
    result = op("reserve", "operational-transfer", "BNB", BOB, "3")
    assert result.exit_code == 2
    assert "remaining operator limit of 2" in result.output


def test_operational_transfer__by_non_operator__exits_2(op, funded):
    result = op("reserve", "operational-transfer", "BNB", BOB, "1", account=3)
    assert result.exit_code == 2
    assert "does not hold OPERATOR_ROLE" in result.output


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["deposit", "ETH", "1"], "is not an address"),
        (["deposit", STRANGER, "1"], "is not listed"),
        (["deposit", "BNB", "0.0000000000000000001"], "19 decimal places"),
        (["deposit", "BNB", "0"], "must be positive"),
        (["propose-add-asset", "BNB", STRANGER, "1"], "already listed"),
        (["operational-transfer", "BNB", BOB.lower(), "1"], "not checksummed"),
    ],
)
def test_bad_input__exits_2_and_sends_nothing(op, w3, listed, args, problem):
    before = w3.eth.block_number
    result = op("reserve", *args)
    assert result.exit_code == 2, result.output
    assert problem in result.output
    assert w3.eth.block_number == before


def test_holdings__stale_price__exits_2_naming_the_error(op, cli, network, funded, listed, w3):
    advance(w3, 86_400 + 10)
    result = cli("reserve", "holdings", "--network", network)
    assert result.exit_code == 2
    assert "ReservePriceStale" in result.output


def test_deposit__rehearsed__runs_approve_and_deposit_on_the_fork(op, listed, vault, w3):
    usdt = listed["usdt"].address
    result = op("reserve", "deposit", usdt, "10", "--rehearse", yes=False, input="n\n")
    assert "rehearsal: succeeded" in result.output
    assert "nothing sent" in result.output
    assert vault.functions.balanceOf(usdt).call() == 0
