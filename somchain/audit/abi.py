"""Event decoding from the contracts' ABIs, with a fast path for ERC-20 `Transfer`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from eth_abi import decode as abi_decode
from eth_typing import ABIEvent
from eth_utils import event_abi_to_log_topic

ZERO = "0x" + "00" * 20
# Supply events and the Transfer each must come with in the same transaction.
SUPPLY_EVENTS = ("Mint", "Burn", "Issued", "Redeemed", "Seized")
TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"


def hexstr(value: Any) -> str:
    """`value` (bytes, HexBytes or str) as a lowercase 0x-prefixed hex string."""
    if isinstance(value, str):
        return value.lower() if value.startswith("0x") else "0x" + value.lower()
    return "0x" + bytes(value).hex()


def topic_address(topic: Any) -> str:
    """The address in an indexed `address` topic, lowercase."""
    return "0x" + hexstr(topic)[-40:]


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return value.lower()
    return value


@dataclass(frozen=True)
class EventSpec:
    name: str
    indexed: tuple[tuple[str, str], ...]  # (name, type) of the indexed inputs, in order
    data: tuple[tuple[str, str], ...]  # (name, type) of the other inputs, in order


class EventCodec:
    """Decodes logs of the events declared in a set of ABIs (topic0 -> event)."""

    def __init__(self, abis: Iterable[list[dict]]) -> None:
        self.specs: dict[str, EventSpec] = {}
        for abi in abis:
            for item in abi:
                if item.get("type") != "event" or item.get("anonymous"):
                    continue
                topic = hexstr(event_abi_to_log_topic(cast(ABIEvent, item)))
                inputs = item["inputs"]
                self.specs[topic] = EventSpec(
                    name=item["name"],
                    indexed=tuple((i["name"], i["type"]) for i in inputs if i["indexed"]),
                    data=tuple((i["name"], i["type"]) for i in inputs if not i["indexed"]),
                )

    def decode(self, topics: list[Any], data: Any) -> tuple[str, dict[str, Any]] | None:
        """(event name, arguments) of a log, or None for an event not in the ABIs."""
        if not topics:
            return None
        spec = self.specs.get(hexstr(topics[0]))
        if spec is None:
            return None
        args: dict[str, Any] = {}
        for (name, typ), topic in zip(spec.indexed, topics[1:], strict=False):
            raw = bytes.fromhex(hexstr(topic)[2:])
            if typ in ("string", "bytes") or typ.endswith("]"):
                args[name] = "0x" + raw.hex()  # dynamic types are hashed into the topic
            else:
                args[name] = _jsonable(abi_decode([typ], raw)[0])
        if spec.data:
            raw = bytes.fromhex(hexstr(data)[2:])
            values = abi_decode([t for _, t in spec.data], raw)
            for (name, _), value in zip(spec.data, values, strict=True):
                args[name] = _jsonable(value)
        return spec.name, args


def decode_transfer(topics: list[Any], data: Any) -> tuple[str, str, int]:
    """(from, to, value) of an ERC-20 Transfer log, without the generic decoder."""
    raw = hexstr(data)
    return topic_address(topics[1]), topic_address(topics[2]), int(raw, 16) if raw != "0x" else 0


def supply_move(name: str, args: dict[str, Any]) -> tuple[str, str, int]:
    """(from, to, amount) of the Transfer a supply event must come with."""
    if name == "Mint":
        return ZERO, args["to"], args["amount"]
    if name == "Issued":
        return ZERO, args["bank"], args["amount"]
    if name == "Burn":
        return args["burner"], ZERO, args["amount"]
    if name == "Redeemed":
        return args["bank"], ZERO, args["amount"]
    return args["account"], args["to"], args["amount"]
