"""Pause and unpause, for both tokens: run once per token by the
`token` fixture (tests/compliance/conftest.py), as Circle's behavesLikeX suites do."""

import ape


def test_pause__sets_flag_and_emits(token, pauser):
    receipt = token.pause(sender=pauser)
    assert token.paused()
    [event] = token.Paused.from_receipt(receipt)
    assert event.account == pauser


def test_unpause__clears_flag_and_emits(token, unit, pauser, alice, bob):
    token.pause(sender=pauser)
    receipt = token.unpause(sender=pauser)
    assert not token.paused()
    assert len(token.Unpaused.from_receipt(receipt)) == 1
    token.transfer(bob, unit, sender=alice)


def test_pause__by_non_pauser__reverts(token, attacker):
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.pause(sender=attacker)


def test_unpause__by_non_pauser__reverts(token, pauser, attacker):
    token.pause(sender=pauser)
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.unpause(sender=attacker)


def test_pause__twice__reverts(token, pauser):
    token.pause(sender=pauser)
    with ape.reverts(token.CompliancePaused):
        token.pause(sender=pauser)


def test_unpause__when_not_paused__reverts(token, pauser):
    with ape.reverts(token.ComplianceNotPaused):
        token.unpause(sender=pauser)


def test_transfer__while_paused__reverts(token, unit, pauser, alice, bob):
    token.pause(sender=pauser)
    with ape.reverts(token.CompliancePaused):
        token.transfer(bob, unit, sender=alice)


def test_transfer_from__while_paused__reverts(token, unit, pauser, alice, bob):
    token.approve(bob, unit, sender=alice)
    token.pause(sender=pauser)
    with ape.reverts(token.CompliancePaused):
        token.transferFrom(alice, bob, unit, sender=bob)


def test_approve__while_paused__still_allowed(token, unit, pauser, alice, bob):
    token.pause(sender=pauser)
    token.approve(bob, unit, sender=alice)
    assert token.allowance(alice, bob) == unit
