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


def test_decode_revert__error_of_another_project_contract__by_the_project_table():
    """The timelock's ABI does not know the vault's errors; the project's table does."""
    timelock_only = SimpleNamespace(errors=[])
    balance = keccak(text="ReserveInsufficientBalance(address,uint256,uint256)")[:4]
    data = balance + encode(["address", "uint256", "uint256"], ["0x" + "22" * 20, 1, 2])
    assert decode_revert(timelock_only, bytes.fromhex("d37f5f1c")) == "ReservePaused()"
    assert decode_revert(timelock_only, data) == (
        f"ReserveInsufficientBalance(asset={'0x' + '22' * 20}, balance=1, amount=2)"
    )


def test_decode_revert__nested_reason_and_panic():
    wrapper = SimpleNamespace(errors=[_error("Wrapped", ("reason", "bytes"))])
    inner = keccak(text="ReservePaused()")[:4]
    data = keccak(text="Wrapped(bytes)")[:4] + encode(["bytes"], [inner])
    assert decode_revert(wrapper, data) == "Wrapped(reason=ReservePaused())"
    gs013 = bytes.fromhex("08c379a0") + encode(["string"], ["GS013"])
    assert decode_revert(wrapper, gs013) == "GS013"
    panic = bytes.fromhex("4e487b71") + encode(["uint256"], [0x11])
    assert decode_revert(wrapper, panic) == "Panic(0x11: arithmetic overflow or underflow)"
