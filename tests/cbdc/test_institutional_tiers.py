"""Retail tiers (0..MAX_RETAIL_TIER) are the banks'; institutional tiers are the central bank's."""

import ape

from somchain.cbdc import TIER_BANK_LINKED, TIER_GOVERNMENT, TIER_MERCHANT, TIER_VERIFIED


def test_max_retail_tier__is_bank_linked(som):
    assert som.MAX_RETAIL_TIER() == TIER_BANK_LINKED == 2


def test_register_wallet__institutional_tier_by_bank__reverts(som, bank, alice):
    with ape.reverts(som.CbdcTierNotRetail, tier=TIER_MERCHANT):
        som.registerWallet(alice, TIER_MERCHANT, sender=bank)


def test_register_wallets__institutional_tier_by_bank__reverts(som, bank, alice, bob):
    with ape.reverts(som.CbdcTierNotRetail, tier=TIER_GOVERNMENT):
        som.registerWallets([alice, bob], TIER_GOVERNMENT, sender=bank)


def test_set_wallet_tier__institutional_tier_by_bank__reverts(som, bank, alice):
    som.registerWallet(alice, TIER_VERIFIED, sender=bank)
    with ape.reverts(som.CbdcTierNotRetail):
        som.setWalletTier(alice, TIER_MERCHANT, sender=bank)


def test_assign_wallet_tier__by_central_bank__sets_and_emits(som, central_bank, bank, alice):
    som.registerWallet(alice, TIER_VERIFIED, sender=bank)
    receipt = som.assignWalletTier(alice, TIER_MERCHANT, sender=central_bank)
    assert som.walletOf(alice) == (TIER_MERCHANT, bank.address, True)
    [event] = som.WalletTierChanged.from_receipt(receipt)
    assert (event.wallet, event.oldTier, event.newTier) == (alice.address, 1, TIER_MERCHANT)


def test_assign_wallet_tier__by_bank__reverts(som, bank, alice):
    som.registerWallet(alice, TIER_VERIFIED, sender=bank)
    with ape.reverts(som.AccessControlUnauthorizedAccount):
        som.assignWalletTier(alice, TIER_MERCHANT, sender=bank)


def test_assign_wallet_tier__by_issuer_only__reverts(som, central_bank, bank, alice, attacker):
    """Issuing money does not carry the power to lift a wallet's limits."""
    som.grantRole(som.ISSUER_ROLE(), attacker, sender=central_bank)
    som.registerWallet(alice, TIER_VERIFIED, sender=bank)
    with ape.reverts(som.AccessControlUnauthorizedAccount):
        som.assignWalletTier(alice, TIER_MERCHANT, sender=attacker)


def test_assign_wallet_tier__beyond_max_tier__reverts(som, central_bank, bank, alice):
    som.registerWallet(alice, TIER_VERIFIED, sender=bank)
    with ape.reverts(som.CbdcInvalidTier):
        som.assignWalletTier(alice, 5, sender=central_bank)


def test_assign_wallet_tier__unregistered__reverts(som, central_bank, alice):
    with ape.reverts(som.CbdcWalletNotRegistered):
        som.assignWalletTier(alice, TIER_MERCHANT, sender=central_bank)


def test_set_wallet_tier__bank_lowers_institutional_wallet__succeeds(
    som, central_bank, bank, alice
):
    som.registerWallet(alice, TIER_VERIFIED, sender=bank)
    som.assignWalletTier(alice, TIER_GOVERNMENT, sender=central_bank)
    som.setWalletTier(alice, TIER_VERIFIED, sender=bank)
    assert som.walletOf(alice)[0] == TIER_VERIFIED
