import ape

from tests.utils.constants import ONE


def test_mint__while_paused__reverts(funded, pauser, minter, alice):
    funded.pause(sender=pauser)
    with ape.reverts(funded.CompliancePaused):
        funded.mint(alice, ONE, sender=minter)


def test_burn__while_paused__reverts(funded, pauser, minter, alice):
    funded.transfer(minter, ONE, sender=alice)
    funded.pause(sender=pauser)
    with ape.reverts(funded.CompliancePaused):
        funded.burn(ONE, sender=minter)
