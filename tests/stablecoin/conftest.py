"""Fixtures of the stablecoin suite; the tokens themselves come from tests/conftest.py."""

import pytest


@pytest.fixture(scope="session")
def funded(funded_kgst):
    """The funded stablecoin (see `funded_kgst` in tests/conftest.py)."""
    return funded_kgst
