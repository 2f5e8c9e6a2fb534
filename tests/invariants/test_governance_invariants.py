"""Stateful properties of the governance, driven through the real GovernanceTimelock: random
proposals (role grants and revocations, the stablecoin's reserve feed, the digital som's
tier limits, upgrades of both tokens, the reserve's limits and operators, the timelock's
own delay), executions attempted at random times, cancellations, clock moves, deposits
and the reserve operator's transfers:

- no role, feed, tier limit, implementation, reserve limit or delay changes except by an
  execution of the timelock, and never before the operation's delay has passed;
- the reserve's outflows outside the timelock (the operator's) stay within each asset's
  token bucket: over any T seconds at most `limit x (1 + T / 1 day)`, `limit` the largest
  limit in force meanwhile (no second limit around midnight UTC).
"""

from __future__ import annotations

import pytest
from ape import accounts, chain, project
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from somchain.governance.deploy import call
from somchain.governance.timelock import execute_operation, schedule_calls, wait_until_ready
from somchain.proxy import deploy_proxied
from somchain.reserve import NATIVE
from tests.utils.constants import ONE, ZERO
from tests.utils.invariants import ChainMachine, machine_settings, sends

DELAY = 3_600
IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC
CANDIDATES = [accounts.test_accounts[i] for i in (8, 9, 10)]
OPERATOR = accounts.test_accounts[6]
COMMITTEE = accounts.test_accounts[11]
LIMIT = 10 * ONE


class GovernanceMachine(ChainMachine):
    """Random governance on the deployed stack; the test sets `stack` (a dict of contracts)."""

    stack: dict = {}
    operations = Bundle("operations")

    @initialize()
    def start(self):
        self.observed = self._observe()
        self.executed_ready = None  # (ready_at, executed_at) of the last successful execution
        self.outflows: dict[str, list[tuple[int, int]]] = {}  # asset -> [(time, amount)]
        self.max_limit: dict[str, int] = {}
        self.proposals = 0
        self.deposit(True, 40)
        self.deposit(False, 40)

    # ------------------------------------------------------------ the governed state

    def _observe(self) -> dict:
        s = self.stack
        kgst, som, vault, timelock = s["kgst"], s["som"], s["vault"], s["timelock"]
        roles = {}
        for name, contract, role in (
            ("kgst", kgst, "PAUSER_ROLE"),
            ("kgst", kgst, "MASTER_MINTER_ROLE"),
            ("som", som, "ISSUER_ROLE"),
            ("vault", vault, "OPERATOR_ROLE"),
        ):
            role_id = getattr(contract, role)()
            for a in [*CANDIDATES, OPERATOR]:
                roles[(name, role, a.address)] = contract.hasRole(role_id, a)
        return {
            "roles": roles,
            "feed": kgst.reserveFeed(),
            "tiers": [som.tierLimits(t) for t in range(5)],
            "implementations": [
                chain.provider.get_storage(c.address, IMPLEMENTATION_SLOT) for c in (kgst, som)
            ],
            "limits": [vault.assetConfig(a).dailyOutflowLimit for a in (NATIVE, s["asset"])],
            "delay": timelock.getMinDelay(),
        }

    # ------------------------------------------------------------ proposals

    def _call(self, kind: int, pick: int, amount: int):
        s = self.stack
        kgst, som, vault = s["kgst"], s["som"], s["vault"]
        who = CANDIDATES[pick % len(CANDIDATES)]
        calls = [
            lambda: call(kgst, "grantRole", kgst.PAUSER_ROLE(), who),
            lambda: call(kgst, "revokeRole", kgst.PAUSER_ROLE(), who),
            lambda: call(kgst, "setReserveFeed", s["feeds"][pick % 2], 1 + amount % 86_400),
            lambda: call(som, "setTierLimits", pick % 5, *[amount // 10**12] * 3),
            lambda: call(som, "grantRole", som.ISSUER_ROLE(), who),
            lambda: call(som, "upgradeToAndCall", s["som_v2"], b""),
            lambda: call(kgst, "upgradeToAndCall", s["kgst_v2"], b""),
            lambda: call(vault, "setDailyOutflowLimit", [NATIVE, s["asset"]][pick % 2], amount),
            lambda: call(vault, "grantRole", vault.OPERATOR_ROLE(), who),
            lambda: call(vault, "revokeRole", vault.OPERATOR_ROLE(), OPERATOR),
            lambda: call(s["timelock"], "updateDelay", DELAY + amount % DELAY),
        ]
        return calls[kind % len(calls)]()

    @rule(
        target=operations,
        kind=st.integers(0, 10),
        pick=st.integers(0, 5),
        amount=st.integers(0, 20).map(lambda x: x * ONE),
        extra=st.integers(0, DELAY),
    )
    def propose(self, kind, pick, amount, extra):
        timelock = self.stack["timelock"]
        delay = timelock.getMinDelay() + extra
        self.proposals += 1  # the salt: each proposal is a new operation, even if repeated
        call = self._call(kind, pick, amount)
        op = schedule_calls(timelock, [call], COMMITTEE, self.proposals, delay)
        return (op, chain.blocks.head.timestamp + delay)

    @rule(entry=operations)
    def execute(self, entry):
        op, ready_at = entry
        timelock = self.stack["timelock"]
        if sends(execute_operation, timelock, op, COMMITTEE):
            self.executed_ready = (ready_at, chain.blocks.head.timestamp)

    @rule(entry=operations)
    def execute_when_ready(self, entry):
        op, _ = entry
        timelock = self.stack["timelock"]
        if timelock.isOperationPending(op.id):
            wait_until_ready(timelock, op)
        self.execute(entry)

    @rule(entry=operations)
    def cancel(self, entry):
        sends(self.stack["timelock"].cancel, entry[0].id, sender=COMMITTEE)

    @rule(kind=st.integers(0, 10), pick=st.integers(0, 5), who=st.sampled_from(CANDIDATES))
    def bypass(self, kind, pick, who):
        """A call of a governed function straight from an account, never the timelock."""
        target, _, data = self._call(kind, pick, ONE)
        sends(who.transfer, target, 0, data=data)

    @rule(seconds=st.integers(1, 2 * DELAY))
    def wait(self, seconds):
        chain.pending_timestamp += seconds

    # ------------------------------------------------------------ the reserve's operator

    @rule(native=st.booleans(), amount=st.integers(1, 8))
    def deposit(self, native, amount):
        vault, asset = self.stack["vault"], self.stack["asset"]
        if native:
            vault.deposit(NATIVE, amount * ONE, value=amount * ONE, sender=OPERATOR)
        else:
            asset.mint(OPERATOR, amount * ONE, sender=OPERATOR)
            asset.approve(vault, amount * ONE, sender=OPERATOR)
            vault.deposit(asset, amount * ONE, sender=OPERATOR)

    @rule(
        native=st.booleans(),
        amount=st.integers(1, 6),
        sender=st.sampled_from([OPERATOR, *CANDIDATES]),
    )
    def operational_transfer(self, native, amount, sender):
        vault = self.stack["vault"]
        asset = NATIVE if native else self.stack["asset"].address
        if sends(vault.operationalTransfer, asset, CANDIDATES[0], amount * ONE, sender=sender):
            at = chain.blocks.head.timestamp
            self.outflows.setdefault(asset, []).append((at, amount * ONE))

    # ------------------------------------------------------------ invariants

    @invariant()
    def operator_outflows_within_the_bucket(self):
        vault = self.stack["vault"]
        for asset in (NATIVE, self.stack["asset"].address):
            if vault.isListed(asset):
                limit = vault.assetConfig(asset).dailyOutflowLimit
                self.max_limit[asset] = max(self.max_limit.get(asset, 0), limit)
        for asset, history in self.outflows.items():
            limit = self.max_limit[asset]
            for i, (start, _) in enumerate(history):
                total = 0
                for at, amount in history[i:]:
                    total += amount
                    assert total * 86_400 <= limit * (86_400 + at - start), (
                        "the operator moved more than its bucket allows"
                    )

    @invariant()
    def governed_state_changes_only_after_the_delay(self):
        now = self._observe()
        if now != self.observed:
            assert self.executed_ready is not None, "governed state changed outside the timelock"
            ready_at, executed_at = self.executed_ready
            assert executed_at >= ready_at, "an operation ran before its delay had passed"
        self.observed = now
        self.executed_ready = None


def _stack(admin, attestation, create_feed):
    timelock = project.GovernanceTimelock.deploy(
        DELAY, [COMMITTEE], [COMMITTEE], ZERO, sender=admin
    )
    kgst = deploy_proxied(
        project.NationalStablecoin,
        ["Kyrgyz Som Stablecoin", "KGST", 18, timelock.address, 0],
        admin,
    ).contract
    som = deploy_proxied(project.DigitalSom, ["Digital Som", "KGSD", 2, timelock.address, 0], admin)
    som = som.contract
    vault = project.ReserveVault.deploy(timelock, admin, OPERATOR, 365 * 86_400, sender=admin)
    asset = project.MockERC20.deploy("BTCB", "BTCB", 18, sender=admin)
    feed = create_feed(8, 600 * 10**8)
    setup = [
        call(kgst, "grantRole", kgst.UPGRADER_ROLE(), timelock),
        call(som, "grantRole", som.UPGRADER_ROLE(), timelock),
        call(kgst, "grantRole", kgst.PAUSER_ROLE(), CANDIDATES[0]),
        call(vault, "addAsset", NATIVE, feed, LIMIT),
        call(vault, "addAsset", asset, feed, LIMIT),
    ]
    op = schedule_calls(timelock, setup, COMMITTEE, 0)
    wait_until_ready(timelock, op)
    execute_operation(timelock, op, COMMITTEE)
    return {
        "timelock": timelock,
        "kgst": kgst,
        "som": som,
        "vault": vault,
        "asset": asset,
        "feeds": [attestation, create_feed(2, 10**8)],
        "kgst_v2": project.NationalStablecoinV2Mock.deploy(sender=admin),
        "som_v2": project.DigitalSomV2Mock.deploy(sender=admin),
    }


@pytest.mark.slow
def test_governance__invariants_hold(admin, attestation, create_feed):
    GovernanceMachine.stack = _stack(admin, attestation, create_feed)
    run_state_machine_as_test(GovernanceMachine, settings=machine_settings())
