"""Seizure respects the recipient's holding limit; a delicensed bank cannot close wallets."""

import ape

from somchain.cbdc import SOM, TIER_GOVERNMENT, TIER_UNVERIFIED

CASE = b"\x01" * 32


def test_seize__recipient_within_limit__succeeds(funded, compliance, alice, bob):
    funded.freeze(alice, sender=compliance)
    funded.seize(alice, bob, 1_000 * SOM, CASE, sender=compliance)
    assert funded.balanceOf(bob) == 2_000 * SOM


def test_seize__recipient_above_holding_limit__reverts(funded, fund, compliance, bank, alice, bob):
    fund(alice, 20_000)  # alice (tier 1) holds 21,000 som
    funded.setWalletTier(bob, TIER_UNVERIFIED, sender=bank)  # bob: at most 10,000 som
    funded.freeze(alice, sender=compliance)
    with ape.reverts(
        funded.CbdcHoldingLimitExceeded,
        wallet=bob.address,
        balance=21_000 * SOM,
        maxBalance=10_000 * SOM,
    ):
        funded.seize(alice, bob, 20_000 * SOM, CASE, sender=compliance)


def test_seize__up_to_the_holding_limit__succeeds(funded, fund, compliance, bank, alice, bob):
    fund(alice, 20_000)
    funded.setWalletTier(bob, TIER_UNVERIFIED, sender=bank)
    funded.freeze(alice, sender=compliance)
    funded.seize(alice, bob, 9_000 * SOM, CASE, sender=compliance)
    assert funded.balanceOf(bob) == 10_000 * SOM


def test_seize__to_unlimited_wallet__succeeds(funded, fund, compliance, central_bank, alice, bob):
    fund(alice, 50_000)
    funded.assignWalletTier(bob, TIER_GOVERNMENT, sender=central_bank)
    funded.freeze(alice, sender=compliance)
    funded.seize(alice, bob, 51_000 * SOM, CASE, sender=compliance)
    assert funded.balanceOf(bob) == 52_000 * SOM


def test_close_wallet__by_delicensed_bank__reverts(som, central_bank, bank2, alice):
    som.registerWallet(alice, TIER_UNVERIFIED, sender=bank2)
    som.revokeRole(som.BANK_ROLE(), bank2, sender=central_bank)
    with ape.reverts(som.CbdcNotLinkedBank, wallet=alice.address, caller=bank2.address):
        som.closeWallet(alice, sender=bank2)


def test_close_wallet__by_wallet_after_its_bank_was_delicensed__succeeds(
    som, central_bank, bank2, alice
):
    som.registerWallet(alice, TIER_UNVERIFIED, sender=bank2)
    som.revokeRole(som.BANK_ROLE(), bank2, sender=central_bank)
    som.closeWallet(alice, sender=alice)
    assert som.walletOf(alice)[2] is False


def test_close_wallet__by_new_bank_after_relink__succeeds(som, central_bank, bank, bank2, alice):
    som.registerWallet(alice, TIER_UNVERIFIED, sender=bank2)
    som.revokeRole(som.BANK_ROLE(), bank2, sender=central_bank)
    som.relinkWallet(alice, bank, sender=central_bank)
    receipt = som.closeWallet(alice, sender=bank)
    [event] = som.WalletClosed.from_receipt(receipt)
    assert (event.wallet, event.bank) == (alice.address, bank.address)
