"""The token commands of the board and the rescuer on anvil (mounted on both tokens, run
here on the stablecoin): the delayed admin handover, rescue, upgrade; and
--print-calldata, whose output decodes back to the same call."""

import re

import pytest

from tests.utils.chain import advance, executed, manifest_contract
from tests.utils.constants import ALICE, DEPLOYER, GOVERNANCE_DELAY, STRANGER

ONE = 10**18
IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC


def _contract(w3, stack, key, name):
    return manifest_contract(w3, stack / "local", key, name)


@pytest.fixture
def token(w3, stack):
    return _contract(w3, stack, "stablecoin", "NationalStablecoin")


@pytest.fixture
def timelock(w3, stack):
    return _contract(w3, stack, "timelock", "GovernanceTimelock")


def test_admin_transfer__begun_by_the_board__accepted_by_the_new_admin(op, w3, token):
    executed(op, w3, op("stablecoin", "begin-admin-transfer", ALICE))
    assert token.functions.pendingDefaultAdmin().call()[0] == ALICE
    advance(w3, 1)
    refused = op("stablecoin", "accept-admin-transfer", account=3)
    assert refused.exit_code == 2
    assert f"only the pending admin {ALICE} can accept" in refused.output
    accepted = op("stablecoin", "accept-admin-transfer", account=1)
    assert accepted.exit_code == 0, accepted.output
    assert token.functions.defaultAdmin().call() == ALICE


def test_admin_transfer__cancelled__leaves_no_pending_admin(op, w3, token):
    executed(op, w3, op("stablecoin", "begin-admin-transfer", ALICE))
    executed(op, w3, op("stablecoin", "cancel-admin-transfer"))
    assert token.functions.pendingDefaultAdmin().call()[0] == "0x" + "00" * 20
    nothing = op("stablecoin", "cancel-admin-transfer")
    assert nothing.exit_code == 2
    assert "no admin handover is pending" in nothing.output


def test_begin_admin_transfer__bad_address__exits_2(op, w3):
    before = w3.eth.block_number
    result = op("stablecoin", "begin-admin-transfer", ALICE.lower())
    assert result.exit_code == 2
    assert "not checksummed" in result.output
    assert w3.eth.block_number == before


def test_rescue__tokens_sent_to_the_contract__go_to_the_recipient(op, w3, token, listed):
    usdt = listed["usdt"]
    usdt.functions.transfer(token.address, 100 * ONE).transact({"from": DEPLOYER})
    result = op("stablecoin", "rescue", usdt.address, ALICE, "40")
    assert result.exit_code == 0, result.output
    assert "event Rescued(" in result.output
    assert usdt.functions.balanceOf(ALICE).call() == 40 * ONE
    too_much = op("stablecoin", "rescue", usdt.address, ALICE, "61")
    assert too_much.exit_code == 2
    assert "less than 61" in too_much.output


@pytest.mark.parametrize(
    ("script", "key", "name", "symbol"),
    [
        ("stablecoin", "stablecoin", "NationalStablecoinV2Mock", "KGST"),
        ("cbdc", "cbdc", "DigitalSomV2Mock", "KGSD"),
    ],
)
def test_upgrade__by_name__deploys_then_upgrades_after_the_delay(
    op, w3, stack, script, key, name, symbol
):
    proposed = op(script, "upgrade", name)
    assert f"deployed {name} at" in proposed.output
    assert "gas used" in proposed.output
    executed(op, w3, proposed)
    upgraded = _contract(w3, stack, key, name)
    assert upgraded.functions.implementationVersion().call() == 2
    assert upgraded.functions.symbol().call() == symbol


def test_upgrade__candidate_breaking_the_released_layout__refused_before_proposing(op, w3, token):
    """The digital som as KGST's next implementation: a UUPS contract, but its storage does
    not extend KGST's released layout, so nothing is proposed."""
    implementation = w3.eth.get_storage_at(token.address, IMPLEMENTATION_SLOT)
    result = op("stablecoin", "upgrade", "DigitalSom")
    assert result.exit_code == 2, result.output
    assert "DigitalSom's storage layout breaks NationalStablecoin's" in result.output
    assert "operation id" not in result.output
    assert w3.eth.get_storage_at(token.address, IMPLEMENTATION_SLOT) == implementation


@pytest.fixture(autouse=True)
def manifest_file(stack):
    """The stack's manifest, put back as it was after each test (an upgrade records its
    candidate there, and the chain is reverted after each test)."""
    from tests.utils.paths import manifest_in

    path = manifest_in(stack / "local")
    before = path.read_text()
    yield path
    path.write_text(before)


def test_deploy__records_the_layout_release_of_each_upgradeable_implementation(manifest_file):
    import json

    from somchain.upgrades import released_versions

    entries = json.loads(manifest_file.read_text())["contracts"]
    for key in ("stablecoin", "cbdc"):
        entry = entries[key]
        assert entry["layout_version"] == released_versions()[-1]
        recorded = entry["implementation_layouts"]
        assert recorded == {entry["implementation"]: entry["layout_version"]}


def _running_release(path, key, version):
    import json

    data = json.loads(path.read_text())
    entry = data["contracts"][key]
    if version is None:
        entry.pop("layout_version")
        entry.pop("implementation_layouts")
    else:
        entry["implementation_layouts"] = {entry["implementation"]: version}
    path.write_text(json.dumps(data))


def test_upgrade__proxy_running_the_0_1_0_layout__refused_before_anything_is_deployed(
    op, w3, manifest_file
):
    """The review's finding: a 0.1.0 digital som proxy passed the check against the latest
    release, though its holders would read as unregistered. The check is against the
    release the manifest records for the running implementation."""
    _running_release(manifest_file, "cbdc", "0.1.0")
    nonce = w3.eth.get_transaction_count(DEPLOYER)
    result = op("cbdc", "upgrade", "DigitalSomV2Mock")
    assert result.exit_code == 2, result.output
    assert "DigitalSomV2Mock's storage layout breaks DigitalSom's (release 0.1.0" in result.output
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce  # not even deployed


def test_upgrade__running_layout_not_recorded__refused(op, w3, manifest_file):
    _running_release(manifest_file, "stablecoin", None)
    nonce = w3.eth.get_transaction_count(DEPLOYER)
    result = op("stablecoin", "upgrade", "NationalStablecoinV2Mock")
    assert result.exit_code == 2, result.output
    assert "records no storage-layout release for NationalStablecoin's running" in result.output
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce


def test_upgrade__by_address_never_recorded__refused(op, w3, stack):
    from ape import project

    from tests.utils.chain import deploy_raw

    candidate = deploy_raw(w3, project.NationalStablecoinV2Mock.contract_type)
    result = op("stablecoin", "upgrade", candidate.address)
    assert result.exit_code == 2, result.output
    assert f"no storage layout is recorded for {candidate.address}" in result.output


def test_upgrade__by_name_with_print_calldata__needs_an_address(op, w3):
    nonce = w3.eth.get_transaction_count(DEPLOYER)
    result = op("stablecoin", "upgrade", "NationalStablecoinV2Mock", "--print-calldata")
    assert result.exit_code == 2
    assert "need the implementation's address" in result.output
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce


def test_upgrade__by_address__prints_calldata_for_the_proposal(op, w3, token, timelock):
    deployed = op("stablecoin", "upgrade", "NationalStablecoinV2Mock", "--deploy-only")
    assert deployed.exit_code == 0, deployed.output
    address = next(
        ln.split()[-1] for ln in deployed.output.splitlines() if ln.startswith("deployed ")
    )
    result = op("stablecoin", "upgrade", address, "--print-calldata")
    assert result.exit_code == 0, result.output
    printed = _printed(result.output)
    _, schedule = timelock.decode_function_input(printed["calldata"])
    assert schedule["target"] == token.address
    function, args = token.decode_function_input(schedule["data"])
    assert function.fn_name == "upgradeToAndCall"
    assert args["newImplementation"] == address


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("NoSuchContract", "neither an address nor a contract of this project"),
        ("MockERC20", "is not a UUPS implementation"),
        (STRANGER, "has no code"),
    ],
)
def test_upgrade__bad_implementation__exits_2_and_sends_nothing(op, w3, target, problem):
    nonce = w3.eth.get_transaction_count(DEPLOYER)
    result = op("stablecoin", "upgrade", target)
    assert result.exit_code == 2, result.output
    assert problem in result.output
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce


def _printed(output: str) -> dict[str, str]:
    found = {}
    for line in output.splitlines():
        if match := re.match(r"\s+([a-z ,]+): (\S+)$", line):
            found.setdefault(match.group(1), match.group(2))
    return found


def test_print_calldata__direct_call__decodes_to_the_same_call(op, w3, token):
    nonce = w3.eth.get_transaction_count(DEPLOYER)
    result = op("stablecoin", "mint", ALICE, "12.5", "--print-calldata")
    assert result.exit_code == 0, result.output
    printed = _printed(result.output)
    assert printed["to"] == token.address
    assert printed["value"] == "0"
    function, args = token.decode_function_input(printed["calldata"])
    assert function.fn_name == "mint"
    assert args == {"to": ALICE, "amount": 125 * ONE // 10}
    assert "nothing sent" in result.output
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce


def test_print_calldata__timelock_proposal__schedule_execute_and_id(op, w3, timelock, listed):
    from ape import project

    usdt = listed["usdt"].address
    assert op("reserve", "deposit", usdt, "100").exit_code == 0
    nonce = w3.eth.get_transaction_count(DEPLOYER)
    args = ["propose-withdrawal", usdt, ALICE, "5", "--salt", "s-1", "--print-calldata"]
    result = op("reserve", *args)
    assert result.exit_code == 0, result.output
    printed = _printed(result.output)
    assert printed["to"] == timelock.address
    function, schedule = timelock.decode_function_input(printed["calldata"])
    assert function.fn_name == "schedule"
    assert schedule["salt"] == b"s-1".ljust(32, b"\x00")
    assert schedule["delay"] == GOVERNANCE_DELAY
    vault_abi = [a.model_dump(by_alias=True) for a in project.ReserveVault.contract_type.abi]
    vault = w3.eth.contract(address=schedule["target"], abi=vault_abi)
    inner, withdraw = vault.decode_function_input(schedule["data"])
    assert inner.fn_name == "withdraw"
    assert withdraw == {"asset": usdt, "to": ALICE, "amount": 5 * ONE}
    assert printed["scheduled calldata"] == "0x" + schedule["data"].hex()
    op_id = timelock.functions.hashOperation(
        schedule["target"], 0, schedule["data"], schedule["predecessor"], schedule["salt"]
    ).call()
    assert printed["operation id"] == "0x" + op_id.hex()
    execute, executed = timelock.decode_function_input(printed["after the delay, execute calldata"])
    assert execute.fn_name == "execute"
    assert executed["payload"] == schedule["data"]
    assert executed["salt"] == schedule["salt"]
    assert w3.eth.get_transaction_count(DEPLOYER) == nonce
