import ape
from ape import project

from tests.conftest import ONE

ZERO = "0x0000000000000000000000000000000000000000"
CASE = b"KG-COURT-2026-0042".ljust(32, b"\x00")


def test_freeze__sets_flag_keeps_balance_and_emits(funded, compliance, alice):
    receipt = funded.freeze(alice, sender=compliance)
    assert funded.isFrozen(alice)
    assert funded.balanceOf(alice) == 1_000 * ONE
    [event] = funded.Frozen.from_receipt(receipt)
    assert event.account == alice


def test_freeze__already_frozen__changes_nothing(funded, compliance, alice):
    funded.freeze(alice, sender=compliance)
    receipt = funded.freeze(alice, sender=compliance)
    assert funded.isFrozen(alice)
    assert len(funded.Frozen.from_receipt(receipt)) == 0


def test_freeze__by_non_compliance__reverts(funded, attacker, alice):
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.freeze(alice, sender=attacker)


def test_freeze__zero_address__reverts(funded, compliance):
    with ape.reverts(funded.ComplianceZeroAddress):
        funded.freeze(ZERO, sender=compliance)


def test_unfreeze__clears_flag_and_emits(funded, compliance, alice, bob):
    funded.freeze(alice, sender=compliance)
    receipt = funded.unfreeze(alice, sender=compliance)
    assert not funded.isFrozen(alice)
    assert len(funded.Unfrozen.from_receipt(receipt)) == 1
    funded.transfer(bob, ONE, sender=alice)


def test_unfreeze__not_frozen__changes_nothing(funded, compliance, alice):
    receipt = funded.unfreeze(alice, sender=compliance)
    assert len(funded.Unfrozen.from_receipt(receipt)) == 0


def test_unfreeze__zero_address__reverts(funded, compliance):
    with ape.reverts(funded.ComplianceZeroAddress):
        funded.unfreeze(ZERO, sender=compliance)


def test_unfreeze__by_non_compliance__reverts(funded, compliance, attacker, alice):
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.unfreeze(alice, sender=attacker)


def test_freeze_batch__freezes_each_once(funded, compliance, alice, bob, attacker):
    funded.freeze(bob, sender=compliance)
    receipt = funded.freezeBatch([alice, bob, attacker], sender=compliance)
    assert all(funded.isFrozen(a) for a in (alice, bob, attacker))
    assert [e.account for e in funded.Frozen.from_receipt(receipt)] == [alice, attacker]


def test_freeze_batch__with_zero_address__reverts(funded, compliance, alice):
    with ape.reverts(funded.ComplianceZeroAddress):
        funded.freezeBatch([alice, ZERO], sender=compliance)


def test_freeze_batch__by_non_compliance__reverts(funded, attacker, alice):
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.freezeBatch([alice], sender=attacker)


def test_transfer__from_frozen_account__reverts(funded, compliance, alice, bob):
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen, account=alice):
        funded.transfer(bob, ONE, sender=alice)


def test_transfer__to_frozen_account__reverts(funded, compliance, alice, bob):
    funded.freeze(bob, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen, account=bob):
        funded.transfer(bob, ONE, sender=alice)


def test_mint__to_frozen_account__reverts(funded, compliance, minter, alice):
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen):
        funded.mint(alice, ONE, sender=minter)


def test_transfer_from__by_frozen_spender__reverts(funded, compliance, alice, bob, attacker):
    funded.approve(attacker, 10 * ONE, sender=alice)
    funded.freeze(attacker, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen, account=attacker):
        funded.transferFrom(alice, bob, ONE, sender=attacker)


def test_transfer_from__frozen_owner__reverts(funded, compliance, alice, bob):
    funded.approve(bob, 10 * ONE, sender=alice)
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen, account=alice):
        funded.transferFrom(alice, bob, ONE, sender=bob)


def test_approve__by_frozen_owner__reverts(funded, compliance, alice, bob):
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen):
        funded.approve(bob, ONE, sender=alice)


def test_burn__by_frozen_minter__reverts(funded, compliance, minter, alice):
    funded.transfer(minter, ONE, sender=alice)
    funded.freeze(minter, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen):
        funded.burn(ONE, sender=minter)


def test_seize__moves_funds_keeps_freeze_and_emits(funded, compliance, alice, treasury):
    funded.freeze(alice, sender=compliance)
    receipt = funded.seize(alice, treasury, 300 * ONE, CASE, sender=compliance)
    assert funded.balanceOf(alice) == 700 * ONE
    assert funded.balanceOf(treasury) == 300 * ONE
    assert funded.isFrozen(alice)
    [seized] = funded.Seized.from_receipt(receipt)
    assert (seized.account, seized.to, seized.amount, seized.caseRef) == (
        alice,
        treasury,
        300 * ONE,
        CASE,
    )
    [transfer] = funded.Transfer.from_receipt(receipt)
    assert (transfer["from"], transfer.to) == (alice, treasury)


def test_seize__while_paused__succeeds(funded, compliance, pauser, alice, treasury):
    funded.freeze(alice, sender=compliance)
    funded.pause(sender=pauser)
    funded.seize(alice, treasury, ONE, CASE, sender=compliance)
    assert funded.balanceOf(treasury) == ONE


def test_seize__unfrozen_account__reverts(funded, compliance, alice, treasury):
    with ape.reverts(funded.ComplianceAccountNotFrozen):
        funded.seize(alice, treasury, ONE, CASE, sender=compliance)


def test_seize__above_balance__reverts(funded, compliance, alice, treasury):
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.ERC20InsufficientBalance):
        funded.seize(alice, treasury, 1_000 * ONE + 1, CASE, sender=compliance)


def test_seize__to_frozen_account__reverts(funded, compliance, alice, bob):
    funded.freezeBatch([alice, bob], sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen, account=bob):
        funded.seize(alice, bob, ONE, CASE, sender=compliance)


def test_seize__to_zero_address__reverts(funded, compliance, alice):
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.ERC20InvalidReceiver):
        funded.seize(alice, ZERO, ONE, CASE, sender=compliance)


def test_seize__by_non_compliance__reverts(funded, compliance, attacker, alice):
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.seize(alice, attacker, ONE, CASE, sender=attacker)


def test_rescue__returns_stray_tokens_and_emits(funded, admin, alice):
    stray = project.MockERC20.deploy("Stray", "STR", 18, sender=admin)
    stray.mint(funded, 5 * ONE, sender=admin)
    receipt = funded.rescueERC20(stray, alice, 5 * ONE, sender=admin)
    assert stray.balanceOf(alice) == 5 * ONE
    [event] = funded.Rescued.from_receipt(receipt)
    assert (event.token, event.to, event.amount) == (stray, alice, 5 * ONE)


def test_rescue__own_tokens_sent_to_contract__returns_them(funded, admin, alice):
    funded.transfer(funded, 3 * ONE, sender=alice)
    funded.rescueERC20(funded, alice, 3 * ONE, sender=admin)
    assert funded.balanceOf(alice) == 1_000 * ONE


def test_rescue__by_non_rescuer__reverts(funded, attacker):
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.rescueERC20(funded, attacker, 1, sender=attacker)


def test_rescue__to_zero_address__reverts(funded, admin):
    with ape.reverts(funded.ComplianceZeroAddress):
        funded.rescueERC20(funded, ZERO, 1, sender=admin)


def test_rescue__more_than_held__reverts(funded, admin, alice):
    with ape.reverts(funded.ERC20InsufficientBalance):
        funded.rescueERC20(funded, alice, 1, sender=admin)
