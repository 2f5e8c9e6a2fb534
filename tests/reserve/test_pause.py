"""Emergency pause: the guardian stops every outflow at once; only governance resumes."""

import ape

from somchain.reserve import NATIVE, execute_withdrawal, propose_withdrawal, wait_until_ready
from tests.utils.constants import ONE


def test_pause__by_guardian__blocks_withdraw(funded_vault, timelock, committee, guardian, bob):
    op = propose_withdrawal(timelock, funded_vault, NATIVE, bob, ONE, committee)
    receipt = funded_vault.pause(sender=guardian)
    assert funded_vault.Paused.from_receipt(receipt)[0].account == guardian.address
    assert funded_vault.paused()

    wait_until_ready(timelock, op)
    with ape.reverts(funded_vault.ReservePaused):
        execute_withdrawal(timelock, op, committee)


def test_pause__by_guardian__blocks_operational_transfer(funded_vault, guardian, operator, bob):
    funded_vault.pause(sender=guardian)
    with ape.reverts(funded_vault.ReservePaused):
        funded_vault.operationalTransfer(NATIVE, bob, ONE, sender=operator)


def test_pause__by_guardian__blocks_recovery(funded_vault, guardian, governance, create_token):
    token = create_token()
    funded_vault.pause(sender=guardian)
    with ape.reverts(funded_vault.ReservePaused):
        governance(funded_vault, ("recoverToken", token, funded_vault, 1))


def test_pause__by_non_guardian__reverts(funded_vault, attacker, operator):
    for account in (attacker, operator):
        with ape.reverts(
            funded_vault.ReserveUnauthorizedAccount,
            account=account,
            role=funded_vault.GUARDIAN_ROLE(),
        ):
            funded_vault.pause(sender=account)


def test_pause__twice__reverts(funded_vault, guardian):
    funded_vault.pause(sender=guardian)
    with ape.reverts(funded_vault.ReservePaused):
        funded_vault.pause(sender=guardian)


def test_unpause__by_governance__resumes_outflows(
    funded_vault, guardian, governance, operator, bob
):
    funded_vault.pause(sender=guardian)
    receipt = governance(funded_vault, ("unpause",))
    assert len(funded_vault.Unpaused.from_receipt(receipt)) == 1
    assert not funded_vault.paused()
    funded_vault.operationalTransfer(NATIVE, bob, ONE, sender=operator)


def test_unpause__by_guardian__reverts(funded_vault, guardian):
    funded_vault.pause(sender=guardian)
    with ape.reverts(funded_vault.ReserveUnauthorizedAccount, role=funded_vault.GOVERNOR_ROLE()):
        funded_vault.unpause(sender=guardian)


def test_unpause__when_not_paused__reverts(funded_vault, governance):
    with ape.reverts(funded_vault.ReserveNotPaused):
        governance(funded_vault, ("unpause",))
