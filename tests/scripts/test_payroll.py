"""`ape run payroll check|pay|status FILE` on anvil: a 2,000-payee payroll reconciled, the
process killed at random points and re-run until every payee is paid exactly once, every
kind of bad row refused with its line number and nothing sent, squatted ids, wallets closed
mid-run, and KGST through the PayrollDisperser."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from eth_utils import to_checksum_address

from somchain.rpc import Reader
from tests.utils.chain import deploy_raw
from tests.utils.constants import BANK, DEPLOYER, ONE, SOM, TEST_ACCOUNTS
from tests.utils.paths import ROOT, manifest_in

N = 2_000
KGST_N = 600


def _payees(n: int, offset: int = 0) -> list[str]:
    return [
        to_checksum_address(((0xFA7 << 148) + offset + i).to_bytes(20, "big")) for i in range(n)
    ]


def _contract(w3, name: str, address: str):
    from ape import project

    abi = [a.model_dump(by_alias=True) for a in getattr(project, name).contract_type.abi]
    return w3.eth.contract(address=address, abi=abi)


def _balances(w3, token, accounts: list[str]) -> list[int]:
    """balanceOf of each account, in JSON-RPC batches."""
    reader = Reader(w3, w3.eth.block_number)
    return reader.many([(token.address, "balanceOf(address)", [a]) for a in accounts], ["uint256"])


def _send(w3, fn, sender=DEPLOYER):
    receipt = w3.eth.wait_for_transaction_receipt(fn.transact({"from": sender}))
    assert receipt.status == 1
    return receipt


def _write(path: Path, rows, header: bool = True, token: str | None = None) -> Path:
    lines = ["# payroll of the ministry, June 2026"]
    if token:
        lines.append(f"# token: {token}")
    if header:
        lines.append("wallet,amount,reference")
    lines += [",".join(str(c) for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def chain_ready(stack, w3):
    """The stack with 2,600 registered verified wallets, the treasury (TEST::0) holding
    40,000,000 som and 100,000 KGST, and a PayrollDisperser for KGST in the manifest; the
    chain and the manifest are put back after the module, for the other suites sharing the
    stack."""
    manifest_file = manifest_in(stack / "local")
    saved = manifest_file.read_text()
    before = w3.provider.make_request("evm_snapshot", [])["result"]
    entries = json.loads(manifest_file.read_text())["contracts"]
    som = _contract(w3, "DigitalSom", entries["cbdc"]["address"])
    kgst = _contract(w3, "NationalStablecoin", entries["stablecoin"]["address"])
    wallets = _payees(N + KGST_N)
    for start in range(0, len(wallets), 250):
        _send(w3, som.functions.registerWallets(wallets[start : start + 250], 1), BANK)
    _send(w3, som.functions.issue(BANK, 50_000_000 * SOM))
    _send(w3, som.functions.transfer(DEPLOYER, 40_000_000 * SOM), BANK)
    _send(w3, kgst.functions.mint(DEPLOYER, 100_000 * ONE))
    from ape import project

    disperser = deploy_raw(w3, project.PayrollDisperser.contract_type, kgst.address)
    data = json.loads(manifest_file.read_text())
    data["contracts"]["payroll"] = {"contract": "PayrollDisperser", "address": disperser.address}
    manifest_file.write_text(json.dumps(data))
    yield {"som": som, "kgst": kgst, "disperser": disperser, "wallets": wallets}
    w3.provider.make_request("evm_revert", [before])
    manifest_file.write_text(saved)


@pytest.fixture
def ready(chain_ready, w3):
    """`chain_ready`, reverted after the test."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]
    yield chain_ready
    w3.provider.make_request("evm_revert", [snapshot])


@pytest.fixture
def payroll(cli, network):
    """Runs `ape run payroll <command> FILE ...` in-process from TEST::0 (`--yes`)."""

    def payroll(command: str, *args: str, account: int | None = 0, yes: bool = True):
        extra = ["--network", network]
        if account is not None:
            extra += ["--account", f"TEST::{account}"]
        return cli("payroll", command, *args, *extra, *(["--yes"] if yes else []))

    return payroll


def _amounts(n: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.randrange(1_000 * SOM, 5_000 * SOM) for _ in range(n)]


def _rows(wallets, amounts, decimals: int = 2):
    scale = 10**decimals
    return [
        (w, f"{a // scale}.{a % scale:0{decimals}d}", f"EMP-{i:05d}")
        for i, (w, a) in enumerate(zip(wallets, amounts, strict=True))
    ]


def test_pay__2000_payees__every_balance_equals_the_file_and_rerun_pays_nothing(
    ready, payroll, tmp_path, w3
):
    som, wallets = ready["som"], ready["wallets"][:N]
    amounts = _amounts(N, seed=1)
    file = _write(tmp_path / "june.csv", _rows(wallets, amounts))
    before = som.functions.balanceOf(DEPLOYER).call()

    result = payroll("pay", str(file), "--token", "cbdc")

    assert result.exit_code == 0, result.output
    assert _balances(w3, som, wallets) == amounts
    assert som.functions.balanceOf(DEPLOYER).call() == before - sum(amounts)
    assert "done: " in result.output
    assert "2,000 payees paid, 0 skipped" in result.output
    with (tmp_path / "june.receipt.csv").open() as f:
        receipt = list(csv.DictReader(f))
    assert [r["payee"] for r in receipt] == wallets
    assert {r["status"] for r in receipt} == {"paid"}
    assert all(r["tx"].startswith("0x") and int(r["block"]) > 0 for r in receipt)
    assert len({r["batch_id"] for r in receipt}) == 4

    nonce = w3.eth.get_transaction_count(DEPLOYER)
    again = payroll("pay", str(file), "--token", "cbdc")
    assert again.exit_code == 0, again.output
    assert "nothing to pay: every chunk of this file is already paid" in again.output
    assert "already paid: 4 chunks, 2,000 payees" in again.output
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce
    assert _balances(w3, som, wallets) == amounts

    status = payroll(
        "status", str(file), "--payer", DEPLOYER, "--token", "cbdc", account=None, yes=False
    )
    assert status.exit_code == 0, status.output
    assert "4 chunks, 4 paid, 2,000 of 2,000 payees" in status.output


def test_check__every_kind_of_bad_row__reported_by_line_and_nothing_sent(
    ready, payroll, tmp_path, w3
):
    som, wallets = ready["som"], ready["wallets"]
    _send(w3, som.functions.freeze(wallets[3]))
    _send(w3, som.functions.closeWallet(wallets[4]), BANK)
    unregistered = _payees(1, offset=10**6)[0]
    rows = [
        (wallets[0], "100.00", "ok"),  # line 3 (a comment, then the header, above)
        ("0x12345", "100.00", ""),  # line 4: not an address
        (wallets[1].lower(), "100.00", ""),  # line 5: not checksummed
        (wallets[0], "50.00", ""),  # line 6: duplicate of line 3
        (wallets[2], "0", ""),  # line 7: zero
        (wallets[5], "-5", ""),  # line 8: negative
        (wallets[6], "10.001", ""),  # line 9: three decimals
        (unregistered, "100.00", ""),  # line 10: not registered
        (wallets[3], "100.00", ""),  # line 11: frozen
        (wallets[4], "100.00", ""),  # line 12: closed
        (wallets[7], "100001.00", ""),  # line 13: above the 100,000 som holding limit
        (wallets[8], "", ""),  # line 14: no amount
    ]
    file = _write(tmp_path / "bad.csv", rows)
    nonce = w3.eth.get_transaction_count(DEPLOYER)

    for command in ("check", "pay"):
        result = payroll(command, str(file), "--token", "cbdc", yes=command == "pay")
        assert result.exit_code == 2, result.output
        for line in range(4, 15):
            assert f"line {line}:" in result.output, (line, result.output)
        assert "line 3:" not in result.output
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce
    assert som.functions.balanceOf(wallets[0]).call() == 0


def test_check__payer_balance_below_total__exit_2(ready, payroll, tmp_path, w3):
    wallets = ready["wallets"]
    file = _write(tmp_path / "big.csv", [(w, "99999.00", "") for w in wallets[:500]])
    nonce = w3.eth.get_transaction_count(DEPLOYER)
    result = payroll("pay", str(file), "--token", "cbdc", account=1)  # TEST::1 holds nothing
    assert result.exit_code == 2, result.output
    assert "less than the" in result.output
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce


def test_check__valid_file__prints_plan_and_sends_nothing(ready, payroll, tmp_path, w3):
    wallets = ready["wallets"][:3]
    file = _write(
        tmp_path / "small.csv", _rows(wallets, [100 * SOM] * 3), header=False, token="cbdc"
    )
    nonce = w3.eth.get_transaction_count(DEPLOYER)
    result = payroll("check", str(file), yes=False)
    assert result.exit_code == 0, result.output
    assert "3 payees, 300 KGSD, 1 chunks" in result.output
    assert "to pay: 1 chunks, 3 payees" in result.output
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce


def test_pay__no_token_given__exit_2(ready, payroll, tmp_path):
    file = _write(tmp_path / "x.csv", _rows(ready["wallets"][:1], [SOM]))
    result = payroll("pay", str(file))
    assert result.exit_code == 2
    assert "--token" in result.output


def test_pay__missing_file__says_the_file_does_not_exist(ready, payroll, tmp_path, w3):
    nonce = w3.eth.get_transaction_count(DEPLOYER)
    for command in ("check", "pay"):
        result = payroll(command, str(tmp_path / "none.csv"), yes=command == "pay")
        assert result.exit_code == 2, result.output
        assert f"file {tmp_path / 'none.csv'} does not exist" in result.output
        assert "--token" not in result.output
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce


def test_pay__batch_id_squatted_by_another_treasury__payroll_still_paid(
    ready, payroll, tmp_path, w3
):
    from somchain.payroll.run import CHUNK_SIZE
    from somchain.payroll.sheet import read_payroll

    som, wallets = ready["som"], ready["wallets"][:600]
    amounts = _amounts(600, seed=2)
    file = _write(tmp_path / "squat.csv", _rows(wallets, amounts))
    parsed, _ = read_payroll(file, 2)
    ids = [c.batch_id for c in parsed.chunks(CHUNK_SIZE)]
    # Another treasury uses this payroll's batch ids first, for a payment of its own.
    other = TEST_ACCOUNTS[5]
    timelock = json.loads(
        manifest_in(Path(os.environ["SOMCHAIN_DEPLOYMENTS"]) / "local").read_text()
    )
    admin = timelock["contracts"]["timelock"]["address"]
    w3.provider.make_request("anvil_impersonateAccount", [admin])
    w3.provider.make_request("anvil_setBalance", [admin, hex(10**18)])
    _send(w3, som.functions.grantRole(som.functions.TREASURY_ROLE().call(), other), admin)
    _send(w3, som.functions.transfer(other, 1_000 * SOM))
    for bid in ids:
        _send(w3, som.functions.disburse(bid, [wallets[-1]], [SOM]), other)

    result = payroll("pay", str(file), "--token", "cbdc")

    assert result.exit_code == 0, result.output
    paid = _balances(w3, som, wallets)
    assert paid[:-1] == amounts[:-1]
    assert paid[-1] == amounts[-1] + len(ids) * SOM


def test_pay__wallet_closed_mid_run__skipped_and_reported(ready, tmp_path, w3, network):
    """In process: after the first chunk's receipt, the bank closes a wallet of the second."""
    import ape

    from somchain.actions.pipeline import run as pipeline
    from somchain.payroll import run
    from somchain.payroll.ledgers import CbdcLedger

    som, wallets = ready["som"], ready["wallets"][:700]
    amounts = _amounts(700, seed=3)
    file = _write(tmp_path / "closing.csv", _rows(wallets, amounts))
    closing = wallets[650]
    lines: list[str] = []
    with ape.networks.parse_network_choice(network) as provider:
        treasury = ape.accounts.test_accounts[0]
        ledger = CbdcLedger(ape.project.DigitalSom.at(som.address), treasury.address)

        def send(build, on_receipt):
            def closing_after_first(action, receipt):
                on_receipt(action, receipt)
                if (
                    action.args[0]
                    == run.plan(file, ledger, fresh_is_strict=False).chunks[0].batch_id
                ):
                    _send(w3, som.functions.closeWallet(closing), BANK)

            return pipeline(
                build,
                treasury,
                provider,
                yes=True,
                confirm=lambda _: True,
                echo=lines.append,
                on_receipt=closing_after_first,
            )

        outcome = run.pay(file, ledger, send, lines.append)

    assert [s["payee"] for s in outcome.skipped] == [closing]
    assert outcome.skipped[0]["reason"] == "wallet closed"
    assert outcome.skipped[0]["line"] == 650 + 3
    assert som.functions.balanceOf(closing).call() == 0
    assert som.functions.accountKind(closing).call() == 4
    others = [i for i in range(700) if i != 650]
    balances = _balances(w3, som, wallets)
    assert [balances[i] for i in others] == [amounts[i] for i in others]
    with outcome.receipt_file.open() as f:
        receipt = list(csv.DictReader(f))
    assert receipt[650]["status"] == "skipped: wallet closed"


@pytest.mark.slow
def test_pay__killed_at_random_points__every_payee_paid_exactly_once(
    ready, tmp_path, w3, anvil, stack
):
    """`ape run payroll pay` as a subprocess, SIGKILLed at seeded random delays at least 20
    times (while it starts, reads, sends, or waits for a receipt) and re-run each time, over
    successive payroll files of the same 2,000 payees. Each file is re-run until it
    completes, and the run after a completed one starts the next month's file, so every run
    has chunks to send; at least three files are paid in full. In the end each balance is
    the sum of the files started: every row paid once."""
    som, wallets = ready["som"], ready["wallets"][:N]
    # Room for 40 files of about 6,000,000 som (the runs measured paid 6 to 12): the
    # timelock, impersonated, lets TEST::0 issue 200,000,000 som more for the treasury and
    # lets a tier-1 wallet hold 200,000 som (40 files of under 5,000 each).
    manifest = json.loads(manifest_in(stack / "local").read_text())
    admin = manifest["contracts"]["timelock"]["address"]
    w3.provider.make_request("anvil_impersonateAccount", [admin])
    w3.provider.make_request("anvil_setBalance", [admin, hex(10**18)])
    _, max_payment, daily = som.functions.tierLimits(1).call()
    _send(w3, som.functions.setTierLimits(1, 200_000 * SOM, max_payment, daily), admin)
    _send(w3, som.functions.setIssuanceAllowance(DEPLOYER, 200_000_000 * SOM), admin)
    w3.provider.make_request("anvil_stopImpersonatingAccount", [admin])
    _send(w3, som.functions.issue(BANK, 200_000_000 * SOM))
    _send(w3, som.functions.transfer(DEPLOYER, 200_000_000 * SOM), BANK)
    funds = som.functions.balanceOf(DEPLOYER).call()
    env = {**os.environ, "SOMCHAIN_DEPLOYMENTS": str(stack)}
    rng = random.Random(20261126)
    files: list[Path] = []
    months: list[list[int]] = []  # each file's amounts, in the order of the rows
    kills = runs = 0
    failed: list[str] = []  # the output of each run that exited non-zero without a kill

    def next_file() -> Path:
        """Writes month k's file, k the number of files so far."""
        k = len(files)
        months.append(_amounts(N, seed=10 + k))
        owed = sum(sum(amounts) for amounts in months)
        assert owed <= funds, (
            f"file {k} would overdraw the treasury: {k} files completed against {kills} kills"
            f" in {runs} runs (a run reached its first transaction in {to_send:.1f} s)"
        )
        files.append(_write(tmp_path / f"month-{k}.csv", _rows(wallets, months[-1])))
        return files[-1]

    def start(command: str, file: Path) -> subprocess.Popen:
        args = [str(Path(sys.executable).parent / "ape"), "run", "payroll", command, str(file)]
        args += ["--token", "cbdc", "--network", f"bsc:anvil-testnet:{anvil}"]
        args += ["--account", "TEST::0"] + (["--yes"] if command == "pay" else [])
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def completes(file: Path) -> None:
        proc = start("pay", file)
        out, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, out.decode()
        assert b"0 skipped" in out, out.decode()

    file = next_file()
    began = time.monotonic()
    probe = start("check", file)  # how long a run takes to reach its first transaction
    output, _ = probe.communicate(timeout=300)
    assert probe.returncode == 0, output.decode()
    to_send = time.monotonic() - began

    # A block a second: transactions wait in the pool, so kills land between a send and
    # its receipt too, and a re-run may send again a chunk whose first transaction is
    # still pending (the contract then pays it once and records the other as a no-op).
    w3.provider.make_request("evm_setAutomine", [False])
    w3.provider.make_request("evm_setIntervalMining", [1])
    try:
        while kills < 20:
            runs += 1
            # Measured: 25 to 31 runs (20 kills, 5 to 11 files completed, none failed).
            assert runs <= 60, (
                f"{kills} kills, {len(files) - 1} files completed and {len(failed)} runs"
                f" failed in {runs} runs; the last failed run:\n{failed[-1] if failed else ''}"
            )
            proc = start("pay", file)
            try:
                out, _ = proc.communicate(timeout=rng.uniform(0.3 * to_send, to_send + 5.0))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                kills += 1
                continue
            if proc.returncode != 0:
                failed.append(out.decode())
                continue
            assert b"0 skipped" in out, out.decode()
            file = next_file()
        completes(file)  # the re-run that finishes what the last kill left
        while len(files) < 3:
            completes(next_file())
    finally:
        w3.provider.make_request("evm_setIntervalMining", [0])
        w3.provider.make_request("evm_setAutomine", [True])
    assert _balances(w3, som, wallets) == [sum(column) for column in zip(*months, strict=True)]


def test_pay__kgst_through_the_disperser__paid_once_and_allowance_spent(
    ready, payroll, tmp_path, w3
):
    kgst, disperser = ready["kgst"], ready["disperser"]
    wallets = ready["wallets"][N : N + KGST_N]
    amounts = [(10 + i % 7) * ONE + i for i in range(KGST_N)]
    rows = [(w, f"{a // ONE}.{a % ONE:018d}", "") for w, a in zip(wallets, amounts, strict=True)]
    file = _write(tmp_path / "kgst.csv", rows, token="kgst")
    before = kgst.functions.balanceOf(DEPLOYER).call()

    result = payroll("pay", str(file))

    assert result.exit_code == 0, result.output
    assert _balances(w3, kgst, wallets) == amounts
    assert kgst.functions.balanceOf(DEPLOYER).call() == before - sum(amounts)
    assert kgst.functions.balanceOf(disperser.address).call() == 0
    assert kgst.functions.allowance(DEPLOYER, disperser.address).call() == 0
    again = payroll("pay", str(file))
    assert again.exit_code == 0, again.output
    assert "nothing to pay" in again.output
    status = payroll("status", str(file), "--payer", DEPLOYER, account=None, yes=False)
    assert "2 chunks, 2 paid" in status.output


def test_pay__print_calldata__each_unpaid_chunk_printed_and_nothing_sent(
    ready, payroll, tmp_path, w3
):
    """For a signer outside the tool: the file is checked, then each unpaid chunk's
    transaction is printed; sending the printed calldata pays the chunk, and a second
    print lists only what is left."""
    som = ready["som"]
    wallets = ready["wallets"][:3]
    file = _write(tmp_path / "calldata.csv", [(w, "12.50", "") for w in wallets], token="cbdc")
    head = w3.eth.block_number

    result = payroll("pay", str(file), "--print-calldata", yes=False)

    assert result.exit_code == 0, result.output
    assert w3.eth.block_number == head
    assert "transaction 1 of 1: pay chunk 1/1 of calldata.csv: 3 payees" in result.output
    assert f"  to: {som.address}" in result.output
    data = next(x for x in result.output.splitlines() if x.startswith("  calldata: "))
    assert data.removeprefix("  calldata: 0x").startswith(
        som.functions.disburse(b"\x01" * 32, [], []).selector[2:]
    )
    assert _balances(w3, som, wallets) == [0, 0, 0]
    tx = {"from": DEPLOYER, "to": som.address, "data": data.removeprefix("  calldata: ")}
    assert w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction(tx)).status == 1
    assert _balances(w3, som, wallets) == [1_250] * 3
    again = payroll("pay", str(file), "--print-calldata", yes=False)
    assert again.exit_code == 0, again.output
    assert "nothing to pay" in again.output


def test_check__kgst_frozen_payee__bad_row(ready, payroll, tmp_path, w3):
    kgst = ready["kgst"]
    wallets = ready["wallets"][N : N + 2]
    _send(w3, kgst.functions.freeze(wallets[1]))
    file = _write(tmp_path / "frozen.csv", [(wallets[0], "1.5", ""), (wallets[1], "2", "")])
    result = payroll("check", str(file), "--token", "kgst", yes=False)
    assert result.exit_code == 2
    assert "line 4:" in result.output
    assert "frozen" in result.output


def test_deploy_disperser__records_it_in_the_manifest(ready, payroll, stack, w3):
    manifest_file = manifest_in(stack / "local")
    saved = manifest_file.read_text()
    try:
        result = payroll("deploy-disperser")
        assert result.exit_code == 0, result.output
        entry = json.loads(manifest_file.read_text())["contracts"]["payroll"]
        assert entry["contract"] == "PayrollDisperser"
        assert entry["constructor_args"] == [ready["kgst"].address]
        assert w3.eth.get_code(entry["address"])
        assert f"done: PayrollDisperser at {entry['address']}" in result.output
    finally:
        manifest_file.write_text(saved)
