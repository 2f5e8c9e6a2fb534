"""What differs between paying a payroll in the digital som and in KGST: the contract that
pays (DigitalSom itself, or a PayrollDisperser for KGST), the rows the chain refuses, and
the actions that pay a chunk.

Both pay a chunk with `disburse(batchId, payees, amounts)` and record it under
`batchContent(payer, batchId)`; reads of many payees go out in JSON-RPC batches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ape import chain

from somchain.actions import Action
from somchain.inputs import to_text
from somchain.payroll.sheet import Chunk, Payment
from somchain.rpc import Reader, head_reader

KIND_NONE, KIND_WALLET, KIND_CLOSED = 0, 1, 4
SKIP_REASONS = {1: "frozen", 2: "wallet closed", 3: "sweep target unavailable"}
NO_LIMIT = 2**256 - 1


@dataclass(frozen=True)
class RowProblem:
    """A payee the chain would refuse (`fatal`: the chunk reverts) or skip."""

    line: int
    text: str
    fatal: bool


class Ledger:
    """A token's payroll: `payer` (the treasury) pays through `payer_contract`."""

    name = ""
    role: str | None = None
    payer_topic = "payer"  # the indexed payer argument of BatchDisbursed

    def __init__(self, token: Any, payer_contract: Any, payer: str) -> None:
        self.token = token
        self.contract = payer_contract
        self.payer = payer
        self.decimals = int(token.decimals())
        self.symbol = str(token.symbol())

    def reader(self) -> Reader:
        """Reads at the head, in JSON-RPC batches on a node reached over HTTP."""
        return head_reader(chain.provider)

    def contents(self, chunks: list[Chunk]) -> list[bytes]:
        """`batchContent(payer, id)` of each chunk: zero while unpaid."""
        calls = [
            (self.contract.address, "batchContent(address,bytes32)", [self.payer, c.batch_id])
            for c in chunks
        ]
        return [bytes(v) for v in self.reader().many(calls, ["bytes32"])]

    def balance(self) -> int:
        return int(self.token.balanceOf(self.payer))

    def show(self, units: int) -> str:
        return f"{to_text(units, self.decimals)} {self.symbol}"

    def row_problems(self, payments: list[Payment]) -> list[RowProblem]:
        raise NotImplementedError

    def payer_problems(self, total: int) -> list[str]:
        problems = []
        if self.token.paused():
            problems.append(f"{self.token.address} is paused")
        if self.token.isFrozen(self.payer):
            problems.append(f"payer {self.payer} is frozen")
        balance = self.balance()
        if balance < total:
            problems.append(
                f"payer {self.payer} holds {self.show(balance)}, "
                f"less than the {self.show(total)} still to pay"
            )
        return problems

    def actions(self, chunks: list[Chunk], count: int, name: str) -> list[Action]:
        return [
            Action(
                self.contract,
                "disburse",
                [c.batch_id, c.payees, c.amounts],
                f"pay chunk {c.index + 1}/{count} of {name}: {len(c.payments)} payees, "
                f"{self.show(c.total)} (batch {c.batch_id.hex()[:12]})",
                role=self.role,
            )
            for c in chunks
        ]

    def proposals(self, chunks: list[Chunk], count: int, name: str) -> list[list[Action]]:
        """The calls of each chunk as one Safe transaction of its own, so the chunks' proposals
        can be signed, rehearsed and executed one by one."""
        return [[a] for a in Ledger.actions(self, chunks, count, name)]


class CbdcLedger(Ledger):
    """The digital som: the treasury (TREASURY_ROLE) calls `DigitalSom.disburse`."""

    name = "cbdc"
    role = "TREASURY_ROLE"
    payer_topic = "treasury"

    def __init__(self, som: Any, payer: str) -> None:
        super().__init__(som, som, payer)

    def row_problems(self, payments: list[Payment]) -> list[RowProblem]:
        """Unregistered payees (fatal), closed or frozen wallets (skipped by the contract),
        and amounts that would take a wallet above its tier's holding limit (swept)."""
        r = self.reader()
        som = self.token.address
        payees = [p.payee for p in payments]
        kinds = r.many([(som, "accountKind(address)", [a]) for a in payees], ["uint8"])
        frozen = r.many([(som, "isFrozen(address)", [a]) for a in payees], ["bool"])
        wallets = [p for p, k in zip(payments, kinds, strict=True) if k == KIND_WALLET]
        info = r.many(
            [(som, "walletOf(address)", [p.payee]) for p in wallets],
            ["uint8", "address", "bool"],
        )
        balances = r.many([(som, "balanceOf(address)", [p.payee]) for p in wallets], ["uint256"])
        limits = {
            t: r.call(som, "tierLimits(uint8)", [t], ["uint256", "uint256", "uint256"])[0]
            for t in {i[0] for i in info}
        }
        problems = []
        for p, kind, is_frozen in zip(payments, kinds, frozen, strict=True):
            if kind == KIND_NONE:
                problems.append(RowProblem(p.line, f"{p.payee} is not a registered wallet", True))
            elif kind == KIND_CLOSED:
                problems.append(RowProblem(p.line, f"wallet {p.payee} is closed", False))
            elif is_frozen:
                problems.append(RowProblem(p.line, f"wallet {p.payee} is frozen", False))
        held: dict[str, int] = {}  # a payee listed once per file: its balance after this payroll
        for p, (tier, _, _), balance in zip(wallets, info, balances, strict=True):
            limit = limits[tier]
            after = held.get(p.payee, balance) + p.amount
            held[p.payee] = after
            if limit != NO_LIMIT and after > limit:
                problems.append(
                    RowProblem(
                        p.line,
                        f"{self.show(p.amount)} would take wallet {p.payee} to "
                        f"{self.show(after)}, above the {self.show(limit)} holding limit of "
                        f"tier {tier}",
                        False,
                    )
                )
        return problems


class KgstLedger(Ledger):
    """KGST: the payer approves a PayrollDisperser, which pulls each chunk's total."""

    name = "kgst"

    def row_problems(self, payments: list[Payment]) -> list[RowProblem]:
        """Frozen payees (skipped by the disperser, their amount returned)."""
        r = self.reader()
        frozen = r.many(
            [(self.token.address, "isFrozen(address)", [p.payee]) for p in payments], ["bool"]
        )
        return [
            RowProblem(p.line, f"{p.payee} is frozen", False)
            for p, f in zip(payments, frozen, strict=True)
            if f
        ]

    def approval(self, total: int) -> Action:
        """The payer's `approve` letting the disperser pull `total`."""
        return Action(
            self.token,
            "approve",
            [self.contract.address, total],
            f"let the payroll disperser {self.contract.address} pull {self.show(total)}",
        )

    def actions(self, chunks: list[Chunk], count: int, name: str) -> list[Action]:
        return [self.approval(sum(c.total for c in chunks)), *super().actions(chunks, count, name)]

    def proposals(self, chunks: list[Chunk], count: int, name: str) -> list[list[Action]]:
        """Each chunk's Safe transaction approves exactly the chunk's total, then pays it
        (batched through MultiSendCallOnly): no allowance is left between proposals and each
        one runs, and rehearses, on its own."""
        return [
            [self.approval(c.total), pay]
            for c, pay in zip(chunks, Ledger.actions(self, chunks, count, name), strict=True)
        ]
