"""The MintController: the board grants a mint budget and sets rate limits; the master
minter distributes the budget among minters, never beyond it, and is never a minter."""

import ape
from ape import chain, project

from tests.stablecoin.conftest import BUDGET
from tests.utils.constants import ONE

ZERO = "0x0000000000000000000000000000000000000000"


def test_increase_mint_budget__by_board__adds_and_emits(controller, admin):
    receipt = controller.increaseMintBudget(5 * ONE, sender=admin)
    assert controller.mintBudget() == BUDGET + 5 * ONE
    assert controller.mintBudgetGranted() == BUDGET + 5 * ONE
    [event] = controller.MintBudgetIncreased.from_receipt(receipt)
    assert (event.increment, event.budget, event.granted) == (
        5 * ONE,
        BUDGET + 5 * ONE,
        BUDGET + 5 * ONE,
    )


def test_increase_mint_budget__by_master_minter__reverts(controller, master_minter):
    with ape.reverts(controller.AccessControlUnauthorizedAccount):
        controller.increaseMintBudget(ONE, sender=master_minter)


def test_increase_mint_budget__zero__reverts(controller, admin):
    with ape.reverts(controller.MintControllerZeroAmount):
        controller.increaseMintBudget(0, sender=admin)


def test_decrease_mint_budget__by_master_minter__clamps_and_emits(controller, master_minter):
    receipt = controller.decreaseMintBudget(BUDGET + ONE, sender=master_minter)
    assert controller.mintBudget() == 0
    assert controller.mintBudgetGranted() == BUDGET
    [event] = controller.MintBudgetDecreased.from_receipt(receipt)
    assert (event.decrement, event.budget) == (BUDGET + ONE, 0)


def test_decrease_mint_budget__by_board__withdraws(controller, admin):
    controller.decreaseMintBudget(ONE, sender=admin)
    assert controller.mintBudget() == BUDGET - ONE


def test_decrease_mint_budget__by_anyone_else__reverts(controller, attacker):
    with ape.reverts(controller.AccessControlUnauthorizedAccount):
        controller.decreaseMintBudget(ONE, sender=attacker)


def test_decrease_mint_budget__zero__reverts(controller, admin):
    with ape.reverts(controller.MintControllerZeroAmount):
        controller.decreaseMintBudget(0, sender=admin)


def test_configure_minter__within_budget__takes_it_and_emits(
    controller, token, master_minter, minter
):
    receipt = controller.configureMinter(minter, 4_000 * ONE, sender=master_minter)
    assert token.minterAllowance(minter) == 4_000 * ONE
    assert controller.mintBudget() == BUDGET - 4_000 * ONE
    [event] = controller.MinterBudgetAllocated.from_receipt(receipt)
    assert (event.minter, event.allowance, event.budget) == (
        minter,
        4_000 * ONE,
        BUDGET - 4_000 * ONE,
    )


def test_configure_minter__again__returns_the_old_allowance_first(
    controller, master_minter, minter
):
    controller.configureMinter(minter, 4_000 * ONE, sender=master_minter)
    controller.configureMinter(minter, BUDGET, sender=master_minter)
    assert controller.mintBudget() == 0


def test_configure_minter__above_budget__reverts(controller, master_minter, minter):
    with ape.reverts(controller.MintControllerBudgetExceeded, amount=BUDGET + 1, budget=BUDGET):
        controller.configureMinter(minter, BUDGET + 1, sender=master_minter)


def test_configure_minter__without_rate_limit__reverts(controller, master_minter, alice):
    with ape.reverts(controller.MintControllerRateLimitNotSet, minter=alice):
        controller.configureMinter(alice, ONE, sender=master_minter)


def test_configure_minter__a_master_minter__reverts(controller, admin, master_minter):
    controller.setMinterRateLimit(master_minter, ONE, ONE, sender=admin)
    with ape.reverts(controller.MintControllerRoleConflict, account=master_minter):
        controller.configureMinter(master_minter, ONE, sender=master_minter)


def test_configure_minter__by_non_master__reverts(controller, minter, attacker):
    with ape.reverts(controller.AccessControlUnauthorizedAccount):
        controller.configureMinter(minter, ONE, sender=attacker)


def test_grant_role__master_minter_to_a_minter__reverts(controller, admin, master_minter, minter):
    controller.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(controller.MintControllerRoleConflict, account=minter):
        controller.grantRole(controller.MASTER_MINTER_ROLE(), minter, sender=admin)


def test_increase_minter_allowance__from_budget(controller, token, master_minter, minter):
    controller.configureMinter(minter, ONE, sender=master_minter)
    controller.increaseMinterAllowance(minter, 2 * ONE, sender=master_minter)
    assert token.minterAllowance(minter) == 3 * ONE
    assert controller.mintBudget() == BUDGET - 3 * ONE


def test_increase_minter_allowance__above_budget__reverts(controller, master_minter, minter):
    controller.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(controller.MintControllerBudgetExceeded):
        controller.increaseMinterAllowance(minter, BUDGET, sender=master_minter)


def test_decrease_minter_allowance__returns_to_budget(controller, token, master_minter, minter):
    controller.configureMinter(minter, 3 * ONE, sender=master_minter)
    controller.decreaseMinterAllowance(minter, 5 * ONE, sender=master_minter)
    assert token.minterAllowance(minter) == 0
    assert controller.mintBudget() == BUDGET


def test_remove_minter__returns_what_was_not_minted(
    controller, token, master_minter, minter, alice
):
    controller.configureMinter(minter, 3_000 * ONE, sender=master_minter)
    token.mint(alice, 1_000 * ONE, sender=minter)
    controller.removeMinter(minter, sender=master_minter)
    assert not token.isMinter(minter)
    assert controller.mintBudget() == BUDGET - 1_000 * ONE


def test_minting__whatever_the_master_minter_does__never_beyond_the_grants(
    controller, token, admin, master_minter, minter, alice, attest
):
    """Minted allowance is gone from the budget: configuring the minter again after it
    minted gives it only what is left."""
    controller.setMinterRateLimit(minter, BUDGET, BUDGET, sender=admin)
    controller.configureMinter(minter, BUDGET, sender=master_minter)
    chain.pending_timestamp += 1  # a bucket the minter had is full again one second later
    chain.mine()
    token.mint(alice, BUDGET, sender=minter)
    with ape.reverts(controller.MintControllerBudgetExceeded, amount=ONE, budget=0):
        controller.configureMinter(minter, ONE, sender=master_minter)
    assert token.totalSupply() == controller.mintBudgetGranted()


def test_set_minter_rate_limit__by_master_minter__reverts(controller, master_minter, minter):
    with ape.reverts(controller.AccessControlUnauthorizedAccount):
        controller.setMinterRateLimit(minter, ONE, ONE, sender=master_minter)


def test_deploy__zero_token__reverts(admin):
    with ape.reverts(project.MintController.MintControllerZeroAddress):
        project.MintController.deploy(ZERO, admin, 0, sender=admin)
