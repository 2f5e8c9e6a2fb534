"""Gas of the digital som's batch disbursement beside the airdrop baseline, and of its
limited wallet-to-wallet transfer beside a plain ERC-20 transfer, on anvil.

Run: `python -m benchmarks.cbdc_gas`; writes benchmarks/results/cbdc_gas.json.

- disburse: the treasury pays N registered wallets (N = 100 and 500) in one `disburse`;
  "new" wallets never held a balance, "existing" ones are paid a second time. The bank's
  `registerWallets` (250 wallets per call) is measured too, per wallet: registration
  writes the wallet's balance word (its kind and tier) and its bank's word.
- airdrop baseline: `AirdropBaseline.airdropERC20` (contracts/mocks: one `transferFrom` of
  the total from the payer, then a plain `transfer` per payee) over a plain OpenZeppelin
  ERC-20 (MockERC20) deployed in the same run, same payees count, same amounts.
- per payee: the whole transaction (21,000 base and calldata included) divided by N, and the
  floor of the same transaction (`benchmarks/floor.py`, `batch_floor`) divided by N.
- the plain ERC-20 `transfer` transactions are the reference for single payments.
"""

from __future__ import annotations

from typing import Any

import ape
from ape import accounts, project
from eth_utils import keccak, to_checksum_address

from benchmarks.floor import TRANSFER_LOG, batch_floor, floor
from benchmarks.provenance import Run, arguments
from somchain.cbdc import SOM, TIER_VERIFIED, apply_default_tiers, batch_id
from somchain.cbdc.deploy import deploy_staffed

SIZES = (100, 500)
AMOUNT = 100 * SOM  # per payee, in the smallest unit (2 decimals), for both contracts


def _addresses(n: int, offset: int) -> list[str]:
    """`n` fresh payees, hashed so that their calldata costs what real addresses cost."""
    return [to_checksum_address(keccak(b"payee/%d" % (offset + i))[12:]) for i in range(n)]


def pay_batch(som: Any, treasury: Any, label: str, wallets: list[str], amounts: list[int]) -> Any:
    """One `disburse` transaction paying `wallets`; returns its receipt."""
    return som.disburse(batch_id(label, 0), wallets, amounts, sender=treasury)


def _per_payee(receipt: Any, n: int, new: bool) -> dict[str, int]:
    return {
        "gas": receipt.gas_used,
        "gas_per_payee": round(receipt.gas_used / n),
        "floor_per_payee": round(batch_floor(receipt.transaction.data, n, new) / n),
    }


def run() -> dict:
    central_bank, treasury, bank, alice, bob = (accounts.test_accounts[i] for i in (0, 6, 7, 8, 9))
    som = deploy_staffed(central_bank, bank, treasury)
    apply_default_tiers(som, central_bank)
    som.setIssuanceAllowance(central_bank, 100_000_000 * SOM, sender=central_bank)
    som.issue(bank, 100_000_000 * SOM, sender=central_bank)
    som.transfer(treasury, 90_000_000 * SOM, sender=bank)

    token = project.MockERC20.deploy("Plain", "PLN", 2, sender=central_bank)
    airdrop = project.AirdropBaseline.deploy(sender=central_bank)
    token.mint(treasury, 90_000_000 * SOM, sender=central_bank)
    token.approve(airdrop, 2**256 - 1, sender=treasury)

    results: dict = {"disburse": {}, "airdrop_baseline": {}}
    offset = 0
    for n in SIZES:
        amounts = [AMOUNT] * n
        wallets = _addresses(n, offset)
        offset += n
        registered = [
            som.registerWallets(wallets[start : start + 250], TIER_VERIFIED, sender=bank)
            for start in range(0, n, 250)
        ]
        new = pay_batch(som, treasury, f"new-{n}", wallets, amounts)
        existing = pay_batch(som, treasury, f"existing-{n}", wallets, amounts)
        results["disburse"][str(n)] = {
            "new": _per_payee(new, n, True),
            "existing": _per_payee(existing, n, False),
            "registration": {
                "per_call": min(n, 250),
                "gas_per_wallet": round(sum(r.gas_used for r in registered) / n),
            },
        }
        payees = _addresses(n, offset)
        offset += n
        total = sum(amounts)
        first = airdrop.airdropERC20(token, payees, amounts, total, sender=treasury)
        again = airdrop.airdropERC20(token, payees, amounts, total, sender=treasury)
        results["airdrop_baseline"][str(n)] = {
            "new": _per_payee(first, n, True),
            "existing": _per_payee(again, n, False),
        }

    token.mint(alice, 10**12, sender=central_bank)
    token.mint(bob, 1, sender=central_bank)
    to_existing = token.transfer(bob, AMOUNT, sender=alice)
    to_new = token.transfer(_addresses(1, 10**6)[0], AMOUNT, sender=alice)
    results["erc20_transfer"] = {
        "to_existing_holder_gas": to_existing.gas_used,
        "to_existing_holder_floor": floor(to_existing.transaction.data, 2, 0, [TRANSFER_LOG]),
        "to_new_holder_gas": to_new.gas_used,
        "to_new_holder_floor": floor(to_new.transaction.data, 1, 1, [TRANSFER_LOG]),
    }

    som.registerWallets([alice, bob], TIER_VERIFIED, sender=bank)
    som.transfer(alice, 50_000 * SOM, sender=bank)
    som.transfer(bob, 1_000 * SOM, sender=bank)
    first = som.transfer(bob, AMOUNT, sender=alice)  # opens alice's daily window
    second = som.transfer(bob, AMOUNT, sender=alice)
    som.transfer(bob, 98_800 * SOM, sender=bank)  # bob now at his 100,000 som limit
    sweep = som.transfer(bob, AMOUNT, sender=alice)
    results["limited_transfer"] = {
        "first_in_window_gas": first.gas_used,
        "within_open_window_gas": second.gas_used,
        "with_waterfall_sweep_gas": sweep.gas_used,
        "floor": floor(second.transaction.data, 2, 0, [TRANSFER_LOG]),
    }
    results["amount_per_payee"] = f"{AMOUNT} units (100 som, 2 decimals) on both tokens"
    results["network"] = "ethereum:local:foundry (anvil)"
    return results


def main() -> dict:
    run_record = Run("cbdc_gas")
    with ape.networks.parse_network_choice("ethereum:local:foundry"):
        results = run()
    return run_record.finish(results)


if __name__ == "__main__":
    arguments(__doc__)
    main()
