"""A receipt's events as an operator reads them: amounts of the emitting token in its units
with its symbol, an attested reserve in som, times in UTC, delays as durations, role ids by
name, addresses checksummed and named by the manifest, booleans as `true`/`false`.

The names of the arguments read this way are `somchain.display`'s, shared with the audit
report's journal.
"""

from __future__ import annotations

import functools
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import is_address, keccak, to_checksum_address

from somchain import display
from somchain.actions.reverts import show
from somchain.constants import FIAT


@functools.cache
def role_names() -> dict[bytes, str]:
    """Role id -> name for every `*_ROLE` constant of the project's contracts."""
    from ape import project

    names = {b"\x00" * 32: "DEFAULT_ADMIN_ROLE"}
    for container in project.contracts.values():
        for item in container.abi:
            name = getattr(item, "name", "") or ""
            if getattr(item, "type", "") == "function" and name.endswith("_ROLE"):
                names.setdefault(keccak(text=name), name)
    return names


def read_view(w3: Any, address: str, signature: str, out: str) -> Any:
    """The one value a view without arguments returns, by a raw `eth_call` on `w3`."""
    data = "0x" + keccak(text=signature)[:4].hex()
    raw = w3.eth.call({"to": address, "data": data})
    return abi_decode([out], bytes(raw))[0]


def token_scale(w3: Any, address: str) -> tuple[str, int, bool] | None:
    """(symbol, decimals, is a token) of the contract at `address` on the node of `w3`: a
    token's own; for a price or reserve feed with decimals but no symbol, the fiat's."""
    try:
        decimals = int(read_view(w3, address, "decimals()", "uint8"))
    except Exception:
        return None
    try:
        return str(read_view(w3, address, "symbol()", "string")), decimals, True
    except Exception:
        return FIAT, decimals, False


# Amounts an event gives in another contract's token, by event and argument name: the view
# of the emitting contract that names the token. The conversion desk's limits are in its
# unit, the digital som's smallest (the token of the two with fewer decimals).
OTHER_TOKEN_AMOUNTS = {
    "ConvertedToSom": {"kgstBurned": "kgst()", "somIssued": "som()"},
    "ConvertedToKgst": {"somRedeemed": "som()", "kgstMinted": "kgst()"},
    "DeskRateLimitSet": {"capacity": "som()", "refillPerSecond": "som()", "level": "som()"},
}


def _other_token_scale(
    w3: Any, address: str, view: str, scales: dict[str, tuple[str, int, bool] | None]
) -> tuple[str, int, bool] | None:
    """The scale of the token that the emitting contract's `view` names."""
    try:
        token = to_checksum_address(read_view(w3, address, view, "address"))
    except Exception:
        return None
    if token not in scales:
        scales[token] = token_scale(w3, token)
    found = scales[token]
    # The argument is a token amount whatever the display's list of amount names says.
    return None if found is None else (found[0], found[1], True)


def arg_text(
    name: str, value: Any, scale: tuple[str, int, bool] | None, names: dict[str, str]
) -> str:
    """One event argument as a person reads it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and is_address(value):
        return display.named(to_checksum_address(value), names)
    if isinstance(value, bytes | bytearray) and name == "role":
        return role_names().get(bytes(value), show(value))
    if isinstance(value, int):
        if name in display.TIMES:
            return display.utc(value)
        if name in display.DURATIONS:
            return f"{display.duration(value)} ({value:,} s)"
        if scale is not None:
            symbol, decimals, token = scale
            amounts = display.TOKEN_AMOUNTS if token else display.FIAT_AMOUNTS
            if name in amounts:
                return display.amount(value, decimals, symbol)
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(arg_text(name, v, scale, names) for v in value) + "]"
    return show(value)


def event_line(
    event: Any,
    provider: Any,
    names: dict[str, str],
    scales: dict[str, tuple[str, int, bool] | None] | None = None,
) -> str:
    """`event Name(arg=value, ...)` of a decoded receipt log; `scales` keeps each emitting
    contract's symbol and decimals across the events of one receipt."""
    address = str(getattr(event, "contract_address", "") or "")
    scales = {} if scales is None else scales
    if address and provider is not None and address not in scales:
        scales[address] = token_scale(provider.web3, address)
    scale = scales.get(address)
    parts = []
    others = OTHER_TOKEN_AMOUNTS.get(event.event_name, {})
    for k, v in event.event_arguments.items():
        if k in others and provider is not None and address and isinstance(v, int):
            other = _other_token_scale(provider.web3, address, others[k], scales)
            if other is not None:
                parts.append(f"{k}={display.amount(v, other[1], other[0])}")
                continue
        parts.append(f"{k}={arg_text(k, v, scale, names)}")
    return f"event {event.event_name}({', '.join(parts)})"
