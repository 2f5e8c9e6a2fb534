"""Roles, the delayed admin handover and upgrade authorization, for both tokens: run once
per token by the `token` fixture (tests/compliance/conftest.py), as Circle's behavesLikeX
suites do."""

import ape
from ape import chain, project


def test_admin_handover__waits_for_the_delay(token, admin, alice):
    token.beginDefaultAdminTransfer(alice, sender=admin)
    with ape.reverts(token.AccessControlEnforcedDefaultAdminDelay):
        token.acceptDefaultAdminTransfer(sender=alice)
    chain.pending_timestamp += token.defaultAdminDelay() + 1
    token.acceptDefaultAdminTransfer(sender=alice)
    assert token.getOwner() == alice
    assert token.defaultAdmin() == alice


def test_admin_handover__accepted_by_someone_else__reverts(token, admin, alice, attacker):
    token.beginDefaultAdminTransfer(alice, sender=admin)
    chain.pending_timestamp += token.defaultAdminDelay() + 1
    with ape.reverts(token.AccessControlInvalidDefaultAdmin):
        token.acceptDefaultAdminTransfer(sender=attacker)


def test_grant_default_admin__directly__reverts(token, admin, alice):
    with ape.reverts(token.AccessControlEnforcedDefaultAdminRules):
        token.grantRole(b"\x00" * 32, alice, sender=admin)


def test_grant_role__emits_and_is_revocable(token, admin, alice):
    role = token.PAUSER_ROLE()
    receipt = token.grantRole(role, alice, sender=admin)
    [event] = token.RoleGranted.from_receipt(receipt)
    assert (event.role, event.account) == (role, alice)
    token.revokeRole(role, alice, sender=admin)
    assert not token.hasRole(role, alice)


def test_upgrade__by_non_upgrader__reverts(token, v2_mock, admin, attacker):
    v2 = v2_mock.deploy(sender=admin)
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.upgradeToAndCall(v2, b"", sender=attacker)


def test_upgrade__to_non_uups_contract__reverts(token, admin):
    not_uups = project.MockERC20.deploy("x", "x", 18, sender=admin)
    # The ABI carries this error twice (UUPSUpgradeable and ERC1967Utils), so ape cannot
    # pick it by attribute, and depending on what it decoded before it may not name it.
    from tests.utils.chain import assert_reverted_with

    with ape.reverts() as caught:
        token.upgradeToAndCall(not_uups, b"", sender=admin)
    assert_reverted_with(
        caught.value, "ERC1967InvalidImplementation(address)", ["address"], [not_uups.address]
    )
