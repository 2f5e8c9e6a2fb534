"""Fixtures of the stablecoin suite; the tokens themselves come from tests/conftest.py."""

import pytest
from ape import chain

FRESH = 43_200  # half the feed's accepted age (86,400 s in `create_token`)


@pytest.fixture
def funded(funded_kgst, attestation, attest):
    """The funded stablecoin (see `funded_kgst` in tests/conftest.py), its reserve
    attestation renewed when older than half a day: a test isolation restores the chain's
    state, not its clock, so a suite that warped days ahead would age the session's one."""
    if chain.pending_timestamp - attestation.latestRoundData()[3] > FRESH:
        attest(1_000_000)
    return funded_kgst
