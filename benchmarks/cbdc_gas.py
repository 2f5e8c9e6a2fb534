"""Gas of the digital som's batch disbursement and limited transfer, on anvil.

Run: `python benchmarks/cbdc_gas.py`; writes benchmarks/results/cbdc_gas.json.
Per-recipient figures divide the whole `disburse` transaction (21,000 base and calldata
included) by its recipients; the reference is one plain OpenZeppelin ERC-20 `transfer`
transaction (MockERC20) to a holder that already has a balance ("existing") or not ("new").
"""

from __future__ import annotations

import json
from pathlib import Path

import ape
from ape import accounts, project
from eth_utils import to_checksum_address

from somchain.cbdc import SOM, TIER_VERIFIED, apply_default_tiers, batch_id, deploy_cbdc

OUT = Path(__file__).parent / "results" / "cbdc_gas.json"
SIZES = (100, 500)


def _addresses(n: int, offset: int) -> list[str]:
    base = 0xBE7C << 144
    return [to_checksum_address((base + offset + i).to_bytes(20, "big")) for i in range(n)]


def run() -> dict:
    central_bank, treasury, bank, alice, bob = (accounts.test_accounts[i] for i in (0, 6, 7, 8, 9))
    som = deploy_cbdc(central_bank).contract
    for role, holder in [
        (som.ISSUER_ROLE(), central_bank),
        (som.BANK_ROLE(), bank),
        (som.TREASURY_ROLE(), treasury),
    ]:
        som.grantRole(role, holder, sender=central_bank)
    apply_default_tiers(som, central_bank)
    som.setIssuanceAllowance(central_bank, 100_000_000 * SOM, sender=central_bank)
    som.issue(bank, 100_000_000 * SOM, sender=central_bank)
    som.transfer(treasury, 90_000_000 * SOM, sender=bank)

    results: dict = {"disburse": {}, "erc20_transfer": {}, "limited_transfer": {}}
    offset = 0
    for n in SIZES:
        wallets = _addresses(n, offset)
        offset += n
        for start in range(0, n, 250):
            som.registerWallets(wallets[start : start + 250], TIER_VERIFIED, sender=bank)
        new = som.disburse(batch_id(f"new-{n}", 0), wallets, [100 * SOM] * n, sender=treasury)
        existing = som.disburse(
            batch_id(f"existing-{n}", 0), wallets, [100 * SOM] * n, sender=treasury
        )
        results["disburse"][str(n)] = {
            "new_wallets_gas": new.gas_used,
            "new_wallets_gas_per_recipient": round(new.gas_used / n),
            "existing_wallets_gas": existing.gas_used,
            "existing_wallets_gas_per_recipient": round(existing.gas_used / n),
        }

    token = project.MockERC20.deploy("Plain", "PLN", 2, sender=central_bank)
    token.mint(alice, 10**12, sender=central_bank)
    token.mint(bob, 1, sender=central_bank)
    results["erc20_transfer"] = {
        "to_existing_holder_gas": token.transfer(bob, 100, sender=alice).gas_used,
        "to_new_holder_gas": token.transfer(_addresses(1, 10**6)[0], 100, sender=alice).gas_used,
    }

    som.registerWallets([alice, bob], TIER_VERIFIED, sender=bank)
    som.transfer(alice, 50_000 * SOM, sender=bank)
    som.transfer(bob, 1_000 * SOM, sender=bank)
    first = som.transfer(bob, 100 * SOM, sender=alice)  # opens alice's daily window
    second = som.transfer(bob, 100 * SOM, sender=alice)
    som.transfer(bob, 98_800 * SOM, sender=bank)  # bob now at his 100,000 som limit
    sweep = som.transfer(bob, 100 * SOM, sender=alice)
    results["limited_transfer"] = {
        "first_in_window_gas": first.gas_used,
        "within_open_window_gas": second.gas_used,
        "with_waterfall_sweep_gas": sweep.gas_used,
    }
    results["network"] = "ethereum:local:foundry (anvil)"
    results["command"] = "python benchmarks/cbdc_gas.py"
    return results


def main() -> None:
    with ape.networks.parse_network_choice("ethereum:local:foundry"):
        results = run()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
