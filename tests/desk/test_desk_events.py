"""The desk's events as an operator reads them: each amount in its own token's units, its
limits in the digital som's (the desk's unit)."""

from __future__ import annotations

from ape import chain

from somchain.actions.events import event_line
from somchain.cbdc import SOM
from tests.utils.constants import ONE


def test_event_line__conversion__amounts_in_each_tokens_units(kgst, som, desk, alice):
    kgst.approve(desk, 1_250 * ONE + ONE // 2, sender=alice)
    receipt = desk.convertToSom(125_050, b"REMIT".ljust(32, b"\x00"), sender=alice)
    [event] = desk.ConvertedToSom.from_receipt(receipt)
    line = event_line(event, chain.provider, {})
    assert "kgstBurned=1,250.5 KGST" in line, line
    assert "somIssued=1,250.5 KGSD" in line, line
    som.approve(desk, 10 * SOM, sender=alice)
    receipt = desk.convertToKgst(10 * SOM, b"\x00" * 32, sender=alice)
    [event] = desk.ConvertedToKgst.from_receipt(receipt)
    line = event_line(event, chain.provider, {})
    assert "somRedeemed=10 KGSD" in line, line
    assert "kgstMinted=10 KGST" in line, line


def test_event_line__rate_limit__in_som(desk, pauser):
    receipt = desk.lowerRateLimit(0, 500 * SOM, 0, sender=pauser)
    [event] = desk.DeskRateLimitSet.from_receipt(receipt)
    line = event_line(event, chain.provider, {})
    assert "capacity=500 KGSD" in line, line
    assert "level=500 KGSD" in line, line
