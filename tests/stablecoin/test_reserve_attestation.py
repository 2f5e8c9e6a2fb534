import ape
import pytest
from ape import chain

from somchain.stablecoin.deploy import deploy_attestation


@pytest.fixture
def attestation(admin, attestor):
    """A fresh feed: the shared one may already carry the token fixture's attestation."""
    feed = deploy_attestation(admin, admin, decimals=2)
    feed.grantRole(feed.ATTESTOR_ROLE(), attestor, sender=admin)
    return feed


def test_attest__records_round_and_emits(attestation, attestor):
    as_of = chain.pending_timestamp - 100
    receipt = attestation.attest(123_45, as_of, b"\x22" * 32, sender=attestor)
    round_id, answer, started, updated, answered = attestation.latestRoundData()
    assert (round_id, answer, started, updated, answered) == (1, 123_45, as_of, as_of, 1)
    assert attestation.getRoundData(1) == (1, 123_45, as_of, as_of, 1)
    assert attestation.reportHash(1) == b"\x22" * 32
    [event] = attestation.ReserveAttested.from_receipt(receipt)
    assert (event.roundId, event.reserve, event.asOf) == (1, 123_45, as_of)
    assert event.attestor == attestor


def test_metadata(attestation):
    assert attestation.decimals() == 2
    assert attestation.version() == 1
    assert "KGS" in attestation.description()


def test_latest_round_data__before_any_attestation__is_zero(attestation):
    assert attestation.latestRoundData() == (0, 0, 0, 0, 0)


def test_attest__by_non_attestor__reverts(attestation, attacker):
    with ape.reverts(attestation.AccessControlUnauthorizedAccount):
        attestation.attest(1, chain.pending_timestamp - 1, b"\x00" * 32, sender=attacker)


def test_attest__dated_in_future__reverts(attestation, attestor):
    with ape.reverts(attestation.AttestationFromFuture):
        attestation.attest(1, chain.pending_timestamp + 60, b"\x00" * 32, sender=attestor)


def test_attest__older_than_previous__reverts(attestation, attestor):
    now = chain.pending_timestamp
    attestation.attest(1, now - 10, b"\x00" * 32, sender=attestor)
    with ape.reverts(attestation.AttestationOutOfOrder):
        attestation.attest(1, now - 20, b"\x00" * 32, sender=attestor)


def test_attest__beyond_int128__reverts(attestation, attestor):
    with ape.reverts(attestation.AttestationReserveTooLarge):
        attestation.attest(2**127, chain.pending_timestamp - 1, b"\x00" * 32, sender=attestor)


def test_get_round_data__unknown_round__reverts(attestation):
    with ape.reverts(attestation.AttestationNoSuchRound):
        attestation.getRoundData(7)
