"""The rules: what each decoded event of the stack (and the board's Safe) means for the
central bank, as alerts a person reads without a block explorer: contracts by their
manifest name, amounts in token units with the symbol, times in UTC, roles by name, and
for a timelock proposal the exact `ape run governance cancel` command.

`Rules.on_event` turns one event into alerts; `Rules.on_transfer` screens a transfer
against the sanctions list; `Rules.on_head` checks the attestation's age and the coverage
at the last processed block. The only memory the rules keep (`state`) is the minting
window of each minter, the pending timelock operations, the frozen accounts and the
breaches in progress: bounded by the rules, never by history, and saved with every
checkpoint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import function_abi_to_4byte_selector, is_address, to_checksum_address

from somchain import display
from somchain.audit.parts import role_name
from somchain.constants import NATIVE, NATIVE_SYMBOL
from somchain.watch.config import WatchConfig

Scale = tuple[str, int]  # (symbol, decimals)

ROLE_EVENTS = ("RoleGranted", "RoleRevoked", "RoleAdminChanged", "Upgraded", "AdminChanged")
PAUSE_EVENTS = ("Paused", "Unpaused")
FREEZE_EVENTS = ("Frozen", "Unfrozen", "Seized")
MINTER_EVENTS = (
    "MinterConfigured",
    "MinterRemoved",
    "MinterAllowanceIncreased",
    "MinterAllowanceDecreased",
    "MinterRateLimitSet",
    "MintBudgetIncreased",
    "MintBudgetDecreased",
    "MinterBudgetAllocated",
    "IssuanceAllowanceChanged",
)
ROUND_EVENTS = ("ReserveAttested", "AttestationSubmitted", "ThresholdChanged")
OUTFLOW_EVENTS = ("Withdrawn", "OperationalTransferMade", "TokenRecovered")
SAFE_EVENTS = (
    "AddedOwner",
    "RemovedOwner",
    "ChangedThreshold",
    "EnabledModule",
    "DisabledModule",
    "ChangedGuard",
    "ChangedFallbackHandler",
)
TIMELOCK_EVENTS = ("CallScheduled", "CallExecuted", "Cancelled", "MinDelayChange")
# the argument holding a token amount, in each event that has one
AMOUNT_ARGS = {
    "amount",
    "allowance",
    "increment",
    "decrement",
    "budget",
    "granted",
    "capacity",
    "refillPerSecond",
    "level",
    "previous",
    "maxBalance",
    "maxPayment",
    "dailyLimit",
    "paid",
    "swept",
    "used",
}


@dataclass
class Event:
    """One decoded log of a watched contract."""

    block: int
    log_index: int
    tx: str
    address: str  # lowercase
    name: str
    args: dict[str, Any]
    time: int  # the block's timestamp


@dataclass
class Context:
    """What the rules read about the deployment: names, ABIs, token scales."""

    chain_id: int
    names: dict[str, str]  # lowercase address -> manifest name (stablecoin, timelock, safe:board)
    abis: dict[str, list[dict]]  # lowercase address -> ABI, for decoding timelock calls
    scale_of: Callable[[str], Scale | None]  # lowercase address -> (symbol, decimals)
    network: str | None = None
    cancel_account: str | None = None

    def address_of(self, key: str) -> str | None:
        return next((a for a, k in self.names.items() if k == key), None)


def alert_id(chain_id: int, *parts: Any) -> str:
    """A stable id: the same event (or breach) gives the same id on every run."""
    text = ":".join(str(p) for p in (chain_id, *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def units(value: Decimal, decimals: int) -> int:
    return int(value * 10**decimals)


@dataclass
class Rules:
    config: WatchConfig
    ctx: Context
    sanctioned: dict[str, dict[str, str]] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Fills in the parts of `state` it lacks (a fresh start, or a state reloaded)."""
        for key in ("windows", "pending_ops", "frozen", "breaches"):
            self.state.setdefault(key, {})

    # ------------------------------------------------------------ presentation

    def _name(self, address: str) -> str:
        return display.named(to_checksum_address(address), self.ctx.names)

    def _arg(self, name: str, value: Any, scale: Scale | None) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str) and is_address(value):
            return self._name(value)
        if name in ("role", "previousAdminRole", "newAdminRole") and isinstance(value, str):
            return role_name(value)
        if isinstance(value, int):
            if name in display.TIMES:
                return display.utc(value)
            if name in display.DURATIONS or name == "delay":
                return f"{display.duration(value)} ({value:,} s)"
            if scale is not None and name in AMOUNT_ARGS:
                return display.amount(value, scale[1], scale[0])
            return f"{value:,}"
        return str(value)

    def _details(self, ev: Event, scale: Scale | None = None) -> dict[str, str]:
        return {k: self._arg(k, v, scale) for k, v in ev.args.items()}

    def _alert(
        self,
        rule: str,
        ev: Event,
        title: str,
        details: dict[str, str] | None = None,
        part: Any = "",
    ) -> dict:
        severity = getattr(self.config.rules, rule).severity
        return {
            "id": alert_id(self.ctx.chain_id, rule, ev.block, ev.tx, ev.log_index, part),
            "chain_id": self.ctx.chain_id,
            "rule": rule,
            "severity": severity,
            "title": title,
            "block": ev.block,
            "time": display.iso_utc(ev.time),
            "tx": ev.tx,
            "log_index": ev.log_index,
            "contract": self.ctx.names.get(ev.address, ev.address),
            "address": to_checksum_address(ev.address),
            "event": ev.name,
            "details": details if details is not None else self._details(ev),
        }

    def _on(self, rule: str) -> bool:
        return bool(getattr(self.config.rules, rule).enabled)

    def pauses(self, rule: str) -> bool:
        return bool(getattr(self.config.rules, rule).pause)

    # ------------------------------------------------------------ events

    def on_event(self, ev: Event) -> list[dict]:
        """The alerts one event makes (none for most)."""
        where = self.ctx.names.get(ev.address, ev.address)
        if ev.name in TIMELOCK_EVENTS and where == "timelock":
            return self._timelock(ev)
        if ev.name in FREEZE_EVENTS:
            return self._freeze(ev, where)
        if ev.name == "Mint":
            return self._mint(ev, where)
        if ev.name in OUTFLOW_EVENTS and where == "reserve":
            return self._outflow(ev, where)
        if ev.name == "Issued" and self._on("cbdc_issuance"):
            return self._threshold("cbdc_issuance", ev, where, "issued")
        return self._plain(ev, where)

    def _plain(self, ev: Event, where: str) -> list[dict]:
        """The rules whose alert is the event itself, its amounts in the emitter's units."""
        name = ev.name
        if name in ROLE_EVENTS:
            rule, title = "roles", name
        elif name in PAUSE_EVENTS:
            rule, title = "pause", name.lower()
        elif name in MINTER_EVENTS:
            rule, title = "minters", name
        elif name in ROUND_EVENTS:
            rule, title = "attestation_round", name
        elif name in SAFE_EVENTS and where.startswith("safe:"):
            rule, title = "safe", name
        elif name == "TierLimitsSet":
            rule, title = "cbdc_tiers", f"tier {ev.args['tier']} limits"
        elif name == "BatchDisbursed" and where == "cbdc":
            rule, title = "cbdc_batch", "batch payment"
        else:
            return []
        if not self._on(rule):
            return []
        return [self._alert(rule, ev, f"{where}: {title}", self._details(ev, self._scale(ev)))]

    def _scale(self, ev: Event) -> Scale | None:
        return self.ctx.scale_of(ev.address)

    def _timelock(self, ev: Event) -> list[dict]:
        pending = self.state["pending_ops"]
        op = str(ev.args.get("id", ""))
        if ev.name == "CallScheduled":
            pending[op] = ev.time + int(ev.args["delay"])
        elif ev.name in ("CallExecuted", "Cancelled"):
            pending.pop(op, None)
        if not self._on("timelock"):
            return []
        if ev.name == "MinDelayChange":
            return [self._alert("timelock", ev, "timelock: minimum delay changed")]
        if ev.name != "CallScheduled":
            verb = {"CallExecuted": "executed", "Cancelled": "cancelled"}.get(ev.name, ev.name)
            return [self._alert("timelock", ev, f"timelock: operation {op} {verb}")]
        target = ev.args["target"].lower()
        call = self.decode_call(target, ev.args["data"])
        ready = ev.time + int(ev.args["delay"])
        details = {
            "operation": op,
            "call": f"{self._name(target)}: {call}",
            "value": display.amount(int(ev.args["value"]), 18, NATIVE_SYMBOL),
            "delay": self._arg("delay", int(ev.args["delay"]), None),
            "earliest_execution": display.utc(ready),
        }
        alert = self._alert(
            "timelock",
            ev,
            f"timelock: {self.ctx.names.get(target, target)}.{call.split('(')[0]} scheduled, "
            f"executable from {display.utc(ready)}",
            details,
        )
        alert["cancel_command"] = self.cancel_command(op)
        return [alert]

    def cancel_command(self, op: str) -> str:
        command = f"ape run governance cancel {op}"
        if self.ctx.network:
            command += f" --network {self.ctx.network}"
        return command + f" --account {self.ctx.cancel_account or 'CANCELLER_ALIAS'}"

    def decode_call(self, target: str, data: str) -> str:
        """`name(arg=value, ...)` of calldata by the ABI of the manifest's contract at
        `target`, amounts in its token's units; the hex when it is not one of the stack's."""
        raw = bytes.fromhex(data.removeprefix("0x"))
        for item in self.ctx.abis.get(target, []):
            if item.get("type") != "function":
                continue
            if function_abi_to_4byte_selector(item) != raw[:4]:  # type: ignore[arg-type]
                continue
            types = [_canonical(i) for i in item["inputs"]]
            try:
                values = abi_decode(types, raw[4:])
            except Exception:
                break
            scale = self.ctx.scale_of(target)
            shown = []
            for i, v in zip(item["inputs"], values, strict=True):
                label = i.get("name") or "arg"
                if isinstance(v, bytes):
                    v = "0x" + v.hex()
                shown.append(f"{label}={self._arg(label, v, scale)}")
            return f"{item['name']}({', '.join(shown)})"
        return data

    def _freeze(self, ev: Event, where: str) -> list[dict]:
        frozen = self.state["frozen"].setdefault(ev.address, [])
        account = str(ev.args.get("account", "")).lower()
        if ev.name == "Frozen" and account not in frozen:
            frozen.append(account)
        elif ev.name == "Unfrozen" and account in frozen:
            frozen.remove(account)
        if not self._on("freeze"):
            return []
        return [
            self._alert("freeze", ev, f"{where}: {ev.name}", self._details(ev, self._scale(ev)))
        ]

    def _threshold(self, rule: str, ev: Event, where: str, verb: str) -> list[dict]:
        scale = self._scale(ev)
        decimals = scale[1] if scale else 18
        amount = int(ev.args["amount"])
        if amount < units(getattr(self.config.rules, rule).threshold, decimals):
            return []
        shown = self._arg("amount", amount, scale)
        return [self._alert(rule, ev, f"{where}: {verb} {shown}", self._details(ev, scale))]

    def _mint(self, ev: Event, where: str) -> list[dict]:
        found = []
        if self._on("large_mint"):
            found += self._threshold("large_mint", ev, where, "minted")
        if self._on("mint_velocity"):
            found += self._velocity(ev, where)
        return found

    def _velocity(self, ev: Event, where: str) -> list[dict]:
        rule = self.config.rules.mint_velocity
        scale = self._scale(ev)
        decimals = scale[1] if scale else 18
        key = f"{ev.address}:{ev.args['minter'].lower() if rule.per_minter else '*'}"
        window = [
            m for m in self.state["windows"].get(key, []) if m[0] > ev.time - rule.window_seconds
        ]
        before = sum(int(a) for _, a in window)
        window.append([ev.time, str(int(ev.args["amount"]))])
        self.state["windows"][key] = window
        limit = units(rule.threshold, decimals)
        after = before + int(ev.args["amount"])
        if not (before <= limit < after):
            return []
        who = f" by {self._name(ev.args['minter'])}" if rule.per_minter else ""
        details = {
            **self._details(ev, scale),
            "minted_in_window": self._arg("amount", after, scale),
            "window": display.duration(rule.window_seconds),
            "threshold": self._arg("amount", limit, scale),
        }
        title = (
            f"{where}: {details['minted_in_window']} minted{who} within {details['window']} "
            f"(threshold {details['threshold']})"
        )
        return [self._alert("mint_velocity", ev, title, details)]

    def _outflow(self, ev: Event, where: str) -> list[dict]:
        if not self._on("reserve_outflow"):
            return []
        asset = str(ev.args.get("asset", ev.args.get("token", ""))).lower()
        scale = (NATIVE_SYMBOL, 18) if asset == NATIVE.lower() else self.ctx.scale_of(asset)
        decimals = scale[1] if scale else 18
        amount = int(ev.args["amount"])
        if amount < units(self.config.rules.reserve_outflow.threshold, decimals):
            return []
        shown = self._arg("amount", amount, scale)
        return [
            self._alert(
                "reserve_outflow", ev, f"{where}: {ev.name} {shown}", self._details(ev, scale)
            )
        ]

    # ------------------------------------------------------------ transfers

    def on_transfer(
        self,
        block: int,
        log_index: int,
        tx: str,
        token: str,
        src: str,
        dst: str,
        value: int,
        time: int,
    ) -> list[dict]:
        """A transfer from or to a sanctioned address (the sanctions rule)."""
        hit = self.sanctioned.get(src) or self.sanctioned.get(dst)
        if hit is None or not self._on("sanctions"):
            return []
        ev = Event(
            block, log_index, tx, token, "Transfer", {"from": src, "to": dst, "value": value}, time
        )
        scale = self._scale(ev)
        listed = src if src in self.sanctioned else dst
        details = {
            "from": self._name(src),
            "to": self._name(dst),
            "amount": self._arg("amount", value, scale),
            "listed": f"{to_checksum_address(listed)} {hit.get('name') or ''}".strip(),
        }
        where = self.ctx.names.get(token, token)
        return [
            self._alert(
                "sanctions",
                ev,
                f"{where}: transfer with sanctioned {to_checksum_address(listed)}",
                details,
            )
        ]

    # ------------------------------------------------------------ the head

    def breach(
        self, rule: str, key: str, breached: bool, ev: Event, title: str, details: dict
    ) -> list[dict]:
        """An alert when `key` starts breaching `rule` (not again while it stays breached),
        and one when it recovers."""
        breaches = self.state["breaches"]
        mark = f"{rule}:{key}"
        if breached == (mark in breaches):
            return []
        if breached:
            breaches[mark] = ev.block
            return [self._alert(rule, ev, title, details, part=key)]
        since = breaches.pop(mark)
        alert = self._alert(
            rule,
            ev,
            f"{title} (recovered; breached since block {since})",
            details,
            part=f"{key}:ok",
        )
        alert["severity"] = "info"
        alert["recovered"] = True
        return [alert]

    def on_head(self, reads: dict[str, Any], ev: Event) -> list[dict]:
        """Attestation age and coverage at the last processed block (`reads`: supply,
        reserve, updated_at, max_age of the stablecoin, as read on chain)."""
        found: list[dict] = []
        supply, reserve = reads.get("supply"), reads.get("reserve")
        scale = reads.get("scale")
        if self._on("attestation_age") and reads.get("updated_at") and reads.get("max_age"):
            age = ev.time - int(reads["updated_at"])
            max_age = int(reads["max_age"])
            limit = int(max_age * self.config.rules.attestation_age.share_of_max_age)
            name = self.ctx.names.get(ev.address, "")
            found += self.breach(
                "attestation_age",
                ev.address,
                age > limit,
                ev,
                f"{name}: reserve attestation is {display.duration(age)} old (alert above "
                f"{display.duration(limit)}, minting stops at {display.duration(max_age)})",
                {
                    "attested_at": display.utc(int(reads["updated_at"])),
                    "age": f"{display.duration(age)} ({age:,} s)",
                    "max_age": display.duration(max_age),
                },
            )
        if self._on("coverage") and supply and reserve is not None and scale:
            minimum = self.config.rules.coverage.minimum_percent
            below = Decimal(reserve) * 100 < minimum * Decimal(supply)
            found += self.breach(
                "coverage",
                ev.address,
                below,
                ev,
                f"{self.ctx.names.get(ev.address, '')}: coverage "
                f"{display.coverage(reserve, supply)} (minimum {minimum}%)",
                {
                    "supply": display.amount(supply, scale[1], scale[0]),
                    "attested_reserve": display.amount(reserve, scale[1], scale[0]),
                    "coverage": display.coverage(reserve, supply),
                },
            )
        return found


def _canonical(item: dict) -> str:
    """The canonical ABI type of an input (tuples spelled out)."""
    kind = item["type"]
    if kind.startswith("tuple"):
        inner = ",".join(_canonical(c) for c in item["components"])
        return f"({inner}){kind[5:]}"
    return kind
