import ape

from somchain.cbdc import SOM

CASE = b"court-order-42".ljust(32, b"\0")


def test_freeze__payee__transfer_reverts(funded, compliance, alice, bob):
    funded.freeze(bob, sender=compliance)
    assert funded.isFrozen(bob)
    with ape.reverts(funded.ComplianceAccountFrozen, account=bob.address):
        funded.transfer(bob, 1, sender=alice)


def test_freeze__payer__transfer_reverts(funded, compliance, alice, bob):
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen, account=alice.address):
        funded.transfer(bob, 1, sender=alice)


def test_unfreeze__payee__transfer_succeeds(funded, compliance, alice, bob):
    funded.freeze(bob, sender=compliance)
    funded.unfreeze(bob, sender=compliance)
    funded.transfer(bob, 1 * SOM, sender=alice)
    assert funded.balanceOf(bob) == 1_001 * SOM


def test_freeze__by_bank__reverts(funded, bank, alice):
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.freeze(alice, sender=bank)


def test_seize__frozen_wallet__moved_to_treasury(funded, compliance, alice, treasury):
    before = funded.balanceOf(treasury)
    funded.freeze(alice, sender=compliance)
    receipt = funded.seize(alice, treasury, 1_000 * SOM, CASE, sender=compliance)
    assert funded.balanceOf(alice) == 0
    assert funded.balanceOf(treasury) == before + 1_000 * SOM
    [log] = funded.Seized.from_receipt(receipt)
    assert (log.account, log.to, log.amount, log.caseRef) == (
        alice.address,
        treasury.address,
        1_000 * SOM,
        CASE,
    )


def test_pause__transfer_and_issue__revert(funded, pauser, central_bank, bank, alice, bob):
    funded.pause(sender=pauser)
    with ape.reverts(funded.CompliancePaused):
        funded.transfer(bob, 1, sender=alice)
    with ape.reverts(funded.CompliancePaused):
        funded.issue(bank, 1, sender=central_bank)
    funded.unpause(sender=pauser)
    funded.transfer(bob, 1, sender=alice)


def test_admin_handover__delayed__new_admin_after_delay(som, central_bank, alice):
    from ape import chain

    som.beginDefaultAdminTransfer(alice, sender=central_bank)
    with ape.reverts(som.AccessControlEnforcedDefaultAdminDelay):
        som.acceptDefaultAdminTransfer(sender=alice)
    chain.pending_timestamp += som.defaultAdminDelay() + 1
    som.acceptDefaultAdminTransfer(sender=alice)
    assert som.getOwner() == alice.address
