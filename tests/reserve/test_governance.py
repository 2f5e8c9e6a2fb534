"""Governance withdrawals: propose (schedule), wait out the delay, execute."""

import ape
from ape import chain

from somchain.reserve import (
    NATIVE,
    ZERO_BYTES32,
    execute_withdrawal,
    propose_withdrawal,
    vault_call,
    wait_until_ready,
)
from tests.utils.constants import MIN_DELAY, ONE


def test_withdraw__after_delay__moves_funds(funded_vault, timelock, committee, bob, btcb):
    bnb_before = bob.balance

    op = propose_withdrawal(timelock, funded_vault, NATIVE, bob, 5 * ONE, committee, salt=1)
    assert timelock.isOperationPending(op.id)
    assert timelock.getTimestamp(op.id) == chain.blocks.head.timestamp + MIN_DELAY
    wait_until_ready(timelock, op)
    receipt = execute_withdrawal(timelock, op, committee)

    [event] = funded_vault.Withdrawn.from_receipt(receipt)
    assert (event.asset, event.to, event.amount) == (NATIVE, bob.address, 5 * ONE)
    assert bob.balance == bnb_before + 5 * ONE
    assert funded_vault.balanceOf(NATIVE) == 95 * ONE
    assert timelock.isOperationDone(op.id)


def test_withdraw__token_after_delay__moves_tokens(funded_vault, timelock, committee, bob, btcb):
    op = propose_withdrawal(timelock, funded_vault, btcb, bob, ONE // 4, committee, salt=2)
    chain.pending_timestamp += MIN_DELAY
    execute_withdrawal(timelock, op, committee)
    assert btcb.balanceOf(bob) == ONE // 4
    assert btcb.balanceOf(funded_vault) == 3 * ONE // 4


def test_withdraw__before_delay__reverts(funded_vault, timelock, committee, bob):
    op = propose_withdrawal(timelock, funded_vault, NATIVE, bob, ONE, committee)
    chain.pending_timestamp += MIN_DELAY - 10
    with ape.reverts(timelock.TimelockUnexpectedOperationState):
        execute_withdrawal(timelock, op, committee)


def test_withdraw__executed_twice__reverts(funded_vault, timelock, committee, bob):
    op = propose_withdrawal(timelock, funded_vault, NATIVE, bob, ONE, committee)
    wait_until_ready(timelock, op)
    execute_withdrawal(timelock, op, committee)
    with ape.reverts(timelock.TimelockUnexpectedOperationState):
        execute_withdrawal(timelock, op, committee)


def test_schedule__by_non_proposer__reverts(funded_vault, timelock, attacker):
    with ape.reverts(
        timelock.AccessControlUnauthorizedAccount,
        account=attacker,
        neededRole=timelock.PROPOSER_ROLE(),
    ):
        propose_withdrawal(timelock, funded_vault, NATIVE, attacker, ONE, attacker)


def test_schedule__delay_below_minimum__reverts(funded_vault, timelock, committee, attacker):
    _, value, data = vault_call(funded_vault, "withdraw", NATIVE, attacker.address, ONE)
    with ape.reverts(timelock.TimelockInsufficientDelay):
        timelock.schedule(
            funded_vault, value, data, ZERO_BYTES32, ZERO_BYTES32, MIN_DELAY - 1, sender=committee
        )


def test_execute__by_non_executor__reverts(funded_vault, timelock, committee, attacker):
    op = propose_withdrawal(timelock, funded_vault, NATIVE, attacker, ONE, committee)
    wait_until_ready(timelock, op)
    with ape.reverts(timelock.AccessControlUnauthorizedAccount):
        execute_withdrawal(timelock, op, attacker)


def test_cancel__by_committee__stops_withdrawal(funded_vault, timelock, committee, bob):
    op = propose_withdrawal(timelock, funded_vault, NATIVE, bob, ONE, committee)
    receipt = timelock.cancel(op.id, sender=committee)
    assert timelock.Cancelled.from_receipt(receipt)[0].id == op.id
    wait_until_ready(timelock, op)
    with ape.reverts(timelock.TimelockUnexpectedOperationState):
        execute_withdrawal(timelock, op, committee)


def test_withdraw__direct_by_non_governance__reverts(funded_vault, attacker, committee, operator):
    for account in (attacker, committee, operator):
        with ape.reverts(
            funded_vault.ReserveUnauthorizedAccount,
            account=account,
            role=funded_vault.GOVERNOR_ROLE(),
        ):
            funded_vault.withdraw(NATIVE, account, ONE, sender=account)


def test_withdraw__unlisted_asset__reverts(funded_vault, timelock, committee, bob, create_token):
    token = create_token()
    op = propose_withdrawal(timelock, funded_vault, token, bob, 1, committee)
    wait_until_ready(timelock, op)
    with ape.reverts(funded_vault.ReserveAssetNotListed, asset=token.address):
        execute_withdrawal(timelock, op, committee)


def test_withdraw__more_than_balance__reverts(funded_vault, timelock, committee, bob):
    op = propose_withdrawal(timelock, funded_vault, NATIVE, bob, 101 * ONE, committee)
    wait_until_ready(timelock, op)
    with ape.reverts(
        funded_vault.ReserveInsufficientBalance, asset=NATIVE, balance=100 * ONE, amount=101 * ONE
    ):
        execute_withdrawal(timelock, op, committee)


def test_withdraw__zero_amount_or_recipient__reverts(funded_vault, timelock, committee, bob):
    zero = "0x0000000000000000000000000000000000000000"
    op = propose_withdrawal(timelock, funded_vault, NATIVE, bob, 0, committee, salt=1)
    op_to_zero = propose_withdrawal(timelock, funded_vault, NATIVE, zero, ONE, committee, salt=2)
    wait_until_ready(timelock, op_to_zero)
    with ape.reverts(funded_vault.ReserveZeroAmount):
        execute_withdrawal(timelock, op, committee)
    with ape.reverts(funded_vault.ReserveZeroAddress):
        execute_withdrawal(timelock, op_to_zero, committee)


def test_withdraw__to_contract_rejecting_bnb__reverts(funded_vault, timelock, committee, admin):
    receiver = ape.project.MockRejectingReceiver.deploy(sender=admin)
    op = propose_withdrawal(timelock, funded_vault, NATIVE, receiver, ONE, committee)
    wait_until_ready(timelock, op)
    with ape.reverts(
        funded_vault.ReserveTransferFailed, asset=NATIVE, to=receiver.address, amount=ONE
    ):
        execute_withdrawal(timelock, op, committee)


def test_grant_role__through_timelock__adds_operator(vault, governance, alice):
    role = vault.OPERATOR_ROLE()
    governance(vault, ("grantRole", role, alice))
    assert vault.hasRole(role, alice)
