"""Revert data decoded with the ABI of the contract that raised it."""

from __future__ import annotations

import re
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import keccak

_CUSTOM_ERROR = re.compile(r"custom error 0x([0-9a-fA-F]{8}):? ?([0-9a-fA-F]*)")


def decode_revert(contract_type: Any, data: bytes) -> str:
    """`Name(arg=value, ...)` of the custom error in revert `data`, from the contract's ABI."""
    if len(data) < 4:
        return "reverted without a reason"
    selector = data[:4]
    for error in contract_type.errors:
        if keccak(text=error.selector)[:4] == selector:
            types = [i.canonical_type for i in error.inputs]
            values = abi_decode(types, data[4:]) if types else ()
            args = ", ".join(
                f"{i.name}={show(v)}" for i, v in zip(error.inputs, values, strict=True)
            )
            return f"{error.name}({args})"
    if selector == bytes.fromhex("08c379a0"):
        return abi_decode(["string"], data[4:])[0]
    return "0x" + data.hex()


def describe_error(err: Exception, contract: Any = None) -> str:
    """`Name(arg=value, ...)` of a decoded custom error, or the revert message."""
    name = type(err).__name__
    inputs = getattr(err, "inputs", None)
    if isinstance(inputs, dict) and name not in ("ContractLogicError", "VirtualMachineError"):
        args = ", ".join(f"{k}={show(v)}" for k, v in inputs.items())
        return f"{name}({args})"
    message = getattr(err, "revert_message", None) or str(err)
    if contract is not None:
        data = revert_data(err)
        if data:
            return decode_revert(contract.contract_type, data)
    return message.splitlines()[0] if message else name


def revert_data(err: BaseException | None) -> bytes:
    """The raw revert data carried by an error or the errors it wraps, if any."""
    seen = 0
    while err is not None and seen < 5:
        for candidate in (getattr(err, "data", None), *getattr(err, "args", ())):
            if isinstance(candidate, dict):
                candidate = candidate.get("data")
            if not isinstance(candidate, str):
                continue
            # anvil: "execution reverted: custom error 0x<selector>: <hex arguments>"
            if match := _CUSTOM_ERROR.search(candidate):
                return bytes.fromhex(match.group(1) + match.group(2))
            if candidate.startswith("0x") and len(candidate) >= 10:
                try:
                    return bytes.fromhex(candidate[2:])
                except ValueError:
                    continue
        err = getattr(err, "base_err", None) or err.__cause__ or err.__context__
        seen += 1
    return b""


def show(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        text = value.rstrip(b"\x00")
        padded = len(text) < len(value)
        if padded and text and all(32 <= c < 127 for c in text):
            return repr(text.decode())
        return "0x" + bytes(value).hex()
    return str(value)
