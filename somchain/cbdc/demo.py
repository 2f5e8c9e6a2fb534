"""A walk through the digital som on the connected chain, printed step by step."""

from __future__ import annotations

from collections.abc import Callable

from ape import accounts

from somchain.cbdc.deploy import deploy_staffed
from somchain.cbdc.payroll import disburse_in_chunks
from somchain.cbdc.tiers import SOM, TIER_UNVERIFIED, TIER_VERIFIED, set_tiers


def _som(amount: int) -> str:
    return f"{amount / SOM:,.2f} som"


def demo(echo: Callable[[str], None]) -> None:
    """Deploys the digital som and shows issuance, wallet registration, a payroll batch,
    a tax payment with a reference and a waterfall sweep, calling `echo` for each step."""
    central_bank, treasury, bank, alice, bob = (accounts.test_accounts[i] for i in (0, 6, 7, 8, 9))
    som = deploy_staffed(central_bank, bank, treasury)
    set_tiers(som, central_bank)
    som.setIssuanceAllowance(central_bank, 2_000_000 * SOM, sender=central_bank)  # the board's cap
    echo(f"Deployed {som.name()} ({som.symbol()}, {som.decimals()} decimals) at {som.address}")

    som.issue(bank, 2_000_000 * SOM, sender=central_bank)
    echo(f"1. Central bank issued {_som(som.balanceOf(bank))} to bank {bank.address}")

    som.registerWallet(alice, TIER_VERIFIED, sender=bank)
    som.registerWallet(bob, TIER_UNVERIFIED, sender=bank)
    max_bob = som.tierLimits(TIER_UNVERIFIED)[0]
    echo(f"2. Bank registered alice (tier 1) and bob (tier 0, holding limit {_som(max_bob)})")

    som.transfer(treasury, 1_000_000 * SOM, sender=bank)
    payroll = [(alice, 45_000 * SOM), (bob, 8_000 * SOM)]
    result = disburse_in_chunks(som, "demo-payroll-2025-06", payroll, treasury)
    echo(
        f"3. Treasury paid a payroll batch of {len(payroll)}: {_som(result.paid)} paid, "
        f"{_som(result.swept)} swept; retry-safe: batch recorded = "
        f"{any(bytes(som.batchContent(treasury, result.batch_ids[0])))}"
    )

    reference = b"TAX-2025-06-INN0123456789".ljust(32, b"\0")
    receipt = som.transferWithReference(treasury, 3_500 * SOM, reference, sender=alice)
    [paid] = som.PaymentReference.from_receipt(receipt)
    ref_text = bytes(paid.paymentRef).rstrip(b"\0").decode()
    echo(f"4. Alice paid {_som(paid.amount)} of tax to the treasury, reference {ref_text}")

    receipt = som.transfer(bob, 4_000 * SOM, sender=alice)
    [swept] = som.Swept.from_receipt(receipt)
    echo(
        f"5. Alice paid bob {_som(4_000 * SOM)}; bob's wallet is capped at {_som(max_bob)}, so "
        f"{_som(swept.amount)} was swept to his bank; bob holds {_som(som.balanceOf(bob))}"
    )


if __name__ == "__main__":  # pragma: no cover
    import ape

    with ape.networks.parse_network_choice("ethereum:local:test"):
        demo(print)
