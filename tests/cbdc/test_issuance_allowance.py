"""Issuance within an allowance the board (DEFAULT_ADMIN_ROLE, the timelock) sets."""

import ape
import pytest
from ape import project

from somchain.cbdc import SOM


@pytest.fixture
def capped(create_configured_som, central_bank):
    """A configured digital som whose issuer may issue 1,000 som."""
    s = create_configured_som()
    s.setIssuanceAllowance(central_bank, 1_000 * SOM, sender=central_bank)
    return s


def test_issuance_allowance__fresh_token__is_zero(create_som, central_bank, bank):
    s = create_som()
    s.grantRole(s.ISSUER_ROLE(), central_bank, sender=central_bank)
    s.grantRole(s.BANK_ROLE(), bank, sender=central_bank)
    assert s.issuanceAllowance(central_bank) == 0
    with ape.reverts(s.CbdcIssuanceAllowanceExceeded, issuer=central_bank.address, allowance=0):
        s.issue(bank, 1, sender=central_bank)


def test_set_issuance_allowance__sets_and_emits(capped, central_bank):
    receipt = capped.setIssuanceAllowance(central_bank, 5_000 * SOM, sender=central_bank)
    assert capped.issuanceAllowance(central_bank) == 5_000 * SOM
    [event] = capped.IssuanceAllowanceChanged.from_receipt(receipt)
    assert (event.issuer, event.previous, event.allowance) == (
        central_bank.address,
        1_000 * SOM,
        5_000 * SOM,
    )


def test_set_issuance_allowance__by_issuer_without_admin__reverts(capped, central_bank, attacker):
    capped.grantRole(capped.ISSUER_ROLE(), attacker, sender=central_bank)
    with ape.reverts(capped.AccessControlUnauthorizedAccount):
        capped.setIssuanceAllowance(attacker, 10**9, sender=attacker)


def test_increase_issuance_allowance__adds_and_emits(capped, central_bank):
    receipt = capped.increaseIssuanceAllowance(central_bank, 500 * SOM, sender=central_bank)
    assert capped.issuanceAllowance(central_bank) == 1_500 * SOM
    [event] = capped.IssuanceAllowanceChanged.from_receipt(receipt)
    assert (event.previous, event.allowance) == (1_000 * SOM, 1_500 * SOM)


def test_increase_issuance_allowance__by_non_admin__reverts(capped, bank):
    with ape.reverts(capped.AccessControlUnauthorizedAccount):
        capped.increaseIssuanceAllowance(bank, 1, sender=bank)


def test_increase_issuance_allowance__overflow__reverts(capped, central_bank):
    with ape.reverts(capped.CbdcIssuanceAllowanceOverflow, allowance=1_000 * SOM):
        capped.increaseIssuanceAllowance(central_bank, 2**256 - 1, sender=central_bank)


def test_decrease_issuance_allowance__subtracts_and_emits(capped, central_bank):
    receipt = capped.decreaseIssuanceAllowance(central_bank, 300 * SOM, sender=central_bank)
    assert capped.issuanceAllowance(central_bank) == 700 * SOM
    [event] = capped.IssuanceAllowanceChanged.from_receipt(receipt)
    assert (event.previous, event.allowance) == (1_000 * SOM, 700 * SOM)


def test_decrease_issuance_allowance__below_zero__clamps_to_zero(capped, central_bank):
    capped.decreaseIssuanceAllowance(central_bank, 5_000 * SOM, sender=central_bank)
    assert capped.issuanceAllowance(central_bank) == 0


def test_decrease_issuance_allowance__by_non_admin__reverts(capped, central_bank, bank):
    with ape.reverts(capped.AccessControlUnauthorizedAccount):
        capped.decreaseIssuanceAllowance(central_bank, 1, sender=bank)


def test_issue__within_allowance__spends_it(capped, central_bank, bank):
    capped.issue(bank, 400 * SOM, sender=central_bank)
    assert capped.issuanceAllowance(central_bank) == 600 * SOM
    capped.issue(bank, 600 * SOM, sender=central_bank)
    assert capped.issuanceAllowance(central_bank) == 0
    assert capped.balanceOf(bank) == 1_000 * SOM


def test_issue__above_allowance__reverts(capped, central_bank, bank):
    with ape.reverts(
        capped.CbdcIssuanceAllowanceExceeded,
        issuer=central_bank.address,
        allowance=1_000 * SOM,
        amount=1_000 * SOM + 1,
    ):
        capped.issue(bank, 1_000 * SOM + 1, sender=central_bank)


def test_issue__allowances_are_per_issuer(capped, central_bank, bank, attacker):
    capped.grantRole(capped.ISSUER_ROLE(), attacker, sender=central_bank)
    with ape.reverts(capped.CbdcIssuanceAllowanceExceeded):
        capped.issue(bank, 1, sender=attacker)


def test_admin_extension__called_directly__reverts(central_bank):
    extension = project.DigitalSomAdminExtension.deploy(sender=central_bank)
    with ape.reverts(extension.CbdcExtensionNotDelegated):
        extension.setIssuanceAllowance(central_bank, 1, sender=central_bank)
