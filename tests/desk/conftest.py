"""Fixtures of the conversion desk suite: KGST and the digital som (each with every role
granted, from tests/conftest.py) and a desk between them with its powers, alice and bob
holding KGST and verified digital som wallets."""

from __future__ import annotations

import pytest
from ape import chain

from somchain.cbdc import SOM, TIER_VERIFIED
from somchain.desk import deploy_desk, wire_desk
from somchain.desk.deploy import DeskLimits
from tests.utils.constants import ONE

FRESH = 43_200  # half the feed's accepted age (86,400 s in `create_token`)
# Each direction's bucket: 10,000 som, refilled by 1 som a second; the desk may issue
# 50,000 som and mint 50,000 KGST.
LIMITS = DeskLimits(
    capacity=10_000 * SOM,
    refill_per_second=SOM,
    som_allowance=50_000 * SOM,
    kgst_allowance=50_000 * SOM,
)


@pytest.fixture(scope="session")
def desk_stack(
    create_token,
    create_configured_som,
    admin,
    master_minter,
    minter,
    central_bank,
    bank,
    pauser,
    alice,
    bob,
):
    """(kgst, som, desk): alice and bob hold 5,000 KGST each and are verified wallets of
    `bank` holding 1,000 som each."""
    kgst = create_token()
    som = create_configured_som()
    desk = deploy_desk(admin, kgst, som)
    wire_desk(
        desk,
        kgst,
        som,
        admin=admin,
        master_minter=master_minter,
        som_admin=central_bank,
        pauser=pauser,
        limits=LIMITS,
    )
    kgst.setMinterRateLimit(minter, 500_000 * ONE, ONE, sender=master_minter)
    kgst.configureMinter(minter, 500_000 * ONE, sender=master_minter)
    for holder in (alice, bob):
        kgst.mint(holder, 5_000 * ONE, sender=minter)
    som.issue(bank, 1_000_000 * SOM, sender=central_bank)
    som.registerWallets([alice, bob], TIER_VERIFIED, sender=bank)
    for holder in (alice, bob):
        som.transfer(holder, 1_000 * SOM, sender=bank)
    return kgst, som, desk


@pytest.fixture
def kgst(desk_stack, attestation, attest):
    """The desk's KGST, its reserve attestation renewed when older than half a day (a test
    isolation restores the chain's state, not its clock)."""
    if chain.pending_timestamp - attestation.latestRoundData()[3] > FRESH:
        attest(1_000_000)
    return desk_stack[0]


@pytest.fixture
def som(desk_stack):
    return desk_stack[1]


@pytest.fixture
def desk(desk_stack, kgst):
    return desk_stack[2]
