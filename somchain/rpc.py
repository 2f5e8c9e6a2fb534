"""Many read-only calls at one block, in JSON-RPC batches when the node takes them: the
audit's reads and the payroll's checks of every payee."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import function_signature_to_4byte_selector

BATCH = 500
ZERO = "0x" + "00" * 20


def hexstr(value: Any) -> str:
    """`value` (bytes, HexBytes or str) as a lowercase 0x-prefixed hex string."""
    if isinstance(value, str):
        return value.lower() if value.startswith("0x") else "0x" + value.lower()
    return "0x" + bytes(value).hex()


class Reader:
    """eth_call at a fixed block, in JSON-RPC batches when the provider supports them."""

    def __init__(self, w3: Any, block: int) -> None:
        self.w3 = w3
        self.block = block
        try:  # a funded sender: the embedded chain charges gas to eth_call's sender
            self._sender = (w3.eth.accounts or [ZERO])[0]
        except Exception:
            self._sender = ZERO
        self._batching = hasattr(w3.provider, "make_batch_request") and hasattr(
            w3.provider, "endpoint_uri"
        )
        self._checksum = lru_cache(maxsize=64)(w3.to_checksum_address)

    @staticmethod
    @lru_cache(maxsize=256)
    def _selector(signature: str) -> tuple[bytes, list[str]]:
        types = signature[signature.index("(") + 1 : -1]
        return function_signature_to_4byte_selector(signature), [t for t in types.split(",") if t]

    @classmethod
    def _calldata(cls, signature: str, args: list[Any]) -> str:
        head, types = cls._selector(signature)
        if types == ["address"]:  # the common case, without the ABI encoder
            return "0x" + head.hex() + "00" * 12 + args[0][2:].lower()
        body = abi_encode(types, args) if types else b""
        return "0x" + (head + body).hex()

    @staticmethod
    def _decode(out: list[str], raw: str) -> Any:
        if out == ["uint256"] and len(raw) == 66:
            return int(raw, 16)
        if out == ["bool"] and len(raw) == 66:
            return raw[-1] == "1"
        decoded = abi_decode(out, bytes.fromhex(raw[2:]))
        return decoded[0] if len(out) == 1 else decoded

    def call(self, to: str, signature: str, args: list[Any], out: list[str]) -> Any:
        return self.many([(to, signature, args)], out)[0]

    def many(self, calls: list[tuple[str, str, list[Any]]], out: list[str]) -> list[Any]:
        """Results of `calls` (to, signature, args), each decoded as `out`; the requests
        are built and sent one batch at a time, so memory holds one batch of them."""
        results: list[Any] = []
        for i in range(0, len(calls), BATCH):
            results += self._batch(calls[i : i + BATCH], out)
        return results

    def _batch(self, calls: list[tuple[str, str, list[Any]]], out: list[str]) -> list[Any]:
        block = hex(self.block)
        txs = [
            {"from": self._sender, "to": self._checksum(to), "data": self._calldata(sig, args)}
            for to, sig, args in calls
        ]
        raw: list[str] = []
        if self._batching and len(txs) > 1:
            try:
                responses = self.w3.provider.make_batch_request(
                    [("eth_call", [tx, block]) for tx in txs]
                )
                for r in responses:
                    if "error" in r:
                        raise RuntimeError(r["error"])
                    raw.append(hexstr(r["result"]))
            except (NotImplementedError, AttributeError, TypeError):
                self._batching = False
                raw = []
        if not raw:
            raw = [hexstr(bytes(self.w3.eth.call(tx, self.block))) for tx in txs]
        return [self._decode(out, r) for r in raw]


def head_reader(provider: Any) -> Reader:
    """A Reader at the connected provider's head: over HTTP, a web3 of its own that batches
    (ape's provider does not); in process, the provider's web3."""
    from web3 import HTTPProvider, Web3

    uri = str(getattr(provider, "uri", "") or "")
    w3 = Web3(HTTPProvider(uri)) if uri.startswith("http") else provider.web3
    return Reader(w3, w3.eth.block_number)
