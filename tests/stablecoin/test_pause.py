import ape

from tests.conftest import ONE


def test_pause__sets_flag_and_emits(funded, pauser):
    receipt = funded.pause(sender=pauser)
    assert funded.paused()
    [event] = funded.Paused.from_receipt(receipt)
    assert event.account == pauser


def test_unpause__clears_flag_and_emits(funded, pauser, alice, bob):
    funded.pause(sender=pauser)
    receipt = funded.unpause(sender=pauser)
    assert not funded.paused()
    assert len(funded.Unpaused.from_receipt(receipt)) == 1
    funded.transfer(bob, ONE, sender=alice)


def test_pause__by_non_pauser__reverts(funded, attacker):
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.pause(sender=attacker)


def test_unpause__by_non_pauser__reverts(funded, pauser, attacker):
    funded.pause(sender=pauser)
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.unpause(sender=attacker)


def test_pause__twice__reverts(funded, pauser):
    funded.pause(sender=pauser)
    with ape.reverts(funded.CompliancePaused):
        funded.pause(sender=pauser)


def test_unpause__when_not_paused__reverts(funded, pauser):
    with ape.reverts(funded.ComplianceNotPaused):
        funded.unpause(sender=pauser)


def test_transfer__while_paused__reverts(funded, pauser, alice, bob):
    funded.pause(sender=pauser)
    with ape.reverts(funded.CompliancePaused):
        funded.transfer(bob, ONE, sender=alice)


def test_transfer_from__while_paused__reverts(funded, pauser, alice, bob):
    funded.approve(bob, ONE, sender=alice)
    funded.pause(sender=pauser)
    with ape.reverts(funded.CompliancePaused):
        funded.transferFrom(alice, bob, ONE, sender=bob)


def test_mint__while_paused__reverts(funded, pauser, minter, alice):
    funded.pause(sender=pauser)
    with ape.reverts(funded.CompliancePaused):
        funded.mint(alice, ONE, sender=minter)


def test_burn__while_paused__reverts(funded, pauser, minter, alice):
    funded.transfer(minter, ONE, sender=alice)
    funded.pause(sender=pauser)
    with ape.reverts(funded.CompliancePaused):
        funded.burn(ONE, sender=minter)


def test_approve__while_paused__still_allowed(funded, pauser, alice, bob):
    funded.pause(sender=pauser)
    funded.approve(bob, ONE, sender=alice)
    assert funded.allowance(alice, bob) == ONE
