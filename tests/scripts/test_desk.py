"""`ape run desk`: a holder's conversions both ways, the status, the board's limits
through the timelock and the pauser's protective actions, against the scripts' anvil
stack (`deploy all` deploys the desk with no power: the board gives it here)."""

from __future__ import annotations

import json

import pytest

from tests.utils.chain import advance, manifest_contract, operation_id
from tests.utils.constants import ALICE, BANK, GOVERNANCE_DELAY, ONE
from tests.utils.paths import manifest_in

SOM = 100
BANK_ACCOUNT = 4
ALICE_ACCOUNT = 1
MASTER_MINTER_ACCOUNT = "TEST::8"


@pytest.fixture(scope="module")
def desk_powers(cli, network, stack, listed, w3):
    """The board (TEST::0) gives the desk, through the timelock, a bucket of 10,000 som each
    way (refilled by 100 som a second, and left to fill), 100,000 som to issue and 100,000
    KGST of mint budget with a minter bucket, which the master minter gives it; alice
    (TEST::1) holds 5,000 KGST and is a verified wallet holding 2,000 som. Undone after the
    module."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]
    desk = manifest_contract(w3, stack / "local", "desk", "ConversionDesk")

    def run(script: str, *args: str, account: str = "TEST::0") -> str:
        result = cli(script, *args, "--network", network, "--account", account, "--yes")
        assert result.exit_code == 0, result.output
        return result.output

    proposals = [
        run("desk", "set-rate-limit", "10000", "100", "--to", "som"),
        run("desk", "set-rate-limit", "10000", "100", "--to", "kgst"),
        run("cbdc", "set-issuance-allowance", desk.address, "100000"),
        run("stablecoin", "increase-mint-budget", "100000"),
        run("stablecoin", "set-minter-rate-limit", desk.address, "100000", "100"),
    ]
    advance(w3, GOVERNANCE_DELAY + 1)
    for proposed in proposals:
        run("governance", "execute", operation_id(proposed))
    run("stablecoin", "configure-minter", desk.address, "100000", account=MASTER_MINTER_ACCOUNT)
    advance(w3, 200)  # a raised limit keeps the bucket's level: it refills to 10,000
    run("stablecoin", "mint", ALICE, "5000")
    run("cbdc", "issue", BANK, "100000")
    run("cbdc", "register-wallet", ALICE, "--tier", "1", account=f"TEST::{BANK_ACCOUNT}")
    run("cbdc", "pay", ALICE, "2000", account=f"TEST::{BANK_ACCOUNT}")
    yield desk
    w3.provider.make_request("evm_revert", [snapshot])


@pytest.fixture
def tokens(w3, stack):
    return (
        manifest_contract(w3, stack / "local", "stablecoin", "NationalStablecoin"),
        manifest_contract(w3, stack / "local", "cbdc", "DigitalSom"),
    )


def test_convert__to_som_with_reference__approves_then_converts_at_par(desk_powers, op, tokens):
    kgst, som = tokens
    result = op("desk", "convert", "1250.50", "--to", "som", "--reference", "WU-7781", account=1)
    assert result.exit_code == 0, result.output
    assert "approve the desk" in result.output
    assert "ConvertedToSom" in result.output
    assert kgst.functions.balanceOf(ALICE).call() == 5_000 * ONE - 125_050 * ONE // SOM
    assert som.functions.balanceOf(ALICE).call() == 2_000 * SOM + 125_050
    assert kgst.functions.balanceOf(desk_powers.address).call() == 0


def test_convert__to_kgst__redeems_and_mints(desk_powers, op, tokens):
    kgst, som = tokens
    result = op("desk", "convert", "300", "--to", "kgst", account=ALICE_ACCOUNT)
    assert result.exit_code == 0, result.output
    assert som.functions.balanceOf(ALICE).call() == 1_700 * SOM
    assert kgst.functions.balanceOf(ALICE).call() == 5_300 * ONE


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1.001", "--to", "som"], "has 3 decimal places"),
        (["10", "--to", "euro"], "direction 'euro' must be one of"),
        (["9000", "--to", "som"], "holds 5,000"),
        (["10", "--to", "som", "--reference", "x" * 33], "1 to 32 bytes"),
    ],
    ids=["inexact", "direction", "balance", "reference"],
)
def test_convert__bad_input__one_line_exit_2_nothing_sent(desk_powers, op, w3, args, message):
    nonce = w3.eth.get_transaction_count(ALICE)
    result = op("desk", "convert", *args, account=ALICE_ACCOUNT)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    assert message in errors[0], result.output
    assert w3.eth.get_transaction_count(ALICE) == nonce


def test_status__buckets_powers_and_totals(desk_powers, op, cli, network):
    assert op("desk", "convert", "10", "--to", "som", account=ALICE_ACCOUNT).exit_code == 0
    result = cli("desk", "status", "--network", network)
    assert result.exit_code == 0, result.output
    assert "paused" in result.output
    assert "bucket KGST -> KGSD" in result.output
    assert "10 KGST burned, 10 KGSD issued (1 conversion)" in result.output
    report = json.loads(cli("desk", "status", "--json", "--network", network).output)
    assert report["converted"]["to_som"]["som_issued"] == "10"
    assert report["buckets"]["to_kgst"]["capacity"] == "10000"
    assert report["held"] == {"kgst": "0", "som": "0"}


def test_pause_and_lower__pauser__at_once(desk_powers, op, w3):
    assert op("desk", "lower-rate-limit", "500", "0", "--to", "som").exit_code == 0
    assert desk_powers.functions.rateLimit(0).call() == [50_000, 0, 50_000]
    raised = op("desk", "lower-rate-limit", "600", "0", "--to", "som")
    assert raised.exit_code == 2
    assert "may only lower" in raised.output
    assert op("desk", "pause").exit_code == 0
    refused = op("desk", "convert", "1", "--to", "som", account=ALICE_ACCOUNT)
    assert refused.exit_code == 2
    assert "is paused" in refused.output
    assert op("desk", "unpause").exit_code == 0


def test_set_rate_limit__board__proposed_to_the_timelock(desk_powers, op, w3):
    result = op("desk", "set-rate-limit", "20000", "2", "--to", "kgst")
    assert result.exit_code == 0, result.output
    advance(w3, GOVERNANCE_DELAY + 1)
    done = op("governance", "execute", operation_id(result.output))
    assert done.exit_code == 0, done.output
    assert desk_powers.functions.rateLimit(1).call()[:2] == [2_000_000, 200]


def test_set_rate_limit__not_a_proposer__exit_2(desk_powers, op):
    result = op("desk", "set-rate-limit", "20000", "2", "--to", "kgst", account=ALICE_ACCOUNT)
    assert result.exit_code == 2
    assert "not one of its proposers" in result.output


def test_address__prints_the_manifests_desk_alone(cli, network, stack, w3):
    result = cli("desk", "address", "--network", network)
    assert result.exit_code == 0, result.output
    desk = manifest_contract(w3, stack / "local", "desk", "ConversionDesk")
    assert result.output.strip().splitlines()[-1] == desk.address


def test_deploy_all__wires_the_desk_and_hands_it_to_the_timelock(stack, w3, tokens):
    kgst, som = tokens
    data = json.loads(manifest_in(stack / "local").read_text())
    desk = manifest_contract(w3, stack / "local", "desk", "ConversionDesk")
    assert data["contracts"]["desk"]["contract"] == "ConversionDesk"
    assert desk.functions.kgst().call() == kgst.address
    assert desk.functions.som().call() == som.address
    assert desk.functions.defaultAdmin().call() == data["contracts"]["timelock"]["address"]
    for role in ("ISSUER_ROLE", "BANK_ROLE"):
        assert som.functions.hasRole(som.functions[role]().call(), desk.address).call()
    assert kgst.functions.minterRateLimit(desk.address).call()[0] > 0
    assert desk.functions.rateLimit(0).call()[0] > 0  # set at deployment
    assert data["roles"]["desk"]["PAUSER_ROLE"]


def test_convert_to_kgst__desks_minter_bucket_short__exit_2_nothing_sent(desk_powers, op, w3):
    proposed = op("stablecoin", "set-minter-rate-limit", desk_powers.address, "5", "0")
    assert proposed.exit_code == 0, proposed.output
    advance(w3, GOVERNANCE_DELAY + 1)
    assert op("governance", "execute", operation_id(proposed.output)).exit_code == 0
    nonce = w3.eth.get_transaction_count(ALICE)
    result = op("desk", "convert", "10", "--to", "kgst", account=ALICE_ACCOUNT)
    assert result.exit_code == 2, result.output
    assert "the desk's minter bucket holds 5 KGST now, less than 10 KGST" in result.output
    assert w3.eth.get_transaction_count(ALICE) == nonce
