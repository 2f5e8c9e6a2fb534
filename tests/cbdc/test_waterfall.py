import ape
from eth_utils import to_checksum_address

from somchain.cbdc import SOM, TIER_UNVERIFIED

MAX_BALANCE = 100_000 * SOM  # tier 1
CAROL = to_checksum_address("0x000000000000000000000000000000000000ca01")


def test_waterfall__payee_below_limit__nothing_swept(funded, bank, alice):
    receipt = funded.transfer(alice, 98_999 * SOM, sender=bank)
    assert funded.balanceOf(alice) == MAX_BALANCE - 1 * SOM
    assert funded.Swept.from_receipt(receipt) == []


def test_waterfall__payee_reaches_limit_exactly__nothing_swept(funded, bank, alice):
    receipt = funded.transfer(alice, 99_000 * SOM, sender=bank)
    assert funded.balanceOf(alice) == MAX_BALANCE
    assert funded.Swept.from_receipt(receipt) == []


def test_waterfall__payee_over_limit__excess_swept_to_linked_bank(funded, fund, bank, alice, bob):
    fund(alice, 98_000)  # alice: 99,000 som, 1,000 below the limit
    fund(bob, 1_000)
    bank_before = funded.balanceOf(bank)
    receipt = funded.transfer(alice, 1_500 * SOM, sender=bob)
    assert funded.balanceOf(alice) == MAX_BALANCE
    assert funded.balanceOf(bank) == bank_before + 500 * SOM
    [swept] = funded.Swept.from_receipt(receipt)
    assert (swept.wallet, swept.bank, swept.amount) == (alice.address, bank.address, 500 * SOM)
    transfers = [(t["from"], t.to, t.value) for t in funded.Transfer.from_receipt(receipt)]
    assert transfers == [
        (bob.address, alice.address, 1_500 * SOM),
        (alice.address, bank.address, 500 * SOM),
    ]


def test_waterfall__payee_at_limit__whole_payment_swept(funded, fund, bank, alice, bob):
    fund(alice, 99_000)
    receipt = funded.transfer(alice, 10 * SOM, sender=bob)
    assert funded.balanceOf(alice) == MAX_BALANCE
    [swept] = funded.Swept.from_receipt(receipt)
    assert swept.amount == 10 * SOM


def test_waterfall__limit_lowered__held_funds_stay_incoming_swept(
    funded, central_bank, bank, alice, bob
):
    funded.setWalletTier(alice, TIER_UNVERIFIED, sender=bank)  # max 10,000; alice holds 1,000
    funded.transfer(alice, 20_000 * SOM, sender=bank)  # 11,000 swept back to the bank
    assert funded.balanceOf(alice) == 10_000 * SOM
    funded.setTierLimits(
        TIER_UNVERIFIED, 5_000 * SOM, 2_000 * SOM, 5_000 * SOM, sender=central_bank
    )
    receipt = funded.transfer(alice, 7 * SOM, sender=bob)
    assert funded.balanceOf(alice) == 10_000 * SOM
    assert funded.Swept.from_receipt(receipt)[0].amount == 7 * SOM


def test_waterfall__wallet_of_other_bank__swept_to_its_own_bank(funded, bank, bank2, bob):
    carol = CAROL
    funded.registerWallet(carol, TIER_UNVERIFIED, sender=bank2)
    receipt = funded.transfer(carol, 12_000 * SOM, sender=bank)
    assert funded.balanceOf(bank2) == 2_000 * SOM
    [swept] = funded.Swept.from_receipt(receipt)
    assert (swept.wallet, swept.bank) == (carol, bank2.address)


def test_waterfall__linked_bank_delisted__reverts(funded, central_bank, bank, bank2):
    carol = CAROL
    funded.registerWallet(carol, TIER_UNVERIFIED, sender=bank2)
    funded.revokeRole(funded.BANK_ROLE(), bank2, sender=central_bank)
    with ape.reverts(funded.CbdcSweepTargetUnavailable, wallet=carol, bank=bank2.address):
        funded.transfer(carol, 12_000 * SOM, sender=bank)
