"""Gas of the reserve vault's main operations and of the governance timelock, on anvil,
beside a plain OpenZeppelin ERC-20 (MockERC20) deployed in the same run.

Run: `python -m benchmarks.reserve_gas`; writes benchmarks/results/reserve_gas.json.

The vault lists one BEP-20 (MockERC20, 18 decimals) and BNB, each with a mock USD feed and
no share cap, as `somchain.reserve.deploy_reserve` deploys it (the timelock its governor).
Each row pairs the vault's operation with the plain token operation that moves the same
tokens (allowances unlimited for both): a deposit pulls with `transferFrom`, an operational
transfer or a withdrawal pays with `transfer`, a BNB deposit is a value transfer (21,000 to
an account without code).
The withdrawal is measured as the timelock's `execute` that runs it; `schedule` is the
board's proposal of that same call.
"""

from __future__ import annotations

import ape
from ape import accounts, chain, project

from benchmarks.provenance import Run, arguments
from somchain.constants import NATIVE
from somchain.governance.timelock import execute_operation, schedule_calls, wait_until_ready
from somchain.reserve.deploy import deploy_reserve
from somchain.reserve.governance import vault_call

ONE = 10**18
MIN_DELAY = 2 * 24 * 3600
MAX_PRICE_AGE = 24 * 3600


def run() -> dict:
    deployer, committee, guardian, operator, depositor, recipient = (
        accounts.test_accounts[i] for i in (0, 1, 3, 6, 8, 9)
    )
    timelock, vault = deploy_reserve(
        deployer, committee, guardian, operator, MIN_DELAY, MAX_PRICE_AGE
    )
    token = project.MockERC20.deploy("Binance-Peg BTCB", "BTCB", 18, sender=deployer)
    plain = project.MockERC20.deploy("Plain", "PLN", 18, sender=deployer)
    feeds = {
        NATIVE: project.MockAggregator.deploy(8, "BNB / USD", 600 * 10**8, sender=deployer),
        token.address: project.MockAggregator.deploy(8, "BTC / USD", 10**13, sender=deployer),
    }

    def refresh() -> None:
        for feed in feeds.values():
            feed.setAnswer(feed.latestRoundData()[1], sender=deployer)

    listing = schedule_calls(
        timelock,
        [vault_call(vault, "addAsset", asset, feed, 10 * ONE) for asset, feed in feeds.items()],
        committee,
        salt=1,
    )
    wait_until_ready(timelock, listing)
    refresh()
    execute_operation(timelock, listing, committee)

    for t in (token, plain):
        t.mint(depositor, 1_000 * ONE, sender=deployer)
        t.mint(recipient, ONE, sender=deployer)
    token.approve(vault, 2**256 - 1, sender=depositor)
    plain.approve(recipient, 2**256 - 1, sender=depositor)
    vault.deposit(token, 10 * ONE, sender=depositor)  # the vault now holds the token
    vault.operationalTransfer(token, recipient, ONE, sender=operator)  # opens today's bucket
    plain.transferFrom(depositor, recipient, ONE, sender=recipient)

    rows: dict[str, dict] = {}
    rows["deposit (BEP-20 the vault holds)"] = {
        "ours": vault.deposit(token, ONE, sender=depositor).gas_used,
        "plain_oz": plain.transferFrom(depositor, recipient, ONE, sender=recipient).gas_used,
        "plain_oz_operation": "transferFrom to an existing holder",
    }
    rows["deposit (BNB)"] = {
        "ours": vault.deposit(NATIVE, ONE, sender=depositor, value=ONE).gas_used,
        "plain_oz": depositor.transfer(recipient, ONE).gas_used,
        "plain_oz_operation": "BNB value transfer to an account",
    }
    rows["operationalTransfer (BEP-20, existing holder, not the first today)"] = {
        "ours": vault.operationalTransfer(token, recipient, ONE, sender=operator).gas_used,
        "plain_oz": plain.transfer(recipient, ONE, sender=depositor).gas_used,
        "plain_oz_operation": "transfer to an existing holder",
    }
    withdrawal = vault_call(vault, "withdraw", token, recipient, ONE)
    scheduled = timelock.schedule(
        withdrawal[0], 0, withdrawal[2], b"\x00" * 32, b"\x02" * 32, MIN_DELAY, sender=committee
    )
    rows["timelock schedule (one call)"] = {
        "ours": scheduled.gas_used,
        "plain_oz": None,
        "plain_oz_operation": None,
    }
    chain.pending_timestamp += MIN_DELAY
    refresh()
    executed = timelock.execute(
        withdrawal[0], 0, withdrawal[2], b"\x00" * 32, b"\x02" * 32, sender=committee
    )
    rows["timelock execute (reserve withdraw, BEP-20)"] = {
        "ours": executed.gas_used,
        "plain_oz": plain.transfer(recipient, ONE, sender=depositor).gas_used,
        "plain_oz_operation": "transfer to an existing holder",
    }
    return {
        "network": "ethereum:local:foundry (anvil)",
        "setup": "ReserveVault listing BNB and one BEP-20 with mock feeds, no share cap; "
        "GovernanceTimelock (OpenZeppelin TimelockController) as its governor",
        "operations": rows,
    }


def main() -> dict:
    run_record = Run("reserve_gas")
    with ape.networks.parse_network_choice("ethereum:local:foundry"):
        results = run()
    return run_record.finish(results)


if __name__ == "__main__":
    arguments(__doc__)
    main()
