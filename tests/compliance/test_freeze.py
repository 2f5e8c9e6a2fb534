"""Freeze, unfreeze, batch freeze and seizure, for both tokens: run once per token by the
`token` fixture (tests/compliance/conftest.py), as Circle's behavesLikeX suites do."""

import ape

from tests.utils.constants import CASE, ZERO


def test_freeze__sets_flag_keeps_balance_and_emits(token, unit, compliance, alice):
    receipt = token.freeze(alice, sender=compliance)
    assert token.isFrozen(alice)
    assert token.balanceOf(alice) == 1_000 * unit
    [event] = token.Frozen.from_receipt(receipt)
    assert event.account == alice


def test_freeze__already_frozen__changes_nothing(token, compliance, alice):
    token.freeze(alice, sender=compliance)
    receipt = token.freeze(alice, sender=compliance)
    assert token.isFrozen(alice)
    assert len(token.Frozen.from_receipt(receipt)) == 0


def test_freeze__by_non_compliance__reverts(token, attacker, alice):
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.freeze(alice, sender=attacker)


def test_freeze__zero_address__reverts(token, compliance):
    with ape.reverts(token.ComplianceZeroAddress):
        token.freeze(ZERO, sender=compliance)


def test_unfreeze__clears_flag_and_emits(token, unit, compliance, alice, bob):
    token.freeze(alice, sender=compliance)
    receipt = token.unfreeze(alice, sender=compliance)
    assert not token.isFrozen(alice)
    assert len(token.Unfrozen.from_receipt(receipt)) == 1
    token.transfer(bob, unit, sender=alice)


def test_unfreeze__not_frozen__changes_nothing(token, compliance, alice):
    receipt = token.unfreeze(alice, sender=compliance)
    assert len(token.Unfrozen.from_receipt(receipt)) == 0


def test_unfreeze__zero_address__reverts(token, compliance):
    with ape.reverts(token.ComplianceZeroAddress):
        token.unfreeze(ZERO, sender=compliance)


def test_unfreeze__by_non_compliance__reverts(token, compliance, attacker, alice):
    token.freeze(alice, sender=compliance)
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.unfreeze(alice, sender=attacker)


def test_freeze_batch__freezes_each_once(token, compliance, alice, bob, attacker):
    token.freeze(bob, sender=compliance)
    receipt = token.freezeBatch([alice, bob, attacker], sender=compliance)
    assert all(token.isFrozen(a) for a in (alice, bob, attacker))
    assert [e.account for e in token.Frozen.from_receipt(receipt)] == [alice, attacker]


def test_freeze_batch__with_zero_address__reverts(token, compliance, alice):
    with ape.reverts(token.ComplianceZeroAddress):
        token.freezeBatch([alice, ZERO], sender=compliance)


def test_freeze_batch__by_non_compliance__reverts(token, attacker, alice):
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.freezeBatch([alice], sender=attacker)


def test_transfer__from_frozen_account__reverts(token, unit, compliance, alice, bob):
    token.freeze(alice, sender=compliance)
    with ape.reverts(token.ComplianceAccountFrozen, account=alice):
        token.transfer(bob, unit, sender=alice)


def test_transfer__to_frozen_account__reverts(token, unit, compliance, alice, bob):
    token.freeze(bob, sender=compliance)
    with ape.reverts(token.ComplianceAccountFrozen, account=bob):
        token.transfer(bob, unit, sender=alice)


def test_transfer_from__by_frozen_spender__reverts(token, unit, compliance, alice, bob, attacker):
    token.approve(attacker, 10 * unit, sender=alice)
    token.freeze(attacker, sender=compliance)
    with ape.reverts(token.ComplianceAccountFrozen, account=attacker):
        token.transferFrom(alice, bob, unit, sender=attacker)


def test_transfer_from__frozen_owner__reverts(token, unit, compliance, alice, bob):
    token.approve(bob, 10 * unit, sender=alice)
    token.freeze(alice, sender=compliance)
    with ape.reverts(token.ComplianceAccountFrozen, account=alice):
        token.transferFrom(alice, bob, unit, sender=bob)


def test_approve__by_frozen_owner__reverts(token, unit, compliance, alice, bob):
    token.freeze(alice, sender=compliance)
    with ape.reverts(token.ComplianceAccountFrozen):
        token.approve(bob, unit, sender=alice)


def test_seize__moves_funds_keeps_freeze_and_emits(token, unit, compliance, alice, recipient):
    before = token.balanceOf(recipient)
    token.freeze(alice, sender=compliance)
    receipt = token.seize(alice, recipient, 300 * unit, CASE, sender=compliance)
    assert token.balanceOf(alice) == 700 * unit
    assert token.balanceOf(recipient) == before + 300 * unit
    assert token.isFrozen(alice)
    [seized] = token.Seized.from_receipt(receipt)
    assert (seized.account, seized.to, seized.amount, seized.caseRef) == (
        alice,
        recipient,
        300 * unit,
        CASE,
    )
    [transfer] = token.Transfer.from_receipt(receipt)
    assert (transfer["from"], transfer.to) == (alice, recipient)


def test_seize__while_paused__succeeds(token, unit, compliance, pauser, alice, recipient):
    before = token.balanceOf(recipient)
    token.freeze(alice, sender=compliance)
    token.pause(sender=pauser)
    token.seize(alice, recipient, unit, CASE, sender=compliance)
    assert token.balanceOf(recipient) == before + unit


def test_seize__unfrozen_account__reverts(token, unit, compliance, alice, recipient):
    with ape.reverts(token.ComplianceAccountNotFrozen):
        token.seize(alice, recipient, unit, CASE, sender=compliance)


def test_seize__above_balance__reverts(token, unit, compliance, alice, recipient):
    token.freeze(alice, sender=compliance)
    with ape.reverts(token.ERC20InsufficientBalance):
        token.seize(alice, recipient, 1_000 * unit + 1, CASE, sender=compliance)


def test_seize__to_frozen_account__reverts(token, unit, compliance, alice, bob):
    token.freezeBatch([alice, bob], sender=compliance)
    with ape.reverts(token.ComplianceAccountFrozen, account=bob):
        token.seize(alice, bob, unit, CASE, sender=compliance)


def test_seize__by_non_compliance__reverts(token, unit, compliance, attacker, alice):
    token.freeze(alice, sender=compliance)
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.seize(alice, attacker, unit, CASE, sender=attacker)
