import json

import pytest

from tests.utils.chain import through_timelock
from tests.utils.constants import ALICE, BANK, BOB, DEPLOYER, GOVERNANCE_DELAY, STRANGER
from tests.utils.paths import manifest_in

SOM = 100
BANK_ACCOUNT = 4


@pytest.fixture
def som(w3, stack):
    from ape import project

    data = json.loads(manifest_in(stack / "local").read_text())
    abi = [a.model_dump(by_alias=True) for a in project.DigitalSom.contract_type.abi]
    return w3.eth.contract(address=data["contracts"]["cbdc"]["address"], abi=abi)


@pytest.fixture
def wallets(op):
    """The bank holds 1,000,000 som; alice (tier 1) and bob (tier 0) are its wallets."""
    assert op("cbdc", "issue", BANK, "1000000").exit_code == 0
    assert op("cbdc", "register-wallet", ALICE, "--tier", "1", account=BANK_ACCOUNT).exit_code == 0
    assert op("cbdc", "register-wallet", BOB, "--tier", "0", account=BANK_ACCOUNT).exit_code == 0
    assert op("cbdc", "pay", ALICE, "20000", account=BANK_ACCOUNT).exit_code == 0


def test_issue__to_bank__credits_it(op, som):
    result = op("cbdc", "issue", BANK, "1250.50")
    assert result.exit_code == 0, result.output
    assert som.functions.balanceOf(BANK).call() == 125050


def test_redeem__by_bank__burns(op, som):
    op("cbdc", "issue", BANK, "100")
    result = op("cbdc", "redeem", "40", account=BANK_ACCOUNT)
    assert result.exit_code == 0, result.output
    assert som.functions.totalSupply().call() == 60 * SOM


def test_register_wallet__single__links_to_calling_bank(op, som):
    result = op("cbdc", "register-wallet", ALICE, "--tier", "2", account=BANK_ACCOUNT)
    assert result.exit_code == 0, result.output
    assert som.functions.walletOf(ALICE).call() == [2, BANK, True]


def test_register_wallet__from_csv__registers_each_tier(op, som, tmp_path):
    sheet = tmp_path / "wallets.csv"
    sheet.write_text(f"address,tier\n{ALICE},1\n{BOB},0\n{STRANGER},1\n")
    result = op("cbdc", "register-wallet", "--csv", str(sheet), account=BANK_ACCOUNT)
    assert result.exit_code == 0, result.output
    assert som.functions.walletOf(STRANGER).call() == [1, BANK, True]
    assert som.functions.walletOf(BOB).call() == [0, BANK, True]


def test_set_tier__by_linked_bank__moves_wallet(op, som, wallets):
    result = op("cbdc", "set-tier", BOB, "2", account=BANK_ACCOUNT)
    assert result.exit_code == 0, result.output
    assert som.functions.walletOf(BOB).call()[0] == 2


def test_set_tier_limits__with_none__sets_no_limit(op, w3, som):
    args = ("cbdc", "set-tier-limits", "3", "none", "1000.50", "5000")
    through_timelock(op, w3, *args, delay=GOVERNANCE_DELAY)
    assert som.functions.tierLimits(3).call() == [2**256 - 1, 100050, 500000]


def test_pay__with_reference__emits_payment_reference(op, som, wallets):
    result = op("cbdc", "pay", DEPLOYER, "3500", "--reference", "TAX-2026-INN0123", account=1)
    assert result.exit_code == 0, result.output
    assert "event PaymentReference(" in result.output
    assert "TAX-2026-INN0123" in result.output
    assert som.functions.balanceOf(ALICE).call() == 16500 * SOM


def test_pay__above_payment_limit__revert_decoded_exit_1(op, wallets):
    assert op("cbdc", "pay", BOB, "5000", account=BANK_ACCOUNT).exit_code == 0
    result = op("cbdc", "pay", ALICE, "2500", account=2)
    assert result.exit_code == 1
    assert "CbdcPaymentLimitExceeded(" in result.output


def test_status__json__stdout_is_json_with_tiers_accounts_and_roles(op, cli, network, wallets):
    result = cli("cbdc", "status", "--json", "--wallet", ALICE, "--network", network)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # ape's log lines go to stderr
    assert report["accounts"][ALICE]["tier"] == 1
    assert report["accounts"][ALICE]["balance"] == "20000"
    assert report["tier_limits"]["0"] == {
        "max_balance": "10000",
        "max_payment": "2000",
        "daily": "5000",
    }
    assert report["tier_limits"]["4"]["max_balance"] == "no limit"
    assert BANK in report["roles"]["BANK_ROLE"]  # from the role events


def test_status__text__amounts_with_symbol_and_no_limit(op, cli, network, wallets):
    result = cli("cbdc", "status", "--wallet", ALICE, "--network", network)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "  0  10,000 KGSD / 2,000 KGSD / 5,000 KGSD" in lines
    assert "  4  no limit / no limit / no limit" in lines
    assert "  balance  20,000 KGSD" in lines
    assert any(line.startswith("admin ") and line.endswith("(timelock)") for line in lines)


@pytest.mark.parametrize(
    ("args", "account", "problem"),
    [
        (["issue", ALICE, "1"], 0, "is not a bank"),
        (["issue", BANK, "1.005"], 0, "3 decimal places"),
        (["issue", BANK, "1"], 3, "does not hold ISSUER_ROLE"),
        (["redeem", "1"], BANK_ACCOUNT, "exceeds the bank's balance"),
        (["register-wallet", ALICE, "--tier", "5"], BANK_ACCOUNT, "out of range"),
        (["register-wallet", ALICE, "--tier", "x"], BANK_ACCOUNT, "is not a number"),
        (["register-wallet", ALICE], 3, "does not hold BANK_ROLE"),
        (["register-wallet"], BANK_ACCOUNT, "either a WALLET or --csv"),
        (["set-tier", ALICE, "1"], BANK_ACCOUNT, "is not a registered wallet"),
        (["set-tier-limits", "1", "abc", "1", "1"], 0, "max balance"),
        (["set-tier-limits", "1", "1", "1", "1"], 3, "is held by the governance timelock"),
        (["pay", ALICE, "1"], 3, "payer"),
        (["pay", STRANGER, "1", "--reference", "r"], BANK_ACCOUNT, "payee"),
    ],
)
def test_bad_input__exits_2_and_sends_nothing(op, w3, args, account, problem):
    before = w3.eth.block_number
    result = op("cbdc", *args, account=account)
    assert result.exit_code == 2, result.output
    assert problem in result.output
    assert w3.eth.block_number == before


def test_register_wallet__csv_with_duplicate__exits_2(op, tmp_path):
    sheet = tmp_path / "wallets.csv"
    sheet.write_text(f"{ALICE},1\n{ALICE},2\n")
    result = op("cbdc", "register-wallet", "--csv", str(sheet), account=BANK_ACCOUNT)
    assert result.exit_code == 2
    assert "listed twice" in result.output


def test_set_tier__wallet_of_another_bank__exits_2(op, wallets):
    result = op("cbdc", "set-tier", BOB, "1", account=0)
    assert result.exit_code == 2


def test_pay__rehearsed__shows_sweep_without_sending_when_declined(op, w3, som, wallets):
    before = w3.eth.block_number
    result = op("cbdc", "pay", BOB, "15000", account=1, yes=False, input="n\n")
    assert "nothing sent" in result.output
    assert w3.eth.block_number == before
    result = op("cbdc", "pay", BOB, "1500", "--rehearse", account=1, yes=False, input="n\n")
    assert "rehearsal: succeeded" in result.output
    assert f"balanceOf({BOB}): 0 KGSD -> 1,500 KGSD" in result.output
    assert som.functions.balanceOf(BOB).call() == 0


def test_freeze_seize_unfreeze__shared_compliance_commands__act_on_the_cbdc(op, som, wallets):
    bank_before = som.functions.balanceOf(BANK).call()
    assert op("cbdc", "freeze", ALICE).exit_code == 0
    assert som.functions.isFrozen(ALICE).call()
    result = op("cbdc", "seize", ALICE, BANK, "5", "--case", "KG-COURT-2026-0108")
    assert result.exit_code == 0, result.output
    assert som.functions.balanceOf(ALICE).call() == 19_995 * SOM
    assert som.functions.balanceOf(BANK).call() == bank_before + 5 * SOM
    assert op("cbdc", "unfreeze", ALICE).exit_code == 0
    assert not som.functions.isFrozen(ALICE).call()


def test_pause_unpause__shared_compliance_commands__act_on_the_cbdc(op, som):
    assert op("cbdc", "pause").exit_code == 0
    assert som.functions.paused().call()
    result = op("cbdc", "issue", BANK, "1")
    assert result.exit_code == 2
    assert "is paused" in result.output
    assert op("cbdc", "unpause").exit_code == 0
    assert not som.functions.paused().call()


def test_freeze_batch__file__freezes_each(op, som, tmp_path):
    listing = tmp_path / "freeze.txt"
    listing.write_text(f"{ALICE}\n{BOB}  # second\n")
    result = op("cbdc", "freeze-batch", str(listing))
    assert result.exit_code == 0, result.output
    assert som.functions.isFrozen(ALICE).call()
    assert som.functions.isFrozen(BOB).call()


def test_grant_role_then_relink_wallet__moves_wallet_to_the_new_bank(op, w3, som, wallets):
    through_timelock(op, w3, "cbdc", "grant-role", "bank", STRANGER, delay=GOVERNANCE_DELAY)
    through_timelock(op, w3, "cbdc", "relink-wallet", ALICE, STRANGER, delay=GOVERNANCE_DELAY)
    assert som.functions.walletOf(ALICE).call() == [1, STRANGER, True]
    through_timelock(op, w3, "cbdc", "revoke-role", "bank", STRANGER, delay=GOVERNANCE_DELAY)
    assert not som.functions.hasRole(som.functions.BANK_ROLE().call(), STRANGER).call()


def test_relink_wallet__to_a_non_bank__exits_2(op, wallets):
    result = op("cbdc", "relink-wallet", ALICE, STRANGER)
    assert result.exit_code == 2
    assert f"{STRANGER} is not a bank" in result.output


def test_close_wallet__empty__closed_by_its_bank(op, som, wallets):
    result = op("cbdc", "close-wallet", BOB, account=BANK_ACCOUNT)
    assert result.exit_code == 0, result.output
    assert som.functions.walletOf(BOB).call()[2] is False


def test_close_wallet__with_balance__exits_2_and_sends_nothing(op, wallets):
    result = op("cbdc", "close-wallet", ALICE, account=BANK_ACCOUNT)
    assert result.exit_code == 2
    assert "still holds 20,000 KGSD; empty it first" in result.output


@pytest.mark.parametrize("command", ["register-wallet", "set-tier"])
def test_bank__institutional_tier__refused_before_sending(op, w3, wallets, command):
    """A bank asking for tier 4 is told that the central-bank desk assigns it (exit 2,
    nothing sent), as an out-of-range tier is, instead of the chain's CbdcTierNotRetail."""
    args = (
        ["register-wallet", STRANGER, "--tier", "4"]
        if command == "register-wallet"
        else [
            "set-tier",
            ALICE,
            "4",
        ]
    )
    nonce = w3.eth.get_transaction_count(BANK)
    result = op("cbdc", *args, account=BANK_ACCOUNT)
    assert result.exit_code == 2, result.output
    assert "tier 4 is institutional: a bank sets tiers 0..2" in result.output
    assert "ape run cbdc assign-tier" in result.output
    assert w3.eth.get_transaction_count(BANK) == nonce


def test_register_wallet__csv_with_bad_tier__reports_its_line(op, tmp_path):
    sheet = tmp_path / "wallets.csv"
    sheet.write_text(f"address,tier\n{ALICE},1\n{BOB},9\n")
    result = op("cbdc", "register-wallet", "--csv", str(sheet), account=BANK_ACCOUNT)
    assert result.exit_code == 2
    assert "line 3: tier 9 is out of range 0..4" in result.output
