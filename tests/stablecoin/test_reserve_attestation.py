import ape
import pytest
from ape import chain, project

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
    [vote] = attestation.AttestationSubmitted.from_receipt(receipt)
    assert (vote.roundId, vote.attestor, vote.reserve, vote.votes) == (1, attestor, 123_45, 1)


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


def test_attest__same_as_of_as_last__reverts(attestation, attestor):
    now = chain.pending_timestamp - 10
    attestation.attest(1, now, b"\x00" * 32, sender=attestor)
    with ape.reverts(attestation.AttestationOutOfOrder):
        attestation.attest(2, now, b"\x01" * 32, sender=attestor)


def test_threshold__after_deployment_with_default__is_one(attestation):
    assert attestation.threshold() == 1


def test_threshold__given_at_deployment__in_force_before_any_attestor(admin, attestor):
    feed = deploy_attestation(admin, admin, decimals=2, threshold=2)
    assert feed.threshold() == 2
    feed.grantRole(feed.ATTESTOR_ROLE(), attestor, sender=admin)
    feed.attest(1_000_000_000_00, chain.pending_timestamp - 1, REPORT, sender=attestor)
    assert feed.latestRoundData() == (0, 0, 0, 0, 0)


def test_deploy__threshold_zero__reverts(admin):
    with ape.reverts(project.ReserveAttestation.AttestationInvalidThreshold):
        deploy_attestation(admin, admin, decimals=2, threshold=0)


def test_round_votes__accepted_round__votes_it_held(attestation, attestor):
    attestation.attest(1, chain.pending_timestamp - 1, REPORT, sender=attestor)
    assert attestation.roundVotes(1) == 1


def test_round_votes__unknown_round__reverts(attestation):
    with ape.reverts(attestation.AttestationNoSuchRound):
        attestation.roundVotes(1)


def test_set_threshold__by_admin__sets_and_emits(attestation, admin):
    receipt = attestation.setThreshold(2, sender=admin)
    assert attestation.threshold() == 2
    [event] = attestation.ThresholdChanged.from_receipt(receipt)
    assert (event.previous, event.threshold) == (1, 2)


def test_set_threshold__zero__reverts(attestation, admin):
    with ape.reverts(attestation.AttestationInvalidThreshold):
        attestation.setThreshold(0, sender=admin)


def test_set_threshold__by_attestor__reverts(attestation, attestor):
    with ape.reverts(attestation.AccessControlUnauthorizedAccount):
        attestation.setThreshold(1, sender=attestor)


# ---------------------------------------------------------------- quorum: 3 attestors, M = 2

REPORT = b"\x33" * 32


@pytest.fixture
def attestors(attestor, treasury, bank):
    """External auditor, custodian bank and supervisor."""
    return attestor, treasury, bank


@pytest.fixture
def quorum(attestation, admin, attestors):
    """The feed with three attestors and a threshold of two."""
    for account in attestors[1:]:
        attestation.grantRole(attestation.ATTESTOR_ROLE(), account, sender=admin)
    attestation.setThreshold(2, sender=admin)
    return attestation


def test_quorum__one_vote__is_recorded_not_accepted(quorum, attestors):
    auditor = attestors[0]
    as_of = chain.pending_timestamp - 5
    receipt = quorum.attest(500_00, as_of, REPORT, sender=auditor)
    assert quorum.latestRoundData() == (0, 0, 0, 0, 0)
    assert not quorum.ReserveAttested.from_receipt(receipt)
    [vote] = quorum.AttestationSubmitted.from_receipt(receipt)
    assert (vote.roundId, vote.attestor, vote.votes) == (1, auditor, 1)
    assert quorum.votesFor(500_00, as_of, REPORT) == 1


def test_round_votes__quorum_round__counts_every_vote_and_stays(quorum, admin, attestors):
    auditor, custodian, supervisor = attestors
    as_of = chain.pending_timestamp - 5
    quorum.attest(500_00, as_of, REPORT, sender=auditor)
    quorum.attest(500_00, as_of, REPORT, sender=custodian)
    quorum.revokeRole(quorum.ATTESTOR_ROLE(), auditor, sender=admin)
    quorum.attest(600_00, as_of + 1, REPORT, sender=supervisor)
    assert quorum.roundVotes(1) == 2


def test_quorum__two_matching_votes__accepted(quorum, attestors):
    auditor, custodian, _ = attestors
    as_of = chain.pending_timestamp - 5
    quorum.attest(500_00, as_of, REPORT, sender=auditor)
    receipt = quorum.attest(500_00, as_of, REPORT, sender=custodian)
    assert quorum.latestRoundData() == (1, 500_00, as_of, as_of, 1)
    assert quorum.reportHash(1) == REPORT
    [event] = quorum.ReserveAttested.from_receipt(receipt)
    assert (event.roundId, event.reserve, event.asOf, event.attestor) == (
        1,
        500_00,
        as_of,
        custodian,
    )


def test_quorum__votes_for_different_figures__not_accepted(quorum, attestors):
    auditor, custodian, _ = attestors
    as_of = chain.pending_timestamp - 5
    quorum.attest(500_00, as_of, REPORT, sender=auditor)
    quorum.attest(501_00, as_of, REPORT, sender=custodian)
    assert quorum.latestRoundData()[0] == 0


def test_quorum__attestor_changes_vote__earlier_vote_is_replaced(quorum, attestors):
    auditor, custodian, supervisor = attestors
    as_of = chain.pending_timestamp - 5
    quorum.attest(500_00, as_of, REPORT, sender=auditor)
    quorum.attest(499_00, as_of, REPORT, sender=auditor)  # the auditor corrects its figure
    assert quorum.votesFor(500_00, as_of, REPORT) == 0
    assert quorum.votesFor(499_00, as_of, REPORT) == 1
    quorum.attest(500_00, as_of, REPORT, sender=custodian)
    assert quorum.latestRoundData()[0] == 0  # 500 holds one vote only
    quorum.attest(499_00, as_of, REPORT, sender=supervisor)
    assert quorum.latestRoundData()[1] == 499_00


def test_quorum__same_attestor_twice__counts_once(quorum, attestors):
    auditor = attestors[0]
    as_of = chain.pending_timestamp - 5
    quorum.attest(500_00, as_of, REPORT, sender=auditor)
    receipt = quorum.attest(500_00, as_of, REPORT, sender=auditor)
    assert quorum.latestRoundData()[0] == 0
    [vote] = quorum.AttestationSubmitted.from_receipt(receipt)
    assert vote.votes == 1


def test_quorum__revoked_attestor__its_vote_no_longer_counts(quorum, admin, attestors):
    auditor, custodian, _ = attestors
    as_of = chain.pending_timestamp - 5
    quorum.attest(500_00, as_of, REPORT, sender=auditor)
    quorum.revokeRole(quorum.ATTESTOR_ROLE(), auditor, sender=admin)
    assert quorum.votesFor(500_00, as_of, REPORT) == 0
    quorum.attest(500_00, as_of, REPORT, sender=custodian)
    assert quorum.latestRoundData()[0] == 0


def test_quorum__threshold_lowered__next_submission_accepts(quorum, admin, attestors):
    auditor = attestors[0]
    as_of = chain.pending_timestamp - 5
    quorum.attest(500_00, as_of, REPORT, sender=auditor)
    quorum.setThreshold(1, sender=admin)
    quorum.attest(500_00, as_of, REPORT, sender=auditor)  # same triple: re-checks the quorum
    assert quorum.latestRoundData()[1] == 500_00


def test_quorum__after_acceptance__votes_of_the_round_lapse(quorum, attestors):
    auditor, custodian, supervisor = attestors
    as_of = chain.pending_timestamp - 5
    quorum.attest(400_00, as_of, REPORT, sender=supervisor)  # outvoted
    quorum.attest(500_00, as_of, REPORT, sender=auditor)
    quorum.attest(500_00, as_of, REPORT, sender=custodian)
    assert quorum.voteOf(supervisor) == (2, b"\x00" * 32)
    assert quorum.votesFor(400_00, as_of, REPORT) == 0


def test_quorum__vote_for_accepted_date__reverts(quorum, attestors):
    auditor, custodian, supervisor = attestors
    as_of = chain.pending_timestamp - 5
    quorum.attest(500_00, as_of, REPORT, sender=auditor)
    quorum.attest(500_00, as_of, REPORT, sender=custodian)
    with ape.reverts(quorum.AttestationOutOfOrder):
        quorum.attest(500_00, as_of, REPORT, sender=supervisor)


def test_quorum__threshold_above_attestor_count__nothing_accepted(quorum, admin, attestors):
    quorum.setThreshold(4, sender=admin)
    as_of = chain.pending_timestamp - 5
    for account in attestors:
        quorum.attest(500_00, as_of, REPORT, sender=account)
    assert quorum.latestRoundData()[0] == 0
    assert quorum.votesFor(500_00, as_of, REPORT) == 3
