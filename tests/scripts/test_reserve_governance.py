"""The reserve's governance commands on anvil: guardian pause, unpause and limits through
the timelock, cancel, delisting; preconditions refused before anything is sent, and a
revert raised by the vault under the timelock decoded by the vault's ABI."""

import json

import pytest

from tests.utils.chain import advance, executed, operation_id
from tests.utils.constants import ALICE, DEPLOYER, GOVERNANCE_DELAY, STRANGER
from tests.utils.paths import manifest_in

ONE = 10**18


@pytest.fixture
def funded(op, listed):
    assert op("reserve", "deposit", listed["usdt"].address, "20000").exit_code == 0


def test_pause__by_guardian__stops_outflows_at_once(op, vault):
    result = op("reserve", "pause")
    assert result.exit_code == 0, result.output
    assert "event Paused(" in result.output
    assert vault.functions.paused().call()
    again = op("reserve", "pause")
    assert again.exit_code == 2
    assert "already paused" in again.output


def test_pause__by_someone_not_guardian__exits_2(op, w3, vault):
    before = w3.eth.block_number
    result = op("reserve", "pause", account=3)
    assert result.exit_code == 2
    assert "does not hold GUARDIAN_ROLE" in result.output
    assert w3.eth.block_number == before


def test_unpause__proposed_to_the_timelock__resumes_after_the_delay(op, w3, vault):
    assert op("reserve", "pause").exit_code == 0
    proposed = op("reserve", "unpause")
    assert "propose through the timelock: resume the reserve's outflows" in proposed.output
    assert "after the delay (600 s): ape run governance execute 0x" in proposed.output
    executed(op, w3, proposed)
    assert not vault.functions.paused().call()


def test_unpause__not_paused__exits_2(op):
    result = op("reserve", "unpause")
    assert result.exit_code == 2
    assert "the reserve is not paused" in result.output


def test_cancel__pending_withdrawal__never_executes(op, w3, funded, listed):
    usdt = listed["usdt"].address
    proposed = op("reserve", "propose-withdrawal", usdt, ALICE, "100")
    op_id = operation_id(proposed.output)
    cancelled = op("reserve", "cancel", op_id)
    assert cancelled.exit_code == 0, cancelled.output
    assert "event Cancelled(" in cancelled.output
    advance(w3, GOVERNANCE_DELAY + 1)
    result = op("governance", "execute", op_id)
    assert result.exit_code == 2
    assert "cancelled" in result.output
    again = op("reserve", "cancel", op_id)
    assert again.exit_code == 2
    assert "is not pending" in again.output


def test_cancel__unknown_operation__exits_2(op):
    result = op("reserve", "cancel", "0x" + "12" * 32)
    assert result.exit_code == 2
    assert "no operation 0x1212" in result.output


def test_set_max_share__through_the_timelock__caps_the_asset(op, w3, vault, listed):
    usdt = listed["usdt"].address
    executed(op, w3, op("reserve", "set-max-share", usdt, "3000"))
    assert vault.functions.assetConfig(usdt).call()[3] == 3000


@pytest.mark.parametrize("bps", ["10001", "30%"])
def test_set_max_share__out_of_range__exits_2(op, w3, listed, bps):
    before = w3.eth.block_number
    result = op("reserve", "set-max-share", "BNB", bps)
    assert result.exit_code == 2
    assert "max share" in result.output
    assert w3.eth.block_number == before


def test_propose_remove_asset__after_the_delay__delists(op, w3, vault, listed):
    usdt = listed["usdt"].address
    executed(op, w3, op("reserve", "propose-remove-asset", usdt, "--salt", "delist"))
    assert not vault.functions.isListed(usdt).call()


def test_propose_remove_asset__unlisted__exits_2(op):
    result = op("reserve", "propose-remove-asset", STRANGER)
    assert result.exit_code == 2
    assert "is not listed" in result.output


def test_propose_withdrawal__while_paused__refused_before_scheduling(op, w3, funded, listed):
    assert op("reserve", "pause").exit_code == 0
    nonce = w3.eth.get_transaction_count(DEPLOYER)
    result = op("reserve", "propose-withdrawal", listed["usdt"].address, ALICE, "1")
    assert result.exit_code == 2
    assert "paused" in result.output
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce


def test_execute__withdrawal_while_paused__refused_before_sending(op, w3, funded, listed):
    proposed = op("reserve", "propose-withdrawal", listed["usdt"].address, ALICE, "5")
    op_id = operation_id(proposed.output)
    assert op("reserve", "pause").exit_code == 0
    advance(w3, GOVERNANCE_DELAY + 1)
    nonce = w3.eth.get_transaction_count(DEPLOYER)
    result = op("governance", "execute", op_id)
    assert result.exit_code == 2
    assert "would revert: ReservePaused()" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce


def test_execute__reverts_in_the_vault__decoded_by_the_vault_abi(
    op, w3, network, stack, funded, listed, vault
):
    """The vault is paused after the checks passed (between confirmation and sending):
    the timelock bubbles the vault's revert, shown as ReservePaused()."""
    from ape import accounts, networks, project

    from somchain.actions.pipeline import run
    from somchain.errors import ActionFailed
    from somchain.governance import ops

    proposed = op("reserve", "propose-withdrawal", listed["usdt"].address, ALICE, "5")
    op_id = operation_id(proposed.output)
    advance(w3, GOVERNANCE_DELAY + 1)
    timelock_address = json.loads(manifest_in(stack / "local").read_text())["contracts"][
        "timelock"
    ]["address"]

    def pause_then_confirm(_question):
        # Mined before the answer: the command then reads the signer's next nonce after it.
        w3.eth.wait_for_transaction_receipt(vault.functions.pause().transact({"from": DEPLOYER}))
        return True

    lines: list[str] = []
    with networks.parse_network_choice(network) as provider:
        timelock = project.GovernanceTimelock.at(timelock_address)
        with pytest.raises(ActionFailed) as failed:
            run(
                lambda: ops.execute(timelock, DEPLOYER, op_id),
                accounts.test_accounts[0],
                provider,
                confirm=pause_then_confirm,
                echo=lines.append,
            )
    assert str(failed.value) == "reverted: ReservePaused()"
