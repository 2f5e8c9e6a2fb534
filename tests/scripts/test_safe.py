"""The board as a 2-of-3 Safe multisig (Safe v1.4.1 from npm), on anvil: commands run with
`--safe` write proposal files, owners sign them with no node, `ape run safe execute` sends
execTransaction once the threshold is met; the timelock's delay still applies."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.utils.chain import advance, deploy_raw, proposed_operation
from tests.utils.constants import DEPLOYER, GOVERNANCE_DELAY, TEST_ACCOUNTS
from tests.utils.paths import ROOT, manifest_in

OWNERS = TEST_ACCOUNTS[1:4]  # TEST::1, TEST::2, TEST::3


@pytest.fixture(scope="session")
def board_safe(cli, network, stack, listed, w3):
    """A 2-of-3 Safe created by `ape run deploy safe`, made a proposer, executor and
    canceller of the governance timelock (through the timelock, by the board)."""
    from ape import project

    args = ["deploy", "safe", *sum((["--owner", o] for o in OWNERS), [])]
    result = cli(*args, "--threshold", "2", "--network", network, "--account", "TEST::0", "--yes")
    assert result.exit_code == 0, result.output
    data = json.loads(manifest_in(stack / "local").read_text())
    safe = data["safes"]["safe"]["address"]
    abi = [a.model_dump(by_alias=True) for a in project.GovernanceTimelock.contract_type.abi]
    timelock = w3.eth.contract(address=data["contracts"]["timelock"]["address"], abi=abi)
    roles = [timelock.functions[r]().call() for r in ("PROPOSER_ROLE", "EXECUTOR_ROLE")]
    roles.append(timelock.functions.CANCELLER_ROLE().call())
    payloads = [timelock.encode_abi("grantRole", args=[role, safe]) for role in roles]
    targets, values = [timelock.address] * 3, [0] * 3
    salt, zero = b"\x01" * 32, b"\x00" * 32
    timelock.functions.scheduleBatch(
        targets, values, payloads, zero, salt, GOVERNANCE_DELAY
    ).transact({"from": DEPLOYER})
    op_id = timelock.functions.hashOperationBatch(targets, values, payloads, zero, salt).call()
    ready_at = timelock.functions.getTimestamp(op_id).call()
    head = w3.eth.get_block("latest").timestamp
    advance(w3, max(ready_at - head, 0) + 1)
    timelock.functions.executeBatch(targets, values, payloads, zero, salt).transact(
        {"from": DEPLOYER}
    )
    assert timelock.functions.hasRole(roles[0], safe).call()
    return {"address": safe, "timelock": timelock, "manifest": data}


def _sign_offline(path, account: str, output, manifest) -> subprocess.CompletedProcess:
    """`ape run safe sign` in a separate process with no network and no RPC in its
    environment, as on an air-gapped machine that holds the deployment's manifest."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BSC_", "WEB3_", "APE_NETWORK")) and k != "SOMCHAIN_DEPLOYMENTS"
    }
    return subprocess.run(
        ["ape", "run", "safe", "sign", str(path), "--account", account, "-o", str(output)]
        + ["--manifest", str(manifest), "--yes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _token(w3, stack):
    from ape import project

    data = json.loads(manifest_in(stack / "local").read_text())
    abi = [a.model_dump(by_alias=True) for a in project.NationalStablecoin.contract_type.abi]
    return w3.eth.contract(address=data["contracts"]["stablecoin"]["address"], abi=abi)


def _limits_proposal(op, path):
    """An honest proposal: the board changes a tier limit (a timelocked schedule)."""
    args = ["cbdc", "set-tier-limits", "0", "12000", "2000", "5000", "--safe", "safe"]
    result = op(*args, "--proposal-file", path)
    assert result.exit_code == 0, result.output
    return path


def test_reserve_feed_change__2_of_3_safe_through_timelock__applied_after_delay(
    board_safe, op, safe_cli, w3, stack, listed, tmp_path
):
    feed = listed["usd_feed"].address
    token = _token(w3, stack)
    proposal = tmp_path / "feed.json"
    proposed = op(
        "stablecoin",
        "set-reserve-feed",
        feed,
        "3600",
        "--safe",
        "safe",
        "--proposal-file",
        proposal,
    )
    assert proposed.exit_code == 0, proposed.output
    assert "rehearsal: succeeded" in proposed.output
    assert "the timelock executed the operation" in proposed.output
    assert "done: proposal written" in proposed.output
    data = json.loads(proposal.read_text())
    assert data["safe"] == board_safe["address"]
    assert data["chain_id"] == 97
    assert data["nonce"] == 0
    assert data["threshold"] == 2
    assert data["safe_tx"]["to"] == board_safe["timelock"].address
    assert data["calls"][0]["function"] == "schedule"
    assert "UTC" in data["calls"][0]["executable_from"]
    assert data["rehearsal"]["succeeded"]

    # Two owners sign, each in a separate process with no node.
    first, second = tmp_path / "feed.1.json", tmp_path / "feed.2.json"
    for account, output in (("TEST::1", first), ("TEST::2", second)):
        signed = _sign_offline(proposal, account, output, manifest_in(stack / "local"))
        assert signed.returncode == 0, signed.stdout + signed.stderr
        # Named by the contracts at the targets, decoded from the SafeTx data.
        assert "GovernanceTimelock (timelock)" in signed.stdout
        assert "NationalStablecoin (stablecoin)" in signed.stdout
        assert "setReserveFeed(" in signed.stdout
        assert "WARNING" not in signed.stdout
    assert token.functions.reserveFeed().call()[0] != feed

    # One signature alone is refused, nothing sent.
    block = w3.eth.block_number
    alone = safe_cli("execute", first, "--account", "TEST::0", "--yes")
    assert alone.exit_code == 2, alone.output
    assert "error: 1 of 2 required owner signature(s); nothing sent\n" in alone.output
    assert w3.eth.block_number == block

    copied = safe_cli("sign", proposal, "--account", "TEST::3", "--copy", "--yes", connected=False)
    assert copied.exit_code == 0, copied.output
    assert (tmp_path / f"feed.{OWNERS[2][:10]}.json").is_file()
    merged = tmp_path / "feed.merged.json"
    assert safe_cli("merge", first, second, "-o", merged, connected=False).exit_code == 0
    status = safe_cli("status", merged)
    assert status.exit_code == 0, status.output
    assert "ready: the threshold is met" in status.output

    executed = safe_cli("execute", merged, "--account", "TEST::5", "--yes")
    assert executed.exit_code == 0, executed.output
    assert "event CallScheduled" in executed.output
    op_id = proposed_operation(proposed.output)

    stale = safe_cli("status", merged)
    assert "is stale" in stale.output
    again = safe_cli("execute", merged, "--account", "TEST::5", "--yes")
    assert again.exit_code == 2, again.output
    assert "the proposal is stale: its nonce 0 was already used" in again.output
    both = safe_cli(
        "sign", merged, "--account", "TEST::3", "-o", "x.json", "--copy", "--yes", connected=False
    )
    assert both.exit_code == 2, both.output
    assert "--output and --copy exclude each other" in both.output

    # After the delay, the Safe executes the timelock operation (a second proposal).
    advance(w3, GOVERNANCE_DELAY + 1)
    run_op = tmp_path / "run.json"
    proposed = op("governance", "execute", op_id, "--safe", "safe", "--proposal-file", run_op)
    assert proposed.exit_code == 0, proposed.output
    for account in ("TEST::2", "TEST::3"):
        signed = safe_cli("sign", run_op, "--account", account, "--yes", connected=False)
        assert signed.exit_code == 0, signed.output
    executed = safe_cli("execute", run_op, "--account", "TEST::5", "--yes")
    assert executed.exit_code == 0, executed.output
    assert "event CallExecuted" in executed.output
    assert token.functions.reserveFeed().call()[0] == feed


def test_address__prints_the_manifests_safe_alone(board_safe, safe_cli):
    found = safe_cli("address")
    assert found.exit_code == 0, found.output
    assert found.output == board_safe["address"] + "\n"
    missing = safe_cli("address", "treasury")
    assert missing.exit_code == 2
    assert "no Safe named 'treasury'" in missing.output


def test_propose_add_asset__feed_that_reverts__refused_before_signing(board_safe, op, w3, tmp_path):
    """`schedule` alone succeeds; the listing would revert when executed (the feed is not a
    price feed): the call is simulated from the timelock first, and refused before any
    proposal is written or anything is sent."""
    from ape import project

    token = deploy_raw(w3, project.MockERC20.contract_type, "Wrapped Gold", "WGLD", 18)
    not_a_feed = TEST_ACCOUNTS[8]
    path = tmp_path / "list.json"
    args = ["reserve", "propose-add-asset", token.address, not_a_feed, "10"]
    result = op(*args, "--safe", "safe", "--proposal-file", path)
    assert result.exit_code == 2, result.output
    assert "would revert when executed" in result.output
    assert not path.exists()

    # The same for a board member sending directly with --rehearse: nothing sent.
    block = w3.eth.block_number
    direct = op(*args, "--rehearse")
    assert direct.exit_code == 2, direct.output
    assert "would revert when executed" in direct.output
    assert w3.eth.block_number == block


@pytest.mark.parametrize(
    "change",
    [
        ("safe_tx_hash", "0x" + "11" * 32),
        ("safe_tx.value", 1),
        ("safe_tx.data", "0x00"),
        ("safe_tx.to", TEST_ACCOUNTS[8]),
        ("nonce", 7),
    ],
)
def test_sign__altered_proposal__refused_exit_2(board_safe, op, safe_cli, tmp_path, change):
    path = tmp_path / "p.json"
    _limits_proposal(op, path)
    data = json.loads(path.read_text())
    key, value = change
    if "." in key:
        outer, inner = key.split(".")
        data[outer][inner] = value
    else:
        data[key] = value
    path.write_text(json.dumps(data))
    signed = safe_cli("sign", path, "--account", "TEST::1", "--yes", connected=False)
    assert signed.exit_code == 2, signed.output
    assert signed.output.strip().count("\n") == 0
    assert "altered" in signed.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--safe", "nosuchsafe"], "no Safe named 'nosuchsafe'"),
        (["--safe", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"], "is not checksummed"),
        (["--safe", TEST_ACCOUNTS[8]], "no contract at the Safe address"),
        (["--proposal-file", "x.json"], "go with --safe"),
        (["--safe", "safe", "--safe-nonce", "0", "--proposal-file", "{tmp}/n.json"], None),
    ],
)
def test_safe_option__bad_input__exit_2_nothing_written(
    board_safe, op, w3, tmp_path, args, message
):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    block = w3.eth.block_number
    result = op("cbdc", "set-tier-limits", "0", "12000", "2000", "5000", *args)
    if message is None:  # the current nonce is accepted
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert w3.eth.block_number == block


def test_safe_commands__bad_files__exit_2(board_safe, safe_cli, tmp_path):
    missing = safe_cli("sign", tmp_path / "none.json", "--account", "TEST::1", connected=False)
    assert missing.exit_code == 2
    assert "no proposal file" in missing.output
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    assert "not JSON" in safe_cli("status", junk).output
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "something else"}))
    result = safe_cli("merge", other, other, "-o", tmp_path / "m.json", connected=False)
    assert result.exit_code == 2
    assert "not a Safe proposal file" in result.output


def test_sign__not_an_owner__refused(board_safe, op, safe_cli, tmp_path):
    path = tmp_path / "p.json"
    _limits_proposal(op, path)
    signed = safe_cli("sign", path, "--account", "TEST::7", "--yes", connected=False)
    assert signed.exit_code == 2
    assert "is not an owner of the Safe" in signed.output


def test_deploy_safe__bad_owners_or_threshold__exit_2(cli, network, stack, w3):
    block = w3.eth.block_number
    cases = [
        (["--owner", OWNERS[0], "--threshold", "2"], "threshold 2 must be from 1 to the 1"),
        (["--owner", OWNERS[0], "--owner", OWNERS[0], "--threshold", "1"], "given twice"),
        (["--owner", OWNERS[0].lower()[:-1] + "A", "--threshold", "1"], "owner"),
        (["--threshold", "1"], "at least one --owner"),
    ]
    for args, message in cases:
        result = cli("deploy", "safe", *args, "--network", network, "--account", "TEST::0", "--yes")
        assert result.exit_code == 2, result.output
        assert message in result.output
    assert w3.eth.block_number == block


def test_permit__safe_holding_kgst__signed_through_erc1271(board_safe, op, w3, stack):
    """The Safe's owners sign a KGST permit; the token checks it with the Safe's
    `isValidSignature` (CompatibilityFallbackHandler), and the spender moves the KGST."""
    from ape import accounts
    from eth_account.messages import encode_typed_data
    from eth_utils import keccak
    from web3.exceptions import ContractCustomError

    from somchain.safe.tx import sign_for_safe
    from somchain.stablecoin.signing import TYPES
    from tests.utils.constants import BOB, ONE

    safe = board_safe["address"]
    minted = op("stablecoin", "mint", safe, "100")
    assert minted.exit_code == 0, minted.output
    token = _token(w3, stack)
    domain = token.functions.eip712Domain().call()
    deadline = w3.eth.get_block("latest").timestamp + 3600
    permit = {
        "owner": safe,
        "spender": BOB,
        "value": 40 * ONE,
        "nonce": token.functions.nonces(safe).call(),
        "deadline": deadline,
    }
    typed = encode_typed_data(
        domain_data={
            "name": domain[1],
            "version": domain[2],
            "chainId": domain[3],
            "verifyingContract": domain[4],
        },
        message_types={"Permit": TYPES["Permit"]},
        message_data=permit,
    )
    digest = keccak(b"\x19" + typed.version + typed.header + typed.body)
    owners = [accounts.test_accounts[1], accounts.test_accounts[3]]

    one = sign_for_safe(owners[:1], 97, safe, digest)
    with_bytes = token.get_function_by_signature("permit(address,address,uint256,uint256,bytes)")
    with pytest.raises(ContractCustomError):  # one owner of a 2-of-3 Safe is not enough
        with_bytes(safe, BOB, 40 * ONE, deadline, one).call({"from": BOB})

    signature = sign_for_safe(owners, 97, safe, digest)
    with_bytes(safe, BOB, 40 * ONE, deadline, signature).transact({"from": BOB})
    assert token.functions.allowance(safe, BOB).call() == 40 * ONE
    token.functions.transferFrom(safe, BOB, 40 * ONE).transact({"from": BOB})
    assert token.functions.balanceOf(BOB).call() >= 40 * ONE
    assert token.functions.balanceOf(safe).call() == 60 * ONE


def test_deposit__token_from_safe__approve_and_deposit_batched_in_one_safe_tx(
    board_safe, op, safe_cli, w3, listed, tmp_path
):
    """Two calls (approve, deposit) become one SafeTx through MultiSendCallOnly."""
    usdt = listed["usdt"]
    safe = board_safe["address"]
    usdt.functions.mint(safe, 500 * 10**18).transact({"from": DEPLOYER})
    path = tmp_path / "deposit.json"
    proposed = op(
        "reserve", "deposit", usdt.address, "200", "--safe", "safe", "--proposal-file", path
    )
    assert proposed.exit_code == 0, proposed.output
    data = json.loads(path.read_text())
    assert data["safe_tx"]["operation"] == 1
    assert data["safe_tx"]["to"] == board_safe["manifest"]["safe_singletons"]["MultiSendCallOnly"]
    assert [c["function"] for c in data["calls"]] == ["approve", "deposit"]
    for account in ("TEST::1", "TEST::3"):
        signed = safe_cli("sign", path, "--account", account, "--yes", connected=False)
        assert signed.exit_code == 0, signed.output
        assert "batch of 2 call(s) through MultiSendCallOnly (recorded in the manifest)" in (
            signed.output
        )
        # The USDT stand-in is no contract of the deployment: shown raw, with a warning.
        assert f"unknown contract {usdt.address}: selector 0x095ea7b3" in signed.output
        assert f"WARNING: {usdt.address} is not a contract of" in signed.output
        assert "ReserveVault (reserve)" in signed.output
    executed = safe_cli("execute", path, "--account", "TEST::5", "--yes")
    assert executed.exit_code == 0, executed.output
    assert "event Deposited" in executed.output
    assert usdt.functions.balanceOf(safe).call() == 300 * 10**18


def _sign_and_execute(safe_cli, path, owners=("TEST::1", "TEST::2"), *extra):
    for account in owners:
        signed = safe_cli("sign", path, "--account", account, "--yes", connected=False)
        assert signed.exit_code == 0, signed.output
    executed = safe_cli("execute", path, "--account", "TEST::5", "--yes", *extra)
    assert executed.exit_code == 0, executed.output
    return executed


def test_governance_cancel__through_the_safe__cancels_the_operation(
    board_safe, op, safe_cli, cli, network, tmp_path
):
    proposal = tmp_path / "limits.json"
    args = ["cbdc", "set-tier-limits", "0", "12000", "2000", "5000", "--safe", "safe"]
    proposed = op(*args, "--proposal-file", proposal)
    assert proposed.exit_code == 0, proposed.output
    _sign_and_execute(safe_cli, proposal)
    op_id = proposed_operation(proposed.output)
    listed = cli("governance", "list", "--ids", "--network", network)
    assert op_id in listed.output

    cancel = tmp_path / "cancel.json"
    result = op("governance", "cancel", op_id, "--safe", "safe", "--proposal-file", cancel)
    assert result.exit_code == 0, result.output
    executed = _sign_and_execute(safe_cli, cancel, ("TEST::3", "TEST::1"), "--rehearse")
    assert "rehearsal: succeeded" in executed.output  # execTransaction first on a fork
    assert "event Cancelled" in executed.output
    after = cli("governance", "list", "--ids", "--network", network)
    assert op_id not in after.output


@pytest.fixture
def keyfile_owner(monkeypatch):
    """TEST::3's key imported as an encrypted keyfile account (as `ape accounts import`
    does), its passphrase in APE_ACCOUNTS_<alias>_PASSPHRASE; removed afterwards."""
    from ape import accounts
    from ape_accounts import import_account_from_private_key

    alias = "safe-owner-keyfile"
    key = accounts.test_accounts[3].private_key
    account = import_account_from_private_key(alias, "correct horse", key)
    monkeypatch.setenv(f"APE_ACCOUNTS_{alias}_PASSPHRASE", "correct horse")
    yield alias
    account.keyfile_path.unlink(missing_ok=True)


def test_sign__keyfile_account__signs_through_the_ape_account_api(
    board_safe, op, safe_cli, keyfile_owner, tmp_path
):
    path = _limits_proposal(op, tmp_path / "limits.json")
    signed = safe_cli("sign", path, "--account", keyfile_owner, "--yes", connected=False)
    assert signed.exit_code == 0, signed.output
    assert list(json.loads(path.read_text())["signatures"]) == [OWNERS[2]]
    executed = _sign_and_execute(safe_cli, path, owners=("TEST::1",))
    assert "event ExecutionSuccess" in executed.output


def _via_timelock(w3, timelock, target: str, data: str, salt: bytes) -> None:
    """Schedules `data` on `target` through the governance timelock (TEST::0 is one of its
    proposers and executors here), waits out the delay and executes it."""
    zero = b"\x00" * 32
    timelock.functions.schedule(target, 0, data, zero, salt, GOVERNANCE_DELAY).transact(
        {"from": DEPLOYER}
    )
    advance(w3, GOVERNANCE_DELAY + 1)
    timelock.functions.execute(target, 0, data, zero, salt).transact({"from": DEPLOYER})


def test_payroll_pay__safe_as_treasury__a_proposal_per_chunk_each_paid_once(
    board_safe, op, safe_cli, w3, tmp_path
):
    """The treasury is the board's Safe: `payroll pay --safe` writes one proposal per unpaid
    chunk at consecutive nonces; a re-run after the first chunk was executed proposes only
    the second, identical to its first proposal; every payee is paid once."""
    from ape import project

    from tests.utils.constants import BANK, SOM

    safe = board_safe["address"]
    data = board_safe["manifest"]["contracts"]
    abi = [a.model_dump(by_alias=True) for a in project.DigitalSom.contract_type.abi]
    som = w3.eth.contract(address=data["cbdc"]["address"], abi=abi)
    grant = som.encode_abi("grantRole", args=[som.functions.TREASURY_ROLE().call(), safe])
    _via_timelock(w3, board_safe["timelock"], som.address, grant, b"\x07" * 32)
    wallets = [f"0x{(0x5AFE << 144) + i:040x}" for i in range(501)]
    wallets = [w3.to_checksum_address(w) for w in wallets]
    for start in range(0, len(wallets), 250):
        som.functions.registerWallets(wallets[start : start + 250], 1).transact({"from": BANK})
    som.functions.issue(BANK, 600_000 * SOM).transact({"from": DEPLOYER})
    som.functions.transfer(safe, 600_000 * SOM).transact({"from": BANK})
    file = tmp_path / "pensions.csv"
    rows = [f"{w},{100 + i}.25,PEN-{i}" for i, w in enumerate(wallets)]
    file.write_text("# token: cbdc\nwallet,amount,reference\n" + "\n".join(rows) + "\n")
    safe_contract = w3.eth.contract(address=safe, abi=[_NONCE_ABI])
    nonce = safe_contract.functions.nonce().call()

    proposed = op("payroll", "pay", file, "--safe", "safe")
    assert proposed.exit_code == 0, proposed.output
    folder = tmp_path / "pensions.safe"
    first, second = sorted(folder.glob("*.json"))
    assert (first.name, second.name) == (
        f"chunk-0001-nonce-{nonce}.json",
        f"chunk-0002-nonce-{nonce + 1}.json",
    )
    assert "done: 2 proposals" in proposed.output
    assert "nothing sent" in proposed.output
    assert [c["function"] for c in json.loads(first.read_text())["calls"]] == ["disburse"]
    proposal_of_second = second.read_text()

    _sign_and_execute(safe_cli, first)
    again = op("payroll", "pay", file, "--safe", "safe")
    assert again.exit_code == 0, again.output
    assert "already paid: 1 chunks, 500 payees" in again.output
    assert "done: 1 proposals" in again.output
    assert sorted(p.name for p in folder.glob("*.json")) == [first.name, second.name]
    assert (
        json.loads(second.read_text())["safe_tx_hash"]
        == json.loads(proposal_of_second)["safe_tx_hash"]
    )

    _sign_and_execute(safe_cli, second)
    assert [som.functions.balanceOf(w).call() for w in wallets] == [
        (100 + i) * SOM + 25 for i in range(501)
    ]
    replay = safe_cli("execute", first, "--account", "TEST::5", "--yes")
    assert replay.exit_code != 0
    done = op("payroll", "pay", file, "--safe", "safe")
    assert done.exit_code == 0, done.output
    assert "nothing to pay" in done.output
    assert som.functions.balanceOf(wallets[0]).call() == 100 * SOM + 25


_NONCE_ABI = {
    "type": "function",
    "name": "nonce",
    "stateMutability": "view",
    "inputs": [],
    "outputs": [{"name": "", "type": "uint256"}],
}


def test_payroll_pay__safe_with_print_calldata__exit_2_nothing_written(board_safe, op, tmp_path):
    file = tmp_path / "p.csv"
    file.write_text(f"# token: cbdc\n{TEST_ACCOUNTS[8]},1\n")
    result = op("payroll", "pay", file, "--safe", "safe", "--print-calldata")
    assert result.exit_code == 2, result.output
    assert "drop --print-calldata" in result.output
    assert not (tmp_path / "p.safe").exists()


# --- what the signing screen refuses, end to end on a real 2-of-3 Safe -----------------


def _tamper(path, **changes) -> None:
    """What an attacker who can edit the file on its way to the signers does: change SafeTx
    fields and write the hash they now give, so the file is self-consistent."""
    from somchain.safe.tx import SafeTxFields

    data = json.loads(path.read_text())
    data["safe_tx"].update(changes)
    fields = SafeTxFields.from_dict(data["safe_tx"])
    data["safe_tx_hash"] = "0x" + fields.hash(data["chain_id"], data["safe"]).hex()
    path.write_text(json.dumps(data))


def _fooled_signatures(path, owners=(1, 2)) -> None:
    """Owners' valid signatures over the tampered SafeTx, as a screen that hid the change
    would have collected them."""
    from ape import accounts

    from somchain.safe.tx import SafeTxFields, sign

    data = json.loads(path.read_text())
    fields = SafeTxFields.from_dict(data["safe_tx"])
    digest = fields.hash(data["chain_id"], data["safe"])
    for n in owners:
        owner = accounts.test_accounts[n]
        signature = sign(owner, fields.message(data["chain_id"], data["safe"]), digest)
        data.setdefault("signatures", {})[owner.address] = "0x" + signature.hex()
    path.write_text(json.dumps(data))


def test_hidden_gas_refund__sign_and_execute_refuse__safe_keeps_its_kgst(
    board_safe, op, safe_cli, w3, stack, tmp_path
):
    """The review's Medium finding: refund fields paying 900 of the Safe's 1,000 KGST to
    an attacker, with the hash recomputed. Signing refuses in one line and writes nothing;
    execution with owners' signatures collected elsewhere refuses and sends nothing."""
    from tests.utils.constants import ONE

    safe = board_safe["address"]
    assert op("stablecoin", "mint", safe, "1000").exit_code == 0
    token = _token(w3, stack)
    attacker = TEST_ACCOUNTS[8]
    path = _limits_proposal(op, tmp_path / "limits.json")
    _tamper(
        path,
        gasPrice=10**16,
        baseGas=90_000 - 60_000,
        gasToken=token.address,
        refundReceiver=attacker,
    )
    before = path.read_text()
    signed = safe_cli("sign", path, "--account", "TEST::1", "--yes", connected=False)
    assert signed.exit_code == 2, signed.output
    assert signed.output.strip().count("\n") == 0
    assert "gas-refund fields this tool never builds" in signed.output
    assert path.read_text() == before  # nothing signed

    shown = safe_cli("show", path, "--allow-refund", connected=False)
    assert shown.exit_code == 0, shown.output
    assert "WARNING: gas refund: the Safe pays up to " in shown.output
    assert f"KGST in NationalStablecoin (stablecoin) {token.address} to {attacker}" in (
        shown.output
    )
    merged = safe_cli("merge", path, "-o", tmp_path / "m.json", connected=False)
    checked = safe_cli("status", path)
    for refused in (merged, checked):
        assert refused.exit_code == 2, refused.output
        assert "gas-refund fields" in refused.output

    _fooled_signatures(path)
    block = w3.eth.block_number
    executed = safe_cli("execute", path, "--account", "TEST::5", "--yes")
    assert executed.exit_code == 2, executed.output
    assert "gas-refund fields this tool never builds" in executed.output
    assert w3.eth.block_number == block
    assert token.functions.balanceOf(safe).call() == 1000 * ONE
    assert token.functions.balanceOf(attacker).call() == 0


@pytest.mark.parametrize("inner", [False, True])
def test_disguised_delegatecall__sign_and_execute_refuse(
    board_safe, op, safe_cli, w3, stack, listed, tmp_path, inner
):
    """A delegatecall whose data is `multiSend(bytes)`: to a contract other than
    MultiSendCallOnly, or to the real one with a delegatecall inside. Refused by sign
    and by execute; the Safe's owners and balance are unchanged."""
    from eth_abi import encode

    from somchain.safe.screen import MULTISEND

    safe = board_safe["address"]
    multisend = board_safe["manifest"]["safe_singletons"]["MultiSendCallOnly"]
    evil = listed["usdt"].address  # any contract the attacker picked
    payload = bytes.fromhex("a9059cbb") + encode(["address", "uint256"], [TEST_ACCOUNTS[8], 1])
    op_byte = 1 if inner else 0
    packed = (
        bytes([op_byte])
        + bytes.fromhex(evil[2:])
        + (0).to_bytes(32, "big")
        + len(payload).to_bytes(32, "big")
        + payload
    )
    path = _limits_proposal(op, tmp_path / "limits.json")
    _tamper(
        path,
        to=multisend if inner else evil,
        operation=1,
        data="0x" + (MULTISEND + encode(["bytes"], [packed])).hex(),
    )
    expected = "call 1 is a delegatecall" if inner else "not MultiSendCallOnly v1.4.1"
    signed = safe_cli("sign", path, "--account", "TEST::1", "--yes", connected=False)
    assert signed.exit_code == 2, signed.output
    assert expected in signed.output
    assert not json.loads(path.read_text())["signatures"]

    _fooled_signatures(path)
    owners = _safe(w3, safe).functions.getOwners().call()
    block = w3.eth.block_number
    executed = safe_cli("execute", path, "--account", "TEST::5", "--yes")
    assert executed.exit_code == 2, executed.output
    assert expected in executed.output
    assert w3.eth.block_number == block
    assert _safe(w3, safe).functions.getOwners().call() == owners


def _safe(w3, address):
    from somchain.safe import contracts

    return w3.eth.contract(address=address, abi=contracts.artifact("SafeL2")["abi"])


def test_hash_triple__equals_the_safe_contracts_own(board_safe, op, safe_cli, w3, tmp_path):
    """The domain hash, message hash and safeTxHash the screen prints are the Safe's own
    `domainSeparator()`, the struct hash inside `encodeTransactionData` and
    `getTransactionHash`."""
    from somchain.safe import proposal as proposals
    from somchain.safe.screen import hashes

    path = _limits_proposal(op, tmp_path / "limits.json")
    loaded = proposals.load(path)
    f = loaded.fields
    domain, message, digest = hashes(f, loaded.chain_id, loaded.safe)
    safe = _safe(w3, loaded.safe)
    args = [*f.exec_args(b"")[:9], f.nonce]
    encoded = safe.functions.encodeTransactionData(*args).call()
    assert safe.functions.domainSeparator().call() == domain
    assert encoded[2:34] == domain
    assert encoded[34:66] == message
    assert safe.functions.getTransactionHash(*args).call() == digest
    shown = safe_cli("show", path, connected=False)
    for value in (domain, message, digest):
        assert "0x" + value.hex() in shown.output


def test_sign_rehearse__reruns_the_safe_tx_on_a_fork_of_the_signers_node(
    board_safe, op, safe_cli, network, w3, tmp_path
):
    path = _limits_proposal(op, tmp_path / "limits.json")
    data = json.loads(path.read_text())
    data["rehearsal"]["lines"] = ["rehearsal: succeeded, gas used 1"]  # the proposer's claim
    path.write_text(json.dumps(data))
    block = w3.eth.block_number
    signed = safe_cli(
        "sign",
        path,
        "--account",
        "TEST::1",
        "--yes",
        "--rehearse",
        "--network",
        network,
        connected=False,
    )
    assert signed.exit_code == 0, signed.output
    lines = signed.output.splitlines()
    mine = lines.index("rehearsal on a fork of your node, the Safe as sender (recomputed):")
    assert lines[mine + 1].startswith("  rehearsal: succeeded, gas used ")
    assert any("the timelock executed the operation" in ln for ln in lines[mine + 2 : mine + 4])
    assert "  | rehearsal: succeeded, gas used 1" in lines  # quoted, under its own heading
    assert "the chain's minimum delay: 600 s" in signed.output
    assert w3.eth.block_number == block  # the fork only

    alone = safe_cli("sign", path, "--account", "TEST::2", "--rehearse", connected=False)
    assert alone.exit_code == 2
    assert "--rehearse needs --network" in alone.output
