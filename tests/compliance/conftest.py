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
def token(kind, request, admin):
    if kind == "stablecoin":
        return request.getfixturevalue("funded_kgst")
    t = request.getfixturevalue("funded_som")
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
