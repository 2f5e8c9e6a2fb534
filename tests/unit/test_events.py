"""A receipt's event arguments as an operator reads them."""

from eth_utils import keccak

from somchain.actions.events import arg_text

KGST = ("KGST", 18, True)
FEED = ("som", 2, False)
ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def test_arg_text__amounts_times_roles_addresses_and_booleans():
    names = {ALICE.lower(): "treasury"}
    assert arg_text("amount", 1_250_500_000_000_000_000_000, KGST, {}) == "1,250.5 KGST"
    assert arg_text("reserve", 200_000_000, FEED, {}) == "2,000,000 som"
    assert arg_text("amount", 5, FEED, {}) == "5"  # a feed's amounts are only its reserve
    assert arg_text("asOf", 1_796_885_333, KGST, {}) == "2026-12-10 06:48:53 UTC"
    assert arg_text("delay", 172_800, None, {}) == "2 d (172,800 s)"
    assert arg_text("role", keccak(text="PAUSER_ROLE"), None, {}) == "PAUSER_ROLE"
    assert arg_text("role", b"\x00" * 32, None, {}) == "DEFAULT_ADMIN_ROLE"
    assert arg_text("account", ALICE.lower(), None, names) == f"{ALICE} (treasury)"
    assert arg_text("paused", True, None, {}) == "true"
    assert arg_text("roundId", 12_345, None, {}) == "12,345"
