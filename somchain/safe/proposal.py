"""Safe proposal files: what a command would have sent, as a SafeTx for the board's Safe.

A proposal is a JSON file that carries everything an owner needs to sign on a machine
with no node: the chain id, the Safe, its nonce, the SafeTx fields and their EIP-712 hash,
a human summary, the calls decoded, and the rehearsal on a fork with the Safe as sender.
Owners add their signatures to it (`sign`); files signed apart merge (`merge`); once the
threshold is met anyone executes it (`exec_action`), checked against the chain first.

A file whose fields no longer give its hash is refused, and what an owner is shown is
recomputed from the SafeTx fields by `somchain.safe.screen`, never read from the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_abi import encode as abi_encode
from eth_utils import keccak, to_checksum_address

from somchain.actions.action import Action
from somchain.actions.reverts import show
from somchain.display import utc
from somchain.errors import InputError
from somchain.safe import contracts
from somchain.safe import screen as screens
from somchain.safe.tx import CALL, DELEGATECALL, SafeTxFields, pack, recover, sign

FORMAT = "somchain-safe-proposal/1"
Echo = Callable[[str], None]


@dataclass
class Proposal:
    """A proposal file's content, its SafeTx checked against its hash."""

    chain_id: int
    safe: str
    fields: SafeTxFields
    safe_tx_hash: bytes
    data: dict
    signatures: dict[str, bytes] = field(default_factory=dict)

    @property
    def nonce(self) -> int:
        return self.fields.nonce

    def to_json(self) -> dict:
        out = dict(self.data)
        out["signatures"] = {owner: "0x" + sig.hex() for owner, sig in self.signatures.items()}
        return out

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=2) + "\n")
        tmp.replace(target)
        return target


# --- building -------------------------------------------------------------------------


def multisend_data(actions: list[Action]) -> bytes:
    """`multiSend(bytes)` calldata of MultiSendCallOnly running the actions in order."""
    packed = b"".join(
        bytes([CALL])
        + bytes.fromhex(a.contract.address[2:])
        + int(a.value).to_bytes(32, "big")
        + len(a.calldata).to_bytes(32, "big")
        + a.calldata
        for a in actions
    )
    return keccak(text="multiSend(bytes)")[:4] + abi_encode(["bytes"], [packed])


def _multisend_address(safe: str, chain_id: int) -> str:
    from somchain import manifest

    data = manifest.load(chain_id)
    for entry in data.get("safes", {}).values():
        if entry["address"].lower() == safe.lower():
            return entry["singletons"]["MultiSendCallOnly"]
    local = data.get("safe_singletons", {}).get("MultiSendCallOnly")
    found = local or contracts.canonical_address("MultiSendCallOnly", chain_id)
    if not found:
        raise InputError(f"no MultiSendCallOnly known on chain {chain_id} for several calls")
    return found


def _call_record(action: Action, head_timestamp: int) -> dict:
    """One call as the file shows it: contract, function, arguments, what it does."""
    record: dict[str, Any] = {
        "contract": action.contract.address,
        "contract_name": getattr(action.contract.contract_type, "name", None),
        "function": action.method,
        "arguments": [
            show(a) if not isinstance(a, list) else [show(x) for x in a] for a in action.args
        ],
        "value": action.value,
        "summary": action.summary,
    }
    if action.method in ("schedule", "scheduleBatch") and hasattr(action.contract, "getMinDelay"):
        delay = int(action.args[-1])
        record["timelock_delay_s"] = delay
        record["executable_from"] = (
            f"{delay:,} s after the Safe executes this proposal; "
            f"at the earliest {utc(head_timestamp + delay)}"
        )
    return record


def build(
    actions: list[Action],
    safe: str,
    chain_id: int,
    network: str,
    nonce: int | None = None,
) -> Proposal:
    """The proposal of `actions` for `safe` at its current nonce (or `nonce`, to queue
    after proposals not yet executed)."""
    from ape import chain

    safe_contract = contracts.at("SafeL2", safe)
    current = int(safe_contract.call_view_method("nonce"))
    if nonce is None:
        nonce = current
    elif nonce < current:
        raise InputError(f"nonce {nonce} was already used (the Safe is at nonce {current})")
    if len(actions) == 1:
        only = actions[0]
        fields = SafeTxFields.call(only.contract.address, only.calldata, nonce, only.value)
    else:
        if any(a.value for a in actions):
            raise InputError(
                "several calls sending BNB cannot be batched through MultiSendCallOnly"
            )
        fields = SafeTxFields.call(
            _multisend_address(safe, chain_id), multisend_data(actions), nonce, 0, DELEGATECALL
        )
    digest = fields.hash(chain_id, safe)
    onchain = bytes(safe_contract.getTransactionHash(*fields.exec_args(b"")[:9], fields.nonce))
    if onchain != digest:
        raise InputError("the Safe computes another SafeTx hash (not a Safe v1.3+ contract?)")
    head = chain.blocks.head.timestamp
    owners = [to_checksum_address(o) for o in safe_contract.getOwners()]
    data = {
        "format": FORMAT,
        "chain_id": chain_id,
        "network": network,
        "safe": to_checksum_address(safe),
        "safe_version": str(safe_contract.VERSION()),
        "owners": owners,
        "threshold": int(safe_contract.getThreshold()),
        "nonce": nonce,
        "safe_tx": fields.as_dict(),
        "safe_tx_hash": "0x" + digest.hex(),
        "summary": [a.summary for a in actions],
        "calls": [_call_record(a, head) for a in actions],
        "created_at": utc(head),
        "rehearsal": None,
    }
    return Proposal(chain_id, to_checksum_address(safe), fields, digest, data)


def default_path(proposal: Proposal) -> Path:
    return Path("proposals") / (
        f"safe-{proposal.chain_id}-{proposal.nonce}-{proposal.safe_tx_hash.hex()[:8]}.json"
    )


# --- reading --------------------------------------------------------------------------


def load(path: str | Path, allow_refund: bool = False) -> Proposal:
    """Reads a proposal file; refuses one whose SafeTx fields do not give its hash, one
    carrying a signature that does not recover to the owner it is filed under, and unless
    `allow_refund` one with gas-refund fields (the tool never builds them)."""
    source = Path(path)
    if not source.is_file():
        raise InputError(f"no proposal file {path}")
    try:
        raw = json.loads(source.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InputError(f"{path} is not a proposal file (not JSON: {err})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise InputError(f"{path} is not a Safe proposal file (format {FORMAT})")
    try:
        chain_id = int(raw["chain_id"])
        safe = to_checksum_address(raw["safe"])
        claimed = bytes.fromhex(str(raw["safe_tx_hash"]).removeprefix("0x"))
        fields = SafeTxFields.from_dict(raw["safe_tx"])
    except (KeyError, ValueError, TypeError) as err:
        raise InputError(f"{path} is malformed ({err})") from None
    if int(raw.get("nonce", fields.nonce)) != fields.nonce:
        raise InputError(f"{path} was altered: its nonce differs from its SafeTx nonce")
    screens.check_refund(fields, allow_refund)
    digest = fields.hash(chain_id, safe)
    if digest != claimed:
        raise InputError(
            f"{path} was altered: its SafeTx fields hash to 0x{digest.hex()}, "
            f"not the recorded 0x{claimed.hex()}"
        )
    signatures: dict[str, bytes] = {}
    for owner, text in (raw.get("signatures") or {}).items():
        try:
            sig = bytes.fromhex(str(text).removeprefix("0x"))
            owner = to_checksum_address(owner)
        except ValueError:
            raise InputError(f"{path}: unreadable signature of {owner}") from None
        if recover(digest, sig) != owner:
            raise InputError(f"{path}: the signature filed under {owner} was not made by it")
        signatures[owner] = sig
    return Proposal(chain_id, safe, fields, digest, raw, signatures)


def merge(proposals: list[Proposal]) -> Proposal:
    """One proposal with the signatures of all; they must be the same SafeTx."""
    if not proposals:
        raise InputError("no proposal files given")
    first = proposals[0]
    for other in proposals[1:]:
        if (other.chain_id, other.safe, other.safe_tx_hash) != (
            first.chain_id,
            first.safe,
            first.safe_tx_hash,
        ):
            raise InputError(
                f"the files are different proposals (SafeTx 0x{first.safe_tx_hash.hex()} and "
                f"0x{other.safe_tx_hash.hex()})"
            )
    merged = Proposal(first.chain_id, first.safe, first.fields, first.safe_tx_hash, first.data)
    for p in proposals:
        merged.signatures.update(p.signatures)
    return merged


def load_all(paths: list[str], allow_refund: bool = False) -> Proposal:
    return merge([load(p, allow_refund) for p in paths])


# --- what an owner reads --------------------------------------------------------------


def _unchecked(text: Any) -> str:
    """A line of the file's own text, printable characters only, marked as quoted."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in str(text))[:300]
    return f"  | {clean}"


def screen(
    proposal: Proposal, found: screens.Catalog, allow_refund: bool = False, now: int | None = None
) -> screens.Screen:
    """The signing screen of the proposal's SafeTx (`somchain.safe.screen.review`)."""
    return screens.review(
        proposal.fields,
        proposal.chain_id,
        proposal.safe,
        found,
        allow_refund=allow_refund,
        now=now,
    )


def describe(
    proposal: Proposal,
    found: screens.Catalog,
    *,
    allow_refund: bool = False,
    now: int | None = None,
    rehearsal: list[str] | None = None,
) -> list[str]:
    """What an owner reads before signing: the screen recomputed from the SafeTx fields
    (`somchain.safe.screen`), the signer's own rehearsal when run, the proposer's under a
    heading that says it is unchecked, the warnings, and the signatures recovered."""
    shown = screen(proposal, found, allow_refund, now)
    lines = list(shown.lines)
    if rehearsal is not None:
        lines += ["rehearsal on a fork of your node, the Safe as sender (recomputed):"]
        lines += ["  " + ln for ln in rehearsal]
    else:
        lines.append("not rehearsed here: `safe sign --rehearse --network ...` runs it on a fork")
    proposer = proposal.data.get("rehearsal")
    if isinstance(proposer, dict) and proposer.get("lines"):
        lines.append("the proposer's rehearsal, as the file says (UNCHECKED, not recomputed):")
        lines += [_unchecked(ln) for ln in list(proposer["lines"])[:40]]
    lines += shown.warnings
    lines.append(
        f"signatures: {len(proposal.signatures)} ({', '.join(proposal.signatures) or 'none'})"
    )
    return lines


# --- signing, status, execution -------------------------------------------------------


def add_signature(proposal: Proposal, account: Any) -> bytes:
    """Signs the SafeTx with `account` (any ape account plugin) and files the signature."""
    owners = proposal.data.get("owners") or []
    address = to_checksum_address(account.address)
    if owners and address not in owners:
        raise InputError(f"{address} is not an owner of the Safe {proposal.safe}")
    message = proposal.fields.message(proposal.chain_id, proposal.safe)
    signature = sign(account, message, proposal.safe_tx_hash)
    proposal.signatures[address] = signature
    return signature


@dataclass
class Status:
    """A proposal checked against the chain."""

    nonce: int
    threshold: int
    owners: list[str]
    valid: list[str]
    not_owners: list[str]

    def ready(self, proposal: Proposal) -> str | None:
        """Why the proposal cannot be executed now, or None."""
        if proposal.nonce < self.nonce:
            return (
                f"the proposal is stale: its nonce {proposal.nonce} was already used "
                f"(the Safe is at nonce {self.nonce})"
            )
        if proposal.nonce > self.nonce:
            return (
                f"the proposal's nonce {proposal.nonce} is ahead of the Safe's {self.nonce}: "
                "execute the earlier proposals first"
            )
        if len(self.valid) < self.threshold:
            return f"{len(self.valid)} of {self.threshold} required owner signature(s)"
        return None


def check_chain_matches(proposal: Proposal, chain_id: int) -> None:
    if proposal.chain_id != chain_id:
        raise InputError(
            f"the proposal is for chain id {proposal.chain_id}, the network is chain id {chain_id}"
        )


def status(proposal: Proposal) -> Status:
    """Signatures checked against the owners and threshold read from the chain."""
    safe = contracts.at("SafeL2", proposal.safe)
    owners = [str(to_checksum_address(o)) for o in safe.getOwners()]
    valid = [o for o in proposal.signatures if o in owners]
    not_owners = [o for o in proposal.signatures if o not in owners]
    return Status(
        int(safe.call_view_method("nonce")), int(safe.getThreshold()), owners, valid, not_owners
    )


def exec_action(proposal: Proposal, found: screens.Catalog, allow_refund: bool = False) -> Action:
    """`execTransaction` of the proposal, after every check of the signing screen again
    (refund fields, delegatecall target, inner delegatecalls); refused unless the chain's
    nonce is the proposal's and enough owners signed; the call is simulated from the Safe
    first."""
    from somchain.governance.ops import simulate_from

    shown = screen(proposal, found, allow_refund)
    safe = contracts.at("SafeL2", proposal.safe)

    def ready() -> str | None:
        problem = status(proposal).ready(proposal)
        return f"{problem}; nothing sent" if problem else None

    def would_succeed() -> str | None:
        f = proposal.fields
        if f.operation != CALL:
            return None
        from somchain.governance.ops import _abi_for

        problem = simulate_from(proposal.safe, f.to, f.data_bytes, _abi_for(f.to), f.value)
        return f"the Safe's call would revert: {problem}" if problem else None

    onchain = status(proposal)
    chosen = {o: proposal.signatures[o] for o in onchain.valid}
    calls = "; ".join(found.name(c.to) for c in shown.calls) or "a SafeTx"
    return Action(
        safe,
        "execTransaction",
        proposal.fields.exec_args(pack(chosen)),
        f"execute through the Safe {proposal.safe} (nonce {proposal.nonce}): calls to {calls}",
        checks=[ready, would_succeed],
    )


# --- the signer's view ------------------------------------------------------------------


def signer_catalog(
    proposal: Proposal, manifest_file: str | None = None, provider: Any = None
) -> screens.Catalog:
    """The trusted names for the proposal's targets: the manifest (`manifest_file`, else
    found by chain id), and with `provider` the chain's facts (the timelock's minimum delay,
    token symbols), after checking that the node is the proposal's chain."""
    if provider is not None:
        from somchain.network import check_chain

        check_chain_matches(proposal, check_chain(provider, allow_mainnet=True))
    found = screens.catalog(
        proposal.chain_id,
        proposal.safe,
        screens.find_manifest(proposal.chain_id, manifest_file),
    )
    if provider is not None:
        screens.read_chain_facts(found, provider.web3)
    return found


def rehearse_on_fork(proposal: Proposal, found: screens.Catalog, provider: Any) -> Any:
    """The SafeTx's calls run on an anvil fork of the signer's node with the Safe as the
    sender (a timelock `schedule` then executed past its delay); the RehearsalResult."""
    from somchain.actions.rehearsal import rehearse

    uri = str(getattr(provider, "uri", "") or "")
    if not uri.startswith("http") or getattr(provider, "name", "") == "test":
        raise InputError("--rehearse needs a network reached over RPC, not the embedded chain")
    shown = screen(proposal, found, allow_refund=True)
    return rehearse(screens.rehearsal_actions(shown, found), proposal.safe, uri, proposal.chain_id)
