import ape

from somchain.cbdc import SOM

TAX_REF = b"TAX-2025-INN-01234567890".ljust(32, b"\0")


def test_transfer_with_reference__tax_to_treasury__emitted(funded, alice, treasury):
    before = funded.balanceOf(treasury)
    receipt = funded.transferWithReference(treasury, 150 * SOM, TAX_REF, sender=alice)
    assert funded.balanceOf(treasury) == before + 150 * SOM
    [log] = funded.PaymentReference.from_receipt(receipt)
    assert (log["from"], log.to, log.amount, log.paymentRef) == (
        alice.address,
        treasury.address,
        150 * SOM,
        TAX_REF,
    )
    [transfer] = funded.Transfer.from_receipt(receipt)
    assert transfer.value == 150 * SOM


def test_transfer_with_reference__to_unregistered__reverts(funded, alice, attacker):
    with ape.reverts(funded.CbdcWalletNotRegistered, account=attacker.address):
        funded.transferWithReference(attacker, 1, TAX_REF, sender=alice)


def test_transfer_with_reference__above_payment_limit__reverts(funded, fund, alice, treasury):
    fund(alice, 30_000)
    with ape.reverts(funded.CbdcPaymentLimitExceeded):
        funded.transferWithReference(treasury, 20_000 * SOM + 1, TAX_REF, sender=alice)


def test_transfer_with_reference__full_payee__swept(funded, fund, bank, alice, bob):
    fund(bob, 99_000)
    receipt = funded.transferWithReference(bob, 5 * SOM, TAX_REF, sender=alice)
    [swept] = funded.Swept.from_receipt(receipt)
    assert (swept.wallet, swept.bank, swept.amount) == (bob.address, bank.address, 5 * SOM)
    assert len(funded.PaymentReference.from_receipt(receipt)) == 1
