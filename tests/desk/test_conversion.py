"""Conversions through the desk, both ways: at par, burn on one side and issue on the
other, every control of both tokens holding, and every refusal a custom error."""

from __future__ import annotations

import os

import ape
import pytest
from ape import chain
from ape.exceptions import ContractLogicError
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak

from somchain.cbdc import SOM, TIER_UNVERIFIED
from somchain.desk import TO_KGST, TO_SOM
from somchain.stablecoin.signing import TYPES, domain_of, sign_authorization, sign_permit
from tests.utils.chain import assert_reverted_with, reverted_data
from tests.utils.constants import ONE

REF = b"WU-7781-2026-12".ljust(32, b"\x00")
NO_REF = b"\x00" * 32


def _reverts_with(call, signature: str, types: list[str], args: list) -> None:
    """`call()` reverts with the custom error `signature` (raised by either token inside
    the desk's call, so checked on the revert data)."""
    with pytest.raises(ContractLogicError) as info:
        call()
    assert_reverted_with(info.value, signature, types, args)


def _reverts_with_selector(call, signature: str) -> None:
    """`call()` reverts with the custom error `signature`, whatever its arguments (a
    recovered signer nobody chose)."""
    with pytest.raises(ContractLogicError) as info:
        call()
    assert reverted_data(info.value)[:4] == keccak(text=signature)[:4]


def _holds_nothing(desk, kgst, som) -> None:
    assert kgst.balanceOf(desk) == 0
    assert som.balanceOf(desk) == 0


# ---------------------------------------------------------------- KGST -> digital som


def test_convert_to_som__approved__burns_kgst_and_pays_the_same_som_to_the_wallet(
    kgst, som, desk, alice
):
    kgst_supply, som_supply = kgst.totalSupply(), som.totalSupply()
    kgst.approve(desk, 250 * ONE, sender=alice)
    receipt = desk.convertToSom(250 * SOM, REF, sender=alice)
    assert kgst.balanceOf(alice) == 4_750 * ONE
    assert som.balanceOf(alice) == 1_250 * SOM
    assert kgst.totalSupply() == kgst_supply - 250 * ONE
    assert som.totalSupply() == som_supply + 250 * SOM
    _holds_nothing(desk, kgst, som)
    [event] = desk.ConvertedToSom.from_receipt(receipt)
    assert (event.holder, event.kgstBurned, event.somIssued) == (alice, 250 * ONE, 250 * SOM)
    assert event.paymentRef == REF
    [burn] = kgst.Burn.from_receipt(receipt)
    assert (burn.burner, burn.amount) == (desk, 250 * ONE)
    [issued] = som.Issued.from_receipt(receipt)
    assert (issued.bank, issued.amount) == (desk, 250 * SOM)
    [reference] = som.PaymentReference.from_receipt(receipt)
    assert (reference["from"], reference.to, reference.paymentRef) == (desk, alice, REF)


def test_convert_to_som__no_reference__pays_with_a_plain_transfer(kgst, som, desk, alice):
    kgst.approve(desk, ONE, sender=alice)
    receipt = desk.convertToSom(SOM, NO_REF, sender=alice)
    assert not som.PaymentReference.from_receipt(receipt)
    assert som.balanceOf(alice) == 1_001 * SOM


def test_convert_to_som__with_permit__relayed_for_the_holder(kgst, som, desk, bob, attacker):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(kgst, bob.private_key, bob, desk, 40 * ONE, deadline)
    receipt = desk.convertToSomWithPermit(bob, 40 * SOM, deadline, v, r, s, REF, sender=attacker)
    assert som.balanceOf(bob) == 1_040 * SOM
    assert som.balanceOf(attacker) == 0
    [event] = desk.ConvertedToSom.from_receipt(receipt)
    assert event.holder == bob


def test_convert_to_som__permit_used_before__reverts_and_a_new_one_converts(
    kgst, som, desk, bob, attacker
):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(kgst, bob.private_key, bob, desk, 40 * ONE, deadline)
    kgst.permit(bob, desk, 40 * ONE, deadline, v, r, s, sender=attacker)  # front-run
    _reverts_with_selector(
        lambda: desk.convertToSomWithPermit(bob, 40 * SOM, deadline, v, r, s, REF, sender=attacker),
        "ERC2612InvalidSigner(address,address)",
    )
    v, r, s = sign_permit(kgst, bob.private_key, bob, desk, 40 * ONE, deadline)
    desk.convertToSomWithPermit(bob, 40 * SOM, deadline, v, r, s, REF, sender=attacker)
    assert som.balanceOf(bob) == 1_040 * SOM


def test_convert_to_som__standing_approval__not_spendable_through_the_permit_path(
    kgst, desk, bob, attacker
):
    kgst.approve(desk, 100 * ONE, sender=bob)
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(kgst, attacker.private_key, bob, desk, 40 * ONE, deadline)
    _reverts_with_selector(
        lambda: desk.convertToSomWithPermit(bob, 40 * SOM, deadline, v, r, s, REF, sender=attacker),
        "ERC2612InvalidSigner(address,address)",
    )
    assert kgst.balanceOf(bob) == 5_000 * ONE


def test_convert_to_som__permit_for_another_amount__reverts(kgst, desk, bob, attacker):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(kgst, bob.private_key, bob, desk, 40 * ONE, deadline)
    _reverts_with_selector(
        lambda: desk.convertToSomWithPermit(bob, 41 * SOM, deadline, v, r, s, REF, sender=attacker),
        "ERC2612InvalidSigner(address,address)",
    )


def _authorization(kgst, holder, desk, value, nonce=None):
    nonce = nonce or os.urandom(32)
    after, before = chain.pending_timestamp - 60, chain.pending_timestamp + 3_600
    v, r, s = sign_authorization(
        kgst, holder.private_key, holder, desk, value, after, before, nonce, receive=True
    )
    return (after, before, nonce, v, r, s)


def test_convert_to_som__with_authorization__relayed_for_the_holder(kgst, som, desk, bob, attacker):
    auth = _authorization(kgst, bob, desk, 75 * ONE)
    receipt = desk.convertToSomWithAuthorization(bob, 75 * SOM, auth, REF, sender=attacker)
    assert som.balanceOf(bob) == 1_075 * SOM
    assert kgst.balanceOf(bob) == 4_925 * ONE
    assert kgst.authorizationState(bob, auth[2])
    [event] = desk.ConvertedToSom.from_receipt(receipt)
    assert (event.holder, event.somIssued) == (bob, 75 * SOM)
    _holds_nothing(desk, kgst, som)


def test_convert_to_som__authorization_replayed__reverts(kgst, desk, bob, attacker):
    auth = _authorization(kgst, bob, desk, 75 * ONE)
    desk.convertToSomWithAuthorization(bob, 75 * SOM, auth, REF, sender=attacker)
    _reverts_with(
        lambda: desk.convertToSomWithAuthorization(bob, 75 * SOM, auth, REF, sender=attacker),
        "AuthorizationAlreadyUsed(address,bytes32)",
        ["address", "bytes32"],
        [bob.address, auth[2]],
    )


def test_convert_to_som__authorization_for_another_amount__reverts(kgst, desk, bob, attacker):
    auth = _authorization(kgst, bob, desk, 75 * ONE)
    # The signature recovers to some other address, whatever it is.
    message = encode_typed_data(
        domain_data=domain_of(kgst),
        message_types={"ReceiveWithAuthorization": TYPES["ReceiveWithAuthorization"]},
        message_data={
            "from": bob.address,
            "to": desk.address,
            "value": 76 * ONE,
            "validAfter": auth[0],
            "validBefore": auth[1],
            "nonce": auth[2],
        },
    )
    signed = Account.recover_message(message, vrs=(auth[3], auth[4], auth[5]))
    _reverts_with(
        lambda: desk.convertToSomWithAuthorization(bob, 76 * SOM, auth, REF, sender=attacker),
        "AuthorizationInvalidSigner(address,address)",
        ["address", "address"],
        [signed, bob.address],
    )


def test_convert_to_som__frozen_kgst_holder__reverts(kgst, desk, alice, compliance):
    kgst.approve(desk, ONE, sender=alice)
    kgst.freeze(alice, sender=compliance)
    _reverts_with(
        lambda: desk.convertToSom(SOM, REF, sender=alice),
        "ComplianceAccountFrozen(address)",
        ["address"],
        [alice.address],
    )


def test_convert_to_som__frozen_wallet__reverts_whole(kgst, som, desk, alice, compliance):
    kgst.approve(desk, ONE, sender=alice)
    som.freeze(alice, sender=compliance)
    _reverts_with(
        lambda: desk.convertToSom(SOM, REF, sender=alice),
        "ComplianceAccountFrozen(address)",
        ["address"],
        [alice.address],
    )
    assert kgst.balanceOf(alice) == 5_000 * ONE


def test_convert_to_som__no_wallet__reverts(kgst, desk, minter, attacker):
    kgst.mint(attacker, ONE, sender=minter)
    kgst.approve(desk, ONE, sender=attacker)
    _reverts_with(
        lambda: desk.convertToSom(SOM, REF, sender=attacker),
        "CbdcWalletNotRegistered(address)",
        ["address"],
        [attacker.address],
    )


def test_convert_to_som__closed_wallet__reverts(kgst, som, desk, alice, bank):
    som.transfer(bank, 1_000 * SOM, sender=alice)
    som.closeWallet(alice, sender=alice)
    kgst.approve(desk, ONE, sender=alice)
    _reverts_with(
        lambda: desk.convertToSom(SOM, REF, sender=alice),
        "CbdcWalletNotRegistered(address)",
        ["address"],
        [alice.address],
    )


def test_convert_to_som__above_the_holding_limit__the_excess_goes_to_the_bank(
    kgst, som, desk, alice, bank
):
    som.setWalletTier(alice, TIER_UNVERIFIED, sender=bank)  # holds at most 10,000 som
    som.transfer(alice, 8_000 * SOM, sender=bank)  # 9,000 held
    bank_before = som.balanceOf(bank)
    kgst.approve(desk, 2_500 * ONE, sender=alice)
    receipt = desk.convertToSom(2_500 * SOM, REF, sender=alice)
    [swept] = som.Swept.from_receipt(receipt)
    assert (swept.wallet, swept.bank, swept.amount) == (alice, bank, 1_500 * SOM)
    assert som.balanceOf(alice) == 10_000 * SOM
    assert som.balanceOf(bank) == bank_before + 1_500 * SOM
    _holds_nothing(desk, kgst, som)


def test_convert_to_som__issuance_allowance_spent__reverts(kgst, som, desk, alice, central_bank):
    som.setIssuanceAllowance(desk, 5 * SOM, sender=central_bank)
    kgst.approve(desk, 6 * ONE, sender=alice)
    _reverts_with(
        lambda: desk.convertToSom(6 * SOM, REF, sender=alice),
        "CbdcIssuanceAllowanceExceeded(address,uint256,uint256)",
        ["address", "uint256", "uint256"],
        [desk.address, 5 * SOM, 6 * SOM],
    )


def test_convert_to_som__desk_no_longer_a_minter__reverts(kgst, desk, alice, master_minter):
    kgst.removeMinter(desk, sender=master_minter)
    kgst.approve(desk, ONE, sender=alice)
    _reverts_with(
        lambda: desk.convertToSom(SOM, REF, sender=alice),
        "StablecoinCallerNotMinter(address)",
        ["address"],
        [desk.address],
    )


# ---------------------------------------------------------------- digital som -> KGST


def test_convert_to_kgst__approved__redeems_som_and_mints_the_same_kgst(kgst, som, desk, alice):
    kgst_supply, som_supply = kgst.totalSupply(), som.totalSupply()
    som.approve(desk, 300 * SOM, sender=alice)
    receipt = desk.convertToKgst(300 * SOM, REF, sender=alice)
    assert som.balanceOf(alice) == 700 * SOM
    assert kgst.balanceOf(alice) == 5_300 * ONE
    assert som.totalSupply() == som_supply - 300 * SOM
    assert kgst.totalSupply() == kgst_supply + 300 * ONE
    _holds_nothing(desk, kgst, som)
    [event] = desk.ConvertedToKgst.from_receipt(receipt)
    assert (event.holder, event.somRedeemed, event.kgstMinted) == (alice, 300 * SOM, 300 * ONE)
    assert event.paymentRef == REF
    [redeemed] = som.Redeemed.from_receipt(receipt)
    assert (redeemed.bank, redeemed.amount) == (desk, 300 * SOM)
    [mint] = kgst.Mint.from_receipt(receipt)
    assert (mint.minter, mint.to, mint.amount) == (desk, alice, 300 * ONE)


def test_convert_to_kgst__above_the_per_payment_limit__reverts(som, desk, alice, bank):
    som.setWalletTier(alice, TIER_UNVERIFIED, sender=bank)  # pays at most 2,000 at once
    som.approve(desk, 2_001 * SOM, sender=alice)
    _reverts_with(
        lambda: desk.convertToKgst(2_001 * SOM, REF, sender=alice),
        "CbdcPaymentLimitExceeded(address,uint256,uint256)",
        ["address", "uint256", "uint256"],
        [alice.address, 2_001 * SOM, 2_000 * SOM],
    )


def test_convert_to_kgst__above_the_daily_limit__reverts(som, desk, alice, bank):
    som.setWalletTier(alice, TIER_UNVERIFIED, sender=bank)  # pays at most 5,000 a day
    som.transfer(alice, 5_000 * SOM, sender=bank)
    som.approve(desk, 6_000 * SOM, sender=alice)
    for _ in range(2):
        desk.convertToKgst(2_000 * SOM, REF, sender=alice)
    _reverts_with(
        lambda: desk.convertToKgst(1_001 * SOM, REF, sender=alice),
        "CbdcDailyLimitExceeded(address,uint256,uint256)",
        ["address", "uint256", "uint256"],
        [alice.address, 1_001 * SOM, 1_000 * SOM],
    )


def test_convert_to_kgst__frozen_wallet__reverts(som, desk, alice, compliance):
    som.approve(desk, SOM, sender=alice)
    som.freeze(alice, sender=compliance)
    _reverts_with(
        lambda: desk.convertToKgst(SOM, REF, sender=alice),
        "ComplianceAccountFrozen(address)",
        ["address"],
        [alice.address],
    )


def test_convert_to_kgst__frozen_kgst_holder__reverts_whole(kgst, som, desk, alice, compliance):
    som.approve(desk, SOM, sender=alice)
    kgst.freeze(alice, sender=compliance)
    _reverts_with(
        lambda: desk.convertToKgst(SOM, REF, sender=alice),
        "ComplianceAccountFrozen(address)",
        ["address"],
        [alice.address],
    )
    assert som.balanceOf(alice) == 1_000 * SOM


def test_convert_to_kgst__above_the_attested_reserve__reverts(kgst, som, desk, alice, attest):
    attest(kgst.totalSupply() // ONE)  # no headroom left
    som.approve(desk, SOM, sender=alice)
    supply = kgst.totalSupply()
    _reverts_with(
        lambda: desk.convertToKgst(SOM, REF, sender=alice),
        "StablecoinReserveExceeded(uint256,uint256)",
        ["uint256", "uint256"],
        [supply + ONE, supply],
    )


def test_convert_to_kgst__minter_allowance_spent__reverts(kgst, som, desk, alice, master_minter):
    kgst.configureMinter(desk, ONE // 2, sender=master_minter)
    som.approve(desk, SOM, sender=alice)
    _reverts_with(
        lambda: desk.convertToKgst(SOM, REF, sender=alice),
        "StablecoinMinterAllowanceExceeded(address,uint256,uint256)",
        ["address", "uint256", "uint256"],
        [desk.address, ONE // 2, ONE],
    )


def test_convert__either_token_paused__reverts(kgst, som, desk, alice, pauser):
    kgst.approve(desk, ONE, sender=alice)
    som.approve(desk, SOM, sender=alice)
    som.pause(sender=pauser)
    _reverts_with(lambda: desk.convertToSom(SOM, REF, sender=alice), "CompliancePaused()", [], [])
    som.unpause(sender=pauser)
    kgst.pause(sender=pauser)
    _reverts_with(lambda: desk.convertToKgst(SOM, REF, sender=alice), "CompliancePaused()", [], [])


# ---------------------------------------------------------------- the desk's own bounds


@pytest.mark.parametrize("direction", [TO_SOM, TO_KGST])
def test_convert__zero__reverts(desk, alice, direction):
    convert = desk.convertToSom if direction == TO_SOM else desk.convertToKgst
    with ape.reverts(desk.DeskZeroAmount):
        convert(0, REF, sender=alice)


@pytest.mark.parametrize("direction", [TO_SOM, TO_KGST])
def test_convert__desk_paused__reverts(kgst, som, desk, alice, pauser, direction):
    desk.pause(sender=pauser)
    convert = desk.convertToSom if direction == TO_SOM else desk.convertToKgst
    with ape.reverts(desk.DeskPaused):
        convert(SOM, REF, sender=alice)


@pytest.mark.parametrize("direction", [TO_SOM, TO_KGST])
def test_convert__above_the_bucket__reverts_then_refills(
    kgst, som, desk, alice, bank, minter, direction
):
    som.transfer(alice, 10_000 * SOM, sender=bank)
    kgst.mint(alice, 10_000 * ONE, sender=minter)
    kgst.approve(desk, 2**256 - 1, sender=alice)
    som.approve(desk, 2**256 - 1, sender=alice)
    convert = desk.convertToSom if direction == TO_SOM else desk.convertToKgst
    convert(4_000 * SOM, REF, sender=alice)
    convert(4_000 * SOM, REF, sender=alice)
    with ape.reverts(desk.DeskRateLimitExceeded):
        convert(2_100 * SOM, REF, sender=alice)
    level = desk.rateLimit(direction)[2]
    assert 2_000 * SOM <= level < 2_100 * SOM
    chain.pending_timestamp += 1_000  # 1 som a second
    convert(2_900 * SOM, REF, sender=alice)
