"""Pay a payroll file exactly once: check it in full, see on chain which of its chunks are
paid, pay the rest, and write the treasury's receipt file.

Exactly once: every chunk is paid under a batch id derived from the file's content and the
chunk's index (`somchain.payroll.sheet`), and the paying contract records, per payer and
batch id, a commitment to the chunk's payees and amounts. A chunk sent again (a re-run after
a kill, a lost receipt, a dropped connection, a replaced or stuck transaction that mines
later) is a recognised no-op on chain, so whatever happened to this process, a re-run of the
same command pays what is still unpaid and nothing twice. The chain is the source of truth;
the journal (`.payroll/` beside the file) only records the block a payroll started at and
the transactions seen, so the receipt file is found without scanning the chain.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ape import chain

from somchain.actions import Action
from somchain.errors import InputError
from somchain.inputs import to_text
from somchain.payroll.ledgers import SKIP_REASONS, Ledger, RowProblem
from somchain.payroll.sheet import Chunk, Payroll, read_payroll

CHUNK_SIZE = 500  # payees per transaction: about 4.5M gas in the digital som
ZERO = bytes(32)
Echo = Callable[[str], None]


@dataclass
class Plan:
    """A checked payroll against the chain: which chunks are paid, which are not."""

    payroll: Payroll
    ledger: Ledger
    chunks: list[Chunk]
    contents: list[bytes]  # batchContent on chain, per chunk
    warnings: list[RowProblem] = field(default_factory=list)

    @property
    def paid(self) -> list[Chunk]:
        return [c for c, got in zip(self.chunks, self.contents, strict=True) if got == c.content]

    @property
    def unpaid(self) -> list[Chunk]:
        return [c for c, got in zip(self.chunks, self.contents, strict=True) if got == ZERO]

    @property
    def conflicting(self) -> list[Chunk]:
        return [
            c
            for c, got in zip(self.chunks, self.contents, strict=True)
            if got not in (ZERO, c.content)
        ]

    def lines(self) -> list[str]:
        p, show = self.payroll, self.ledger.show
        unpaid = self.unpaid
        out = [
            f"payroll {p.path.name}: {len(p.payments):,} payees, {show(p.total)}, "
            f"{len(self.chunks)} chunks of up to {CHUNK_SIZE} (file digest 0x{p.digest.hex()})",
            f"  payer {self.ledger.payer} through {self.ledger.contract.address}",
            f"  already paid: {len(self.paid)} chunks, "
            f"{sum(len(c.payments) for c in self.paid):,} payees, "
            f"{show(sum(c.total for c in self.paid))}",
            f"  to pay: {len(unpaid)} chunks, {sum(len(c.payments) for c in unpaid):,} payees, "
            f"{show(sum(c.total for c in unpaid))}",
        ]
        out += [f"  warning: line {w.line}: {w.text}" for w in self.warnings]
        return out


def journal_path(path: str | Path, payroll: Payroll) -> Path:
    file = Path(path)
    return file.parent / ".payroll" / f"{file.name}.{payroll.digest.hex()[:16]}.jsonl"


def receipt_path(path: str | Path) -> Path:
    file = Path(path)
    return file.with_name(file.stem + ".receipt.csv")


def _journal(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text().splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:  # a line cut short by a kill
            continue
    return entries


def _append(path: Path, entry: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        f.write(json.dumps(entry) + "\n")
        f.flush()


def plan(path: str | Path, ledger: Ledger, *, fresh_is_strict: bool = True) -> Plan:
    """Reads and checks the whole file, then reads from chain which chunks are paid and
    checks the payees and the payer against the chain for the unpaid ones. Raises one
    InputError listing every bad row with its line number (nothing is sent).

    A payee the chain would refuse (never registered) is always an error. A payee it would
    skip (frozen, wallet closed) or whose holding limit the amount would pass is an error on
    a payroll not yet started, and a warning once part of the file is paid: the file can no
    longer change without becoming a new payroll, and the contract skips and reports such a
    payee (or sweeps the excess to its bank)."""
    payroll, problems = read_payroll(path, ledger.decimals)
    if problems:  # a new payroll (its ids are new): report its other rows' problems too
        rows = ledger.row_problems(payroll.payments) if payroll.payments else []
        raise InputError(_bad_rows(path, problems + [f"line {r.line}: {r.text}" for r in rows]))
    chunks = payroll.chunks(CHUNK_SIZE)
    contents = ledger.contents(chunks)
    result = Plan(payroll, ledger, chunks, contents)
    if result.conflicting:
        ids = ", ".join("0x" + c.batch_id.hex() for c in result.conflicting)
        raise InputError(f"{path}: batch ids {ids} were paid by {ledger.payer} with other content")
    unpaid = result.unpaid
    started = len(unpaid) < len(chunks)
    rows = ledger.row_problems([p for c in unpaid for p in c.payments])
    strict = fresh_is_strict and not started
    fatal = [r for r in rows if r.fatal or strict]
    result.warnings = [r for r in rows if r not in fatal]
    if fatal:
        raise InputError(_bad_rows(path, [f"line {r.line}: {r.text}" for r in fatal]))
    payer = ledger.payer_problems(sum(c.total for c in unpaid)) if unpaid else []
    if payer:
        raise InputError(f"{path}: " + "; ".join(payer))
    return result


def _bad_rows(path: str | Path, problems: list[str]) -> str:
    lines = sorted(problems, key=lambda t: int(t.split(":")[0].removeprefix("line ") or 0))
    head = f"{path}: {len(lines)} bad row{'s' if len(lines) != 1 else ''}; nothing sent"
    return "\n".join([head, *(f"  {line}" for line in lines)])


@dataclass
class Outcome:
    """What a `pay` did and found: chunks paid now, before, and the receipt rows."""

    plan: Plan
    paid_now: list[Chunk]
    gas_used: int
    receipt_file: Path | None
    skipped: list[dict[str, Any]]


def pay(
    path: str | Path,
    ledger: Ledger,
    send: Callable[[Callable[[], list[Action]], Callable[[Action, Any], None]], list[Any]],
    echo: Echo,
    progress: Any | None = None,
) -> Outcome:
    """Pays the unpaid chunks of the file. `send(build, on_receipt)` runs the operator
    pipeline (guard, preflight, rehearse, confirm, send) on the actions `build` returns and
    calls `on_receipt` after each transaction; `progress` (optional) is told of each
    paid chunk (`advance(payees, gas)`)."""
    checked = plan(path, ledger)
    journal = journal_path(path, checked.payroll)
    for line in checked.lines():
        echo(line)
    unpaid = checked.unpaid
    by_id = {c.batch_id: c for c in checked.chunks}
    paid_now: list[Chunk] = []
    gas = 0
    if unpaid:
        if not any(e.get("event") == "start" for e in _journal(journal)):
            head = chain.blocks.head.number
            _append(journal, {"event": "start", "block": head, "payer": ledger.payer})
        if progress is not None:
            progress.start(len(unpaid), sum(len(c.payments) for c in unpaid))

        def on_receipt(action: Action, receipt: Any) -> None:
            nonlocal gas
            gas += receipt.gas_used
            if action.method != "disburse":
                return
            chunk = by_id[bytes(action.args[0])]
            _append(
                journal,
                {
                    "event": "paid",
                    "chunk": chunk.index,
                    "batch_id": "0x" + chunk.batch_id.hex(),
                    "tx": str(receipt.txn_hash),
                    "block": receipt.block_number,
                },
            )
            paid_now.append(chunk)
            if progress is not None:
                progress.advance(len(chunk.payments), receipt.gas_used)

        try:
            send(
                lambda: ledger.actions(unpaid, len(checked.chunks), checked.payroll.path.name),
                on_receipt,
            )
        finally:
            if progress is not None:
                progress.stop()
        checked.contents = ledger.contents(checked.chunks)
    else:
        echo("nothing to pay: every chunk of this file is already paid")
    receipts, skipped = _receipts(checked, journal)
    out = receipt_path(path)
    _write_receipts(out, checked, receipts, skipped)
    return Outcome(checked, paid_now, gas, out, skipped)


def calldata(path: str | Path, ledger: Ledger) -> list[str]:
    """The file checked as `pay` checks it, then the transactions of its unpaid chunks, in
    order, for a signer outside the tool; nothing is sent. A chunk sent twice is a no-op
    on chain, so the list stays safe to send after part of it was."""
    from somchain.actions.calldata import calldata_lines

    checked = plan(path, ledger)
    lines = checked.lines()
    unpaid = checked.unpaid
    if not unpaid:
        return [*lines, "nothing to pay: every chunk of this file is already paid"]
    actions = ledger.actions(unpaid, len(checked.chunks), checked.payroll.path.name)
    return [*lines, *calldata_lines(actions), f"done: {len(actions)} transactions; nothing sent"]


def proposals_folder(path: str | Path) -> Path:
    """Where `propose` writes a file's Safe proposals: `<name>.safe/` beside it."""
    file = Path(path)
    return file.with_name(file.stem + ".safe")


def propose(
    path: str | Path,
    ledger: Ledger,
    write: Callable[[list[Action], int, Path], Path],
    first_nonce: int,
    echo: Echo,
) -> list[Path]:
    """With a Safe as the payer: checks the file as `pay` does, then has `write(actions,
    nonce, path)` write one proposal per unpaid chunk, at consecutive Safe nonces from
    `first_nonce`, into `proposals_folder(path)`; nothing is sent. The same file and nonce
    always give the same proposal, so a re-run after some chunks were executed proposes
    only the rest. A chunk executed twice cannot happen (the Safe's nonce), and a chunk
    paid by another route makes its proposal a no-op on chain (its batch id)."""
    checked = plan(path, ledger)
    for line in checked.lines():
        echo(line)
    unpaid = checked.unpaid
    if not unpaid:
        echo("nothing to pay: every chunk of this file is already paid")
        return []
    folder = proposals_folder(path)
    folder.mkdir(parents=True, exist_ok=True)
    groups = ledger.proposals(unpaid, len(checked.chunks), checked.payroll.path.name)
    written = []
    for k, (chunk, actions) in enumerate(zip(unpaid, groups, strict=True)):
        nonce = first_nonce + k
        name = f"chunk-{chunk.index + 1:04d}-nonce-{nonce}.json"
        written.append(write(actions, nonce, folder / name))
    return written


def status(path: str | Path, ledger: Ledger) -> tuple[Plan, list[dict[str, Any]]]:
    """The file's chunks and, from chain, whether each is paid (and in which transaction)."""
    payroll, problems = read_payroll(path, ledger.decimals)
    if problems:
        raise InputError(_bad_rows(path, problems))
    chunks = payroll.chunks(CHUNK_SIZE)
    checked = Plan(payroll, ledger, chunks, ledger.contents(chunks))
    receipts, _ = _receipts(checked, journal_path(path, payroll))
    rows = []
    for chunk, got in zip(chunks, checked.contents, strict=True):
        state = "paid" if got == chunk.content else "unpaid" if got == ZERO else "conflict"
        found = receipts.get(chunk.batch_id, {})
        rows.append(
            {
                "chunk": chunk.index,
                "batch_id": "0x" + chunk.batch_id.hex(),
                "payees": len(chunk.payments),
                "total": chunk.total,
                "state": state,
                "tx": found.get("tx"),
                "block": found.get("block"),
            }
        )
    return checked, rows


def _receipts(
    checked: Plan, journal: Path
) -> tuple[dict[bytes, dict[str, Any]], list[dict[str, Any]]]:
    """For each paid chunk, its transaction and block (from the journal, else from the
    contract's BatchDisbursed logs), and the payees the contract skipped."""
    paid = {c.batch_id: c for c in checked.paid}
    found: dict[bytes, dict[str, Any]] = {}
    entries = _journal(journal)
    for e in entries:  # the latest entry of a chunk wins; each is checked against the chain
        bid = bytes.fromhex(e.get("batch_id", "0x")[2:])
        if e.get("event") == "paid" and bid in paid and _mined_at(e["tx"]) == e["block"]:
            found[bid] = {"tx": e["tx"], "block": e["block"]}
    head = chain.blocks.head.number
    starts = [e["block"] for e in entries if e.get("event") == "start" and e["block"] <= head]
    start = min(starts, default=0)
    missing = [bid for bid in paid if bid not in found]
    contract = checked.ledger.contract
    if missing:
        topics = {checked.ledger.payer_topic: checked.ledger.payer}
        for log in contract.BatchDisbursed.range(start, head + 1, topics):
            bid = bytes(log.batchId)
            if bid in paid and bid not in found:
                found[bid] = {"tx": str(log.transaction_hash), "block": log.block_number}
    skipped: list[dict[str, Any]] = []
    txs = {v["tx"] for v in found.values()}
    if txs:
        blocks = [v["block"] for v in found.values()]
        for log in contract.PayeeSkipped.range(min(blocks), max(blocks) + 1):
            if str(log.transaction_hash) in txs and bytes(log.batchId) in paid:
                reason = getattr(log, "reason", 1)
                chunk = paid[bytes(log.batchId)]
                skipped.append(
                    {
                        "line": chunk.payments[log.index].line,
                        "payee": log.payee,
                        "amount": log.amount,
                        "reason": SKIP_REASONS.get(reason, str(reason)),
                        "batch_id": bytes(log.batchId),
                    }
                )
    return found, skipped


def _mined_at(tx: str) -> int | None:
    """The block `tx` was mined in on the connected chain, or None (a journal written
    against another chain, or a transaction replaced before it mined)."""
    try:
        return int(chain.provider.web3.eth.get_transaction_receipt(tx)["blockNumber"])
    except Exception:
        return None


def _write_receipts(
    out: Path, checked: Plan, receipts: dict[bytes, dict[str, Any]], skipped: list[dict]
) -> None:
    """payee, amount, reference, status, tx hash, block, batch id: one row per payment."""
    skipped_at = {(s["batch_id"], s["line"]): s["reason"] for s in skipped}
    show = checked.ledger.decimals
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["line", "payee", "amount", "reference", "status", "tx", "block", "batch_id"]
        )
        paid = {c.batch_id for c in checked.paid}
        for chunk in checked.chunks:
            found = receipts.get(chunk.batch_id, {})
            for p in chunk.payments:
                if chunk.batch_id not in paid:
                    state = "unpaid"
                else:
                    reason = skipped_at.get((chunk.batch_id, p.line))
                    state = f"skipped: {reason}" if reason else "paid"
                writer.writerow(
                    [
                        p.line,
                        p.payee,
                        to_text(p.amount, show).replace(",", ""),
                        p.reference,
                        state,
                        found.get("tx", ""),
                        found.get("block", ""),
                        "0x" + chunk.batch_id.hex(),
                    ]
                )
    tmp.replace(out)
