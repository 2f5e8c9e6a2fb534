import ape

from tests.utils.constants import ONE

ZERO = "0x0000000000000000000000000000000000000000"
CASE = b"KG-COURT-2026-0042".ljust(32, b"\x00")


def test_mint__to_frozen_account__reverts(funded, compliance, minter, alice):
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen):
        funded.mint(alice, ONE, sender=minter)


def test_burn__by_frozen_minter__reverts(funded, compliance, minter, alice):
    funded.transfer(minter, ONE, sender=alice)
    funded.freeze(minter, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen):
        funded.burn(ONE, sender=minter)


def test_seize__to_zero_address__reverts(funded, compliance, alice):
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.ERC20InvalidReceiver):
        funded.seize(alice, ZERO, ONE, CASE, sender=compliance)


def test_rescue__own_tokens_sent_to_contract__returns_them(funded, admin, alice):
    funded.transfer(funded, 3 * ONE, sender=alice)
    funded.rescueERC20(funded, alice, 3 * ONE, sender=admin)
    assert funded.balanceOf(alice) == 1_000 * ONE


def test_rescue__more_own_tokens_than_held__reverts(funded, admin, alice):
    with ape.reverts(funded.ERC20InsufficientBalance):
        funded.rescueERC20(funded, alice, 1, sender=admin)
