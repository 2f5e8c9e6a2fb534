"""Gas of a conversion through the desk, KGST to the digital som and back, on anvil.

Run: `python -m benchmarks.desk_gas`; writes benchmarks/results/desk_gas.json.

Each figure is one whole transaction (21,000 base and calldata included), a holder's
second conversion of 100 som (the first opens storage a later one finds written):

- `convertToSom` and `convertToKgst` after the holder's exact approval of the desk (the
  approval, a transaction of its own, is measured beside them);
- `convertToSomWithPermit` and `convertToSomWithAuthorization`, submitted by a relayer for
  a holder with no BNB: the EIP-2612 permit or EIP-3009 authorization replaces the
  approval, its nonce and signature check cost included.

Each direction's budget is 120,000 gas (issue 25); `within_limit` says whether the
figure meets it. The KGST side runs the token's reserve check on every mint, against a
ReserveAttestation feed, as deployed.

`breakdown` splits each transaction by anvil's call trace (`debug_traceTransaction`, call
tracer): the gas of each call the desk makes to a token (its proxy, implementation and
sub-calls included), the intrinsic gas (21,000 and the calldata), what is left to the desk
itself, and the refund the EVM gave back at the end (at most a fifth of the gas used,
EIP-3529), so that `gas_used` = intrinsic + desk + calls - refund.
"""

from __future__ import annotations

import os
from typing import Any

import ape
from ape import accounts, chain
from eth_utils import function_signature_to_4byte_selector

from benchmarks.provenance import Run, arguments
from somchain.cbdc import SOM, TIER_VERIFIED, apply_default_tiers
from somchain.cbdc.deploy import deploy_staffed
from somchain.desk import deploy_desk, wire_desk
from somchain.desk.deploy import DeskLimits
from somchain.stablecoin.deploy import deploy_attestation, deploy_stablecoin
from somchain.stablecoin.signing import sign_authorization, sign_permit

LIMIT = 120_000  # gas, per conversion in either direction
AMOUNT = 100 * SOM  # desk units: 100 som
REF = b"WU-7781-2026-12".ljust(32, b"\x00")


def _stack():
    admin, master_minter, minter, treasury, bank = (
        accounts.test_accounts[i] for i in (0, 1, 2, 6, 7)
    )
    kgst = deploy_stablecoin(admin, admin).contract
    feed = deploy_attestation(admin, admin, decimals=2)
    feed.grantRole(feed.ATTESTOR_ROLE(), admin, sender=admin)
    feed.attest(100_000_000 * SOM, chain.blocks.head.timestamp, b"\x11" * 32, sender=admin)
    kgst.grantRole(kgst.MASTER_MINTER_ROLE(), master_minter, sender=admin)
    kgst.setReserveFeed(feed, 86_400, sender=admin)
    som = deploy_staffed(admin, bank, treasury)
    apply_default_tiers(som, admin)
    som.setIssuanceAllowance(admin, 10_000_000 * SOM, sender=admin)
    desk = deploy_desk(admin, kgst, som)
    limits = DeskLimits(1_000_000 * SOM, 100 * SOM, 1_000_000 * SOM, 1_000_000 * SOM)
    wire_desk(
        desk,
        kgst,
        som,
        admin=admin,
        master_minter=master_minter,
        som_admin=admin,
        pauser=None,
        limits=limits,
    )
    kgst.setMinterRateLimit(minter, 10**27, 10**24, sender=master_minter)
    kgst.configureMinter(minter, 10**27, sender=master_minter)
    return kgst, som, desk, minter, bank


def _selectors(contracts: dict[str, Any]) -> dict[tuple[str, str], str]:
    names = {}
    for label, contract in contracts.items():
        for abi in contract.contract_type.methods:
            selector = "0x" + function_signature_to_4byte_selector(abi.selector).hex()
            names[contract.address.lower(), selector] = f"{label}.{abi.name}"
    return names


def _breakdown(receipt: Any, names: dict[tuple[str, str], str]) -> dict[str, Any]:
    """The transaction's gas by the desk's calls, from anvil's call trace."""
    provider = ape.networks.provider
    trace = provider.make_request(
        "debug_traceTransaction", [receipt.txn_hash, {"tracer": "callTracer"}]
    )
    calls = {}
    for call in trace.get("calls", []):
        name = names.get((call["to"].lower(), call["input"][:10]), call["input"][:10])
        calls[name] = calls.get(name, 0) + int(call["gasUsed"], 16)
    steps = provider.make_request(
        "debug_traceTransaction",
        [receipt.txn_hash, {"disableStorage": True, "disableMemory": True, "disableStack": True}],
    )["structLogs"]
    top = [step for step in steps if step["depth"] == 1]
    data = bytes.fromhex(provider.web3.eth.get_transaction(receipt.txn_hash)["input"].hex())
    intrinsic = 21_000 + sum(16 if byte else 4 for byte in data)
    before_refund = intrinsic + steps[0]["gas"] - top[-1]["gas"] + top[-1]["gasCost"]
    return {
        "gas_used": receipt.gas_used,
        "intrinsic": intrinsic,
        "desk": before_refund - intrinsic - sum(calls.values()),
        "calls": calls,
        "refund": before_refund - receipt.gas_used,
    }


def run() -> dict:
    kgst, som, desk, minter, bank = _stack()
    names = _selectors({"KGST": kgst, "digital som": som})
    receipts: dict[str, Any] = {}
    holder, relayer = accounts.test_accounts[8], accounts.test_accounts[10]
    unit = desk.kgstPerUnit()
    kgst.mint(holder, 10_000 * 10**18, sender=minter)
    som.issue(bank, 1_000_000 * SOM, sender=desk_admin())
    som.registerWallet(holder, TIER_VERIFIED, sender=bank)
    som.transfer(holder, 1_000 * SOM, sender=bank)

    def approved(token, amount, convert, name):
        approval = token.approve(desk, amount, sender=holder)
        receipt = receipts[name] = convert(AMOUNT, REF, sender=holder)
        return approval.gas_used, receipt.gas_used

    approved(kgst, AMOUNT * unit, desk.convertToSom, "convertToSom")  # first: opens storage
    approve_kgst, to_som = approved(kgst, AMOUNT * unit, desk.convertToSom, "convertToSom")
    approved(som, AMOUNT, desk.convertToKgst, "convertToKgst")
    approve_som, to_kgst = approved(som, AMOUNT, desk.convertToKgst, "convertToKgst")

    def permit() -> int:
        deadline = chain.blocks.head.timestamp + 3_600
        v, r, s = sign_permit(kgst, holder.private_key, holder, desk, AMOUNT * unit, deadline)
        receipt = receipts["convertToSomWithPermit"] = desk.convertToSomWithPermit(
            holder, AMOUNT, deadline, v, r, s, REF, sender=relayer
        )
        return receipt.gas_used

    def authorization() -> int:
        after, before = chain.blocks.head.timestamp - 60, chain.blocks.head.timestamp + 3_600
        nonce = os.urandom(32)
        v, r, s = sign_authorization(
            kgst, holder.private_key, holder, desk, AMOUNT * unit, after, before, nonce, True
        )
        auth = (after, before, nonce, v, r, s)
        receipt = receipts["convertToSomWithAuthorization"] = desk.convertToSomWithAuthorization(
            holder, AMOUNT, auth, REF, sender=relayer
        )
        return receipt.gas_used

    permit()
    with_permit = permit()
    with_authorization = authorization()
    operations = {
        "convertToSom (after an approval)": to_som,
        "convertToKgst (after an approval)": to_kgst,
        "convertToSomWithPermit (relayed)": with_permit,
        "convertToSomWithAuthorization (relayed)": with_authorization,
    }
    return {
        "operations": {
            name: {"ours": gas, "limit": LIMIT, "within_limit": gas <= LIMIT}
            for name, gas in operations.items()
        },
        "approvals": {"KGST approve": approve_kgst, "digital som approve": approve_som},
        "breakdown": {name: _breakdown(receipt, names) for name, receipt in receipts.items()},
        "amount": f"{AMOUNT} desk units (100 som), with a 32-byte payment reference",
        "network": "ethereum:local:foundry (anvil)",
    }


def desk_admin():
    """The central bank: the test deployment's admin and issuer."""
    return accounts.test_accounts[0]


def main() -> dict:
    run_record = Run("desk_gas")
    with ape.networks.parse_network_choice("ethereum:local:foundry"):
        results = run()
    return run_record.finish(results)


if __name__ == "__main__":
    arguments(__doc__)
    main()
