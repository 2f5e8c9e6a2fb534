import ape

from somchain.cbdc import SOM


def test_issue__to_bank__minted_and_emitted(som, central_bank, bank):
    receipt = som.issue(bank, 1_000 * SOM, sender=central_bank)
    assert som.balanceOf(bank) == 1_000 * SOM
    assert som.totalSupply() == 1_000 * SOM
    [log] = som.Issued.from_receipt(receipt)
    assert (log.bank, log.amount) == (bank.address, 1_000 * SOM)


def test_issue__to_wallet__reverts(som, central_bank, bank, alice):
    som.registerWallet(alice, 1, sender=bank)
    with ape.reverts(som.CbdcNotBank, account=alice.address):
        som.issue(alice, 1, sender=central_bank)


def test_issue__to_treasury__reverts(som, central_bank, treasury):
    with ape.reverts(som.CbdcNotBank, account=treasury.address):
        som.issue(treasury, 1, sender=central_bank)


def test_issue__zero__reverts(som, central_bank, bank):
    with ape.reverts(som.CbdcZeroAmount):
        som.issue(bank, 0, sender=central_bank)


def test_issue__not_issuer__reverts(som, bank):
    with ape.reverts(som.AccessControlUnauthorizedAccount):
        som.issue(bank, 1, sender=bank)


def test_redeem__bank__burned_and_emitted(funded, bank):
    supply = funded.totalSupply()
    before = funded.balanceOf(bank)
    receipt = funded.redeem(100 * SOM, sender=bank)
    assert funded.balanceOf(bank) == before - 100 * SOM
    assert funded.totalSupply() == supply - 100 * SOM
    [log] = funded.Redeemed.from_receipt(receipt)
    assert (log.bank, log.amount) == (bank.address, 100 * SOM)


def test_redeem__above_holdings__reverts(funded, bank):
    balance = funded.balanceOf(bank)
    with ape.reverts(funded.ERC20InsufficientBalance):
        funded.redeem(balance + 1, sender=bank)


def test_redeem__zero__reverts(funded, bank):
    with ape.reverts(funded.CbdcZeroAmount):
        funded.redeem(0, sender=bank)


def test_redeem__wallet__reverts(funded, alice):
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.redeem(1, sender=alice)


def test_cash_out__wallet_to_linked_bank_then_redeem__supply_shrinks(funded, bank, alice):
    supply = funded.totalSupply()
    funded.transfer(bank, 1_000 * SOM, sender=alice)
    funded.redeem(1_000 * SOM, sender=bank)
    assert funded.balanceOf(alice) == 0
    assert funded.totalSupply() == supply - 1_000 * SOM
