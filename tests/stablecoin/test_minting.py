import ape
from ape import chain

from tests.utils.constants import ONE

ZERO = "0x0000000000000000000000000000000000000000"


def test_configure_minter__sets_allowance_and_emits(token, master_minter, minter):
    receipt = token.configureMinter(minter, 100 * ONE, sender=master_minter)
    assert token.isMinter(minter)
    assert token.minterAllowance(minter) == 100 * ONE
    [event] = token.MinterConfigured.from_receipt(receipt)
    assert (event.minter, event.allowance) == (minter, 100 * ONE)


def test_configure_minter__by_non_master__reverts(token, attacker):
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.configureMinter(attacker, ONE, sender=attacker)


def test_configure_minter__zero_address__reverts(token, master_minter):
    with ape.reverts(token.StablecoinZeroAddress):
        token.configureMinter(ZERO, ONE, sender=master_minter)


def test_configure_minter__allowance_above_uint96__reverts(token, master_minter, minter):
    with ape.reverts(token.SafeCastOverflowedUintDowncast):
        token.configureMinter(minter, 2**96, sender=master_minter)


def test_remove_minter__clears_and_emits(token, master_minter, minter):
    token.configureMinter(minter, ONE, sender=master_minter)
    receipt = token.removeMinter(minter, sender=master_minter)
    assert not token.isMinter(minter)
    assert token.minterAllowance(minter) == 0
    assert len(token.MinterRemoved.from_receipt(receipt)) == 1


def test_remove_minter__not_a_minter__reverts(token, master_minter, alice):
    with ape.reverts(token.StablecoinNotMinter):
        token.removeMinter(alice, sender=master_minter)


def test_remove_minter__by_non_master__reverts(token, master_minter, minter, attacker):
    token.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.removeMinter(minter, sender=attacker)


def test_mint__within_allowance_and_reserve__credits_and_emits(token, master_minter, minter, alice):
    token.configureMinter(minter, 100 * ONE, sender=master_minter)
    receipt = token.mint(alice, 60 * ONE, sender=minter)
    assert token.balanceOf(alice) == 60 * ONE
    assert token.totalSupply() == 60 * ONE
    assert token.minterAllowance(minter) == 40 * ONE
    [mint] = token.Mint.from_receipt(receipt)
    assert (mint.minter, mint.to, mint.amount) == (minter, alice, 60 * ONE)
    [transfer] = token.Transfer.from_receipt(receipt)
    assert (transfer["from"], transfer.to, transfer.value) == (ZERO, alice, 60 * ONE)


def test_mint__exactly_the_allowance__succeeds(token, master_minter, minter, alice):
    token.configureMinter(minter, 5 * ONE, sender=master_minter)
    token.mint(alice, 5 * ONE, sender=minter)
    assert token.minterAllowance(minter) == 0


def test_mint__above_allowance__reverts(token, master_minter, minter, alice):
    token.configureMinter(minter, 5 * ONE, sender=master_minter)
    with ape.reverts(token.StablecoinMinterAllowanceExceeded):
        token.mint(alice, 5 * ONE + 1, sender=minter)


def test_mint__by_non_minter__reverts(token, attacker):
    with ape.reverts(token.StablecoinCallerNotMinter):
        token.mint(attacker, ONE, sender=attacker)


def test_mint__zero_amount__reverts(token, master_minter, minter, alice):
    token.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(token.StablecoinZeroAmount):
        token.mint(alice, 0, sender=minter)


def test_mint__to_zero_address__reverts(token, master_minter, minter):
    token.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(token.ERC20InvalidReceiver):
        token.mint(ZERO, ONE, sender=minter)


def test_mint__up_to_the_attested_reserve__succeeds(token, master_minter, minter, alice):
    token.configureMinter(minter, 2_000_000 * ONE, sender=master_minter)
    token.mint(alice, 1_000_000 * ONE, sender=minter)
    assert token.totalSupply() == token.attestedReserve() == 1_000_000 * ONE


def test_mint__one_unit_above_the_reserve__reverts(token, master_minter, minter, alice):
    token.configureMinter(minter, 2_000_000 * ONE, sender=master_minter)
    token.mint(alice, 999_999 * ONE, sender=minter)
    with ape.reverts(token.StablecoinReserveExceeded):
        token.mint(alice, ONE + 1, sender=minter)


def test_mint__after_new_attestation__uses_new_reserve(token, master_minter, minter, alice, attest):
    token.configureMinter(minter, 3_000_000 * ONE, sender=master_minter)
    attest(2_500_000)
    token.mint(alice, 2_500_000 * ONE, sender=minter)
    assert token.totalSupply() == 2_500_000 * ONE


def test_mint__stale_attestation__reverts(token, master_minter, minter, alice):
    token.configureMinter(minter, ONE, sender=master_minter)
    chain.pending_timestamp += 86_400 + 10
    with ape.reverts(token.StablecoinReserveStale):
        token.mint(alice, ONE, sender=minter)


def test_mint__without_feed__reverts(create_stablecoin, admin, minter, alice):
    t = create_stablecoin()
    t.grantRole(t.MASTER_MINTER_ROLE(), admin, sender=admin)
    t.configureMinter(minter, ONE, sender=admin)
    with ape.reverts(t.StablecoinReserveFeedNotSet):
        t.mint(alice, ONE, sender=minter)


def test_mint__negative_answer__reverts(token, admin, master_minter, minter, alice, create_feed):
    feed = create_feed(decimals=2, answer=-1)
    token.setReserveFeed(feed, 3_600, sender=admin)
    token.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(token.StablecoinReserveInvalid):
        token.mint(alice, ONE, sender=minter)


def test_mint__answer_dated_in_future__reverts(
    token, admin, master_minter, minter, alice, create_feed
):
    feed = create_feed(decimals=2, answer=10**10)
    feed.setAnswerAt(10**10, chain.pending_timestamp + 3_600, sender=admin)
    token.setReserveFeed(feed, 3_600, sender=admin)
    token.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(token.StablecoinReserveStale):
        token.mint(alice, ONE, sender=minter)


def test_mint__feed_with_more_decimals_than_token__scales_down(
    create_stablecoin, admin, minter, alice, create_feed
):
    t = create_stablecoin(decimals=6)
    feed = create_feed(decimals=8, answer=1_234_567_89)  # 1.23456789 som
    t.setReserveFeed(feed, 3_600, sender=admin)
    assert t.attestedReserve() == 1_234_567
    t.grantRole(t.MASTER_MINTER_ROLE(), admin, sender=admin)
    t.configureMinter(minter, 10**9, sender=admin)
    t.mint(alice, 1_234_567, sender=minter)
    with ape.reverts(t.StablecoinReserveExceeded):
        t.mint(alice, 1, sender=minter)


def test_set_reserve_feed__emits_and_reads_back(token, admin, attestation):
    receipt = token.setReserveFeed(attestation, 7_200, sender=admin)
    assert token.reserveFeed() == (attestation.address, 7_200)
    [event] = token.ReserveFeedSet.from_receipt(receipt)
    assert (event.feed, event.maxAge) == (attestation, 7_200)


def test_set_reserve_feed__by_non_admin__reverts(token, master_minter, attestation):
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.setReserveFeed(attestation, 60, sender=master_minter)


def test_set_reserve_feed__zero_address__reverts(token, admin):
    with ape.reverts(token.StablecoinZeroAddress):
        token.setReserveFeed(ZERO, 60, sender=admin)


def test_set_reserve_feed__zero_max_age__reverts(token, admin, attestation):
    with ape.reverts(token.StablecoinInvalidMaxAge):
        token.setReserveFeed(attestation, 0, sender=admin)


def test_set_reserve_feed__decimals_too_far_apart__reverts(create_stablecoin, admin, create_feed):
    t = create_stablecoin(decimals=0)
    with ape.reverts(t.StablecoinInvalidFeedDecimals):
        t.setReserveFeed(create_feed(decimals=78, answer=1), 60, sender=admin)


def test_attested_reserve__huge_answer__saturates(create_stablecoin, admin, create_feed):
    t = create_stablecoin(decimals=77)
    t.setReserveFeed(create_feed(decimals=0, answer=10**10), 60, sender=admin)
    assert t.attestedReserve() == 2**256 - 1


def test_burn__by_minter__destroys_and_emits(funded, minter, alice):
    funded.transfer(minter, 100 * ONE, sender=alice)
    supply = funded.totalSupply()
    receipt = funded.burn(40 * ONE, sender=minter)
    assert funded.balanceOf(minter) == 60 * ONE
    assert funded.totalSupply() == supply - 40 * ONE
    [event] = funded.Burn.from_receipt(receipt)
    assert (event.burner, event.amount) == (minter, 40 * ONE)


def test_burn__above_balance__reverts(funded, minter):
    with ape.reverts(funded.ERC20InsufficientBalance):
        funded.burn(ONE, sender=minter)


def test_burn__by_non_minter__reverts(funded, alice):
    with ape.reverts(funded.StablecoinCallerNotMinter):
        funded.burn(ONE, sender=alice)


def test_burn__zero__reverts(funded, minter):
    with ape.reverts(funded.StablecoinZeroAmount):
        funded.burn(0, sender=minter)


def test_mint__by_frozen_minter__reverts(funded, compliance, minter, alice):
    funded.freeze(minter, sender=compliance)
    with ape.reverts(funded.ComplianceAccountFrozen):
        funded.mint(alice, ONE, sender=minter)
