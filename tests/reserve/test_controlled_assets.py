"""The vault never lists the project's own currencies, and values at full precision."""

from functools import reduce

import ape
import pytest
from eth_utils import keccak

from somchain.cbdc import deploy_cbdc

from .conftest import ONE

CONTROL_PLANE = [
    "pause()",
    "unpause()",
    "freeze(address)",
    "freezeBatch(address[])",
    "unfreeze(address)",
    "seize(address,address,uint256,bytes32)",
]
# ERC-165 id of IControlledToken: the XOR of its selectors.
CONTROLLED_TOKEN_INTERFACE_ID = reduce(
    lambda acc, sig: acc ^ int.from_bytes(keccak(text=sig)[:4], "big"), CONTROL_PLANE, 0
).to_bytes(4, "big")


@pytest.fixture
def own_tokens(create_stablecoin, admin):
    """The national stablecoin and the digital som, as deployed."""
    return {"KGST": create_stablecoin(), "KGSD": deploy_cbdc(admin).contract}


@pytest.mark.parametrize("symbol", ["KGST", "KGSD"])
def test_supports_interface__own_tokens__answer_controlled_token(own_tokens, symbol):
    token = own_tokens[symbol]
    assert token.supportsInterface(CONTROLLED_TOKEN_INTERFACE_ID)
    assert token.supportsInterface(bytes.fromhex("01ffc9a7"))  # IERC165
    assert token.supportsInterface(bytes.fromhex("7965db0b"))  # IAccessControl
    assert not token.supportsInterface(bytes.fromhex("ffffffff"))


@pytest.mark.parametrize("symbol", ["KGST", "KGSD"])
def test_add_asset__own_token__reverts(direct_vault, own_tokens, create_feed, admin, symbol):
    token = own_tokens[symbol]
    with ape.reverts(direct_vault.ReserveControlledAsset, asset=token.address):
        direct_vault.addAsset(token, create_feed(8, 10**6), 0, sender=admin)


@pytest.mark.parametrize("symbol", ["KGST", "KGSD"])
def test_add_asset__own_token_through_timelock__reverts(
    vault, governance, own_tokens, create_feed, symbol
):
    with ape.reverts(vault.ReserveControlledAsset):  # bubbled up by the timelock
        governance(vault, ("addAsset", own_tokens[symbol], create_feed(8, 10**6), 0))
    assert not vault.isListed(own_tokens[symbol])


def test_add_asset__plain_token__still_listed(direct_vault, create_token, create_feed, admin):
    token = create_token("ETH", 18)
    direct_vault.addAsset(token, create_feed(8, 3_000 * 10**8), 0, sender=admin)
    assert direct_vault.isListed(token)


def test_total_value__price_below_one_hundred_millionth__still_valued(
    direct_vault, create_token, create_feed, deposit, admin
):
    """A price of 5e-9 USD reads as 0 at 8 decimals, but the holding keeps its value."""
    meme = create_token("MEME", 18)
    direct_vault.addAsset(meme, create_feed(18, 5 * 10**9), 0, sender=admin)  # $0.000000005
    deposit(direct_vault, meme, 10**12 * ONE)  # a trillion tokens: $5,000
    assert direct_vault.price(meme) == 0
    [row] = [r for r in direct_vault.holdings() if r.asset == meme.address]
    assert row.price == 0
    assert row.value == 5_000 * 10**8


def test_total_value__price_with_more_decimals__rounded_once(
    direct_vault, create_token, create_feed, deposit, admin
):
    token = create_token("ETH", 18)
    direct_vault.addAsset(token, create_feed(18, 1_234_567_891_234_567_891), 0, sender=admin)
    deposit(direct_vault, token, 1_000 * ONE)
    [row] = [r for r in direct_vault.holdings() if r.asset == token.address]
    assert row.price == 123_456_789  # $1.23456789, cut to 8 decimals for display
    assert row.value == 123_456_789_123  # $1,234.56789123: not 1,000 x the cut price
