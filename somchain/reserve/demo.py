"""A walk through the national crypto reserve on a development chain.

Deploys the timelock and vault, lists BNB and two mock tokens with mock USD feeds, deposits,
prints the valuation and runs one timelocked withdrawal. Uses `ape.accounts.test_accounts`
and moves the chain's clock, so it runs only on local chains (eth-tester, anvil).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from ape import accounts, project

from somchain import display
from somchain.constants import NATIVE
from somchain.governance.timelock import execute_operation, schedule_calls, wait_until_ready
from somchain.reserve.deploy import deploy_reserve
from somchain.reserve.governance import execute_withdrawal, propose_withdrawal, vault_call
from somchain.reserve.valuation import format_holdings, holdings_table

ONE = 10**18
MIN_DELAY = 2 * 24 * 3600  # two days between proposal and execution
MAX_PRICE_AGE = 24 * 3600  # one day, BNB Chain's longest Chainlink heartbeat


def demo(echo: Callable[[str], None]) -> None:
    """Runs the demo on the connected local chain, reporting each step through `echo`."""
    deployer, committee, guardian, operator, depositor, recipient = (
        accounts.test_accounts[i] for i in (0, 1, 3, 6, 8, 9)
    )

    echo(f"Deploying the reserve (timelock delay {MIN_DELAY // 3600} h, committee {committee})")
    timelock, vault = deploy_reserve(
        deployer, committee, guardian, operator, MIN_DELAY, MAX_PRICE_AGE
    )
    echo(f"  GovernanceTimelock {timelock.address}")
    echo(f"  ReserveVault    {vault.address}")

    btcb = project.MockERC20.deploy("Binance-Peg BTCB", "BTCB", 18, sender=deployer)
    usdt = project.MockERC20.deploy("Binance-Peg USDT", "USDT", 18, sender=deployer)
    feeds = {
        NATIVE: project.MockAggregator.deploy(8, "BNB / USD", 600 * 10**8, sender=deployer),
        btcb.address: project.MockAggregator.deploy(
            8, "BTC / USD", 100_000 * 10**8, sender=deployer
        ),
        usdt.address: project.MockAggregator.deploy(8, "USDT / USD", 10**8, sender=deployer),
    }
    limits = {NATIVE: 10 * ONE, btcb.address: ONE // 10, usdt.address: 10_000 * ONE}

    echo("Listing BNB, BTCB and USDT (one timelocked batch)")
    listing = schedule_calls(
        timelock,
        [vault_call(vault, "addAsset", asset, feeds[asset], limits[asset]) for asset in feeds],
        committee,
        salt=1,
    )
    wait_until_ready(timelock, listing)
    _post_prices(feeds.values(), deployer)
    execute_operation(timelock, listing, committee)
    echo(f"  assets: {', '.join(vault.assets())}")

    echo("Depositing 100 BNB, 1 BTCB and 50,000 USDT")
    vault.deposit(NATIVE, 100 * ONE, sender=depositor, value=100 * ONE)
    for token, amount in ((btcb, ONE), (usdt, 50_000 * ONE)):
        token.mint(depositor, amount, sender=depositor)
        token.approve(vault, amount, sender=depositor)
        vault.deposit(token, amount, sender=depositor)

    echo("Holdings (USD, from the feeds):")
    for line in format_holdings(holdings_table(vault)):
        echo(f"  {line}")
    echo(f"  BNB share: {Decimal(vault.assetShare(NATIVE)) / 100}%")

    amount = 10_000 * ONE
    echo(f"Proposing a withdrawal of 10,000 USDT to {recipient}")
    operation = propose_withdrawal(timelock, vault, usdt, recipient, amount, committee, salt=2)
    echo(f"  operation {operation.id.hex()} ready at {timelock.getTimestamp(operation.id)}")
    echo(f"  ready now? {timelock.isOperationReady(operation.id)}")

    echo(f"Advancing the clock by {MIN_DELAY // 3600} h")
    wait_until_ready(timelock, operation)
    _post_prices(feeds.values(), deployer)
    echo(f"  ready now? {timelock.isOperationReady(operation.id)}")

    receipt = execute_withdrawal(timelock, operation, committee)
    [withdrawn] = vault.Withdrawn.from_receipt(receipt)
    echo(
        f"Executed: {display.amount(withdrawn.amount, 18, 'USDT')} to {withdrawn.to} "
        f"(tx {receipt.txn_hash})"
    )
    echo(f"  recipient USDT balance: {display.amount(usdt.balanceOf(recipient), 18, 'USDT')}")
    echo(f"  reserve value: ${display.amount(vault.totalValue(), 8, places=2)}")


def _post_prices(feeds: Iterable[Any], sender: Any) -> None:
    """Re-posts each mock feed's answer dated now: a live feed keeps updating while the
    demo moves the clock past the timelock delay."""
    for feed in feeds:
        feed.setAnswer(feed.latestRoundData()[1], sender=sender)
