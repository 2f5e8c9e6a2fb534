"""A wallet whose bank is frozen or loses its licence: relinking, sweeps, cash-out, batches."""

import ape

from somchain.cbdc import SOM, TIER_UNVERIFIED, batch_id

BATCH = batch_id("pensions-2026-11", 0)


def _unverified_wallet(som, bank, wallet):
    som.registerWallet(wallet, TIER_UNVERIFIED, sender=bank)  # holding limit 10,000 som


def test_relink_wallet__by_central_bank__moves_wallet_and_emits(
    funded, central_bank, bank2, alice, bank
):
    receipt = funded.relinkWallet(alice, bank2, sender=central_bank)
    assert funded.walletOf(alice)[1] == bank2
    [event] = funded.WalletRelinked.from_receipt(receipt)
    assert (event.wallet, event.oldBank, event.newBank) == (alice, bank, bank2)
    funded.setWalletTier(alice, 2, sender=bank2)


def test_relink_wallet__by_non_admin__reverts(funded, bank2, alice):
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.relinkWallet(alice, bank2, sender=bank2)


def test_relink_wallet__to_non_bank__reverts(funded, central_bank, alice, bob):
    with ape.reverts(funded.CbdcNotBank):
        funded.relinkWallet(alice, bob, sender=central_bank)


def test_relink_wallet__unregistered__reverts(funded, central_bank, bank2, attacker):
    with ape.reverts(funded.CbdcWalletNotRegistered):
        funded.relinkWallet(attacker, bank2, sender=central_bank)


def test_transfer__sweep_to_frozen_bank__reverts_with_dedicated_error(
    funded, bank, compliance, alice, attacker
):
    _unverified_wallet(funded, bank, attacker)
    funded.transfer(attacker, 9_500 * SOM, sender=bank)
    funded.freeze(bank, sender=compliance)
    with ape.reverts(funded.CbdcSweepTargetUnavailable, wallet=attacker.address, bank=bank.address):
        funded.transfer(attacker, 500 * SOM + 1, sender=alice)
    funded.transfer(attacker, 500 * SOM, sender=alice)  # up to the limit, no sweep needed


def test_transfer__after_relink__sweeps_to_new_bank(
    funded, bank, bank2, central_bank, compliance, alice, attacker
):
    _unverified_wallet(funded, bank, attacker)
    funded.transfer(attacker, 9_500 * SOM, sender=bank)
    funded.freeze(bank, sender=compliance)
    funded.relinkWallet(attacker, bank2, sender=central_bank)
    receipt = funded.transfer(attacker, 1_000 * SOM, sender=alice)
    [swept] = funded.Swept.from_receipt(receipt)
    assert (swept.wallet, swept.bank, swept.amount) == (attacker, bank2, 500 * SOM)


def test_disburse__payee_whose_bank_is_frozen_and_needs_a_sweep__skipped_batch_pays_others(
    funded, bank, bank2, compliance, treasury, alice, attacker
):
    _unverified_wallet(funded, bank, attacker)
    funded.freeze(bank, sender=compliance)
    receipt = funded.disburse(BATCH, [attacker, alice], [25_000 * SOM, 100 * SOM], sender=treasury)
    [skipped] = funded.PayeeSkipped.from_receipt(receipt)
    assert (skipped.index, skipped.payee, skipped.reason) == (0, attacker, 3)  # sweep blocked
    assert funded.balanceOf(attacker) == 0
    assert funded.balanceOf(alice) == 1_100 * SOM


def test_payment__to_delicensed_former_bank_now_a_wallet__is_limited(
    create_configured_som, central_bank, bank, bank2, alice
):
    """Paying the linked bank is a cash-out only while it is still a bank."""
    som = create_configured_som()
    som.issue(bank2, 100_000 * SOM, sender=central_bank)
    som.registerWallet(alice, TIER_UNVERIFIED, sender=bank)  # max payment 2,000 som
    som.transfer(alice, 5_000 * SOM, sender=bank2)
    som.revokeRole(som.BANK_ROLE(), bank, sender=central_bank)
    som.registerWallet(bank, 2, sender=bank2)  # the old bank's address, now a wallet
    som.assignWalletTier(bank, 4, sender=central_bank)  # institutional: the central bank's call
    with ape.reverts(som.CbdcPaymentLimitExceeded):
        som.transfer(bank, 3_000 * SOM, sender=alice)


def test_seize__to_unregistered_address__reverts(funded, compliance, alice, attacker):
    funded.freeze(alice, sender=compliance)
    with ape.reverts(funded.CbdcWalletNotRegistered):
        funded.seize(alice, attacker, SOM, b"\x01" * 32, sender=compliance)


def test_seize__to_bank__succeeds(funded, compliance, alice, bank):
    funded.freeze(alice, sender=compliance)
    funded.seize(alice, bank, SOM, b"\x01" * 32, sender=compliance)
    assert funded.balanceOf(alice) == 999 * SOM


def test_issue__beyond_the_supply_cap__reverts_with_custom_error(som, central_bank, bank):
    with ape.reverts(som.ComplianceSupplyOverflow):
        som.issue(bank, 2**256 - 1, sender=central_bank)
