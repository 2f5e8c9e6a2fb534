"""Revert data decoded with the ABI of the contract that raised it (the selector table of
`somchain.actions.errors`)."""

from __future__ import annotations

import re
from typing import Any

from somchain.actions.errors import decode_error

_CUSTOM_ERROR = re.compile(r"custom error 0x([0-9a-fA-F]{8}):? ?([0-9a-fA-F]*)")


def decode_revert(contract_type: Any, data: bytes) -> str:
    """`Name(arg=value, ...)` of the custom error in revert `data`: by the ABI of the
    contract that raised it, wherever in the call chain (`somchain.actions.errors`), the
    called contract's own ABI first."""
    return decode_error(data, contract_type)


def describe_error(err: Exception, contract: Any = None) -> str:
    """`Name(arg=value, ...)` of a decoded custom error, or the revert message."""
    name = type(err).__name__
    inputs = getattr(err, "inputs", None)
    if isinstance(inputs, dict) and name not in ("ContractLogicError", "VirtualMachineError"):
        args = ", ".join(f"{k}={show(v)}" for k, v in inputs.items())
        return f"{name}({args})"
    message = getattr(err, "revert_message", None) or str(err)
    data = revert_data(err)
    if data:
        return decode_revert(getattr(contract, "contract_type", None), data)
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
