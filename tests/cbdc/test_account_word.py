"""The holder's kind and tier share the balance's storage word (AccountWord): every change
of one keeps the others, and a payee of a batch costs one read and one write."""

import ape
from ape import chain
from eth_abi import encode
from eth_utils import keccak

from somchain.cbdc import SOM, TIER_UNVERIFIED, TIER_VERIFIED, batch_id

ACCOUNTS_SLOT = 0xF84CB2C37FC8DC27C6FF9B781A703B985F6037B67D45EA6629B06CDABAD4DE00
FROZEN = 1 << 255
BALANCE_MASK = (1 << 248) - 1
KIND_WALLET, KIND_BANK, KIND_TREASURY, KIND_CLOSED = 1, 2, 3, 4


def _word(token, account) -> int:
    slot = keccak(encode(["address", "uint256"], [str(account), ACCOUNTS_SLOT]))
    raw = chain.provider.get_storage(token.address, int.from_bytes(slot, "big"))
    return int.from_bytes(bytes(raw), "big")


def _tag(word: int) -> tuple[int, int]:
    """(kind, tier) of a word."""
    tag = (word >> 248) & 0x7F
    return tag & 7, tag >> 3


def test_word__registered_wallet__kind_and_tier_beside_balance(funded, alice):
    word = _word(funded, alice)
    assert _tag(word) == (KIND_WALLET, TIER_VERIFIED)
    assert word & BALANCE_MASK == funded.balanceOf(alice) == 1_000 * SOM
    assert not word & FROZEN


def test_word__bank_and_treasury__their_kind(funded, bank, treasury):
    assert _tag(_word(funded, bank)) == (KIND_BANK, 0)
    assert _tag(_word(funded, treasury)) == (KIND_TREASURY, 0)


def test_word__freeze_and_unfreeze__keep_kind_tier_and_balance(funded, compliance, alice):
    before = _word(funded, alice)
    funded.freeze(alice, sender=compliance)
    assert _word(funded, alice) == before | FROZEN
    funded.unfreeze(alice, sender=compliance)
    assert _word(funded, alice) == before
    assert funded.walletOf(alice)[0] == TIER_VERIFIED


def test_word__tier_change__keeps_balance_and_freeze(funded, bank, compliance, alice):
    funded.freeze(alice, sender=compliance)
    funded.setWalletTier(alice, TIER_UNVERIFIED, sender=bank)
    word = _word(funded, alice)
    assert _tag(word) == (KIND_WALLET, TIER_UNVERIFIED)
    assert word & FROZEN
    assert word & BALANCE_MASK == 1_000 * SOM


def test_word__close_frozen_wallet__closed_and_still_frozen(som, bank, compliance, alice):
    som.registerWallet(alice, TIER_VERIFIED, sender=bank)
    som.freeze(alice, sender=compliance)
    som.closeWallet(alice, sender=bank)
    assert _word(som, alice) == FROZEN | (KIND_CLOSED << 248)
    assert som.walletOf(alice) == (0, ape.utils.ZERO_ADDRESS, False)
    assert som.isFrozen(alice)


def test_word__revoked_bank__no_kind_left(som, central_bank, bank2):
    som.revokeRole(som.BANK_ROLE(), bank2, sender=central_bank)
    assert _word(som, bank2) == 0
    assert som.accountKind(bank2) == 0


def test_word__seize_into_wallet__keeps_its_kind(funded, compliance, alice, bob):
    funded.freeze(alice, sender=compliance)
    funded.seize(alice, bob, SOM, b"\x01" * 32, sender=compliance)
    assert _tag(_word(funded, bob)) == (KIND_WALLET, TIER_VERIFIED)
    assert funded.balanceOf(bob) == 1_001 * SOM
    assert funded.balanceOf(alice) == 999 * SOM


def test_disburse__payee_twice_in_batch__paid_twice(funded, bank, treasury, payees):
    [wallet] = payees(1, offset=900)
    funded.registerWallet(wallet, TIER_VERIFIED, sender=bank)
    before = funded.balanceOf(treasury)
    funded.disburse(batch_id("twice", 0), [wallet, wallet], [SOM, 2 * SOM], sender=treasury)
    assert funded.balanceOf(wallet) == 3 * SOM
    assert funded.balanceOf(treasury) == before - 3 * SOM
    assert _tag(_word(funded, wallet)) == (KIND_WALLET, TIER_VERIFIED)


def test_disburse__treasury_pays_itself__balance_unchanged(funded, bank, treasury, payees):
    [wallet] = payees(1, offset=901)
    funded.registerWallet(wallet, TIER_VERIFIED, sender=bank)
    before = funded.balanceOf(treasury)
    funded.disburse(batch_id("self", 0), [treasury, wallet], [5 * SOM, SOM], sender=treasury)
    assert funded.balanceOf(treasury) == before - SOM
    assert _tag(_word(funded, treasury)) == (KIND_TREASURY, 0)


def test_disburse__sum_above_treasury_balance__reverts_with_the_total(
    funded, bank, treasury, payees
):
    wallets = payees(2, offset=902)
    funded.registerWallets(wallets, TIER_VERIFIED, sender=bank)
    balance = funded.balanceOf(treasury)
    half = balance // 2 + 1
    with ape.reverts(
        funded.ERC20InsufficientBalance, sender=treasury, balance=balance, needed=2 * half
    ):
        funded.disburse(batch_id("over", 0), wallets, [half, half], sender=treasury)
    assert [funded.balanceOf(w) for w in wallets] == [0, 0]


def test_disburse__amount_beyond_any_balance__reverts_and_leaves_words(
    funded, bank, treasury, payees
):
    [wallet] = payees(1, offset=904)
    funded.registerWallet(wallet, TIER_VERIFIED, sender=bank)
    before = _word(funded, wallet)
    with ape.reverts(funded.ERC20InsufficientBalance):
        funded.disburse(batch_id("huge", 0), [wallet], [BALANCE_MASK], sender=treasury)
    assert _word(funded, wallet) == before


def test_disburse__frozen_treasury__reverts(funded, bank, treasury, compliance, payees):
    [wallet] = payees(1, offset=905)
    funded.registerWallet(wallet, TIER_VERIFIED, sender=bank)
    funded.freeze(treasury, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen, account=treasury):
        funded.disburse(batch_id("frozen", 0), [wallet], [SOM], sender=treasury)


def test_disburse__sweep_blocked_among_others__skipped_rest_paid(
    funded, central_bank, bank, treasury, compliance, payees
):
    wallets = payees(3, offset=906)
    funded.registerWallets(wallets, TIER_UNVERIFIED, sender=bank)
    funded.freeze(bank, sender=compliance)
    before = funded.balanceOf(treasury)
    receipt = funded.disburse(
        batch_id("blocked", 0), wallets, [SOM, 20_000 * SOM, 2 * SOM], sender=treasury
    )
    [skip] = funded.PayeeSkipped.from_receipt(receipt)
    assert (skip.index, skip.payee, skip.reason) == (1, wallets[1], 3)
    assert [funded.balanceOf(w) for w in wallets] == [SOM, 0, 2 * SOM]
    assert funded.balanceOf(treasury) == before - 3 * SOM


def test_transfer__to_wallet_at_its_limit__swept_and_kind_kept(funded, bank, treasury, payees):
    [wallet] = payees(1, offset=907)
    funded.registerWallet(wallet, TIER_UNVERIFIED, sender=bank)
    bank_before = funded.balanceOf(bank)
    funded.transfer(wallet, 12_000 * SOM, sender=treasury)
    assert funded.balanceOf(wallet) == 10_000 * SOM
    assert funded.balanceOf(bank) == bank_before + 2_000 * SOM
    assert _tag(_word(funded, wallet)) == (KIND_WALLET, TIER_UNVERIFIED)


def test_disburse__recipient_with_dirty_upper_bits__reverts(funded, bank, treasury, payees):
    """The content hash is taken from calldata as sent; a recipient word with bits above its
    20 address bytes never pays anyone."""
    [wallet] = payees(1, offset=908)
    funded.registerWallet(wallet, TIER_VERIFIED, sender=bank)
    tx = funded.disburse.as_transaction(batch_id("dirty", 0), [wallet], [SOM], sender=treasury)
    clean = bytes(tx.data)
    word = bytes(12) + bytes.fromhex(wallet[2:])
    assert clean.count(word) == 1
    tx.data = clean.replace(word, b"\x01" + bytes(11) + word[12:])
    with ape.reverts():
        treasury.call(tx)
    assert funded.balanceOf(wallet) == 0
    assert not any(funded.batchContent(treasury, batch_id("dirty", 0)))
