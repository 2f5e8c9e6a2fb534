"""The signing screen, with no chain: each way a tampered proposal file could make a
signer approve what they did not see is refused or flagged, and every line is recomputed
from the SafeTx fields and the manifest, never from the file's own text."""

from __future__ import annotations

import json

import pytest
from eth_abi import encode
from eth_utils import keccak

from somchain.errors import InputError
from somchain.safe import contracts
from somchain.safe import proposal as proposals
from somchain.safe import screen as screens
from somchain.safe.tx import CALL, DELEGATECALL, SafeTxFields

CHAIN = 97
SAFE = "0x1111111111111111111111111111111111111111"
KGST = "0x2222222222222222222222222222222222222222"
TIMELOCK = "0x3333333333333333333333333333333333333333"
HARNESS = "0x4444444444444444444444444444444444444444"
LOCAL_MULTISEND = "0x5555555555555555555555555555555555555555"
STRANGER = "0x6666666666666666666666666666666666666666"
SOM = "0x7777777777777777777777777777777777777777"
DESK = "0x8888888888888888888888888888888888888888"
CANONICAL_MULTISEND = contracts.canonical_address("MultiSendCallOnly", CHAIN)
PAUSE = keccak(text="pause()")[:4]


def _abi(name: str) -> list:
    from ape import project

    abi = getattr(project, name).contract_type.abi
    return [item.model_dump(mode="json", by_alias=True) for item in abi]


@pytest.fixture(scope="session")
def manifest_file(tmp_path_factory):
    """A manifest naming KGST, the digital som, the conversion desk, the timelock and a test
    mock, with a recorded Safe and its local MultiSendCallOnly; ABIs beside it, as `ape run
    deploy` writes them."""
    folder = tmp_path_factory.mktemp("deployments")
    entries = {
        "stablecoin": ("NationalStablecoin", KGST),
        "timelock": ("GovernanceTimelock", TIMELOCK),
        "cbdc": ("DigitalSom", SOM),
        "desk": ("ConversionDesk", DESK),
        "harness": ("ControlledTokenHarness", HARNESS),
    }
    contracts_ = {}
    (folder / "abi").mkdir()
    for key, (name, address) in entries.items():
        (folder / "abi" / f"{name}.json").write_text(json.dumps(_abi(name)))
        contracts_[key] = {"contract": name, "address": address, "abi": f"abi/{name}.json"}
    contracts_["stablecoin"]["initializer"] = {
        "function": "initialize",
        "args": ["Kyrgyz Som Stablecoin", "KGST", 18, SAFE, 0],
    }
    contracts_["cbdc"]["initializer"] = {
        "function": "initialize",
        "args": ["Digital Som", "KGSD", 2, SAFE, 0],
    }
    contracts_["desk"]["constructor_args"] = [KGST, SOM, TIMELOCK, 0]
    singletons = {"MultiSendCallOnly": LOCAL_MULTISEND}
    data = {
        "chain_id": CHAIN,
        "contracts": contracts_,
        "safe_singletons": singletons,
        "safes": {"safe": {"address": SAFE, "singletons": singletons}},
    }
    path = folder / f"{CHAIN}-abcdef12.json"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def catalog(manifest_file):
    return screens.catalog(CHAIN, SAFE, manifest_file)


def _fields(to=KGST, data=PAUSE, operation=CALL, **refund) -> SafeTxFields:
    base = SafeTxFields.call(to, data, nonce=4, operation=operation).as_dict()
    return SafeTxFields.from_dict({**base, **refund})


def _packed(*calls: tuple[int, str, bytes]) -> bytes:
    packed = b"".join(
        bytes([op])
        + bytes.fromhex(to[2:])
        + (0).to_bytes(32, "big")
        + len(data).to_bytes(32, "big")
        + data
        for op, to, data in calls
    )
    return screens.MULTISEND + encode(["bytes"], [packed])


def _text(screen: screens.Screen) -> str:
    return "\n".join(screen.lines + screen.warnings)


def test_review__kgst_pause__named_by_its_target_not_by_a_mock_with_that_selector(catalog):
    screen = screens.review(_fields(), CHAIN, SAFE, catalog)
    text = _text(screen)
    assert f"NationalStablecoin (stablecoin) {KGST}: pause()" in text
    assert "ControlledTokenHarness" not in text
    assert "WARNING" not in text


def test_catalog__a_mock_in_the_manifest__never_names_a_target(catalog):
    assert catalog.find(HARNESS) is None
    screen = screens.review(_fields(to=HARNESS), CHAIN, SAFE, catalog)
    assert f"unknown contract {HARNESS}: selector 0x{PAUSE.hex()}" in _text(screen)
    assert "ControlledTokenHarness" not in _text(screen)


def test_review__unknown_target__raw_selector_and_data_with_a_warning(catalog):
    data = keccak(text="transfer(address,uint256)")[:4] + encode(
        ["address", "uint256"], [STRANGER, 5]
    )
    screen = screens.review(_fields(to=STRANGER, data=data), CHAIN, SAFE, catalog)
    assert (
        f"unknown contract {STRANGER}: selector 0xa9059cbb, data 0x{data.hex()}" in screen.lines[-1]
    )
    assert any(w.startswith(f"WARNING: {STRANGER} is not a contract of") for w in screen.warnings)


def test_review__selector_the_target_does_not_have__flagged(catalog):
    data = keccak(text="drain(address)")[:4] + encode(["address"], [STRANGER])
    screen = screens.review(_fields(data=data), CHAIN, SAFE, catalog)
    assert "unknown function 0x" in screen.lines[-1]
    assert any("is not a function of NationalStablecoin" in w for w in screen.warnings)


@pytest.mark.parametrize(
    "refund",
    [
        {"safeTxGas": 1},
        {"baseGas": 50_000},
        {"gasPrice": 10**16},
        {"gasToken": KGST},
        {"refundReceiver": STRANGER},
    ],
)
def test_review__any_refund_field__refused_in_one_line(catalog, refund):
    with pytest.raises(InputError, match="gas-refund fields this tool never builds") as err:
        screens.review(_fields(**refund), CHAIN, SAFE, catalog)
    assert "\n" not in str(err.value)


def test_review__refund_allowed__worst_case_in_token_units_with_a_warning(catalog):
    fields = _fields(
        safeTxGas=100_000,
        baseGas=35_000,
        gasPrice=6 * 10**15,
        gasToken=KGST,
        refundReceiver=STRANGER,
    )
    screen = screens.review(fields, CHAIN, SAFE, catalog, allow_refund=True)
    # (100,000 + 15,000 + 35,000) gas x 0.006 KGST
    assert screen.warnings[0] == (
        f"WARNING: gas refund: the Safe pays up to 900 KGST in NationalStablecoin (stablecoin) "
        f"{KGST} to {STRANGER}, not named by the manifest"
    )
    text = _text(screen)
    for line in ("safeTxGas       100,000", "baseGas         35,000", "gasPrice        6,000,000"):
        assert line in text


def test_review__all_ten_fields_and_the_hash_triple(catalog):
    fields = _fields()
    screen = screens.review(fields, CHAIN, SAFE, catalog)
    text = _text(screen)
    for name in SafeTxFields.__dataclass_fields__:
        assert f"  {name} " in text
    domain, message, digest = screens.hashes(fields, CHAIN, SAFE)
    assert digest == fields.hash(CHAIN, SAFE)
    assert keccak(b"\x19\x01" + domain + message) == digest
    for value in (domain, message, digest):
        assert "0x" + value.hex() in text


@pytest.mark.parametrize("to", [KGST, STRANGER, TIMELOCK])
def test_review__delegatecall_to_other_than_multisend__refused(catalog, to):
    data = _packed((CALL, KGST, PAUSE))
    with pytest.raises(InputError, match="delegatecalls .* not MultiSendCallOnly v1.4.1"):
        screens.review(_fields(to=to, data=data, operation=DELEGATECALL), CHAIN, SAFE, catalog)


@pytest.mark.parametrize("multisend", [CANONICAL_MULTISEND, LOCAL_MULTISEND])
def test_review__batch_through_multisend__every_inner_call_decoded(catalog, multisend):
    unpause = keccak(text="unpause()")[:4]
    data = _packed((CALL, KGST, PAUSE), (CALL, KGST, unpause))
    screen = screens.review(
        _fields(to=multisend, data=data, operation=DELEGATECALL), CHAIN, SAFE, catalog
    )
    text = _text(screen)
    assert "batch of 2 call(s) through MultiSendCallOnly" in text
    assert f"NationalStablecoin (stablecoin) {KGST}: pause()" in text
    assert f"NationalStablecoin (stablecoin) {KGST}: unpause()" in text
    assert [c.to for c in screen.calls] == [KGST, KGST]


def test_review__inner_delegatecall__refused(catalog):
    data = _packed((CALL, KGST, PAUSE), (DELEGATECALL, STRANGER, b"\x01\x02\x03\x04"))
    with pytest.raises(InputError, match="call 2 is a delegatecall"):
        screens.review(
            _fields(to=LOCAL_MULTISEND, data=data, operation=DELEGATECALL), CHAIN, SAFE, catalog
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (keccak(text="transfer(address,uint256)")[:4], "not multiSend"),
        (_packed((CALL, KGST, PAUSE)) + b"\x00" * 32, "beyond its batch"),
        (screens.MULTISEND + encode(["bytes"], [b"\x00" * 40]), "truncated"),
    ],
)
def test_review__malformed_batch__refused(catalog, data, message):
    with pytest.raises(InputError, match=message):
        screens.review(
            _fields(to=LOCAL_MULTISEND, data=data, operation=DELEGATECALL), CHAIN, SAFE, catalog
        )


def test_review__timelock_schedule__inner_call_and_earliest_time_recomputed(catalog):
    schedule = keccak(text="schedule(address,uint256,bytes,bytes32,bytes32,uint256)")[:4]
    data = schedule + encode(
        ["address", "uint256", "bytes", "bytes32", "bytes32", "uint256"],
        [KGST, 0, PAUSE, b"\x00" * 32, b"\x01" * 32, 172_800],
    )
    catalog.min_delay = 86_400
    screen = screens.review(
        _fields(to=TIMELOCK, data=data), CHAIN, SAFE, catalog, now=1_800_000_000
    )
    text = _text(screen)
    assert f"GovernanceTimelock (timelock) {TIMELOCK}: schedule, delay 172,800 s (2 d)" in text
    assert f"  NationalStablecoin (stablecoin) {KGST}: pause()" in text
    assert (
        "timelock: the call can run 2 d (172,800 s) after this SafeTx executes; at the earliest "
        "2027-01-17 08:00:00 UTC if executed now (the chain's minimum delay: 86,400 s)"
    ) in text


def test_review__schedule_below_the_chains_minimum_delay__flagged(catalog):
    schedule = keccak(text="schedule(address,uint256,bytes,bytes32,bytes32,uint256)")[:4]
    data = schedule + encode(
        ["address", "uint256", "bytes", "bytes32", "bytes32", "uint256"],
        [KGST, 0, PAUSE, b"\x00" * 32, b"\x01" * 32, 60],
    )
    catalog.min_delay = 86_400
    screen = screens.review(_fields(to=TIMELOCK, data=data), CHAIN, SAFE, catalog)
    assert any("below the timelock's minimum 86,400 s" in w for w in screen.warnings)
    assert "the call can run 1 d (86,400 s)" in _text(screen)


def _proposal(fields: SafeTxFields, **text) -> proposals.Proposal:
    digest = fields.hash(CHAIN, SAFE)
    data = {"format": proposals.FORMAT, "chain_id": CHAIN, "safe": SAFE, **text}
    return proposals.Proposal(CHAIN, SAFE, fields, digest, data)


def test_describe__forged_summary_rehearsal_and_timelock_text__never_shown_as_findings(catalog):
    forged = _proposal(
        _fields(),
        summary=["pay 1 som to the pension fund"],
        calls=[{"executable_from": "in 1 s, at the earliest now", "summary": "harmless"}],
        rehearsal={
            "succeeded": True,
            "lines": ["rehearsal: succeeded\nWARNING: none", "  hasRole(X): False -> True"],
        },
    )
    lines = proposals.describe(forged, catalog)
    text = "\n".join(lines)
    assert "pay 1 som" not in text
    assert "harmless" not in text
    assert "in 1 s" not in text
    heading = lines.index("the proposer's rehearsal, as the file says (UNCHECKED, not recomputed):")
    assert lines[heading + 1] == "  | rehearsal: succeeded?WARNING: none"
    assert lines[heading + 2] == "  |   hasRole(X): False -> True"
    assert not any(line.startswith("WARNING: none") for line in lines)
    assert f"NationalStablecoin (stablecoin) {KGST}: pause()" in text


def test_catalog__manifest_of_another_chain__refused(manifest_file):
    with pytest.raises(InputError, match="is for chain id 97, the proposal for chain id 56"):
        screens.catalog(56, SAFE, manifest_file)


def test_find_manifest__several_for_the_chain_and_none_given__refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SOMCHAIN_DEPLOYMENTS", str(tmp_path))
    (tmp_path / "local").mkdir()
    (tmp_path / "97-aaaaaaaa.json").write_text("{}")
    (tmp_path / "local" / "97-bbbbbbbb.json").write_text("{}")
    with pytest.raises(InputError, match="several manifests of chain id 97"):
        screens.find_manifest(97)
    assert screens.find_manifest(97, str(tmp_path / "97-aaaaaaaa.json")).name == "97-aaaaaaaa.json"
    with pytest.raises(InputError, match="no manifest file"):
        screens.find_manifest(97, str(tmp_path / "none.json"))


def test_review__no_manifest__every_project_target_unknown_and_flagged():
    bare = screens.catalog(CHAIN, SAFE, None)
    screen = screens.review(_fields(), CHAIN, SAFE, bare)
    assert f"unknown contract {KGST}" in _text(screen)
    assert any(f"WARNING: the Safe {SAFE} is not recorded" in w for w in screen.warnings)


def test_review__amounts_of_the_called_token__in_its_units_from_the_manifest(catalog):
    mint = keccak(text="mint(address,uint256)")[:4] + encode(
        ["address", "uint256"], [STRANGER, 1_250_000_500_000_000_000_000_000]
    )
    screen = screens.review(_fields(data=mint), CHAIN, SAFE, catalog)
    assert f"mint(to={STRANGER}, amount=1,250,000.5 KGST)" in screen.lines[-1]


def test_review__desk_limit__in_its_unit_the_som_from_the_manifest_offline(catalog):
    limit = keccak(text="setRateLimit(uint8,uint256,uint256)")[:4] + encode(
        ["uint8", "uint256", "uint256"], [1, 2_000_000, 250]
    )
    screen = screens.review(_fields(to=DESK, data=limit), CHAIN, SAFE, catalog)
    shown = "setRateLimit(direction=1, capacity=20,000 KGSD, refillPerSecond=2.5 KGSD)"
    assert shown in screen.lines[-1]


def test_review__kgst_minter_bucket__in_kgst(catalog):
    bucket = keccak(text="setMinterRateLimit(address,uint256,uint256)")[:4] + encode(
        ["address", "uint256", "uint256"], [STRANGER, 100_000 * 10**18, 10**18]
    )
    screen = screens.review(_fields(data=bucket), CHAIN, SAFE, catalog)
    assert "capacity=100,000 KGST, refillPerSecond=1 KGST)" in screen.lines[-1]


def test_review__rescued_amount_is_of_another_token__left_in_base_units(catalog):
    rescue = keccak(text="rescueERC20(address,address,uint256)")[:4] + encode(
        ["address", "address", "uint256"], [STRANGER, STRANGER, 5]
    )
    screen = screens.review(_fields(data=rescue), CHAIN, SAFE, catalog)
    assert screen.lines[-1].endswith("amount=5)")


def test_load__refund_fields__refused_unless_allowed(tmp_path):
    fields = _fields(gasPrice=1)
    data = {
        "format": proposals.FORMAT,
        "chain_id": CHAIN,
        "safe": SAFE,
        "nonce": fields.nonce,
        "safe_tx": fields.as_dict(),
        "safe_tx_hash": "0x" + fields.hash(CHAIN, SAFE).hex(),
    }
    path = tmp_path / "refund.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match="gas-refund fields"):
        proposals.load(path)
    assert proposals.load(path, allow_refund=True).fields.gasPrice == 1


@pytest.mark.parametrize("text", ["{not json", "[1, 2]"])
def test_catalog__unreadable_manifest__refused_in_one_line(tmp_path, text):
    path = tmp_path / "97-bad.json"
    path.write_text(text)
    with pytest.raises(InputError, match="is not a deployment manifest"):
        screens.catalog(CHAIN, SAFE, path)
