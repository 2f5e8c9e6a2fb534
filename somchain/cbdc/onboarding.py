"""Onboard a bank's wallets from a file of any size, exactly once: check the whole file,
read on chain which of its wallets are registered already, and register the rest in
transactions sized by gas; then write the bank's receipt file.

Exactly once: the chain is the record. A wallet registered by this bank is never sent
again, so a re-run after a kill, a failed chunk or a lost receipt registers only the
missing wallets. A chunk holds as many wallets as fit `chunk_gas`, from the gas the node
estimates for registering a sample of the file's own wallets (as payroll chunks are sized
to stay well inside a block).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from somchain.actions import Action
from somchain.cbdc.ops import KIND_WALLET, KINDS, UNREGISTERED, tier
from somchain.errors import InputError
from somchain.inputs import read_address_rows
from somchain.rpc import Reader

CHUNK_GAS = 10_000_000  # gas per registration transaction: a third of a 30M-gas block
SAMPLE = 20  # wallets whose registration the node estimates to size the chunks
RECEIPT_FIELDS = ["line", "wallet", "tier", "status", "tx", "block"]
Echo = Callable[[str], None]


@dataclass(frozen=True)
class Row:
    line: int
    wallet: str
    tier: int


@dataclass
class Plan:
    """A checked wallet file against the chain: what is registered, what is to send."""

    path: Path
    bank: str
    rows: list[Row]
    done: list[Row]  # registered to this bank already
    chunks: list[list[Row]]  # the rest, one registration transaction each
    gas_per_wallet: int
    warnings: list[str] = field(default_factory=list)

    @property
    def todo(self) -> list[Row]:
        return [row for chunk in self.chunks for row in chunk]

    def lines(self) -> list[str]:
        out = [
            f"wallets {self.path.name}: {len(self.rows):,} wallets for bank {self.bank}",
            f"  already registered: {len(self.done):,}",
            f"  to register: {len(self.todo):,} in {len(self.chunks)} transactions "
            f"(about {self.gas_per_wallet:,} gas a wallet)",
        ]
        return out + [f"  warning: {w}" for w in self.warnings]


def read_rows(path: str | Path) -> list[Row]:
    """`address,tier` rows (a header row is allowed); every bad row with its line number."""
    problems: list[str] = []
    rows = []
    for row in read_address_rows(path, "wallet", columns=2, problems=problems):
        try:
            rows.append(Row(row.line, row.address, tier(row.cells[0])))
        except InputError as err:
            problems.append(f"line {row.line}: {err}")
    if problems:
        raise InputError(_bad_rows(path, problems))
    return rows


def _bad_rows(path: str | Path, problems: list[str]) -> str:
    ordered = sorted(problems, key=lambda t: int(t.split(":")[0].removeprefix("line ") or 0))
    shown = "; ".join(ordered[:5])
    more = f" (and {len(ordered) - 5} more)" if len(ordered) > 5 else ""
    return f"{path}: {len(ordered)} bad row{'s' if len(ordered) != 1 else ''}: {shown}{more}"


def plan(
    som: Any,
    bank: str,
    path: str | Path,
    reader: Reader,
    estimate: Callable[[Action], int],
    chunk_gas: int = CHUNK_GAS,
) -> Plan:
    """Checks the whole file and reads the chain: the bank's role, retail tiers, wallets
    already registered (to this bank: done; as anything else: a bad row). `estimate(action)`
    is the node's gas estimate of a registration, from `bank`. Raises one InputError listing
    every bad row (nothing is sent)."""
    rows = read_rows(path)
    address = som.address
    if not reader.call(address, "hasRole(bytes32,address)", [_bank_role(som), bank], ["bool"]):
        raise InputError(f"account {bank} does not hold BANK_ROLE on {address}")
    retail = int(som.MAX_RETAIL_TIER())
    kinds = reader.many([(address, "accountKind(address)", [r.wallet]) for r in rows], ["uint8"])
    held = [r for r, kind in zip(rows, kinds, strict=True) if kind == KIND_WALLET]
    infos = reader.many(
        [(address, "walletOf(address)", [r.wallet]) for r in held], ["uint8", "address", "bool"]
    )
    linked = {r.wallet: (int(t), str(b)) for r, (t, b, _) in zip(held, infos, strict=True)}
    problems, warnings, done, todo = [], [], [], []
    for row, kind in zip(rows, kinds, strict=True):
        if row.tier > retail:
            problems.append(
                f"line {row.line}: tier {row.tier} is institutional (a bank registers tiers "
                f"0..{retail}; the central bank assigns the others)"
            )
        elif kind == KIND_WALLET:
            current, owner = linked[row.wallet]
            if owner.lower() != bank.lower():
                problems.append(f"line {row.line}: {row.wallet} is a wallet of bank {owner}")
                continue
            done.append(row)
            if current != row.tier:
                warnings.append(
                    f"line {row.line}: {row.wallet} is registered at tier {current}, not "
                    f"{row.tier} (set-tier moves it)"
                )
        elif kind in UNREGISTERED:
            todo.append(row)
        else:
            problems.append(
                f"line {row.line}: {row.wallet} is registered as a {KINDS.get(kind, kind)}"
            )
    if problems:
        raise InputError(_bad_rows(path, problems) + "; nothing sent")
    fixed, per_wallet = _gas_cost(som, todo, estimate)
    size = max(1, (chunk_gas - fixed) // per_wallet) if per_wallet else 1
    chunks = []
    for t in sorted({row.tier for row in todo}):
        same = [row for row in todo if row.tier == t]
        chunks += [same[i : i + size] for i in range(0, len(same), size)]
    return Plan(Path(path), bank, rows, done, chunks, per_wallet, warnings)


def _bank_role(som: Any) -> bytes:
    return bytes(som.BANK_ROLE())


def _gas_cost(som: Any, todo: list[Row], estimate: Callable[[Action], int]) -> tuple[int, int]:
    """The node's estimates for registering one and a sample of the file's wallets, as a
    transaction's fixed cost and the cost of each wallet."""
    if not todo:
        return 0, 0
    sample = [row for row in todo if row.tier == todo[0].tier][:SAMPLE]

    def cost(rows: list[Row]) -> int:
        probe = Action(som, "registerWallets", [[r.wallet for r in rows], rows[0].tier], "")
        return int(estimate(probe))

    one = cost(sample[:1])
    if len(sample) == 1:
        return 0, one
    each = -(-(cost(sample) - one) // (len(sample) - 1))
    return max(0, one - each), each


def actions(som: Any, checked: Plan) -> list[Action]:
    """One `registerWallets` per chunk."""
    count, name = len(checked.chunks), checked.path.name
    return [
        Action(
            som,
            "registerWallets",
            [[row.wallet for row in chunk], chunk[0].tier],
            f"register chunk {k + 1}/{count} of {name}: {len(chunk):,} wallets at tier "
            f"{chunk[0].tier}, linked to bank {checked.bank}",
            role="BANK_ROLE",
        )
        for k, chunk in enumerate(checked.chunks)
    ]


def receipt_path(path: str | Path) -> Path:
    file = Path(path)
    return file.with_name(file.stem + ".receipt.csv")


@dataclass
class Outcome:
    plan: Plan
    registered_now: int
    gas_used: int
    receipt_file: Path


def register(
    som: Any,
    checked: Plan,
    send: Callable[[Callable[[], list[Action]], Callable[[Action, Any], None]], list[Any]],
    echo: Echo,
    progress: Any | None = None,
) -> Outcome:
    """Registers the planned chunks. `send(build, on_receipt)` runs the operator pipeline on
    the actions `build` returns, calling `on_receipt` after each transaction; `progress`
    (optional) hears of each chunk (`start(chunks, wallets)`, `advance(wallets, gas)`,
    `stop()`). The receipt file is written whatever happens, from what the chain and the
    previous receipt say."""
    for line in checked.lines():
        echo(line)
    out = receipt_path(checked.path)
    sent: dict[str, tuple[str, int]] = _previous(out)
    gas = 0
    registered_now = 0
    if not checked.chunks:
        echo("nothing to register: every wallet of this file is registered")
        _write(out, checked, sent, {r.wallet for r in checked.rows})
        return Outcome(checked, 0, 0, out)
    if progress is not None:
        progress.start(len(checked.chunks), len(checked.todo))

    def on_receipt(action: Action, receipt: Any) -> None:
        nonlocal gas, registered_now
        gas += receipt.gas_used
        wallets = action.args[0]
        for wallet in wallets:
            sent[wallet] = (str(receipt.txn_hash), int(receipt.block_number))
        registered_now += len(wallets)
        if progress is not None:
            progress.advance(len(wallets), receipt.gas_used)

    try:
        send(lambda: actions(som, checked), on_receipt)
    finally:
        if progress is not None:
            progress.stop()
        registered = {r.wallet for r in checked.done} | {
            r.wallet for r in checked.todo if r.wallet in sent
        }
        _write(out, checked, sent, registered)
    return Outcome(checked, registered_now, gas, out)


def _previous(path: Path) -> dict[str, tuple[str, int]]:
    """The transactions an earlier run recorded, by wallet."""
    if not path.is_file():
        return {}
    found = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            if row.get("tx") and row.get("block"):
                found[row["wallet"]] = (row["tx"], int(row["block"]))
    return found


def _write(out: Path, checked: Plan, sent: dict[str, tuple[str, int]], registered: set) -> None:
    """line, wallet, tier, status, tx, block: one row per wallet of the file."""
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(RECEIPT_FIELDS)
        for row in checked.rows:
            tx, block = sent.get(row.wallet, ("", ""))
            status = "registered" if row.wallet in registered else "not registered"
            writer.writerow([row.line, row.wallet, row.tier, status, tx, block])
    tmp.replace(out)
