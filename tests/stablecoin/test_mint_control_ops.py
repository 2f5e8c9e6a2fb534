"""The operator actions of mint control (somchain.stablecoin.ops) on the embedded chain:
the preflight refuses what the MintController would, the actions it builds go through,
and the status reports the budget and each minter's allowance and bucket."""

import pytest
from ape import chain

from somchain.actions.action import preflight, send
from somchain.errors import InputError
from somchain.stablecoin import ops
from tests.stablecoin.conftest import BUDGET
from tests.utils.constants import ONE


def test_configure_minter__master_minter_itself__refused_before_sending(
    token, controller, master_minter
):
    action = ops.configure_minter(
        token, master_minter.address, master_minter.address, "1", controller
    )
    with pytest.raises(InputError, match="can never be a minter"):
        preflight(action, master_minter.address)


def test_configure_minter__without_rate_limit__refused_before_sending(
    token, controller, master_minter, alice
):
    action = ops.configure_minter(token, master_minter.address, alice.address, "1", controller)
    with pytest.raises(InputError, match="no rate limit"):
        preflight(action, master_minter.address)


def test_configure_minter__above_the_budget__refused_before_sending(
    token, controller, master_minter, minter
):
    action = ops.configure_minter(token, master_minter.address, minter.address, "10001", controller)
    with pytest.raises(InputError, match="exceeds the mint budget of 10,000"):
        preflight(action, master_minter.address)


def test_configure_minter__within_budget__sent_to_the_controller(
    token, controller, master_minter, minter
):
    action = ops.configure_minter(token, master_minter.address, minter.address, "2500", controller)
    assert action.contract.address == controller.address
    preflight(action, master_minter.address)
    send(action, master_minter)
    assert token.minterAllowance(minter) == 2_500 * ONE
    assert controller.mintBudget() == BUDGET - 2_500 * ONE


def test_increase_mint_budget__by_the_master_minter__refused(token, controller, master_minter):
    action = ops.change_mint_budget(token, controller, master_minter.address, "1", True)
    with pytest.raises(InputError, match="does not hold DEFAULT_ADMIN_ROLE"):
        preflight(action, master_minter.address)


def test_decrease_mint_budget__by_the_master_minter__at_once(token, controller, master_minter):
    action = ops.change_mint_budget(token, controller, master_minter.address, "4000", False)
    preflight(action, master_minter.address)
    send(action, master_minter)
    assert controller.mintBudget() == BUDGET - 4_000 * ONE


def test_set_minter_rate_limit__by_board__sets_the_bucket(token, controller, admin, alice):
    action = ops.set_minter_rate_limit(
        token, controller, admin.address, alice.address, "500", "0.5"
    )
    assert "refilled by 0.5 KGST a second (43,200 KGST a day)" in action.summary
    preflight(action, admin.address)
    send(action, admin)
    assert token.minterRateLimit(alice) == (500 * ONE, ONE // 2, 500 * ONE)


def test_set_minter_rate_limit__capacity_above_the_bucket__refused(token, controller, admin, alice):
    with pytest.raises(InputError, match="largest bucket"):
        ops.set_minter_rate_limit(
            token, controller, admin.address, alice.address, "1" + "0" * 12, "1"
        )


def test_status__budget_and_each_minters_bucket(token, controller, master_minter, minter, alice):
    # Events are read from this test's first block, not from genesis: the embedded chain
    # filters logs block by block (half a minute on a long session), and the roles are not
    # this test's subject.
    start = chain.blocks.head.number + 1
    controller.configureMinter(minter, 2_000 * ONE, sender=master_minter)
    token.mint(alice, 300 * ONE, sender=minter)
    report = ops.status(token, controller=controller, start_block=start)
    assert report["mint_controller"]["budget"] == "8000"
    assert report["mint_controller"]["granted"] == "10000"
    [row] = report["minters"]
    assert (row["minter"], row["allowance"], row["capacity"]) == (minter.address, "1700", "1000")
    lines = "\n".join(ops.status_lines(report))
    assert "8,000 KGST left to give, 10,000 KGST granted by the board" in lines
    assert "allowance 1,700 KGST; bucket" in lines
    assert "of 1,000 KGST, refill 86,400 KGST a day" in lines
