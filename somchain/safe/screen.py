"""The signing screen: what an owner reads before signing or executing a SafeTx, and what
it refuses. Every line is recomputed from the ten SafeTx fields and from trusted facts
(the deployment's manifest, the Safe deployments shipped by npm, the chain when
connected); nothing is taken from the proposal file's own text.

The rules, each against a known way to make a signer approve what they did not see:

- **Refund fields.** The tool never builds a gas refund; a SafeTx with a non-zero
  `safeTxGas`, `baseGas`, `gasPrice`, `gasToken` or `refundReceiver` is refused unless
  `allow_refund`, and then its worst case is shown in token units with a warning.
- **Delegatecall.** `operation = 1` runs the target's code as the Safe (it can change the
  owners or move everything). It is refused unless the target is MultiSendCallOnly
  v1.4.1: the canonical one of the chain, or the one the manifest recorded. Every inner
  call of the batch is decoded and shown; an inner delegatecall is refused.
- **Names by target.** A call is named by the contract at its target: the manifest's key
  and the ABI of the contract deployed there, or the Safe's own contracts. Test mocks
  never enter. Any other target is "unknown contract", shown raw, with a warning.
- **Hashes.** The EIP-712 domain hash, the message (struct) hash and the safeTxHash, as
  a hardware wallet shows them, so an owner can compare the three.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import keccak, to_checksum_address

from somchain import display, manifest
from somchain.actions.action import Action
from somchain.actions.events import read_view, token_scale
from somchain.actions.reverts import show
from somchain.constants import ZERO_ADDRESS
from somchain.errors import InputError
from somchain.safe import contracts
from somchain.safe.tx import CALL, DELEGATECALL, SafeTxFields

MULTISEND = keccak(text="multiSend(bytes)")[:4]
# Gas a call costs the Safe beyond the gas its target may use (the CALL itself: a cold
# account, a value transfer, memory): what `gasUsed` can exceed `safeTxGas` by.
CALL_OVERHEAD_GAS = 15_000
MAX_DEPTH = 3
# Arguments that are amounts of the called token, shown in its units when the catalog
# knows its symbol and decimals (a KGST minter's bucket in KGST, the conversion desk's in its
# unit, the digital som's smallest); a rescue's amount is of another token.
AMOUNT_ARGUMENTS = {
    "capacity",
    "refillPerSecond",
    "amount",
    "amounts",
    "value",
    "allowance",
    "increment",
    "decrement",
    "maxBalance",
    "maxPayment",
    "dailyLimit",
}
OTHER_TOKEN_AMOUNTS = {"rescueERC20"}
# The Safe's own functions that change who controls it.
SAFE_CONTROL = {
    "addOwnerWithThreshold": "adds an owner of the Safe",
    "removeOwner": "removes an owner of the Safe",
    "swapOwner": "replaces an owner of the Safe",
    "changeThreshold": "changes the Safe's threshold",
    "enableModule": "enables a module: it can then move anything without the owners",
    "disableModule": "disables a module of the Safe",
    "setGuard": "sets a guard that checks every Safe transaction",
    "setFallbackHandler": "changes the Safe's fallback handler",
}


@dataclass(frozen=True)
class Known:
    """A contract the screen trusts to name a target: who says so, and its ABI."""

    label: str  # `NationalStablecoin (stablecoin)`
    contract_type: Any


@dataclass
class Catalog:
    """Address -> the contract deployed there, from trusted sources only."""

    chain_id: int
    known: dict[str, Known] = field(default_factory=dict)  # lower-case address ->
    multisend: dict[str, str] = field(default_factory=dict)  # lower-case address -> origin
    source: str = "no manifest"
    safes: set[str] = field(default_factory=set)  # lower-case: the manifest's Safes
    min_delay: int | None = None  # the timelock's, read from the chain when connected
    token_info: dict[str, tuple[str, int]] = field(default_factory=dict)  # -> symbol, decimals

    def find(self, address: str) -> Known | None:
        return self.known.get(address.lower())

    def name(self, address: str) -> str:
        """A call's target: its label and address, or "unknown contract"."""
        found = self.find(address)
        return f"{found.label} {address}" if found else f"unknown contract {address}"

    def account(self, address: str) -> str:
        """An address that receives something: named when known, else said to be unknown."""
        found = self.find(address)
        return f"{found.label} {address}" if found else f"{address}, not named by the manifest"


def _is_mock(contract_type: Any) -> bool:
    source = str(getattr(contract_type, "source_id", "") or "")
    return "mocks/" in source.replace("\\", "/")


def _project_type(name: str) -> Any | None:
    from ape import project

    container = getattr(project, name, None) if name else None
    return None if container is None else container.contract_type


def _manifest_type(entry: dict, folder: Path) -> Any | None:
    """The ABI the manifest recorded beside itself for `entry`, else the project's build of
    the contract it names; never a test mock."""
    from ethpm_types import ContractType

    name = entry.get("contract", "")
    built = _project_type(name)
    if built is not None and _is_mock(built):
        return None
    abi_file = folder / str(entry.get("abi") or "")
    if entry.get("abi") and abi_file.is_file():
        abi = json.loads(abi_file.read_text())
        return ContractType.model_validate({"contractName": name, "abi": abi})
    return built


def _initialized_token(entry: dict, contract_type: Any) -> tuple[str, int] | None:
    """The symbol and decimals a token was initialized with, as its manifest entry
    records the initializer's arguments (read by the names of `initialize`'s inputs)."""
    initializer = entry.get("initializer") or {}
    for item in contract_type.abi:
        if getattr(item, "type", "") == "function" and item.name == initializer.get("function"):
            names = [i.name for i in item.inputs]
            args = list(initializer.get("args") or [])
            if {"symbol_", "decimals_"} <= set(names) and len(args) == len(names):
                values = dict(zip(names, args, strict=True))
                return str(values["symbol_"]), int(values["decimals_"])
    return None


def _desk_unit(entry: dict, contract_type: Any, found: Catalog) -> tuple[str, int] | None:
    """The conversion desk's unit, the smallest unit of whichever of its two tokens (its
    constructor's `kgst_` and `som_`, as the manifest records them) has fewer decimals."""
    for item in contract_type.abi:
        if getattr(item, "type", "") == "constructor":
            names = [i.name for i in item.inputs]
            args = list(entry.get("constructor_args") or [])
            if {"kgst_", "som_"} <= set(names) and len(args) == len(names):
                values = dict(zip(names, args, strict=True))
                tokens = [found.token_info.get(str(values[n]).lower()) for n in ("kgst_", "som_")]
                known = [token for token in tokens if token is not None]
                if len(known) == 2:
                    return min(known, key=lambda token: token[1])
    return None


def find_manifest(chain_id: int, given: str | None = None) -> Path | None:
    """The manifest to name targets by: `given`; else the connected node's (by its genesis);
    else the only manifest of `chain_id` in the deployments folder or its local/ folder.
    Several candidates and none given: refused, since picking one would be a guess."""
    if given:
        path = Path(given)
        if not path.is_file():
            raise InputError(f"no manifest file {given}")
        return path
    if manifest.connected_genesis(chain_id):
        path = manifest.manifest_path(chain_id)
        return path if path.is_file() else None
    base = manifest.deployments_dir()
    folders = dict.fromkeys([base, base.parent if base.name == "local" else base / "local"])
    found = sorted(p for folder in folders for p in folder.glob(f"{chain_id}-*.json"))
    if len(found) > 1:
        raise InputError(
            f"several manifests of chain id {chain_id} ({', '.join(str(p) for p in found)}): "
            "pass --manifest to say which deployment the proposal is for"
        )
    return found[0] if found else None


def catalog(chain_id: int, safe: str, manifest_file: str | Path | None = None) -> Catalog:
    """What the screen may name on `chain_id`: the manifest's contracts, its Safes and
    their singletons, the canonical Safe v1.4.1 contracts of the chain, and `safe`."""
    found = Catalog(chain_id)
    path = Path(manifest_file) if manifest_file else None
    try:
        data = json.loads(path.read_text()) if path else {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path} is not a deployment manifest ({err})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path} is not a deployment manifest (not a JSON object)")
    if path is not None:
        found.source = str(path)
        if int(data.get("chain_id", chain_id)) != chain_id:
            raise InputError(
                f"the manifest {path} is for chain id {data.get('chain_id')}, "
                f"the proposal for chain id {chain_id}"
            )
        for key, entry in (data.get("contracts") or {}).items():
            contract_type = _manifest_type(entry, path.parent)
            if contract_type is not None:
                label = f"{entry.get('contract')} ({key})"
                found.known[entry["address"].lower()] = Known(label, contract_type)
                token = _initialized_token(entry, contract_type)
                if token is not None:
                    found.token_info[entry["address"].lower()] = token
        for entry in (data.get("contracts") or {}).values():
            known = found.find(str(entry.get("address", "")))
            unit = _desk_unit(entry, known.contract_type, found) if known else None
            if unit is not None:
                found.token_info[entry["address"].lower()] = unit
    _add_safe_contracts(found, data)
    found.known.setdefault(
        safe.lower(), Known("SafeL2 (the Safe itself)", contracts.contract_type("SafeL2"))
    )
    return found


def _add_safe_contracts(found: Catalog, data: dict) -> None:
    """The manifest's Safes, the singletons it recorded and the chain's canonical ones."""
    singletons: dict[str, str] = {}
    for piece in contracts.PIECES:
        canonical = contracts.canonical_address(piece, found.chain_id)
        if canonical:
            singletons.setdefault(canonical.lower(), piece)
            if piece == "MultiSendCallOnly":
                found.multisend[canonical.lower()] = f"canonical v{contracts.SAFE_VERSION}"
    recorded = [data.get("safe_singletons") or {}]
    for name, entry in (data.get("safes") or {}).items():
        found.safes.add(entry["address"].lower())
        found.known[entry["address"].lower()] = Known(
            f"SafeL2 ({name})", contracts.contract_type("SafeL2")
        )
        recorded.append(entry.get("singletons") or {})
    for pieces in recorded:
        for piece, address in pieces.items():
            if piece not in contracts.PIECES:
                continue
            singletons.setdefault(address.lower(), piece)
            if piece == "MultiSendCallOnly":
                found.multisend.setdefault(address.lower(), "recorded in the manifest")
    for address, piece in singletons.items():
        found.known.setdefault(address, Known(f"Safe {piece}", contracts.contract_type(piece)))


def read_chain_facts(found: Catalog, w3: Any) -> None:
    """Adds what only the chain (the node of `w3`) knows: the timelock's minimum delay, and
    the symbol and decimals of the manifest's tokens (for refunds paid in them, and the
    amounts of calls to them) and of the conversion desk's unit."""
    for address, known in found.known.items():
        names = {getattr(i, "name", None) for i in known.contract_type.abi}
        target = to_checksum_address(address)
        if "getMinDelay" in names:
            with contextlib.suppress(Exception):  # no code there on this chain
                found.min_delay = int(read_view(w3, target, "getMinDelay()", "uint256"))
        if {"symbol", "decimals"} <= names:
            scale = token_scale(w3, target)
            if scale is not None and scale[2]:
                found.token_info[address] = (scale[0], scale[1])
        elif {"som", "somPerUnit"} <= names:  # the conversion desk: amounts in som units
            with contextlib.suppress(Exception):
                som = to_checksum_address(read_view(w3, target, "som()", "address"))
                scale = token_scale(w3, som)
                if scale is not None and scale[2]:
                    found.token_info[address] = (scale[0], scale[1])


# --- the ten fields and the hashes -----------------------------------------------------


def hashes(fields: SafeTxFields, chain_id: int, safe: str) -> tuple[bytes, bytes, bytes]:
    """(EIP-712 domain hash, message hash, safeTxHash): the domain separator the Safe's
    `domainSeparator()` returns, the SafeTx struct hash, and keccak(0x1901 || both)."""
    signable = fields.message(chain_id, safe).signable_message
    domain, message = bytes(signable.header), bytes(signable.body)
    return domain, message, keccak(b"\x19\x01" + domain + message)


def has_refund(fields: SafeTxFields) -> bool:
    return bool(
        fields.safeTxGas
        or fields.baseGas
        or fields.gasPrice
        or fields.gasToken != ZERO_ADDRESS
        or fields.refundReceiver != ZERO_ADDRESS
    )


def check_refund(fields: SafeTxFields, allow_refund: bool) -> None:
    """Refuses refund fields the tool never builds, unless `allow_refund`."""
    if has_refund(fields) and not allow_refund:
        raise InputError(
            f"the SafeTx carries gas-refund fields this tool never builds (safeTxGas "
            f"{fields.safeTxGas}, baseGas {fields.baseGas}, gasPrice {fields.gasPrice}, gasToken "
            f"{fields.gasToken}, refundReceiver {fields.refundReceiver}): the Safe would pay them "
            "to the executor or the receiver; refused (review it with --allow-refund)"
        )


def refund_lines(fields: SafeTxFields, found: Catalog) -> list[str]:
    """The refund's worst case: the Safe pays (gas used + baseGas) x gasPrice in gasToken,
    where gas used is at most safeTxGas plus the call's own cost once gasPrice is set."""
    if not has_refund(fields):
        return []
    if fields.gasToken == ZERO_ADDRESS:
        symbol, decimals = "BNB", 18
    else:
        symbol, decimals = found.token_info.get(fields.gasToken.lower(), ("", 0))
    worst = (fields.safeTxGas + CALL_OVERHEAD_GAS + fields.baseGas) * fields.gasPrice
    paid = display.amount(worst, decimals, symbol) if symbol else f"{worst:,} base units"
    token = "BNB" if fields.gasToken == ZERO_ADDRESS else found.name(fields.gasToken)
    receiver = (
        "whoever executes it (tx.origin)"
        if fields.refundReceiver == ZERO_ADDRESS
        else found.account(fields.refundReceiver)
    )
    return [
        f"WARNING: gas refund: the Safe pays up to {paid} in {token} to {receiver}",
        f"  (safeTxGas {fields.safeTxGas:,} + about {CALL_OVERHEAD_GAS:,} for the call + "
        f"baseGas {fields.baseGas:,}) x gasPrice {fields.gasPrice:,}; paid even if the call fails",
    ]


def field_lines(fields: SafeTxFields, found: Catalog) -> list[str]:
    """The ten SafeTx fields, each as signed, the addresses named by the catalog."""
    data = fields.data_bytes
    token = "BNB" if fields.gasToken == ZERO_ADDRESS else found.name(fields.gasToken)
    receiver = (
        "none: tx.origin"
        if fields.refundReceiver == ZERO_ADDRESS
        else found.account(fields.refundReceiver)
    )
    operation = "1 (DELEGATECALL)" if fields.operation == DELEGATECALL else "0 (call)"
    head = f"0x{data[:4].hex()}" if data else "0x"
    return display.rows(
        [
            ("to", found.name(fields.to)),
            ("value", f"{fields.value:,} wei ({display.amount(fields.value, 18, 'BNB')})"),
            ("data", f"{head}... ({len(data):,} bytes, keccak 0x{keccak(data).hex()})"),
            ("operation", operation),
            ("safeTxGas", f"{fields.safeTxGas:,}"),
            ("baseGas", f"{fields.baseGas:,}"),
            ("gasPrice", f"{fields.gasPrice:,}"),
            ("gasToken", f"{fields.gasToken} ({token})"),
            ("refundReceiver", f"{fields.refundReceiver} ({receiver})"),
            ("nonce", f"{fields.nonce:,}"),
        ]
    )


# --- decoding by target ----------------------------------------------------------------


@dataclass
class Call:
    """One call the Safe makes (directly, or inside a MultiSendCallOnly batch)."""

    to: str
    value: int
    data: bytes


@dataclass
class Screen:
    """What the screen shows: its lines, its warnings, the calls the Safe makes (for a
    rehearsal) and each timelock `schedule`'s delay."""

    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    delays: list[int] = field(default_factory=list)


def _function(known: Known, selector: bytes) -> Any | None:
    for item in known.contract_type.abi:
        if getattr(item, "type", "") == "function" and keccak(text=item.selector)[:4] == selector:
            return item
    return None


def decode_call(
    to: str, data: bytes, value: int, found: Catalog, screen: Screen, depth: int = 0
) -> list[str]:
    """Lines saying what calling `to` with `data` does, by the ABI of the contract at `to`;
    a timelock's schedule or execute is opened up to its inner calls."""
    pad = "  " * depth
    known = found.find(to)
    sent = f", sending {display.amount(value, 18, 'BNB')}" if value else ""
    if known is None:
        screen.warnings.append(
            f"WARNING: {to} is not a contract of {found.source} nor a Safe contract: the tool "
            "cannot say what this call does"
        )
        return [
            f"{pad}unknown contract {to}{sent}: selector 0x{data[:4].hex()}, data 0x{data.hex()}"
        ]
    head = f"{pad}{known.label} {to}"
    if not data:
        return [f"{head}: no call data{sent}"]
    item = _function(known, bytes(data[:4]))
    if item is None:
        screen.warnings.append(
            f"WARNING: selector 0x{data[:4].hex()} is not a function of {known.label} {to}"
        )
        return [f"{head}: unknown function 0x{data[:4].hex()}{sent}, data 0x{data.hex()}"]
    types = [i.canonical_type for i in item.inputs]
    try:
        values = abi_decode(types, bytes(data[4:]))
    except Exception:
        screen.warnings.append(f"WARNING: the arguments of {item.name} on {to} do not decode")
        return [f"{head}: {item.name} with undecodable arguments 0x{data[4:].hex()}"]
    if abi_encode(types, list(values)) != bytes(data[4:]):
        screen.warnings.append(
            f"WARNING: the call to {item.name} on {to} carries bytes beyond its arguments"
        )
    names = [i.name or f"arg{n}" for n, i in enumerate(item.inputs)]
    args = dict(zip(names, values, strict=True))
    if item.name in SAFE_CONTROL and known.label.startswith("SafeL2"):
        screen.warnings.append(f"WARNING: {item.name} {SAFE_CONTROL[item.name]}")
    if depth < MAX_DEPTH and item.name in ("schedule", "execute") and "target" in args:
        return _timelock_single(head, item.name, args, found, screen, depth, sent)
    if depth < MAX_DEPTH and item.name in ("scheduleBatch", "executeBatch") and "targets" in args:
        return _timelock_batch(head, item.name, args, found, screen, depth, sent)
    token = None if item.name in OTHER_TOKEN_AMOUNTS else found.token_info.get(to.lower())
    shown = ", ".join(
        f"{k}={_show(v, t, found, token if k in AMOUNT_ARGUMENTS else None)}"
        for (k, v), t in zip(args.items(), types, strict=True)
    )
    return [f"{head}: {item.name}({shown}){sent}"]


def _show(value: Any, abi_type: str, found: Catalog, token: tuple[str, int] | None) -> str:
    """An argument as a person reads it: an address checksummed and named when the
    catalog knows it, an amount of the target token in its units, a list item by item."""
    if isinstance(value, list | tuple) and abi_type.endswith("]"):
        inner = abi_type[: abi_type.rindex("[")]
        return "[" + ", ".join(_show(v, inner, found, token) for v in value) + "]"
    if abi_type == "address":
        address = to_checksum_address(value)
        known = found.find(address)
        return f"{address} ({known.label})" if known else address
    if token is not None and abi_type.startswith("uint"):
        symbol, decimals = token
        return display.amount(int(value), decimals, symbol)
    return show(value)


def _timelock_single(head, name, args, found, screen, depth, sent) -> list[str]:
    if name == "schedule":
        delay = int(args["delay"])
        screen.delays.append(delay)
        lines = [f"{head}: schedule, delay {delay:,} s ({display.duration(delay)}){sent}, of:"]
    else:
        lines = [f"{head}: execute now{sent}, of:"]
    return lines + decode_call(
        to_checksum_address(args["target"]),
        bytes(args["data"] if "data" in args else args["payload"]),
        int(args["value"]),
        found,
        screen,
        depth + 1,
    )


def _timelock_batch(head, name, args, found, screen, depth, sent) -> list[str]:
    targets, values = args["targets"], args["values"]
    payloads = args["payloads"]
    if not len(targets) == len(values) == len(payloads):
        screen.warnings.append(f"WARNING: the {name} lists differ in length")
    if name == "scheduleBatch":
        delay = int(args["delay"])
        screen.delays.append(delay)
        what = f"scheduleBatch, delay {delay:,} s ({display.duration(delay)})"
    else:
        what = "executeBatch now"
    lines = [f"{head}: {what}{sent}, of {len(targets)} call(s):"]
    for target, value, payload in zip(targets, values, payloads, strict=False):
        lines += decode_call(
            to_checksum_address(target), bytes(payload), int(value), found, screen, depth + 1
        )
    return lines


def unpack_multisend(data: bytes) -> list[Call]:
    """The calls of `multiSend(bytes)` calldata; refuses an inner delegatecall and any
    packing MultiSendCallOnly would read otherwise than shown."""
    if bytes(data[:4]) != MULTISEND:
        raise InputError(
            f"the delegatecall to MultiSendCallOnly calls selector 0x{data[:4].hex()}, "
            "not multiSend(bytes); refused"
        )
    try:
        (packed,) = abi_decode(["bytes"], bytes(data[4:]))
    except Exception:
        raise InputError("the multiSend batch does not decode; refused") from None
    if abi_encode(["bytes"], [packed]) != bytes(data[4:]):
        raise InputError("the multiSend calldata carries bytes beyond its batch; refused")
    calls, at, index = [], 0, 0
    while at < len(packed):
        index += 1
        if at + 85 > len(packed):
            raise InputError(f"the multiSend batch's call {index} is truncated; refused")
        operation = packed[at]
        if operation != CALL:
            raise InputError(
                f"the multiSend batch's call {index} is a delegatecall (operation {operation}): "
                "it would run another contract's code as the Safe; refused"
            )
        to = to_checksum_address(packed[at + 1 : at + 21])
        value = int.from_bytes(packed[at + 21 : at + 53], "big")
        size = int.from_bytes(packed[at + 53 : at + 85], "big")
        if at + 85 + size > len(packed):
            raise InputError(f"the multiSend batch's call {index} is truncated; refused")
        calls.append(Call(to, value, bytes(packed[at + 85 : at + 85 + size])))
        at += 85 + size
    return calls


def review(
    fields: SafeTxFields,
    chain_id: int,
    safe: str,
    found: Catalog,
    *,
    allow_refund: bool = False,
    now: int | None = None,
) -> Screen:
    """The screen of a SafeTx; raises InputError (one line) for what it refuses."""
    check_refund(fields, allow_refund)
    screen = Screen()
    if fields.operation == DELEGATECALL:
        origin = found.multisend.get(fields.to.lower())
        if origin is None:
            raise InputError(
                f"the SafeTx delegatecalls {fields.to}, which is not MultiSendCallOnly "
                f"v{contracts.SAFE_VERSION} of chain id {chain_id} (canonical or in the manifest): "
                "a delegatecall runs the target's code as the Safe and can change its owners or "
                "move everything; refused"
            )
        screen.calls = unpack_multisend(fields.data_bytes)
        body = [f"batch of {len(screen.calls)} call(s) through MultiSendCallOnly ({origin}):"]
        for number, call in enumerate(screen.calls, 1):
            body.append(f"  call {number}:")
            body += decode_call(call.to, call.data, call.value, found, screen, depth=2)
    else:
        screen.calls = [Call(fields.to, fields.value, fields.data_bytes)]
        body = decode_call(fields.to, fields.data_bytes, fields.value, found, screen, depth=1)
    domain, message, digest = hashes(fields, chain_id, safe)
    named_safe = found.find(safe)
    screen.lines = [
        f"Safe {safe} ({named_safe.label if named_safe else 'unknown'}) on chain id {chain_id}",
        f"names from {found.source} and the Safe v{contracts.SAFE_VERSION} deployments",
        "the SafeTx, field by field (what is signed):",
        *("  " + ln for ln in field_lines(fields, found)),
        "hashes, recomputed (a Ledger shows the first two; the Safe's getTransactionHash "
        "the third):",
        *(
            "  " + ln
            for ln in display.rows(
                [
                    ("domain hash", "0x" + domain.hex()),
                    ("message hash", "0x" + message.hex()),
                    ("safeTxHash", "0x" + digest.hex()),
                ]
            )
        ),
        "what it does, decoded by the ABI of each call's target:",
        *body,
    ]
    screen.lines += _timelock_lines(screen, found, now)
    if safe.lower() not in found.safes:
        screen.warnings.append(f"WARNING: the Safe {safe} is not recorded in {found.source}")
    screen.warnings = refund_lines(fields, found) + list(dict.fromkeys(screen.warnings))
    return screen


def _timelock_lines(screen: Screen, found: Catalog, now: int | None) -> list[str]:
    """When a timelocked call can run: the decoded delay, never less than the chain's
    minimum delay (read when connected)."""
    lines = []
    for delay in screen.delays:
        floor = found.min_delay
        if floor is not None and delay < floor:
            screen.warnings.append(
                f"WARNING: the schedule's delay {delay:,} s is below the timelock's minimum "
                f"{floor:,} s: the Safe's transaction would revert"
            )
        wait = max(delay, floor or 0)
        line = (
            f"timelock: the call can run {display.duration(wait)} ({wait:,} s) after this "
            "SafeTx executes"
        )
        if now is not None:
            line += f"; at the earliest {display.utc(now + wait)} if executed now"
        line += (
            f" (the chain's minimum delay: {floor:,} s)"
            if floor is not None
            else " (the chain's minimum delay not read: offline)"
        )
        lines.append(line)
    return lines


# --- the signer's own rehearsal --------------------------------------------------------


@dataclass
class _RawAction(Action):
    """An Action whose calldata is the SafeTx's bytes as signed, never re-encoded."""

    raw: bytes = b""

    @property
    def calldata(self) -> bytes:
        return self.raw


def rehearsal_actions(screen: Screen, found: Catalog) -> list[Action]:
    """The calls the Safe makes, as actions a fork rehearsal runs with the Safe as sender
    (a timelock `schedule` is then executed past its delay, as for any command)."""
    from ethpm_types import ContractType

    actions: list[Action] = []
    for call in screen.calls:
        known = found.find(call.to)
        contract_type = (
            known.contract_type
            if known
            else ContractType.model_validate({"contractName": "unknown", "abi": []})
        )
        method, args = "call", []
        item = _function(known, call.data[:4]) if known and call.data else None
        if item is not None:
            method = item.name
            with contextlib.suppress(Exception):
                types = [i.canonical_type for i in item.inputs]
                args = list(abi_decode(types, call.data[4:]))
        target = SimpleNamespace(address=call.to, contract_type=contract_type)
        summary = f"{method} on {found.name(call.to)}"
        actions.append(_RawAction(target, method, args, summary, value=call.value, raw=call.data))
    return actions
