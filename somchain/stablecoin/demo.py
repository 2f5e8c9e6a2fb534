"""A walk through the stablecoin's life on the connected chain: deploy, attest, a mint
budget and a rate limit from the board, mint, transfer, freeze, seize, pause."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ape import accounts, chain, project

from somchain.stablecoin.deploy import deploy_attestation, deploy_stablecoin

CASE_REF = b"KG-COURT-2026-0042".ljust(32, b"\x00")


def _kgst(units: int, decimals: int = 18) -> str:
    return f"{Decimal(units) / Decimal(10**decimals):,.2f} KGST"


def demo(echo: Callable[[str], None] = print) -> dict:
    """Runs the walk-through and returns the contracts it deployed."""
    a = accounts.test_accounts
    admin, master_minter, minter, pauser, compliance, attestor = a[0], a[1], a[2], a[3], a[4], a[5]
    treasury, alice, bob = a[6], a[8], a[9]

    echo("== National stablecoin (KGST) ==")
    token = deploy_stablecoin(admin).contract
    echo(f"deployed {token.name()} ({token.symbol()}, {token.decimals()} decimals)")
    feed = deploy_attestation(admin)
    echo(f"deployed reserve attestation feed at {feed.address}")
    controller = project.MintController.deploy(token, admin, 0, sender=admin)
    echo(f"deployed MintController at {controller.address}: the token's only master minter")
    controller.grantRole(controller.MASTER_MINTER_ROLE(), master_minter, sender=admin)
    echo(f"granted master minter role (of the controller) to {master_minter.address}")
    for role, holder, who in [
        (token.MASTER_MINTER_ROLE(), controller, "master minter"),
        (token.PAUSER_ROLE(), pauser, "pauser"),
        (token.COMPLIANCE_ROLE(), compliance, "compliance officer"),
    ]:
        token.grantRole(role, holder, sender=admin)
        echo(f"granted {who} role to {holder.address}")
    feed.grantRole(feed.ATTESTOR_ROLE(), attestor, sender=admin)

    feed.attest(5_000_000_00, chain.pending_timestamp - 1, b"\xaa" * 32, sender=attestor)
    token.setReserveFeed(feed, 86_400, sender=admin)
    echo("attest: auditor posts 5,000,000.00 KGS held in reserve; mint is bounded by it")
    echo(f"attested reserve: {_kgst(token.attestedReserve())}")

    controller.increaseMintBudget(10_000_000 * 10**18, sender=admin)
    daily = 6_000_000 * 10**18
    controller.setMinterRateLimit(minter, daily, daily // 86_400, sender=admin)
    echo("board: mint budget 10,000,000 KGST; the minter's bucket 6,000,000 KGST, refilled daily")
    controller.configureMinter(minter, 10_000_000 * 10**18, sender=master_minter)
    echo(f"minter {minter.address} allowed 10,000,000 KGST (the whole budget)")
    token.mint(alice, 1_000_000 * 10**18, sender=minter)
    echo(f"mint: 1,000,000 KGST to alice; supply {_kgst(token.totalSupply())}")
    try:
        token.mint(alice, 4_500_000 * 10**18, sender=minter)
    except Exception as err:  # the revert is the point of this step
        echo(f"mint of 4,500,000 more refused: {type(err).__name__} (would exceed the reserve)")

    token.transfer(bob, 2_500 * 10**18, sender=alice)
    echo(f"transfer: alice -> bob 2,500 KGST; bob holds {_kgst(token.balanceOf(bob))}")

    token.freeze(bob, sender=compliance)
    echo(f"freeze: bob frozen ({token.isFrozen(bob)})")
    try:
        token.transfer(alice, 10**18, sender=bob)
    except Exception as err:
        echo(f"bob's transfer refused: {type(err).__name__}")

    token.seize(bob, treasury, 2_500 * 10**18, CASE_REF, sender=compliance)
    echo(
        "seize: 2,500 KGST moved from bob to the treasury under case KG-COURT-2026-0042; "
        f"treasury holds {_kgst(token.balanceOf(treasury))}"
    )

    token.pause(sender=pauser)
    echo(f"pause: paused={token.paused()}")
    try:
        token.transfer(bob, 10**18, sender=alice)
    except Exception as err:
        echo(f"transfer while paused refused: {type(err).__name__}")
    token.unpause(sender=pauser)
    echo(f"unpause: paused={token.paused()}; supply {_kgst(token.totalSupply())}")
    return {"token": token, "feed": feed, "mint_controller": controller}
