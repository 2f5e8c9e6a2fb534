"""Fixtures of the stablecoin suite; the tokens themselves come from tests/conftest.py."""

import pytest
from ape import chain, project

from tests.utils.constants import ONE

FRESH = 43_200  # half the feed's accepted age (86,400 s in `create_token`)
BUDGET = 10_000 * ONE  # the board's grant to the `controller` fixture


@pytest.fixture
def funded(funded_kgst, attestation, attest):
    """The funded stablecoin (see `funded_kgst` in tests/conftest.py), its reserve
    attestation renewed when older than half a day: a test isolation restores the chain's
    state, not its clock, so a suite that warped days ahead would age the session's one."""
    if chain.pending_timestamp - attestation.latestRoundData()[3] > FRESH:
        attest(1_000_000)
    return funded_kgst


@pytest.fixture
def controller(token, admin, master_minter, minter):
    """A MintController over `token` (its only master minter), `admin` standing for the
    board's timelock; `minter` rate-limited (1,000 KGST, refilled 1 KGST a second) and the
    budget 10,000 KGST."""
    c = project.MintController.deploy(token, admin, 0, sender=admin)
    token.revokeRole(token.MASTER_MINTER_ROLE(), master_minter, sender=admin)
    token.grantRole(token.MASTER_MINTER_ROLE(), c, sender=admin)
    c.grantRole(c.MASTER_MINTER_ROLE(), master_minter, sender=admin)
    c.setMinterRateLimit(minter, 1_000 * ONE, ONE, sender=admin)
    c.increaseMintBudget(BUDGET, sender=admin)
    return c
