"""A KGST proxy of release 0.2.0 (its implementation compiled from the release's sources)
upgraded on anvil, through the governance timelock, to this tree's implementation (storage
layout 0.3.0): every balance, allowance, role, minter allowance, frozen flag and the reserve
feed are kept; the minters then need the rate limit the board sets."""

from __future__ import annotations

import subprocess

import pytest
import solcx
from eth_utils import keccak
from web3 import Web3

from somchain import upgrades
from somchain.audit.onchain import IMPLEMENTATION_SLOT
from tests.utils.chain import advance, deploy_raw, start_anvil
from tests.utils.constants import ONE, ZERO

RELEASE_0_2_0 = "ef79f6f"  # the commit that released storage layout 0.2.0
ACCOUNTS = [
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",  # TEST::0: admin, then the timelock's proposer
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",  # TEST::1: master minter
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",  # TEST::2: minter
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",  # TEST::3: pauser and compliance
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",  # TEST::4: alice
    "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",  # TEST::5: bob, frozen
    "0x976EA74026E726554dB657fA54763abd0C3a0aa9",  # TEST::6: attestor
]
ADMIN, MASTER, MINTER, OFFICER, ALICE, BOB, ATTESTOR = ACCOUNTS
DELAY = 600


def _released_contract(name: str, path: str) -> dict:
    """`name`'s ABI and creation code, compiled from the 0.2.0 release's sources with the
    project's compiler settings."""
    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", RELEASE_0_2_0, "contracts"],
        cwd=upgrades.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    sources = {}
    for file in listed:
        if file.endswith(".sol") and "/mocks/" not in file:
            text = subprocess.run(
                ["git", "show", f"{RELEASE_0_2_0}:{file}"],
                cwd=upgrades.ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            sources[file] = {"content": text}
    standard = {
        "language": "Solidity",
        "sources": sources,
        "settings": {
            "remappings": [f"{k}={v}" for k, v in upgrades.REMAPPINGS.items()],
            "optimizer": {"enabled": True, "runs": 2000},
            "evmVersion": "cancun",
            "outputSelection": {path: {name: ["abi", "evm.bytecode.object"]}},
        },
    }
    out = solcx.compile_standard(
        standard,
        solc_binary=upgrades._solc_binary(),
        base_path=str(upgrades.ROOT),
        allow_paths=[str(upgrades.ROOT)],
    )
    built = out["contracts"][path][name]
    return {"abi": built["abi"], "bytecode": "0x" + built["evm"]["bytecode"]["object"]}


@pytest.fixture(scope="module")
def w3():
    node, uri = start_anvil(chain_id=31337)
    yield Web3(Web3.HTTPProvider(uri))
    node.stop()


def _send(w3, call, sender=ADMIN):
    receipt = w3.eth.wait_for_transaction_receipt(call.transact({"from": sender}))
    assert receipt.status == 1
    return receipt


def _state(w3, token, holders):
    f = token.functions
    role = {name: getattr(f, name)().call() for name in ROLES}
    return {
        "supply": f.totalSupply().call(),
        "balances": {h: f.balanceOf(h).call() for h in holders},
        "frozen": {h: f.isFrozen(h).call() for h in holders},
        "allowance": f.allowance(ALICE, BOB).call(),
        "minter": (f.isMinter(MINTER).call(), f.minterAllowance(MINTER).call()),
        "roles": {(name, h): f.hasRole(role[name], h).call() for name in ROLES for h in ACCOUNTS},
        "feed": tuple(f.reserveFeed().call()),
        "nonce": f.nonces(ALICE).call(),
        "name": (f.name().call(), f.symbol().call(), f.decimals().call()),
    }


ROLES = ("MASTER_MINTER_ROLE", "PAUSER_ROLE", "COMPLIANCE_ROLE", "UPGRADER_ROLE")


def test_upgrade__0_2_0_proxy_through_the_timelock__keeps_every_balance_role_and_allowance(w3):
    from ape import project

    released = _released_contract(
        "NationalStablecoin", "contracts/stablecoin/NationalStablecoin.sol"
    )
    old = w3.eth.contract(abi=released["abi"], bytecode=released["bytecode"])
    implementation = w3.eth.wait_for_transaction_receipt(
        old.constructor().transact({"from": ADMIN})
    ).contractAddress
    init = old.encode_abi("initialize", ["Kyrgyz Som Stablecoin", "KGST", 18, ADMIN, 0])
    proxy = deploy_raw(w3, project.TokenProxy.contract_type, implementation, init)
    token = w3.eth.contract(address=proxy.address, abi=released["abi"])
    f = token.functions
    feed = deploy_raw(w3, project.ReserveAttestation.contract_type, 2, "KGS", 1, ADMIN, 0)
    _send(w3, feed.functions.grantRole(keccak(text="ATTESTOR_ROLE"), ATTESTOR))
    now = w3.eth.get_block("latest").timestamp
    _send(w3, feed.functions.attest(5_000_000_00, now, b"\x01" * 32), ATTESTOR)
    _send(w3, f.setReserveFeed(feed.address, 86_400))
    timelock = deploy_raw(
        w3, project.GovernanceTimelock.contract_type, DELAY, [ADMIN], [ADMIN], ZERO
    )
    for name, holder in [
        ("MASTER_MINTER_ROLE", MASTER),
        ("PAUSER_ROLE", OFFICER),
        ("COMPLIANCE_ROLE", OFFICER),
        ("UPGRADER_ROLE", timelock.address),
    ]:
        _send(w3, f.grantRole(getattr(f, name)().call(), holder))
    _send(w3, f.configureMinter(MINTER, 3_000_000 * ONE), MASTER)
    _send(w3, f.mint(ALICE, 1_000_000 * ONE), MINTER)
    _send(w3, f.mint(BOB, 250_000 * ONE), MINTER)
    _send(w3, f.transfer(BOB, 1_000 * ONE), ALICE)
    _send(w3, f.approve(BOB, 7_777 * ONE), ALICE)
    _send(w3, f.freeze(BOB), OFFICER)
    holders = [ALICE, BOB, MINTER]
    before = _state(w3, token, holders)

    new_impl = deploy_raw(w3, project.NationalStablecoin.contract_type)
    upgrade = f.upgradeToAndCall(new_impl.address, b"")._encode_transaction_data()
    salt = b"\x21" * 32
    args = (proxy.address, 0, upgrade, b"\x00" * 32, salt)
    _send(w3, timelock.functions.schedule(*args, DELAY))
    advance(w3, DELAY + 1)
    _send(w3, timelock.functions.execute(*args))

    new_abi = [a.model_dump(by_alias=True) for a in project.NationalStablecoin.contract_type.abi]
    upgraded = w3.eth.contract(address=proxy.address, abi=new_abi)
    assert w3.eth.get_storage_at(proxy.address, IMPLEMENTATION_SLOT)[-20:] == bytes.fromhex(
        new_impl.address[2:]
    )
    assert _state(w3, upgraded, holders) == before
    u = upgraded.functions
    # A 0.2.0 minter keeps its allowance and has no rate limit until the board sets one.
    assert u.minterRateLimit(MINTER).call() == [0, 0, 0]
    _send(w3, u.setMinterRateLimit(MINTER, 100_000 * ONE, ONE), MASTER)
    _send(w3, u.mint(ALICE, 100_000 * ONE), MINTER)
    exceeded = keccak(text="StablecoinMinterRateLimitExceeded(address,uint256,uint256)")[:4]
    with pytest.raises(Exception, match=exceeded.hex()):
        _send(w3, u.mint(ALICE, 10_000 * ONE), MINTER)
    assert u.minterAllowance(MINTER).call() == before["minter"][1] - 100_000 * ONE
