"""A government payroll at national scale on a local anvil: the treasury pays N registered
digital som wallets, timed end to end.

Run: `python -m benchmarks.payroll_scale [N ...]` (default 1000 10000 100000); merges its
sizes into benchmarks/results/payroll_scale.json. For each N, on a fresh anvil (chain id 97,
automining, its default 30M block gas limit, base fee 0):

- prepare (not timed): deploy the digital som (`deploy_staffed`) with its roles and default
  tiers, issue the money and move it to the treasury, register the N payees in the
  verified tier with `registerWallets`, 250 per transaction, sent as JSON-RPC batches and
  mined together; write the payroll file (CSV rows `address,amount`, 100 som each);
- timed: one call to `run_payroll`, which pays the whole file with the code of `ape run
  payroll pay FILE --token cbdc --yes` (rows checked against the chain, chunks of 500 payees
  per `disburse`, receipts, journal and receipt file);
- gas: the sum of `gasUsed` over the blocks mined during that call (only the payroll's
  transactions run on this node); checked after: every payee's balance and the treasury's.

The payees are new wallets (registered, never paid). Registration already wrote their
balance word (it holds their kind and tier), so a first payment costs what a later one does.
"""

from __future__ import annotations

import csv
import tempfile
import time
from pathlib import Path
from typing import Any

from eth_utils import keccak, to_checksum_address

from benchmarks.provenance import RESULTS, Run, arguments, merge_sizes
from somchain.anvil import Anvil
from somchain.cbdc import SOM, TIER_VERIFIED, apply_default_tiers
from somchain.cbdc.deploy import deploy_staffed

OUT = RESULTS / "payroll_scale.json"
SIZES = (1_000, 10_000, 100_000)
AMOUNT = 100 * SOM
REGISTER_PER_TX = 250  # about 47,000 gas per wallet: two words written


def payees(n: int) -> list[str]:
    return [to_checksum_address(keccak(b"payroll/%d" % i)[12:]) for i in range(n)]


def write_payroll_file(path: Path, rows: list[tuple[str, int]]) -> None:
    """The payroll file: `address,amount` rows, amounts in som (2 decimals)."""
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        for address, units in rows:
            writer.writerow([address, f"{units // SOM}.{units % SOM:02d}"])


def run_payroll(som: Any, treasury: Any, payroll_file: Path, provider: Any) -> Any:
    """The timed call: the code `ape run payroll pay FILE --token cbdc --yes` runs (every row
    checked against the chain, then the chunks' `disburse` transactions and receipts, the
    journal and the receipt file)."""
    from somchain.actions.pipeline import run as pipeline
    from somchain.payroll import run
    from somchain.payroll.ledgers import CbdcLedger

    def send(build, on_receipt):
        return pipeline(
            build,
            treasury,
            provider,
            yes=True,
            confirm=lambda _: True,
            echo=lambda _: None,
            on_receipt=on_receipt,
        )

    return run.pay(payroll_file, CbdcLedger(som, treasury.address), send, lambda _: None)


def _register(w3: Any, som: Any, bank: str, wallets: list[str]) -> None:
    """Registers `wallets` in batches of REGISTER_PER_TX, mined together (automine off)."""
    nonce = w3.eth.get_transaction_count(bank)
    w3.provider.make_request("evm_setAutomine", [False])
    try:
        calls = []
        for start in range(0, len(wallets), REGISTER_PER_TX):
            part = wallets[start : start + REGISTER_PER_TX]
            tx = {
                "from": bank,
                "to": som.address,
                "data": "0x" + bytes(som.registerWallets.encode_input(part, TIER_VERIFIED)).hex(),
                "gas": hex(14_000_000),
                "gasPrice": hex(10 * 10**9),
                "nonce": hex(nonce + len(calls)),
            }
            calls.append(("eth_sendTransaction", [tx]))
        for i in range(0, len(calls), 50):
            answers = w3.provider.make_batch_request(calls[i : i + 50])
            bad = [a for a in answers if "error" in a]
            if bad:
                raise RuntimeError(f"registration failed: {bad[0]['error']}")
        for _ in range(2 * len(calls)):
            if w3.eth.get_transaction_count(bank) == nonce + len(calls):
                break
            w3.provider.make_request("evm_mine", [])
        else:
            raise RuntimeError("registration transactions were not all mined")
    finally:
        w3.provider.make_request("evm_setAutomine", [True])


def _unpaid(w3: Any, som: Any, wallets: list[str]) -> list[str]:
    """The wallets whose balance is not AMOUNT, read in JSON-RPC batches."""
    unpaid = []
    for start in range(0, len(wallets), 1_000):
        part = wallets[start : start + 1_000]
        calls = [
            (
                "eth_call",
                [
                    {"to": som.address, "data": "0x" + bytes(som.balanceOf.encode_input(w)).hex()},
                    "latest",
                ],
            )
            for w in part
        ]
        answers = w3.provider.make_batch_request(calls)
        unpaid += [w for w, a in zip(part, answers, strict=True) if int(a["result"], 16) != AMOUNT]
    return unpaid


def run_size(n: int) -> dict:
    import ape
    from ape import accounts

    run = Run("payroll_scale")
    # Base fee 0: the registrations fill blocks back to back and would otherwise price
    # themselves out of the pool; gas used does not depend on the price.
    node = Anvil("--chain-id", "97", "--accounts", "10", "--base-fee", "0").start()
    try:
        with ape.networks.parse_network_choice(f"bsc:anvil-testnet:{node.url}") as provider:
            central_bank, treasury, bank = (accounts.test_accounts[i] for i in (0, 6, 7))
            t = time.perf_counter()
            som = deploy_staffed(central_bank, bank, treasury)
            apply_default_tiers(som, central_bank)
            total = n * AMOUNT
            som.setIssuanceAllowance(central_bank, total, sender=central_bank)
            som.issue(bank, total, sender=central_bank)
            som.transfer(treasury, total, sender=bank)
            wallets = payees(n)
            _register(node.w3, som, bank.address, wallets)
            payments = [(w, AMOUNT) for w in wallets]
            with tempfile.TemporaryDirectory() as tmp:
                payroll_file = Path(tmp) / f"payroll-{n}.csv"
                write_payroll_file(payroll_file, payments)
                prepare_seconds = time.perf_counter() - t
                first_block = node.w3.eth.block_number + 1
                t = time.perf_counter()
                run_payroll(som, treasury, payroll_file, provider)
                seconds = time.perf_counter() - t
            last_block = node.w3.eth.block_number
            gas = 0
            transactions = 0
            for number in range(first_block, last_block + 1):
                block = node.w3.eth.get_block(number)
                gas += block.gasUsed
                transactions += len(block.transactions)
            unpaid = _unpaid(node.w3, som, wallets)
            treasury_left = som.balanceOf(treasury)
    finally:
        node.stop()
    if unpaid or treasury_left != 0:
        raise RuntimeError(f"payroll incomplete: {len(unpaid)} unpaid, treasury {treasury_left}")
    return {
        "payees": n,
        "amount_per_payee": f"{AMOUNT} units (100 som)",
        "prepare_seconds": round(prepare_seconds, 1),
        "wall_seconds": round(seconds, 2),
        "payees_per_second": round(n / seconds),
        "transactions": transactions,
        "gas": gas,
        "gas_per_payee": round(gas / n),
        "run": run.record(),
    }


def main(sizes: list[int]) -> None:
    for n in sizes:
        result = run_size(n)
        print(
            f"{n} payees: {result['wall_seconds']} s, {result['payees_per_second']} payees/s, "
            f"{result['gas_per_payee']} gas per payee ({result['transactions']} transactions)",
            flush=True,
        )
        merge_sizes(OUT, str(n), result, method=__doc__.strip())


if __name__ == "__main__":
    main(arguments(__doc__, sizes=tuple(SIZES)).sizes)
