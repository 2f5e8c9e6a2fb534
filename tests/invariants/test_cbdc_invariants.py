"""Stateful properties of the digital som, on random sequences of issues, redemptions,
payments, disbursements, tier changes, allowance changes, freezes, seizures, pauses and
clock moves:

- the balances of all holders sum to the total supply;
- issuance never exceeds the allowance the board gave the issuer;
- no incoming payment takes a wallet above its tier's holding limit (the waterfall sweeps
  the excess to its bank);
- no wallet pays more than its tier's per-payment limit, nor more than its daily limit
  within a window (cash-out to its own bank excepted);
- a disbursement batch pays once;
- a frozen account's balance changes only by seizure.

The disbursement rule is kept in one helper (`_disburse`), so a change of that function's
signature touches one place.
"""

from __future__ import annotations

import pytest
from ape import accounts, chain
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule, run_state_machine_as_test

from tests.utils.constants import SOM
from tests.utils.invariants import ChainMachine, machine_settings, sends

CASE = b"INVARIANT-CASE".ljust(32, b"\x00")
WINDOW = 86_400
# Small limits (som), so random amounts hit them: (maxBalance, maxPayment, dailyLimit).
TIERS = {0: (1_000, 300, 500), 1: (5_000, 2_000, 3_000), 2: (20_000, 10_000, 10_000)}
WALLETS = [accounts.test_accounts[i] for i in (8, 9, 10)]
BANKS = [accounts.test_accounts[7], accounts.test_accounts[11]]
TREASURY = accounts.test_accounts[6]
HOLDERS = [*WALLETS, *BANKS, TREASURY]
BATCH_IDS = [bytes([i]) * 32 for i in (1, 2, 3)]


class CbdcMachine(ChainMachine):
    """Random operations on `som`; the test sets the contract and the accounts below."""

    som = central_bank = compliance = pauser = None

    @initialize()
    def start(self):
        som, cb = self.som, self.central_bank
        for tier, limits in TIERS.items():
            som.setTierLimits(tier, *(x * SOM for x in limits), sender=cb)
        for wallet, bank, tier in zip(
            WALLETS, [BANKS[0], BANKS[0], BANKS[1]], [0, 1, 2], strict=True
        ):
            som.registerWallet(wallet, tier, sender=bank)
        for wallet, amount in zip(WALLETS, (800, 3_000, 8_000), strict=True):
            som.transfer(wallet, amount * SOM, sender=BANKS[0])
        som.setIssuanceAllowance(cb, 200_000 * SOM, sender=cb)
        self.allowance = 200_000 * SOM
        self.issued = 0
        self.granted = 200_000 * SOM
        self.window = {w.address: (0, 0) for w in WALLETS}  # (start, spent)
        self.paid_batches: set[bytes] = set()
        self.frozen: dict[str, int] = {}
        self.last = self._balances()

    def _balances(self) -> dict[str, int]:
        return {h.address: self.som.balanceOf(h) for h in HOLDERS}

    def _limits(self, wallet) -> tuple[int, int, int]:
        tier = self.som.walletOf(wallet)[0]
        return self.som.tierLimits(tier)

    # ------------------------------------------------------------ issuance

    @rule(bank=st.sampled_from(BANKS), amount=st.integers(1, 120_000))
    def issue(self, bank, amount):
        value = amount * SOM
        expected = value <= self.allowance and not self.som.paused() and not self.som.isFrozen(bank)
        done = sends(self.som.issue, bank, value, sender=self.central_bank)
        assert done == expected
        if done:
            self.allowance -= value
            self.issued += value

    @rule(amount=st.integers(0, 100_000), how=st.sampled_from(["set", "increase", "decrease"]))
    def change_allowance(self, amount, how):
        value = amount * SOM
        method = getattr(self.som, f"{how}IssuanceAllowance")
        method(self.central_bank, value, sender=self.central_bank)
        if how == "set":
            self.allowance = value
        elif how == "increase":
            self.allowance += value
        else:
            self.allowance = max(0, self.allowance - value)
        self.granted += value if how != "decrease" else 0

    @rule(bank=st.sampled_from(BANKS), amount=st.integers(1, 50_000))
    def redeem(self, bank, amount):
        sends(self.som.redeem, amount * SOM, sender=bank)

    # ------------------------------------------------------------ payments

    @rule(
        payer=st.sampled_from(HOLDERS),
        payee=st.sampled_from(HOLDERS),
        amount=st.integers(1, 2_500),
        reference=st.booleans(),
    )
    def pay(self, payer, payee, amount, reference):
        value = amount * SOM
        is_wallet = payer in WALLETS
        limits = self._limits(payer) if is_wallet else None
        if reference:
            done = sends(self.som.transferWithReference, payee, value, b"\x22" * 32, sender=payer)
        else:
            done = sends(self.som.transfer, payee, value, sender=payer)
        if not (done and is_wallet):
            return
        cash_out = payee.address == self.som.walletOf(payer)[1] and payee in BANKS
        if cash_out:
            return
        _, max_payment, daily = limits
        assert value <= max_payment, "a payment above the tier's per-payment limit went through"
        now = chain.blocks.head.timestamp
        start, spent = self.window[payer.address]
        if now >= start + WINDOW:
            start, spent = now, 0
        spent += value
        assert spent <= daily, "a wallet paid more than its daily limit within one window"
        self.window[payer.address] = (start, spent)

    def _disburse(self, batch_id: bytes, recipients: list, amounts: list[int]) -> bool:
        return sends(self.som.disburse, batch_id, recipients, amounts, sender=TREASURY)

    @rule(
        batch=st.sampled_from(BATCH_IDS),
        payees=st.lists(st.sampled_from([*WALLETS, BANKS[0]]), min_size=1, max_size=3),
        amount=st.integers(1, 3_000),
    )
    def disburse(self, batch, payees, amount):
        done = self._disburse(batch, payees, [amount * SOM] * len(payees))
        if batch in self.paid_batches:
            assert not done, "a batch id paid twice"
        if done:
            self.paid_batches.add(batch)

    # ------------------------------------------------------------ supervision

    @rule(wallet=st.sampled_from(WALLETS), tier=st.integers(0, 2))
    def set_tier(self, wallet, tier):
        linked = next(b for b in BANKS if b.address == self.som.walletOf(wallet)[1])
        self.som.setWalletTier(wallet, tier, sender=linked)

    @rule(account=st.sampled_from(HOLDERS))
    def freeze(self, account):
        self.som.freeze(account, sender=self.compliance)
        self.frozen[account.address] = self.som.balanceOf(account)

    @rule(account=st.sampled_from(HOLDERS))
    def unfreeze(self, account):
        self.som.unfreeze(account, sender=self.compliance)
        self.frozen.pop(account.address, None)

    @precondition(lambda self: self.frozen)
    @rule(to=st.sampled_from(HOLDERS), data=st.data())
    def seize(self, to, data):
        victim = data.draw(st.sampled_from(sorted(self.frozen)))
        amount = data.draw(st.integers(0, self.frozen[victim]))
        if sends(self.som.seize, victim, to, amount, CASE, sender=self.compliance):
            assert to.address not in self.frozen, "seized funds reached a frozen account"
            self.frozen[victim] -= amount

    @rule(payer=st.sampled_from(HOLDERS), payee=st.sampled_from(HOLDERS))
    def pause_briefly(self, payer, payee):
        self.som.pause(sender=self.pauser)
        assert not sends(self.som.transfer, payee, 1, sender=payer), "a payment while paused"
        self.som.unpause(sender=self.pauser)

    @rule(seconds=st.integers(1, 2 * WINDOW))
    def wait(self, seconds):
        chain.pending_timestamp += seconds

    # ------------------------------------------------------------ invariants

    @invariant()
    def balances_sum_to_supply(self):
        assert sum(self.som.balanceOf(h) for h in HOLDERS) == self.som.totalSupply()

    @invariant()
    def issuance_within_allowance(self):
        assert self.som.issuanceAllowance(self.central_bank) == self.allowance
        assert self.issued <= self.granted

    @invariant()
    def no_wallet_receives_above_its_limit(self):
        balances = self._balances()
        for wallet in WALLETS:
            if balances[wallet.address] > self.last[wallet.address]:
                max_balance = self._limits(wallet)[0]
                assert balances[wallet.address] <= max_balance, "a wallet was paid above its limit"
        self.last = balances

    @invariant()
    def frozen_balances_move_only_by_seizure(self):
        for account, balance in self.frozen.items():
            assert self.som.balanceOf(account) == balance


@pytest.mark.slow
def test_cbdc__invariants_hold(
    create_configured_som, central_bank, bank, treasury, compliance, pauser
):
    som = create_configured_som()
    som.issue(bank, 100_000 * SOM, sender=central_bank)
    som.transfer(treasury, 60_000 * SOM, sender=bank)
    CbdcMachine.som = som
    CbdcMachine.central_bank = central_bank
    CbdcMachine.compliance = compliance
    CbdcMachine.pauser = pauser
    run_state_machine_as_test(CbdcMachine, settings=machine_settings())
