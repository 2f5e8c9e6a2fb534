"""SafeTx hashing, signing and proposal files, with no chain."""

import json

import pytest
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak

from somchain.errors import InputError
from somchain.safe import proposal as proposals
from somchain.safe.tx import SafeTxFields, pack, recover, safe_message, sign

SAFE = "0x1111111111111111111111111111111111111111"
TARGET = "0x000000000000000000000000000000000000dEaD"
KEYS = [keccak(text=f"owner {i}") for i in range(3)]


class _Owner:
    """The smallest ape-like account: an address and sign_message."""

    def __init__(self, key: bytes):
        self.key = key
        self.address = Account.from_key(key).address

    def sign_message(self, message):
        signed = Account.sign_message(message.signable_message, self.key)
        return signed.signature


def test_safe_tx_hash__matches_the_safe_contracts_encoding():
    fields = SafeTxFields.call(TARGET, b"\x12\x34", nonce=5, value=7)
    type_hash = keccak(
        text="SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,"
        "uint256 baseGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)"
    )
    domain = keccak(
        encode(
            ["bytes32", "uint256", "address"],
            [keccak(text="EIP712Domain(uint256 chainId,address verifyingContract)"), 97, SAFE],
        )
    )
    struct = keccak(
        encode(
            ["bytes32", "address", "uint256", "bytes32", "uint8"]
            + ["uint256"] * 3
            + ["address", "address", "uint256"],
            [
                type_hash,
                TARGET,
                7,
                keccak(b"\x12\x34"),
                0,
                0,
                0,
                0,
                fields.gasToken,
                fields.refundReceiver,
                5,
            ],
        )
    )
    assert fields.hash(97, SAFE) == keccak(b"\x19\x01" + domain + struct)


def test_sign__any_account_with_sign_message__recovers_to_it():
    owner = _Owner(KEYS[0])
    fields = SafeTxFields.call(TARGET, b"", nonce=0)
    digest = fields.hash(56, SAFE)
    signature = sign(owner, fields.message(56, SAFE), digest)
    assert signature[64] in (27, 28)
    assert recover(digest, signature) == owner.address


def test_pack__orders_signatures_by_owner_address():
    owners = sorted((_Owner(k) for k in KEYS), key=lambda o: o.address, reverse=True)
    signatures = {o.address: bytes([n]) * 65 for n, o in enumerate(owners)}
    packed = pack(signatures)
    assert packed[:65] == bytes([2]) * 65  # the lowest address first


def test_safe_message__differs_by_safe():
    other = "0x2222222222222222222222222222222222222222"
    a = safe_message(97, SAFE, b"\x01" * 32).signable_message
    b = safe_message(97, other, b"\x01" * 32).signable_message
    assert a != b


def _file(tmp_path, **changes):
    fields = SafeTxFields.call(TARGET, b"\xab\xcd", nonce=3)
    data = {
        "format": proposals.FORMAT,
        "chain_id": 97,
        "safe": SAFE,
        "nonce": 3,
        "owners": [_Owner(k).address for k in KEYS],
        "safe_tx": fields.as_dict(),
        "safe_tx_hash": "0x" + fields.hash(97, SAFE).hex(),
        "signatures": {},
    }
    for key, value in changes.items():
        if key.startswith("tx_"):
            data["safe_tx"][key[3:]] = value
        else:
            data[key] = value
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    return path


def test_load__signed_then_merged__keeps_both_signatures(tmp_path):
    loaded = proposals.load(_file(tmp_path))
    first = proposals.Proposal(**{**loaded.__dict__, "signatures": {}})
    second = proposals.Proposal(**{**loaded.__dict__, "signatures": {}})
    proposals.add_signature(first, _Owner(KEYS[0]))
    proposals.add_signature(second, _Owner(KEYS[1]))
    a, b = first.save(tmp_path / "a.json"), second.save(tmp_path / "b.json")
    merged = proposals.load_all([str(a), str(b)])
    assert set(merged.signatures) == {_Owner(KEYS[0]).address, _Owner(KEYS[1]).address}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tx_value": 1}, "was altered"),
        ({"tx_data": "0x00"}, "was altered"),
        ({"tx_to": "0x2222222222222222222222222222222222222222"}, "was altered"),
        ({"safe_tx_hash": "0x" + "11" * 32}, "was altered"),
        ({"nonce": 4}, "its nonce differs"),
        ({"chain_id": 56}, "was altered"),
        ({"tx_operation": 2}, "is not 0 or 1"),
        ({"format": "other"}, "not a Safe proposal file"),
        ({"signatures": {_Owner(KEYS[0]).address: "0x" + "00" * 65}}, "signature"),
    ],
)
def test_load__altered_file__refused(tmp_path, changes, message):
    with pytest.raises(InputError, match=message):
        proposals.load(_file(tmp_path, **changes))


def test_add_signature__not_an_owner__refused(tmp_path):
    loaded = proposals.load(_file(tmp_path))
    with pytest.raises(InputError, match="is not an owner"):
        proposals.add_signature(loaded, _Owner(keccak(text="stranger")))


def test_multisend_data__packs_each_call():
    class _Contract:
        address = TARGET

    class _Action:
        contract = _Contract()
        value = 0
        calldata = b"\x01\x02\x03"

    data = proposals.multisend_data([_Action(), _Action()])
    assert data[:4] == keccak(text="multiSend(bytes)")[:4]
    assert data.count(bytes.fromhex(TARGET[2:])) == 2
