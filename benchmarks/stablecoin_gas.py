"""Gas of the stablecoin's everyday operations, through its proxy, against a plain
OpenZeppelin v5 ERC20 (with ERC20Permit) built in the same run with the same settings.

Run: `make bench` (or `python -m benchmarks.stablecoin_gas [network]`, default
ethereum:local:foundry). Writes benchmarks/results/stablecoin_gas.json and prints a table.
The floor of each operation is computed from the calldata of KGST's own transaction
(`benchmarks/floor.py`).
"""

from __future__ import annotations

import os

import ape
from ape import accounts, chain, networks, project

from benchmarks.floor import TRANSFER_LOG, floor
from benchmarks.provenance import Run, arguments
from somchain.stablecoin.deploy import deploy_attestation, deploy_stablecoin
from somchain.stablecoin.signing import sign_authorization, sign_permit

ONE = 10**18
# USDC v2.2 behind its proxy, anvil 1.7.1, Prague rules (shared/TOOLCHAIN.md).
USDC = {
    "transfer to an existing holder": 45_047,
    "transfer to a new holder": 62_159,
    "approve": 55_437,
    "transferFrom": 53_280,
    "mint to an existing holder": 55_503,
    "permit": 93_415,
    "transferWithAuthorization": 85_716,
}
# The ERC-1271 overloads have no USDC figure here: their budget is the EOA form's USDC figure
# plus the wallet's check (a call) and the token's delegatecall to its signature extension.
ERC1271_EXTRA = 15_000
# The floor's storage work per operation (benchmarks/floor.py): slots rewritten, slots
# filled from zero, logs. transferFrom: the allowance and both balances; mint: the balance
# and the total supply; approve: a new allowance and its Approval log.
FLOOR_WORK = {
    "transfer to an existing holder": (2, 0),
    "transfer to a new holder": (1, 1),
    "approve": (0, 1),
    "transferFrom": (3, 0),
    "mint to an existing holder": (2, 0),
}
# Budget: transfer at most 92% of USDC; mint at most 63,000 (USDC plus the attestation
# feed's read and the minter's rate limit: one more storage read); everything else at most USDC.
BUDGET = {k: v for k, v in USDC.items()}
BUDGET["transfer to an existing holder"] = int(USDC["transfer to an existing holder"] * 0.92)
BUDGET["mint to an existing holder"] = 63_000
BUDGET["permit (ERC-1271 wallet)"] = USDC["permit"] + ERC1271_EXTRA
BUDGET["transferWithAuthorization (ERC-1271 wallet)"] = (
    USDC["transferWithAuthorization"] + ERC1271_EXTRA
)


def measure() -> dict:
    a = accounts.test_accounts
    admin, minter, alice, bob, carol, dave = a[0], a[2], a[8], a[9], a[10], a[11]
    token = deploy_stablecoin(admin).contract
    feed = deploy_attestation(admin)
    feed.grantRole(feed.ATTESTOR_ROLE(), admin, sender=admin)
    feed.attest(10**15 * 100, chain.pending_timestamp - 1, b"\x01" * 32, sender=admin)
    token.grantRole(token.MASTER_MINTER_ROLE(), admin, sender=admin)
    token.setReserveFeed(feed, 86_400, sender=admin)
    token.configureMinter(minter, 10**28, sender=admin)
    # A rate-limited minter, as every minter a MintController configures is.
    token.setMinterRateLimit(minter, 10**27, 10**22, sender=admin)
    plain = project.MockERC20Permit.deploy("Plain", "PLN", sender=admin)

    results: dict[str, dict[str, int | None]] = {}

    def record(name: str, ours, theirs) -> None:
        results[name] = {"ours": ours.gas_used, "plain_oz": theirs.gas_used}
        if name in FLOOR_WORK:
            updates, from_zero = FLOOR_WORK[name]
            results[name]["floor"] = floor(
                ours.transaction.data, updates, from_zero, [TRANSFER_LOG]
            )

    for _token, mint in (
        (token, lambda to: token.mint(to, 1_000 * ONE, sender=minter)),
        (plain, lambda to: plain.mint(to, 1_000 * ONE, sender=admin)),
    ):
        mint(alice)
        mint(bob)
    record(
        "transfer to an existing holder",
        token.transfer(bob, ONE, sender=alice),
        plain.transfer(bob, ONE, sender=alice),
    )
    record(
        "transfer to a new holder",
        token.transfer(carol, ONE, sender=alice),
        plain.transfer(carol, ONE, sender=alice),
    )
    record(
        "approve",
        token.approve(bob, 100 * ONE, sender=alice),
        plain.approve(bob, 100 * ONE, sender=alice),
    )
    record(
        "transferFrom",
        token.transferFrom(alice, bob, ONE, sender=bob),
        plain.transferFrom(alice, bob, ONE, sender=bob),
    )
    record(
        "mint to an existing holder",
        token.mint(bob, ONE, sender=minter),
        plain.mint(bob, ONE, sender=admin),
    )
    deadline = chain.pending_timestamp + 3_600
    receipts = []
    for t in (token, plain):
        v, r, s = sign_permit(t, alice.private_key, alice, dave, ONE, deadline)
        receipts.append(t.permit(alice, dave, ONE, deadline, v, r, s, sender=bob))
    record("permit", *receipts)
    after, before = chain.pending_timestamp - 60, chain.pending_timestamp + 3_600
    nonce = os.urandom(32)
    v, r, s = sign_authorization(token, alice.private_key, alice, bob, ONE, after, before, nonce)
    twa = token.transferWithAuthorization(
        alice, bob, ONE, after, before, nonce, v, r, s, sender=carol
    )
    results["transferWithAuthorization"] = {"ours": twa.gas_used, "plain_oz": None}

    # ERC-1271: the `bytes` overloads with a contract wallet (signer: alice's key).
    wallet = project.MockERC1271Wallet.deploy(alice, sender=admin)
    token.transfer(wallet, 10 * ONE, sender=alice)
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(token, alice.private_key, wallet, dave, ONE, deadline)
    permit_1271 = token.permit(wallet, dave, ONE, deadline, r + s + bytes([v]), sender=bob)
    results["permit (ERC-1271 wallet)"] = {"ours": permit_1271.gas_used, "plain_oz": None}
    nonce = os.urandom(32)
    v, r, s = sign_authorization(token, alice.private_key, wallet, bob, ONE, after, before, nonce)
    twa_1271 = token.transferWithAuthorization(
        wallet, bob, ONE, after, before, nonce, r + s + bytes([v]), sender=carol
    )
    results["transferWithAuthorization (ERC-1271 wallet)"] = {
        "ours": twa_1271.gas_used,
        "plain_oz": None,
    }
    return results


def main(network: str = "ethereum:local:foundry") -> dict:
    run = Run("stablecoin_gas")
    with networks.parse_network_choice(network) as provider:
        client = provider.web3.client_version
        rows = measure()
    for name, row in rows.items():
        row.setdefault("floor", None)
        row["usdc_v2_2"] = USDC.get(name)
        row["budget"] = BUDGET[name]
        row["within_budget"] = row["ours"] <= BUDGET[name]
        row["percent_of_usdc"] = round(100 * row["ours"] / USDC[name], 1) if name in USDC else None
    report = {
        "network": network,
        "node": client,
        "compiler": "solc 0.8.28 (npm wasm build), evm cancun, optimizer runs 2000, legacy codegen",
        "amounts": "1 token (10**18 units) per transfer; both tokens have 18 decimals",
        "usdc_source": "USDC v2.2 behind its proxy, anvil 1.7.1, measured side by side once",
        "operations": rows,
    }
    print("| operation | KGST (proxy) | plain OZ v5 | USDC v2.2 | budget | % of USDC |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in rows.items():
        plain = f"{row['plain_oz']:,}" if row["plain_oz"] else "-"
        usdc = f"{row['usdc_v2_2']:,}" if row["usdc_v2_2"] else "-"
        percent = f"{row['percent_of_usdc']}%" if row["percent_of_usdc"] is not None else "-"
        print(f"| {name} | {row['ours']:,} | {plain} | {usdc} | {row['budget']:,} | {percent} |")
    return run.finish(report)


if __name__ == "__main__":
    main(arguments(__doc__, network="ethereum:local:foundry").network)
    _ = ape  # keep ape's plugins loaded for the network choice
