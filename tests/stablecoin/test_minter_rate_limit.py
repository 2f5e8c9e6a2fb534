"""Each minter's token bucket (capacity, refill per second): a mint never takes more than
the bucket holds, a new limit applies at once; and no account is both a minter and a
master minter."""

import ape
from ape import chain

from tests.utils.constants import ONE

ZERO = "0x0000000000000000000000000000000000000000"
CAPACITY = 1_000 * ONE
REFILL = 10 * ONE  # per second


def _limited(token, master_minter, minter, allowance=100_000 * ONE):
    token.setMinterRateLimit(minter, CAPACITY, REFILL, sender=master_minter)
    token.configureMinter(minter, allowance, sender=master_minter)
    return token


def test_set_minter_rate_limit__first__starts_full_and_emits(token, master_minter, minter):
    receipt = token.setMinterRateLimit(minter, CAPACITY, REFILL, sender=master_minter)
    assert token.minterRateLimit(minter) == (CAPACITY, REFILL, CAPACITY)
    [event] = token.MinterRateLimitSet.from_receipt(receipt)
    assert (event.minter, event.capacity, event.refillPerSecond, event.level) == (
        minter,
        CAPACITY,
        REFILL,
        CAPACITY,
    )


def test_minter_rate_limit__none_set__reads_zero(token, minter):
    assert token.minterRateLimit(minter) == (0, 0, 0)


def test_mint__whole_bucket__succeeds_then_one_more_unit_reverts(
    token, master_minter, minter, alice
):
    _limited(token, master_minter, minter)
    token.mint(alice, CAPACITY, sender=minter)
    with ape.reverts(token.StablecoinMinterRateLimitExceeded):
        token.mint(alice, REFILL * 5, sender=minter)


def test_mint__above_the_bucket__reverts_with_what_it_holds(token, master_minter, minter, alice):
    _limited(token, master_minter, minter)
    with ape.reverts(
        token.StablecoinMinterRateLimitExceeded,
        minter=minter,
        available=CAPACITY,
        amount=CAPACITY + 1,
    ):
        token.mint(alice, CAPACITY + 1, sender=minter)


def test_mint__after_waiting__the_bucket_refills_by_the_rate(token, master_minter, minter, alice):
    _limited(token, master_minter, minter)
    receipt = token.mint(alice, CAPACITY, sender=minter)
    at = chain.blocks[receipt.block_number].timestamp
    chain.pending_timestamp = at + 30
    token.mint(alice, 30 * REFILL, sender=minter)
    assert token.minterRateLimit(minter)[2] == 0
    chain.pending_timestamp = at + 31
    with ape.reverts(token.StablecoinMinterRateLimitExceeded):
        token.mint(alice, 2 * REFILL, sender=minter)


def test_mint__long_wait__refills_no_more_than_capacity(token, master_minter, minter, alice):
    _limited(token, master_minter, minter)
    token.mint(alice, CAPACITY, sender=minter)
    chain.pending_timestamp += 10 * 86_400
    chain.mine()  # a view reads the latest block (anvil), not the pending one
    assert token.minterRateLimit(minter)[2] == CAPACITY
    with ape.reverts(token.StablecoinMinterRateLimitExceeded):
        token.mint(alice, CAPACITY + 1, sender=minter)


def test_mint__rate_limited__spends_allowance_and_bucket(token, master_minter, minter, alice):
    _limited(token, master_minter, minter, allowance=5_000 * ONE)
    token.mint(alice, 400 * ONE, sender=minter)
    assert token.minterAllowance(minter) == 4_600 * ONE
    assert token.isMinter(minter)
    capacity, refill, level = token.minterRateLimit(minter)
    assert (capacity, refill) == (CAPACITY, REFILL)
    assert 600 * ONE <= level <= 600 * ONE + 2 * REFILL


def test_mint__allowance_below_bucket__allowance_still_binds(token, master_minter, minter, alice):
    _limited(token, master_minter, minter, allowance=10 * ONE)
    with ape.reverts(token.StablecoinMinterAllowanceExceeded):
        token.mint(alice, 11 * ONE, sender=minter)


def test_set_minter_rate_limit__lowered__applies_at_once(token, master_minter, minter, alice):
    _limited(token, master_minter, minter)
    token.setMinterRateLimit(minter, 100 * ONE, 0, sender=master_minter)
    assert token.minterRateLimit(minter) == (100 * ONE, 0, 100 * ONE)
    token.mint(alice, 100 * ONE, sender=minter)
    chain.pending_timestamp += 86_400
    with ape.reverts(token.StablecoinMinterRateLimitExceeded):
        token.mint(alice, 1, sender=minter)


def test_set_minter_rate_limit__raised__keeps_what_the_bucket_held(
    token, master_minter, minter, alice
):
    _limited(token, master_minter, minter)
    token.mint(alice, CAPACITY, sender=minter)
    token.setMinterRateLimit(minter, 10 * CAPACITY, 0, sender=master_minter)
    assert token.minterRateLimit(minter)[2] <= 2 * REFILL


def test_configure_minter__again__keeps_the_rate_limit(token, master_minter, minter, alice):
    _limited(token, master_minter, minter)
    token.mint(alice, CAPACITY, sender=minter)
    token.configureMinter(minter, 50_000 * ONE, sender=master_minter)
    with ape.reverts(token.StablecoinMinterRateLimitExceeded):
        token.mint(alice, CAPACITY, sender=minter)


def test_remove_minter__clears_the_rate_limit(token, master_minter, minter):
    _limited(token, master_minter, minter)
    token.removeMinter(minter, sender=master_minter)
    assert token.minterRateLimit(minter) == (0, 0, 0)


def test_set_minter_rate_limit__zero_capacity__reverts(token, master_minter, minter):
    with ape.reverts(token.StablecoinInvalidRateLimit):
        token.setMinterRateLimit(minter, 0, REFILL, sender=master_minter)


def test_set_minter_rate_limit__capacity_above_uint96__reverts(token, master_minter, minter):
    with ape.reverts(token.StablecoinInvalidRateLimit):
        token.setMinterRateLimit(minter, 2**96, REFILL, sender=master_minter)


def test_set_minter_rate_limit__refill_above_uint128__reverts(token, master_minter, minter):
    with ape.reverts(token.StablecoinInvalidRateLimit):
        token.setMinterRateLimit(minter, CAPACITY, 2**128, sender=master_minter)


def test_set_minter_rate_limit__zero_address__reverts(token, master_minter):
    with ape.reverts(token.StablecoinZeroAddress):
        token.setMinterRateLimit(ZERO, CAPACITY, REFILL, sender=master_minter)


def test_set_minter_rate_limit__by_non_master__reverts(token, minter, attacker):
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.setMinterRateLimit(minter, CAPACITY, REFILL, sender=attacker)


def test_minter_extension__called_directly__reverts(token, minter, attacker):
    from ape import project

    extension = project.StablecoinMinterExtension.at(token.minterExtension())
    with ape.reverts(extension.StablecoinExtensionNotDelegated):
        extension.configureMinter(minter, ONE, sender=attacker)


# ---------------------------------------------------------------- separation of the roles


def test_configure_minter__master_minter_itself__reverts(token, master_minter):
    with ape.reverts(token.StablecoinMinterRoleConflict, account=master_minter):
        token.configureMinter(master_minter, ONE, sender=master_minter)


def test_grant_role__master_minter_to_a_minter__reverts(token, admin, master_minter, minter):
    token.configureMinter(minter, ONE, sender=master_minter)
    with ape.reverts(token.StablecoinMinterRoleConflict, account=minter):
        token.grantRole(token.MASTER_MINTER_ROLE(), minter, sender=admin)


def test_grant_role__master_minter_to_a_removed_minter__granted(
    token, admin, master_minter, minter
):
    token.configureMinter(minter, ONE, sender=master_minter)
    token.removeMinter(minter, sender=master_minter)
    token.grantRole(token.MASTER_MINTER_ROLE(), minter, sender=admin)
    assert token.hasRole(token.MASTER_MINTER_ROLE(), minter)
