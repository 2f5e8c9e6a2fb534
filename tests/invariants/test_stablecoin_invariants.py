"""Stateful properties of the national stablecoin, on random sequences of mints, burns,
transfers, allowance changes, attestations, freezes, seizures, pauses and clock moves:

- the balances of all holders sum to the total supply;
- a mint succeeds exactly when the minter is configured with the allowance, nothing is
  paused or frozen, the attestation is fresh and the supply after it stays within the
  attested reserve (so the supply never exceeds the reserve at any mint);
- no minter ever mints more than the allowance the master minter gave it;
- minters are configured through a MintController: total minted never exceeds the board's
  grants (what is left to give, every allowance and everything minted add up to them);
- over any interval of T seconds a minter mints at most `capacity + refill x T` (its token
  bucket), and a mint succeeds only when the bucket holds the amount;
- a frozen account's balance changes only by seizure.
"""

from __future__ import annotations

import pytest
from ape import accounts, chain, project
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule, run_state_machine_as_test

from tests.utils.constants import ONE
from tests.utils.invariants import ChainMachine, machine_settings, sends

CASE = b"INVARIANT-CASE".ljust(32, b"\x00")
MAX_AGE = 86_400


HOLDERS = [accounts.test_accounts[i] for i in (2, 3, 8, 9, 10)]
MINTERS = HOLDERS[:2]
CAPACITY = 500_000 * ONE  # each minter's bucket
REFILL = 5 * ONE  # per second: 432,000 KGST a day


class StablecoinMachine(ChainMachine):
    """Random operations on `token`; the test sets the contracts and accounts below."""

    token = controller = board = attestation = attestor = master_minter = None
    compliance = pauser = None

    @initialize()
    def start(self):
        self.allowance = {m.address: 0 for m in MINTERS}
        self.minted = {m.address: 0 for m in MINTERS}
        self.granted = {m.address: 0 for m in MINTERS}
        self.is_minter = {m.address: False for m in MINTERS}
        self.budget = 0  # the controller's budget left to give
        self.grants = 0  # every grant of the board
        self.limited = {m.address: False for m in MINTERS}
        self.bucket = {m.address: (0, 0) for m in MINTERS}  # (level, time)
        self.mints: dict[str, list[tuple[int, int]]] = {m.address: [] for m in MINTERS}
        self.frozen: dict[str, int] = {}
        self.seized = False
        self._attest(1_000_000)

    def _attest(self, reserve_som: int) -> None:
        last = self.attestation.latestRoundData()[3]
        if chain.pending_timestamp <= last + 1:
            chain.pending_timestamp = last + 2
        self.attestation.attest(
            reserve_som * 100, chain.pending_timestamp - 1, b"\x11" * 32, sender=self.attestor
        )

    # ------------------------------------------------------------ board

    @rule(amount=st.integers(1, 800_000))
    def grant(self, amount):
        self.controller.increaseMintBudget(amount * ONE, sender=self.board)
        self.budget += amount * ONE
        self.grants += amount * ONE

    @rule(m=st.sampled_from(MINTERS))
    def set_rate_limit(self, m):
        receipt = self.controller.setMinterRateLimit(m, CAPACITY, REFILL, sender=self.board)
        at = chain.blocks[receipt.block_number].timestamp
        level = self._level(m, at) if self.limited[m.address] else CAPACITY
        self.bucket[m.address] = (level, at)
        self.limited[m.address] = True

    def _level(self, m, at: int) -> int:
        level, last = self.bucket[m.address]
        return min(CAPACITY, level + REFILL * (at - last))

    # ------------------------------------------------------------ master minter

    @rule(m=st.sampled_from(MINTERS), amount=st.integers(0, 600_000))
    def configure(self, m, amount):
        value = amount * ONE
        available = self.budget + self.allowance[m.address]
        expected = self.limited[m.address] and value <= available
        done = sends(self.controller.configureMinter, m, value, sender=self.master_minter)
        assert done == expected
        if done:
            self.budget = available - value
            self.granted[m.address] += max(0, value - self.allowance[m.address])
            self.allowance[m.address] = value
            self.is_minter[m.address] = True

    @rule(m=st.sampled_from(MINTERS), amount=st.integers(1, 200_000))
    def increase(self, m, amount):
        value = amount * ONE
        expected = self.is_minter[m.address] and self.limited[m.address] and value <= self.budget
        done = sends(self.controller.increaseMinterAllowance, m, value, sender=self.master_minter)
        assert done == expected
        if done:
            self.budget -= value
            self.allowance[m.address] += value
            self.granted[m.address] += value

    @rule(m=st.sampled_from(MINTERS), amount=st.integers(1, 200_000))
    def decrease(self, m, amount):
        done = sends(
            self.controller.decreaseMinterAllowance, m, amount * ONE, sender=self.master_minter
        )
        assert done == self.is_minter[m.address]
        if done:
            returned = min(self.allowance[m.address], amount * ONE)
            self.allowance[m.address] -= returned
            self.budget += returned

    @rule(m=st.sampled_from(MINTERS))
    def remove(self, m):
        done = sends(self.controller.removeMinter, m, sender=self.master_minter)
        assert done == self.is_minter[m.address]
        if done:
            self.budget += self.allowance[m.address]
            self.allowance[m.address] = 0
            self.is_minter[m.address] = False
            self.limited[m.address] = False
            self.mints[m.address] = []  # the board's next limit starts a new bucket

    # ------------------------------------------------------------ minting

    @rule(m=st.sampled_from(MINTERS), to=st.sampled_from(HOLDERS), amount=st.integers(1, 400_000))
    def mint(self, m, to, amount):
        value = amount * ONE
        supply = self.token.totalSupply()
        fresh = chain.pending_timestamp - self.attestation.latestRoundData()[3] <= MAX_AGE
        reserve = self.attestation.latestRoundData()[1] * 10**16  # 2 decimals to 18
        at = chain.pending_timestamp
        expected = (
            self.is_minter[m.address]
            and self.allowance[m.address] >= value
            and self._level(m, at) >= value
            and not self.token.paused()
            and not self.token.isFrozen(m)
            and not self.token.isFrozen(to)
            and fresh
            and supply + value <= reserve
        )
        done = sends(self.token.mint, to, value, sender=m)
        assert done == expected
        if done:
            assert self.token.totalSupply() <= self.token.attestedReserve()
            mined = chain.blocks.head.timestamp
            self.bucket[m.address] = (self._level(m, mined) - value, mined)
            self.allowance[m.address] -= value
            self.minted[m.address] += value
            self.mints[m.address].append((mined, value))

    @rule(m=st.sampled_from(MINTERS), amount=st.integers(1, 50_000))
    def burn(self, m, amount):
        sends(self.token.burn, amount * ONE, sender=m)

    @rule(reserve=st.integers(0, 3_000_000))
    def attest(self, reserve):
        self._attest(reserve)

    @rule(seconds=st.integers(1, 2 * MAX_AGE))
    def wait(self, seconds):
        chain.pending_timestamp += seconds

    # ------------------------------------------------------------ HOLDERS

    @rule(a=st.sampled_from(HOLDERS), b=st.sampled_from(HOLDERS), amount=st.integers(0, 300_000))
    def transfer(self, a, b, amount):
        sends(self.token.transfer, b, amount * ONE, sender=a)

    @rule(a=st.sampled_from(HOLDERS), b=st.sampled_from(HOLDERS), amount=st.integers(0, 300_000))
    def approve_and_spend(self, a, b, amount):
        if sends(self.token.approve, b, amount * ONE, sender=a):
            sends(self.token.transferFrom, a, b, amount * ONE, sender=b)

    # ------------------------------------------------------------ controls

    @rule(a=st.sampled_from(HOLDERS))
    def freeze(self, a):
        self.token.freeze(a, sender=self.compliance)
        self.frozen[a.address] = self.token.balanceOf(a)

    @rule(a=st.sampled_from(HOLDERS))
    def unfreeze(self, a):
        self.token.unfreeze(a, sender=self.compliance)
        self.frozen.pop(a.address, None)

    @precondition(lambda self: self.frozen)
    @rule(to=st.sampled_from(HOLDERS), data=st.data())
    def seize(self, to, data):
        victim = data.draw(st.sampled_from(sorted(self.frozen)))
        amount = data.draw(st.integers(0, self.frozen[victim]))
        if sends(self.token.seize, victim, to, amount, CASE, sender=self.compliance):
            self.frozen[victim] -= amount
            if to.address in self.frozen:
                raise AssertionError("seized funds reached a frozen account")

    @rule(a=st.sampled_from(HOLDERS), b=st.sampled_from(HOLDERS))
    def pause_briefly(self, a, b):
        self.token.pause(sender=self.pauser)
        assert not sends(self.token.transfer, b, 1, sender=a), "a transfer while paused"
        self.token.unpause(sender=self.pauser)

    # ------------------------------------------------------------ invariants

    @invariant()
    def balances_sum_to_supply(self):
        assert sum(self.token.balanceOf(h) for h in HOLDERS) == self.token.totalSupply()

    @invariant()
    def minters_within_allowance(self):
        for m in MINTERS:
            assert self.token.minterAllowance(m) == self.allowance[m.address]
            assert self.minted[m.address] <= self.granted[m.address]

    @invariant()
    def minted_within_the_boards_grants(self):
        allowances = sum(self.allowance.values())
        minted = sum(self.minted.values())
        assert self.controller.mintBudget() == self.budget
        assert self.controller.mintBudgetGranted() == self.grants
        assert self.budget + allowances + minted == self.grants
        assert minted <= self.grants

    @invariant()
    def minters_within_their_buckets(self):
        for history in self.mints.values():
            for i, (start, _) in enumerate(history):
                total = 0
                for at, value in history[i:]:
                    total += value
                    assert total <= CAPACITY + REFILL * (at - start)

    @invariant()
    def frozen_balances_move_only_by_seizure(self):
        for account, balance in self.frozen.items():
            assert self.token.balanceOf(account) == balance


@pytest.mark.slow
def test_stablecoin__invariants_hold(
    create_token, admin, attestation, attestor, master_minter, compliance, pauser
):
    token = create_token()
    controller = project.MintController.deploy(token, admin, 0, sender=admin)
    token.revokeRole(token.MASTER_MINTER_ROLE(), master_minter, sender=admin)
    token.grantRole(token.MASTER_MINTER_ROLE(), controller, sender=admin)
    controller.grantRole(controller.MASTER_MINTER_ROLE(), master_minter, sender=admin)
    StablecoinMachine.token = token
    StablecoinMachine.controller = controller
    StablecoinMachine.board = admin
    StablecoinMachine.attestation = attestation
    StablecoinMachine.attestor = attestor
    StablecoinMachine.master_minter = master_minter
    StablecoinMachine.compliance = compliance
    StablecoinMachine.pauser = pauser
    run_state_machine_as_test(StablecoinMachine, settings=machine_settings())
