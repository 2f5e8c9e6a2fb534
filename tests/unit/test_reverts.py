"""Revert decoding without a chain: custom errors by the raising contract's ABI."""

from types import SimpleNamespace

from eth_abi import encode
from eth_utils import keccak

from somchain.actions.reverts import decode_revert, revert_data, show


def _error(name, *inputs):
    args = [SimpleNamespace(name=n, canonical_type=t) for n, t in inputs]
    selector = f"{name}({','.join(t for _, t in inputs)})"
    return SimpleNamespace(name=name, inputs=args, selector=selector)


CONTRACT = SimpleNamespace(
    errors=[
        _error("ReservePaused"),
        _error("ComplianceAccountFrozen", ("account", "address")),
    ]
)


def test_decode_revert__custom_error_with_arguments():
    account = "0x" + "11" * 20
    data = keccak(text="ComplianceAccountFrozen(address)")[:4] + encode(["address"], [account])
    assert decode_revert(CONTRACT, data) == f"ComplianceAccountFrozen(account={account})"


def test_decode_revert__error_without_arguments_string_and_unknown():
    assert decode_revert(CONTRACT, keccak(text="ReservePaused()")[:4]) == "ReservePaused()"
    message = bytes.fromhex("08c379a0") + encode(["string"], ["no"])
    assert decode_revert(CONTRACT, message) == "no"
    assert decode_revert(CONTRACT, b"\xde\xad\xbe\xef") == "0xdeadbeef"
    assert decode_revert(CONTRACT, b"") == "reverted without a reason"


def test_revert_data__from_anvil_message_and_wrapped_errors():
    err = RuntimeError("execution reverted: custom error 0xd37f5f1c:")
    assert revert_data(err) == bytes.fromhex("d37f5f1c")
    outer = RuntimeError("outer")
    outer.__cause__ = ValueError({"data": "0xd37f5f1c"})
    assert revert_data(outer) == bytes.fromhex("d37f5f1c")
    assert revert_data(RuntimeError("nothing here")) == b""


def test_show__text_bytes32_and_raw_bytes():
    assert show(b"TAX-1".ljust(32, b"\x00")) == "'TAX-1'"
    assert show(b"\x01\x02") == "0x0102"
    assert show(5) == "5"
