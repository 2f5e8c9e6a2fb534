"""The `token` fixture runs every test of this folder against both tokens that share
ControlledTokenUpgradeable: the stablecoin (KGST) and the digital som (KGSD).

Each is funded alike: alice and bob hold 1,000 units (`unit` is one whole token), the
`recipient` may receive seized funds (the treasury; on the digital som a registered
holder), `compliance` freezes and seizes, `pauser` pauses, `admin` is the default admin,
rescuer and upgrader.
"""

import pytest
from ape import project

from tests.utils.constants import ONE, SOM

TOKENS = ["stablecoin", "cbdc"]


@pytest.fixture(scope="session", params=TOKENS)
def kind(request):
    return request.param


@pytest.fixture(scope="session")
def token(kind, request, admin, master_minter, minter, central_bank, bank, treasury, alice, bob):
    """A funded token of its own (not the stablecoin or CBDC suites' session tokens, whose
    reserve attestation would age while other suites move the clock)."""
    if kind == "stablecoin":
        t = request.getfixturevalue("create_token")()
        t.configureMinter(minter, 500_000 * ONE, sender=master_minter)
        t.mint(alice, 1_000 * ONE, sender=minter)
        t.mint(bob, 1_000 * ONE, sender=minter)
        return t
    t = request.getfixturevalue("create_configured_som")()
    t.issue(bank, 10_000_000 * SOM, sender=central_bank)
    t.registerWallets([alice, bob], 1, sender=bank)
    t.transfer(treasury, 5_000_000 * SOM, sender=bank)
    t.transfer(alice, 1_000 * SOM, sender=bank)
    t.transfer(bob, 1_000 * SOM, sender=bank)
    t.grantRole(t.RESCUER_ROLE(), admin, sender=admin)
    return t


@pytest.fixture(scope="session")
def unit(kind):
    return ONE if kind == "stablecoin" else SOM


@pytest.fixture(scope="session")
def recipient(treasury):
    return treasury


@pytest.fixture(scope="session")
def v2_mock(kind):
    return project.NationalStablecoinV2Mock if kind == "stablecoin" else project.DigitalSomV2Mock
