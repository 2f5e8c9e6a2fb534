import ape

from somchain.cbdc import SOM, TIER_BANK_LINKED, TIER_UNVERIFIED, TIER_VERIFIED


def test_register_wallet__by_bank__linked_and_emitted(som, bank, alice):
    receipt = som.registerWallet(alice, TIER_UNVERIFIED, sender=bank)
    assert som.walletOf(alice) == (TIER_UNVERIFIED, bank.address, True)
    assert som.accountKind(alice) == som.KIND_WALLET()
    [log] = som.WalletRegistered.from_receipt(receipt)
    assert (log.wallet, log.bank, log.tier) == (alice.address, bank.address, TIER_UNVERIFIED)


def test_wallet_of__unregistered__empty(som, alice):
    assert som.walletOf(alice) == (0, "0x0000000000000000000000000000000000000000", False)


def test_register_wallets__batch__all_registered(som, bank, alice, bob):
    receipt = som.registerWallets([alice, bob], TIER_VERIFIED, sender=bank)
    assert len(som.WalletRegistered.from_receipt(receipt)) == 2
    assert som.walletOf(bob) == (TIER_VERIFIED, bank.address, True)


def test_register_wallet__twice__reverts(som, bank, bank2, alice):
    som.registerWallet(alice, 0, sender=bank)
    with ape.reverts(som.CbdcAlreadyRegistered, account=alice.address):
        som.registerWallet(alice, 1, sender=bank2)


def test_register_wallet__bank_address__reverts(som, bank, bank2):
    with ape.reverts(som.CbdcAlreadyRegistered, account=bank2.address):
        som.registerWallet(bank2, 0, sender=bank)


def test_register_wallet__zero_address__reverts(som, bank):
    with ape.reverts(som.CbdcZeroAddress):
        som.registerWallet("0x0000000000000000000000000000000000000000", 0, sender=bank)


def test_register_wallet__invalid_tier__reverts(som, bank, alice):
    with ape.reverts(som.CbdcInvalidTier, tier=5):
        som.registerWallet(alice, 5, sender=bank)


def test_register_wallet__not_a_bank__reverts(som, attacker, alice):
    with ape.reverts(som.AccessControlUnauthorizedAccount):
        som.registerWallet(alice, 0, sender=attacker)


def test_set_wallet_tier__linked_bank__changed_and_emitted(som, bank, alice):
    som.registerWallet(alice, TIER_UNVERIFIED, sender=bank)
    receipt = som.setWalletTier(alice, TIER_BANK_LINKED, sender=bank)
    assert som.walletOf(alice)[0] == TIER_BANK_LINKED
    [log] = som.WalletTierChanged.from_receipt(receipt)
    assert (log.wallet, log.oldTier, log.newTier) == (alice.address, 0, TIER_BANK_LINKED)


def test_set_wallet_tier__other_bank__reverts(som, bank, bank2, alice):
    som.registerWallet(alice, 0, sender=bank)
    with ape.reverts(som.CbdcNotLinkedBank, wallet=alice.address, caller=bank2.address):
        som.setWalletTier(alice, 2, sender=bank2)


def test_set_wallet_tier__unregistered__reverts(som, bank, alice):
    with ape.reverts(som.CbdcWalletNotRegistered, account=alice.address):
        som.setWalletTier(alice, 2, sender=bank)


def test_set_wallet_tier__invalid_tier__reverts(som, bank, alice):
    som.registerWallet(alice, 0, sender=bank)
    with ape.reverts(som.CbdcInvalidTier, tier=9):
        som.setWalletTier(alice, 9, sender=bank)


def test_close_wallet__zero_balance_by_bank__closed_and_emitted(som, bank, alice):
    som.registerWallet(alice, 0, sender=bank)
    receipt = som.closeWallet(alice, sender=bank)
    assert som.walletOf(alice)[2] is False
    [log] = som.WalletClosed.from_receipt(receipt)
    assert (log.wallet, log.bank) == (alice.address, bank.address)


def test_close_wallet__by_holder__closed(som, bank, alice):
    som.registerWallet(alice, 0, sender=bank)
    som.closeWallet(alice, sender=alice)
    assert som.accountKind(alice) == som.KIND_CLOSED()
    assert som.walletOf(alice) == (0, "0x" + "00" * 20, False)


def test_close_wallet__closed_twice__reverts_not_registered(som, bank, alice):
    som.registerWallet(alice, 0, sender=bank)
    som.closeWallet(alice, sender=alice)
    with ape.reverts(som.CbdcWalletNotRegistered, account=alice.address):
        som.closeWallet(alice, sender=bank)


def test_register_wallet__closed_wallet__registered_again(som, bank, alice):
    som.registerWallet(alice, 0, sender=bank)
    som.closeWallet(alice, sender=alice)
    som.registerWallet(alice, 1, sender=bank)
    assert som.accountKind(alice) == som.KIND_WALLET()
    assert som.walletOf(alice) == (1, bank.address, True)


def test_close_wallet__by_stranger__reverts(som, bank, alice, attacker):
    som.registerWallet(alice, 0, sender=bank)
    with ape.reverts(som.CbdcNotLinkedBank, wallet=alice.address, caller=attacker.address):
        som.closeWallet(alice, sender=attacker)


def test_close_wallet__with_balance__reverts(funded, bank, alice):
    with ape.reverts(funded.CbdcAccountNotEmpty, account=alice.address, balance=1_000 * SOM):
        funded.closeWallet(alice, sender=bank)


def test_close_wallet__unregistered__reverts(som, bank, alice):
    with ape.reverts(som.CbdcWalletNotRegistered, account=alice.address):
        som.closeWallet(alice, sender=bank)


def test_close_wallet__then_payment__reverts_not_registered(funded, bank, alice, bob):
    funded.transfer(bank, 1_000 * SOM, sender=bob)
    funded.closeWallet(bob, sender=bank)
    with ape.reverts(funded.CbdcWalletNotRegistered, account=bob.address):
        funded.transfer(bob, 1 * SOM, sender=alice)


def test_grant_bank_role__registered_wallet__reverts(som, central_bank, bank, alice):
    som.registerWallet(alice, 0, sender=bank)
    with ape.reverts(som.CbdcAlreadyRegistered, account=alice.address):
        som.grantRole(som.BANK_ROLE(), alice, sender=central_bank)


def test_revoke_bank_role__with_balance__reverts(funded, central_bank, bank):
    balance = funded.balanceOf(bank)
    with ape.reverts(funded.CbdcAccountNotEmpty, account=bank.address, balance=balance):
        funded.revokeRole(funded.BANK_ROLE(), bank, sender=central_bank)


def test_revoke_bank_role__empty__delisted(som, central_bank, bank2):
    som.revokeRole(som.BANK_ROLE(), bank2, sender=central_bank)
    assert som.accountKind(bank2) == som.KIND_NONE()
    with ape.reverts(som.CbdcNotBank, account=bank2.address):
        som.issue(bank2, 1, sender=central_bank)
