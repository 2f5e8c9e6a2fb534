"""`cbdc register-wallet --csv`: a bank onboards a file of any size in one command, in
chunks sized by gas, exactly once, with a receipt file."""

import csv
import re
import time

import pytest
from eth_utils import keccak, to_checksum_address

from tests.utils.chain import manifest_contract
from tests.utils.constants import ALICE, BANK, BOB

BANK_ACCOUNT = 4


@pytest.fixture
def som(w3, stack):
    return manifest_contract(w3, stack / "local", "cbdc", "DigitalSom")


def _wallets(n: int, seed: str = "wallet") -> list[str]:
    return [to_checksum_address(keccak(text=f"{seed}-{i}")[:20]) for i in range(n)]


def _sheet(path, wallets: list[str], tier: int = 0):
    path.write_text("address,tier\n" + "".join(f"{w},{tier}\n" for w in wallets))
    return path


def _receipt(path) -> list[dict]:
    with path.with_name(path.stem + ".receipt.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def _register(op, path, *extra: str):
    return op("cbdc", "register-wallet", "--csv", str(path), *extra, account=BANK_ACCOUNT)


def test_register_wallet__csv_10000_wallets__all_registered_in_one_command(op, som, w3, tmp_path):
    wallets = _wallets(10_000)
    sheet = _sheet(tmp_path / "wallets.csv", wallets)
    before = w3.eth.block_number
    started = time.monotonic()
    result = _register(op, sheet)
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output[-2000:]
    sent = w3.eth.block_number - before
    gas = sum(
        w3.eth.get_block(n, full_transactions=False).gasUsed
        for n in range(before + 1, w3.eth.block_number + 1)
    )
    print(f"10,000 wallets: {elapsed:.1f} s, {sent} transactions, {gas // 10_000:,} gas a wallet")
    assert "done: " + str(sheet) + ": 10,000 of 10,000 wallets registered" in result.output
    assert sent > 1
    for wallet in wallets[::997]:
        assert som.functions.walletOf(wallet).call() == [0, BANK, True]
    rows = _receipt(sheet)
    assert len(rows) == 10_000
    assert {row["status"] for row in rows} == {"registered"}
    assert all(row["tx"].startswith("0x") for row in rows)


def test_register_wallet__csv_chunked_by_gas__one_transaction_per_chunk(op, som, w3, tmp_path):
    sheet = _sheet(tmp_path / "wallets.csv", _wallets(45))
    before = w3.eth.block_number
    result = _register(op, sheet, "--chunk-gas", "500000")
    assert result.exit_code == 0, result.output
    chunks = int(re.search(r"to register: 45 in (\d+) transactions", result.output).group(1))
    assert chunks >= 4  # about 48,000 gas a wallet: ten or fewer to a chunk
    assert w3.eth.block_number - before == chunks
    for block in range(before + 1, w3.eth.block_number + 1):
        assert w3.eth.get_block(block).gasUsed <= 500_000


def test_register_wallet__csv_rerun_after_a_partial_run__registers_only_the_missing(
    op, som, w3, tmp_path
):
    wallets = _wallets(40)
    first = _sheet(tmp_path / "first.csv", wallets[:15])
    assert _register(op, first).exit_code == 0
    sheet = _sheet(tmp_path / "wallets.csv", wallets)
    result = _register(op, sheet, "--chunk-gas", "500000")
    assert result.exit_code == 0, result.output
    assert "already registered: 15" in result.output
    assert "to register: 25 in" in result.output
    assert "registered now: 25 wallets" in result.output
    assert all(som.functions.walletOf(w).call()[2] for w in wallets)
    before = w3.eth.block_number
    again = _register(op, sheet)
    assert again.exit_code == 0, again.output
    assert "nothing to register: every wallet of this file is registered" in again.output
    assert w3.eth.block_number == before
    assert {row["status"] for row in _receipt(sheet)} == {"registered"}


def test_register_wallet__csv_with_bad_rows__exits_2_naming_each_line_and_sends_nothing(
    op, w3, tmp_path
):
    sheet = tmp_path / "wallets.csv"
    sheet.write_text(f"address,tier\n{ALICE},0\n{BOB},3\n{BANK},0\n")
    before = w3.eth.block_number
    result = _register(op, sheet)
    assert result.exit_code == 2, result.output
    assert "2 bad rows" in result.output
    assert "line 3: tier 3 is institutional" in result.output
    assert f"line 4: {BANK} is registered as a bank" in result.output
    assert w3.eth.block_number == before
