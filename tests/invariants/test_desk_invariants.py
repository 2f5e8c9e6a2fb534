"""Stateful properties of the conversion desk, on random sequences of conversions both
ways interleaved with KGST mints, digital som issues, freezes, pauses of the desk and of
either token, and clock moves:

- the desk never creates or destroys value: the two supplies, in desk units, change only
  by the mints and issues made outside the desk;
- a conversion moves the holder's value one-for-one from one token to the other (what the
  waterfall sweeps to the bank counted), and a refused one changes nothing;
- each token's supply equals the sum of its holders' balances, and the desk holds neither.
"""

from __future__ import annotations

import pytest
from ape import accounts, chain
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule, run_state_machine_as_test

from somchain.cbdc import TIER_UNVERIFIED, TIER_VERIFIED
from somchain.desk import deploy_desk, wire_desk
from somchain.desk.deploy import DeskLimits
from tests.utils.constants import ONE, SOM
from tests.utils.invariants import ChainMachine, machine_settings, sends

REF = b"INVARIANT".ljust(32, b"\x00")
ALICE, BOB, CAROL = (accounts.test_accounts[i] for i in (8, 9, 10))  # carol: no wallet
HOLDERS = [ALICE, BOB, CAROL]
BANK = accounts.test_accounts[7]
MINTER = accounts.test_accounts[2]


class DeskMachine(ChainMachine):
    """Random operations on `kgst`, `som` and the `desk` between them; the test sets them."""

    kgst = som = desk = central_bank = compliance = pauser = None

    @initialize()
    def start(self):
        kgst, som = self.kgst, self.som
        for holder in HOLDERS:
            kgst.approve(self.desk, 2**256 - 1, sender=holder)
        for holder in (ALICE, BOB):
            som.approve(self.desk, 2**256 - 1, sender=holder)
        self.unit = self.desk.kgstPerUnit()
        self.outside = 0  # desk units minted or issued outside the desk
        self.base = self._value()

    def _value(self) -> int:
        """Both supplies in desk units (the som's smallest unit)."""
        return self.kgst.totalSupply() // self.unit + self.som.totalSupply()

    def _accounts(self) -> list:
        return [*HOLDERS, BANK, MINTER, self.desk]

    def _convert(self, holder, amount, to_som: bool):
        kgst_before, som_before = self.kgst.balanceOf(holder), self.som.balanceOf(holder)
        bank_before = self.som.balanceOf(BANK)
        supplies = (self.kgst.totalSupply(), self.som.totalSupply())
        convert = self.desk.convertToSom if to_som else self.desk.convertToKgst
        done = sends(convert, amount * SOM, REF, sender=holder)
        kgst_moved = self.kgst.balanceOf(holder) - kgst_before
        som_moved = (self.som.balanceOf(holder) - som_before) + (
            self.som.balanceOf(BANK) - bank_before
        )
        if not done:
            assert (kgst_moved, som_moved) == (0, 0)
            assert supplies == (self.kgst.totalSupply(), self.som.totalSupply())
            return
        sign = 1 if to_som else -1
        assert kgst_moved == -sign * amount * SOM * self.unit
        assert som_moved == sign * amount * SOM

    @rule(holder=st.sampled_from(HOLDERS), amount=st.integers(1, 3_000))
    def convert_to_som(self, holder, amount):
        self._convert(holder, amount, to_som=True)

    @rule(holder=st.sampled_from([ALICE, BOB]), amount=st.integers(1, 3_000))
    def convert_to_kgst(self, holder, amount):
        self._convert(holder, amount, to_som=False)

    @rule(holder=st.sampled_from(HOLDERS), amount=st.integers(1, 5_000))
    def mint_kgst(self, holder, amount):
        if sends(self.kgst.mint, holder, amount * ONE, sender=MINTER):
            self.outside += amount * SOM

    @rule(amount=st.integers(1, 20_000))
    def issue_som(self, amount):
        if sends(self.som.issue, BANK, amount * SOM, sender=self.central_bank):
            self.outside += amount * SOM

    @rule(holder=st.sampled_from([ALICE, BOB]), amount=st.integers(1, 5_000))
    def bank_pays(self, holder, amount):
        sends(self.som.transfer, holder, amount * SOM, sender=BANK)

    @rule(holder=st.sampled_from(HOLDERS), on_som=st.booleans())
    def toggle_freeze(self, holder, on_som):
        token = self.som if on_som else self.kgst
        method = token.unfreeze if token.isFrozen(holder) else token.freeze
        sends(method, holder, sender=self.compliance)

    @rule(which=st.sampled_from(["desk", "kgst", "som"]))
    def toggle_pause(self, which):
        target = getattr(self, which)
        method = target.unpause if target.paused() else target.pause
        sends(method, sender=self.pauser)

    @rule(holder=st.sampled_from([ALICE, BOB]))
    def lower_tier(self, holder):
        sends(self.som.setWalletTier, holder, TIER_UNVERIFIED, sender=BANK)

    @rule(seconds=st.integers(1, 3_600))
    def wait(self, seconds):
        chain.pending_timestamp += seconds

    @invariant()
    def desk_creates_and_destroys_nothing(self):
        assert self._value() == self.base + self.outside

    @invariant()
    def supplies_equal_balances_and_the_desk_holds_nothing(self):
        for token in (self.kgst, self.som):
            assert sum(token.balanceOf(a) for a in self._accounts()) == token.totalSupply()
            assert token.balanceOf(self.desk) == 0


@pytest.mark.slow
def test_desk__invariants_hold(
    create_token,
    create_configured_som,
    attest,
    admin,
    master_minter,
    central_bank,
    compliance,
    pauser,
):
    kgst, som = create_token(), create_configured_som()
    attest(10_000_000)
    desk = deploy_desk(admin, kgst, som)
    limits = DeskLimits(
        capacity=20_000 * SOM,
        refill_per_second=10 * SOM,
        som_allowance=10_000_000 * SOM,
        kgst_allowance=10_000_000 * SOM,
    )
    wire_desk(
        desk,
        kgst,
        som,
        admin=admin,
        master_minter=master_minter,
        som_admin=central_bank,
        pauser=pauser,
        limits=limits,
    )
    kgst.setMinterRateLimit(MINTER, 10**9 * ONE, 10**6 * ONE, sender=master_minter)
    kgst.configureMinter(MINTER, 10**9 * ONE, sender=master_minter)
    for holder in HOLDERS:
        kgst.mint(holder, 10_000 * ONE, sender=MINTER)
    som.issue(BANK, 1_000_000 * SOM, sender=central_bank)
    som.registerWallets([ALICE, BOB], TIER_VERIFIED, sender=BANK)
    for holder in (ALICE, BOB):
        som.transfer(holder, 5_000 * SOM, sender=BANK)
    for machine_attr, value in (
        ("kgst", kgst),
        ("som", som),
        ("desk", desk),
        ("central_bank", central_bank),
        ("compliance", compliance),
        ("pauser", pauser),
    ):
        setattr(DeskMachine, machine_attr, value)
    run_state_machine_as_test(DeskMachine, settings=machine_settings())
