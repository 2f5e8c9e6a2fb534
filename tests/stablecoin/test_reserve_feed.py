"""The reserve feed's bounds: a maximum age fixed in code and decimals fixed when it is set."""

import ape
from ape import project

from tests.utils.constants import ONE

DAY = 86_400


def test_set_reserve_feed__at_the_bound__accepted(token, admin, attestation):
    token.setReserveFeed(attestation, 7 * DAY, sender=admin)
    assert token.reserveFeed() == (attestation.address, 7 * DAY)


def test_set_reserve_feed__max_age_above_bound__reverts(token, admin, attestation):
    with ape.reverts(token.StablecoinMaxAgeTooLong, maxAge=7 * DAY + 1, maxAllowed=7 * DAY):
        token.setReserveFeed(attestation, 7 * DAY + 1, sender=admin)


def test_set_reserve_feed__feed_without_decimals__reverts(token, admin, alice):
    """An address that answers nothing (here an account) cannot be a feed."""
    with ape.reverts(token.StablecoinReserveFeedNotSet):
        token.setReserveFeed(alice, DAY, sender=admin)


def test_mint__after_feed_decimals_changed__reverts(token, admin, master_minter, minter, alice):
    feed = project.MockVariableDecimalsAggregator.deploy(2, 1_000_000 * 100, sender=admin)
    token.setReserveFeed(feed, DAY, sender=admin)
    token.configureMinter(minter, 10 * ONE, sender=master_minter)
    token.mint(alice, ONE, sender=minter)
    feed.setDecimals(8, sender=admin)  # the same answer now reads 100x smaller
    with ape.reverts(token.StablecoinFeedDecimalsChanged, expected=2, actual=8):
        token.mint(alice, ONE, sender=minter)
    with ape.reverts(token.StablecoinFeedDecimalsChanged):
        token.attestedReserve()


def test_mint__feed_set_again_after_decimals_changed__mints(
    token, admin, master_minter, minter, alice
):
    feed = project.MockVariableDecimalsAggregator.deploy(2, 1_000_000 * 100, sender=admin)
    token.setReserveFeed(feed, DAY, sender=admin)
    feed.setDecimals(8, sender=admin)
    feed.setAnswer(1_000_000 * 10**8, sender=admin)
    token.setReserveFeed(feed, DAY, sender=admin)  # the board checked the new scale
    token.configureMinter(minter, 10 * ONE, sender=master_minter)
    token.mint(alice, ONE, sender=minter)
    assert token.attestedReserve() == 1_000_000 * ONE


def test_signature_extension__is_a_deployed_extension(token, alice):
    extension = project.StablecoinSignatureExtension.at(token.signatureExtension())
    with ape.reverts(extension.StablecoinExtensionNotDelegated):
        extension.cancelAuthorization(token.address, b"\x01" * 32, b"", sender=alice)
