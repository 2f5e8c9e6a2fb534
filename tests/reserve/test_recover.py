"""Recovery of unlisted tokens sent by mistake; listed assets leave only through withdraw."""

import ape

from tests.utils.constants import ONE

ZERO = "0x0000000000000000000000000000000000000000"


def test_recover_token__unlisted__returned_by_governance(vault, governance, create_token, alice):
    token = create_token("OOPS")
    token.mint(alice, 5 * ONE, sender=alice)
    token.transfer(vault, 5 * ONE, sender=alice)  # by mistake: no Deposited event

    receipt = governance(vault, ("recoverToken", token, alice, 5 * ONE))

    [event] = vault.TokenRecovered.from_receipt(receipt)
    assert (event.token, event.to, event.amount) == (token.address, alice.address, 5 * ONE)
    assert token.balanceOf(alice) == 5 * ONE


def test_recover_token__listed__reverts(funded_vault, governance, btcb, attacker):
    with ape.reverts(funded_vault.ReserveAssetListed, asset=btcb.address):
        governance(funded_vault, ("recoverToken", btcb, attacker, ONE))


def test_recover_token__after_remove_asset__allowed(funded_vault, governance, btcb, treasury):
    governance(funded_vault, ("removeAsset", btcb))
    governance(funded_vault, ("recoverToken", btcb, treasury, ONE), salt=1)
    assert btcb.balanceOf(treasury) == ONE


def test_recover_token__by_non_governance__reverts(vault, create_token, attacker):
    token = create_token()
    with ape.reverts(vault.ReserveUnauthorizedAccount, account=attacker):
        vault.recoverToken(token, attacker, 1, sender=attacker)


def test_recover_token__zero_token__reverts(direct_vault, admin, alice):
    with ape.reverts(direct_vault.ReserveZeroAddress):
        direct_vault.recoverToken(ZERO, alice, 1, sender=admin)
