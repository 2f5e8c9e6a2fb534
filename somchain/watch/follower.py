"""The watcher: follows every contract of the deployment's manifest and the board's Safe
from a start block to the head, `confirmations` blocks behind, with the audit's log
reader (`somchain.audit.logs.iter_logs`, ranges sized by their logs) and decoder
(`somchain.audit.indexer.decode_logs`), runs the rules, saves the checkpoint with the
alerts in the SQL store, pulls the circuit breaker and delivers from the outbox.

A restart resumes after the last committed range: blocks missed while it was down are
processed then. Only blocks `confirmations` deep are read, so a reorg within that depth
makes no alert; a deeper one is noticed when the last checkpoint's hash is no longer the
chain's: the watcher goes back to the newest checkpoint still on the chain, sends a
`retraction` naming each alert of the blocks that went away, and processes the new blocks.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from eth_abi import decode as abi_decode
from eth_utils import keccak, to_checksum_address

from somchain import display
from somchain.audit.abi import TRANSFER_TOPIC, EventCodec, hexstr
from somchain.audit.indexer import Chunk, decode_logs, raw_get_logs, rpc_many
from somchain.audit.logs import RangePolicy, block_of, iter_logs
from somchain.audit.parts import BY_KEY, TOKENS
from somchain.audit.runner import build_sources
from somchain.constants import FIAT
from somchain.errors import InputError
from somchain.safe.contracts import artifact as safe_artifact
from somchain.watch.config import WatchConfig
from somchain.watch.delivery import Dispatcher
from somchain.watch.metrics import Metrics
from somchain.watch.rules import Context, Event, Rules, alert_id
from somchain.watch.store import Store

PAUSABLE = TOKENS  # the tokens the breaker may pause (stablecoin, cbdc)


def call(w3: Any, address: str, signature: str, out: list[str], block: Any = "latest") -> Any:
    """A view's decoded outputs by a raw eth_call (one value unwrapped)."""
    data = "0x" + keccak(text=signature)[:4].hex()
    raw = w3.eth.call({"to": to_checksum_address(address), "data": data}, block)
    values = abi_decode(out, bytes(raw))
    return values[0] if len(values) == 1 else values


def _has_role(w3: Any, address: str, role: str, account: str) -> bool:
    rid = b"\x00" * 32 if role == "DEFAULT_ADMIN_ROLE" else keccak(text=role)
    data = (
        keccak(text="hasRole(bytes32,address)")[:4]
        + rid
        + bytes.fromhex(account[2:].rjust(64, "0"))
    )
    raw = w3.eth.call({"to": to_checksum_address(address), "data": "0x" + data.hex()})
    return bool(int.from_bytes(bytes(raw)[-32:], "big"))


class Breaker:
    """Pauses a token with a key that holds only its PAUSER_ROLE: `send(token)` sends
    `pause()` from that key and returns the transaction hash."""

    def __init__(self, w3: Any, pauser: str, send: Callable[[str], str]) -> None:
        self.w3 = w3
        self.pauser = to_checksum_address(pauser)
        self.send = send
        self.tokens: dict[str, str] = {}

    def check(self, tokens: dict[str, str]) -> None:
        """Keeps the tokens the key may pause; refuses a key that pauses none, or that holds
        any other role of them: the watcher's key can stop the money, never move it."""
        self.tokens = {
            k: a for k, a in tokens.items() if _has_role(self.w3, a, "PAUSER_ROLE", self.pauser)
        }
        if not self.tokens:
            raise InputError(
                f"the breaker's key {self.pauser} does not hold PAUSER_ROLE on "
                + " or ".join(f"the {k} {a}" for k, a in tokens.items())
            )
        for key, address in tokens.items():
            others = [
                r
                for r in BY_KEY[key].roles
                if r != "PAUSER_ROLE" and _has_role(self.w3, address, r, self.pauser)
            ]
            if others:
                raise InputError(
                    f"the breaker's key {self.pauser} also holds {', '.join(others)} on the "
                    f"{key}: use a key that holds only PAUSER_ROLE"
                )

    def pause(self, token: str, label: str) -> str:
        if call(self.w3, token, "paused()", ["bool"]):
            return f"{label} was already paused"
        tx = self.send(token)
        return f"paused {label} in tx {tx} (from the pauser {self.pauser})"


@dataclass
class StepResult:
    from_block: int
    to_block: int
    logs: int
    alerts: int
    delivered: int
    failed: int
    retracted: int = 0


def deployment(manifest: dict) -> tuple[dict[str, str], dict[str, str]]:
    """(manifest name -> address, manifest name -> contract name) of the contracts and
    Safes (named `safe:<name>`) the watcher follows."""
    addresses: dict[str, str] = {}
    contracts: dict[str, str] = {}
    for key, entry in manifest.get("contracts", {}).items():
        addresses[key] = entry["address"].lower()
        contracts[key] = entry.get("contract", "")
    for name, entry in manifest.get("safes", {}).items():
        addresses[f"safe:{name}"] = entry["address"].lower()
        contracts[f"safe:{name}"] = "SafeL2"
    return addresses, contracts


def load_abis(contracts: dict[str, str]) -> dict[str, list[dict]]:
    """The ABIs of the contracts by name: the project's build, the Safe's npm artifact."""
    names = tuple(sorted({n for n in contracts.values() if n != "SafeL2"}))
    try:
        found = dict(build_sources(names).abis)
    except KeyError as err:
        raise InputError(
            f"contract {err} of the manifest is not in the build: run `make setup`"
        ) from None
    if "SafeL2" in contracts.values():
        found["SafeL2"] = safe_artifact("SafeL2")["abi"]
    return found


class Watcher:
    def __init__(
        self,
        w3: Any,
        manifest: dict,
        config: WatchConfig,
        store: Store,
        *,
        abis: dict[str, list[dict]] | None = None,
        sanctioned: dict[str, dict[str, str]] | None = None,
        breaker: Breaker | None = None,
        metrics: Metrics | None = None,
        out: TextIO | None = None,
        policy: RangePolicy | None = None,
        get_logs: Callable[[dict], Iterable[Any]] | None = None,
    ) -> None:
        self.w3 = w3
        self.config = config
        self.store = store
        self.chain_id = int(w3.eth.chain_id)
        self.addresses, contracts = deployment(manifest)
        if not self.addresses:
            raise InputError("the manifest names no contracts to watch")
        abis = abis if abis is not None else load_abis(contracts)
        self.abi_by_address = {a: abis.get(contracts[k], []) for k, a in self.addresses.items()}
        self.codec = EventCodec(abis.values())
        names = {a: k for k, a in self.addresses.items()}
        self._scales: dict[str, Any] = {}
        self.ctx = Context(
            self.chain_id,
            names,
            self.abi_by_address,
            self.scale_of,
            config.governance.network,
            config.governance.cancel_account,
        )
        self.tokens = {k: self.addresses[k] for k in PAUSABLE if k in self.addresses}
        self.breaker = breaker
        if breaker is not None:
            breaker.check(self.tokens)
        self.metrics = metrics or Metrics(config.max_lag_seconds)
        self.rules = Rules(config, self.ctx, sanctioned or {}, state=store.get("rules", {}) or {})
        self.dispatcher = Dispatcher(store, config.delivery, out, self.metrics.delivery)
        self.sinks = self.dispatcher.sinks
        self.policy = policy or RangePolicy()
        self.get_logs = get_logs or raw_get_logs(w3)
        blocks = [int(e.get("block", 0) or 0) for e in manifest.get("contracts", {}).values()]
        self.start = config.start_block if config.start_block is not None else min(blocks or [0])
        self._identify()

    # ------------------------------------------------------------ set-up

    def _identify(self) -> None:
        """Starts afresh when the chain (its genesis) or the contracts changed."""
        identity = {
            "genesis": hexstr(self.w3.eth.get_block(0)["hash"]),
            "addresses": sorted(self.addresses.values()),
            "start": self.start,
        }
        if self.store.get("identity") not in (None, identity):
            self.store.reset()
            self.rules.state = {}
            self.rules.__post_init__()
        with self.store.engine.begin() as conn:
            self.store.put(conn, "identity", identity)

    def scale_of(self, address: str) -> tuple[str, int] | None:
        """(symbol, decimals) of a token (the attestation feed's in the fiat; a contract
        that answers `token()`, the mint controller, in its token's), cached."""
        if address not in self._scales:
            try:
                decimals = int(call(self.w3, address, "decimals()", ["uint8"]))
            except Exception:
                self._scales[address] = None
                try:
                    token = str(call(self.w3, address, "token()", ["address"])).lower()
                except Exception:
                    return None
                self._scales[address] = self.scale_of(token) if token != address else None
                return self._scales[address]
            try:
                symbol = str(call(self.w3, address, "symbol()", ["string"]))
            except Exception:
                symbol = FIAT
            self._scales[address] = (symbol, decimals)
        return self._scales[address]

    # ------------------------------------------------------------ one step

    def step(self) -> StepResult:
        """Processes every block up to the head less the confirmations, then delivers."""
        head = int(self.w3.eth.block_number)
        safe = head - self.config.confirmations
        retracted = self._reorg(head)
        last = self.store.last_block
        first = self.start if last is None else max(self.start, last + 1)
        logs = alerts = sent = failed = 0
        addresses: list[str] = [to_checksum_address(a) for a in self.addresses.values()]
        if first <= safe:
            for _, hi, found in iter_logs(self.get_logs, addresses, first, safe, self.policy):
                logs += len(found)
                added = self._process(found, hi, at_head=hi == safe)
                alerts += added
                if added:  # a long catch-up delivers as it goes
                    delivered, unsent = self.dispatcher.flush()
                    sent, failed = sent + delivered, failed + unsent
        delivered, unsent = self.dispatcher.flush()
        sent, failed = sent + delivered, failed + unsent
        self._lag(head)
        return StepResult(first, safe, logs, alerts, sent, failed, retracted)

    def _times(self, known: dict[int, int], needed: set[int]) -> dict[int, int]:
        """Block times of `needed`: those the logs carried (`blockTimestamp`), the rest
        fetched in one batch."""
        missing = sorted(needed - known.keys())
        times = dict(known)
        if missing:
            found = rpc_many(self.w3, "eth_getBlockByNumber", [[hex(n), False] for n in missing])
            for n, block in zip(missing, found, strict=True):
                stamp = block["timestamp"]
                times[n] = int(stamp, 16) if isinstance(stamp, str) else int(stamp)
        return times

    def _screen(self, logs: list[Any]) -> tuple[list[Any], Chunk]:
        """Splits a range's logs: the transfers, screened against the sanctions list from
        their topics as the audit's decoder reads them (decoded only when one is listed),
        and every other log, for the decoder."""
        listed = self.rules.sanctioned
        others, hits = [], []
        for log in logs:
            topics = log["topics"]
            if topics and not isinstance(topics[0], str):  # web3-formatted (not over HTTP)
                topics = [hexstr(t) for t in topics]
            if topics and topics[0] == TRANSFER_TOPIC and len(topics) == 3:
                if listed and (
                    "0x" + topics[1][-40:] in listed or "0x" + topics[2][-40:] in listed
                ):
                    hits.append(log)
                continue
            others.append(log)
        return others, decode_logs(self.codec, hits)

    def _block_hash(self, logs: list[Any], hi: int) -> str:
        """The hash of block `hi`: from its last log when it has one, else from the node."""
        if logs and block_of(logs[-1]) == hi and logs[-1].get("blockHash"):
            return hexstr(logs[-1]["blockHash"])
        found = rpc_many(self.w3, "eth_getBlockByNumber", [[hex(hi), False]])[0]
        return hexstr(found["hash"])

    def _process(self, logs: list[Any], hi: int, at_head: bool) -> int:
        """Runs the rules over one range's logs and commits it; returns the alerts added.
        The last range of a step also reads the tokens' supply and reserve (`_head`)."""
        others, hits = self._screen(logs)
        chunk = decode_logs(self.codec, others)
        known = {**chunk.times, **hits.times}
        if logs and logs[-1].get("blockTimestamp") is not None:
            stamp = logs[-1]["blockTimestamp"]
            known[block_of(logs[-1])] = int(stamp, 16) if isinstance(stamp, str) else int(stamp)
        needed = {e[0] for e in chunk.events} | {t[0] for t in hits.transfers} | {hi}
        times = self._times(known, needed)
        alerts: list[dict] = []
        rules = self.rules
        for block, index, tx, token, src, dst, value in hits.transfers:
            alerts += rules.on_transfer(block, index, tx, token, src, dst, int(value), times[block])
        for block, index, tx, address, name, args, *_ in chunk.events:
            ev = Event(block, index, tx, address, name, json.loads(args), times[block])
            alerts += rules.on_event(ev)
        if at_head:
            alerts += self._head(hi, times[hi])
        self._breaker(alerts)
        block_hash = self._block_hash(logs, hi)
        with self.store.engine.begin() as conn:
            added = self.store.queue(conn, alerts, self.sinks)
            self.store.checkpoint(conn, hi, block_hash, rules.state)
        for alert in alerts:
            self.metrics.alerts.labels(rule=alert["rule"]).inc()
        self.metrics.last_block.set(hi)
        self.metrics.block_time = times[hi]
        self.metrics.processed_at = time.time()
        self.metrics.pending_ops.set(len(rules.state["pending_ops"]))
        for key, address in self.tokens.items():
            self.metrics.frozen.labels(token=key).set(len(rules.state["frozen"].get(address, [])))
        return added

    def _head(self, block: int, stamp: int) -> list[dict]:
        """Supply, reserve and attestation age of each token at `block`: the metrics and
        the head rules (coverage, attestation age) for the stablecoin."""
        found: list[dict] = []
        for key, address in self.tokens.items():
            scale = self.scale_of(address)
            if scale is None:
                continue
            try:
                supply = int(call(self.w3, address, "totalSupply()", ["uint256"], block))
            except Exception:  # a node that keeps no state this old: nothing to read
                return found
            self.metrics.supply.labels(token=key).set(supply / 10 ** scale[1])
            reads: dict[str, Any] = {"supply": supply, "scale": scale}
            if key == "stablecoin":
                reads |= self._reserve(address, scale[1], block)
                if reads.get("reserve") is not None:
                    self.metrics.reserve.labels(token=key).set(reads["reserve"] / 10 ** scale[1])
                    if supply:
                        self.metrics.coverage.labels(token=key).set(reads["reserve"] / supply)
                if reads.get("updated_at"):
                    self.metrics.attestation_age.labels(token=key).set(stamp - reads["updated_at"])
                ev = Event(block, -1, "", address, "head", {}, stamp)
                found += self.rules.on_head(reads, ev)
        return found

    def _reserve(self, token: str, decimals: int, block: int) -> dict[str, Any]:
        try:
            feed, max_age = call(self.w3, token, "reserveFeed()", ["address", "uint256"], block)
            if int(feed, 16) == 0:
                return {}
            feed_decimals = int(call(self.w3, feed, "decimals()", ["uint8"], block))
            _, answer, _, updated, _ = call(
                self.w3,
                feed,
                "latestRoundData()",
                ["uint80", "int256", "uint256", "uint256", "uint80"],
                block,
            )
        except Exception:
            return {}
        reserve = max(0, int(answer)) * 10**decimals // 10**feed_decimals
        return {"reserve": reserve, "updated_at": int(updated), "max_age": int(max_age)}

    def _breaker(self, alerts: list[dict]) -> None:
        """Pauses the token an alert of a pausing rule is about (the stablecoin for the
        coverage and attestation rules), once, and says so in the alert."""
        for alert in alerts:
            if not self.rules.pauses(alert["rule"]) or alert.get("recovered"):
                continue
            if self.breaker is None:
                alert["action"] = "not paused: the watcher runs without a breaker key (--pauser)"
                continue
            key = alert["contract"] if alert["contract"] in self.tokens else "stablecoin"
            token = self.tokens.get(key)
            if token is None:
                continue
            scale = self.scale_of(token)
            label = f"{scale[0] if scale else key} ({key})"
            if key not in self.breaker.tokens:
                alert["action"] = f"not paused: the breaker's key is no pauser of {label}"
                continue
            try:
                alert["action"] = self.breaker.pause(token, label)
            except Exception as exc:
                alert["action"] = f"pause of {label} FAILED: {exc}".splitlines()[0]

    # ------------------------------------------------------------ reorgs and lag

    def _reorg(self, head: int) -> int:
        """Goes back to the newest checkpoint still on the chain when the last one is not;
        queues a retraction of every alert of the blocks that went away."""
        kept = self.store.checkpoints()
        if not kept:
            return 0
        number, stored = kept[0]
        if number <= head and hexstr(self.w3.eth.get_block(number)["hash"]) == stored:
            return 0
        ancestor = self.start - 1
        for n, h in kept[1:]:
            if n <= head and hexstr(self.w3.eth.get_block(n)["hash"]) == h:
                ancestor = n
                break
        # the rules go back to their state after the ancestor (none before the start)
        self.rules.state = self.store.rules_at(ancestor) if ancestor >= self.start else {}
        self.rules.__post_init__()
        gone = [a for a in self.store.alerts_after(ancestor) if a["rule"] != "retraction"]
        retractions = [self._retraction(a, ancestor) for a in gone]
        with self.store.engine.begin() as conn:
            self.store.rewind(conn, ancestor, [a["id"] for a in gone])
            self.store.queue(conn, retractions, self.sinks)
            if ancestor >= self.start:
                self.store.checkpoint(conn, ancestor, self._hash(ancestor), self.rules.state)
        for _ in retractions:
            self.metrics.alerts.labels(rule="retraction").inc()
        return len(retractions)

    def _hash(self, number: int) -> str:
        return hexstr(self.w3.eth.get_block(number)["hash"]) if number >= 0 else ""

    def _retraction(self, alert: dict, ancestor: int) -> dict:
        return {
            "id": alert_id(self.chain_id, "retraction", alert["id"]),
            "chain_id": self.chain_id,
            "rule": "retraction",
            "severity": "warning",
            "title": f"retracted: {alert['title']} (block {alert['block']} was reorganised away)",
            "block": alert["block"],
            "time": display.iso_utc(int(time.time())),
            "retracts": alert["id"],
            "details": {"reorganised_after_block": str(ancestor)},
        }

    def _lag(self, head: int) -> None:
        last = self.store.last_block
        self.metrics.lag_blocks.set(max(0, head - (last if last is not None else self.start - 1)))
        if self.metrics.block_time is not None:
            self.metrics.lag_seconds.set(max(0, int(time.time()) - self.metrics.block_time))
        self.metrics.outbox.set(self.store.pending_count())

    # ------------------------------------------------------------ running

    def run(
        self, stop: threading.Event | None = None, echo: Callable[[str], Any] | None = None
    ) -> None:
        """Steps every `poll_seconds` until `stop` is set."""
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                result = self.step()
                r = result
                if echo and (r.logs or r.alerts or r.failed):
                    echo(
                        f"blocks {r.from_block:,}-{r.to_block:,}: {r.logs:,} events, "
                        f"{r.alerts} alerts, {r.delivered} delivered, {r.failed} failed"
                    )
            except Exception as exc:  # a node hiccup: say it and try again
                if echo:
                    echo(f"error: {exc}".splitlines()[0])
            stop.wait(self.config.poll_seconds)
