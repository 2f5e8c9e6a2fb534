"""Outflows are nonReentrant: a recipient calling back into the vault is refused."""

from ape import project
from eth_utils import keccak

from somchain.reserve import NATIVE, vault_call
from tests.utils.constants import ONE


def test_operational_transfer__recipient_reenters__refused(direct_vault, admin, operator):
    _, _, reentry = vault_call(direct_vault, "operationalTransfer", NATIVE, admin.address, ONE)
    receiver = project.MockReentrantReceiver.deploy(direct_vault, reentry, sender=admin)
    direct_vault.grantRole(direct_vault.OPERATOR_ROLE(), receiver, sender=admin)
    direct_vault.deposit(NATIVE, 5 * ONE, sender=admin, value=5 * ONE)

    direct_vault.operationalTransfer(NATIVE, receiver, ONE, sender=operator)

    assert receiver.reentryResult() == keccak(text="ReentrancyGuardReentrantCall()")[:4]
    assert direct_vault.balanceOf(NATIVE) == 4 * ONE
    assert direct_vault.outflowUsed(NATIVE) == ONE
