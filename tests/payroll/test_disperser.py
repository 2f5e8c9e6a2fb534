"""PayrollDisperser: KGST payrolls paid exactly once per (payer, batch id), frozen payees
skipped and refunded, nothing held between calls, no admin."""

import ape
from eth_abi import encode
from eth_utils import keccak

from tests.utils.constants import ONE

BATCH = keccak(text="payroll/june/0")
SALARY = 2_500 * ONE
ZERO32 = b"\0" * 32


def _content(payees, amounts) -> bytes:
    return keccak(encode(["address[]", "uint256[]"], [list(payees), list(amounts)]))


def _approve(kgst, disperser, owner, amount=10**6 * ONE):
    kgst.approve(disperser, amount, sender=owner)


def test_disburse__payees__paid_pulled_once_and_recorded(kgst, disperser, treasury, payees):
    wallets = payees(3)
    _approve(kgst, disperser, treasury)
    before = kgst.balanceOf(treasury)
    receipt = disperser.disburse(BATCH, wallets, [SALARY] * 3, sender=treasury)
    assert [kgst.balanceOf(w) for w in wallets] == [SALARY] * 3
    assert kgst.balanceOf(treasury) == before - 3 * SALARY
    assert kgst.balanceOf(disperser) == 0
    assert disperser.batchContent(treasury, BATCH) == _content(wallets, [SALARY] * 3)
    [log] = disperser.BatchDisbursed.from_receipt(receipt)
    assert (log.batchId, log.payer, log.recipients, log.paid, log.skipped) == (
        BATCH,
        treasury.address,
        3,
        3 * SALARY,
        0,
    )


def test_disburse__same_batch_again__no_op(kgst, disperser, treasury, payees):
    wallets = payees(2)
    _approve(kgst, disperser, treasury)
    disperser.disburse(BATCH, wallets, [SALARY] * 2, sender=treasury)
    before = kgst.balanceOf(treasury)
    receipt = disperser.disburse(BATCH, wallets, [SALARY] * 2, sender=treasury)
    [again] = disperser.BatchAlreadyPaid.from_receipt(receipt)
    assert (again.batchId, again.payer, again.content) == (
        BATCH,
        treasury.address,
        _content(wallets, [SALARY] * 2),
    )
    assert kgst.balanceOf(treasury) == before
    assert [kgst.balanceOf(w) for w in wallets] == [SALARY] * 2


def test_disburse__same_id_other_content__reverts(kgst, disperser, treasury, payees):
    wallets = payees(2)
    _approve(kgst, disperser, treasury)
    disperser.disburse(BATCH, wallets, [SALARY] * 2, sender=treasury)
    with ape.reverts(
        disperser.PayrollBatchContentMismatch,
        batchId=BATCH,
        recorded=_content(wallets, [SALARY] * 2),
        content=_content(wallets, [SALARY, 1]),
    ):
        disperser.disburse(BATCH, wallets, [SALARY, 1], sender=treasury)


def test_disburse__same_id_other_payer__its_own_batch(kgst, disperser, treasury, alice, payees):
    wallets = payees(2)
    _approve(kgst, disperser, treasury)
    _approve(kgst, disperser, alice)
    disperser.disburse(BATCH, wallets[:1], [ONE], sender=alice)  # squats the id
    disperser.disburse(BATCH, wallets, [SALARY] * 2, sender=treasury)
    assert [kgst.balanceOf(w) for w in wallets] == [SALARY + ONE, SALARY]


def test_disburse__frozen_payee__skipped_and_refunded(
    kgst, disperser, treasury, compliance, payees
):
    wallets = payees(3)
    kgst.freeze(wallets[1], sender=compliance)
    _approve(kgst, disperser, treasury)
    before = kgst.balanceOf(treasury)
    receipt = disperser.disburse(BATCH, wallets, [SALARY] * 3, sender=treasury)
    assert [kgst.balanceOf(w) for w in wallets] == [SALARY, 0, SALARY]
    assert kgst.balanceOf(treasury) == before - 2 * SALARY
    assert kgst.balanceOf(disperser) == 0
    [skip] = disperser.PayeeSkipped.from_receipt(receipt)
    assert (skip.batchId, skip.index, skip.payee, skip.amount) == (BATCH, 1, wallets[1], SALARY)
    [log] = disperser.BatchDisbursed.from_receipt(receipt)
    assert (log.paid, log.skipped) == (2 * SALARY, SALARY)


def test_disburse__zero_batch_id__reverts(disperser, treasury, payees):
    with ape.reverts(disperser.PayrollBatchIdZero):
        disperser.disburse(ZERO32, payees(1), [SALARY], sender=treasury)


def test_disburse__empty__reverts(disperser, treasury):
    with ape.reverts(disperser.PayrollBatchEmpty):
        disperser.disburse(BATCH, [], [], sender=treasury)


def test_disburse__length_mismatch__reverts(disperser, treasury, payees):
    with ape.reverts(disperser.PayrollBatchLengthMismatch, recipients=2, amounts=1):
        disperser.disburse(BATCH, payees(2), [SALARY], sender=treasury)


def test_disburse__zero_address__reverts_with_index(kgst, disperser, treasury, payees):
    _approve(kgst, disperser, treasury)
    with ape.reverts(disperser.PayrollZeroAddress, index=1):
        disperser.disburse(BATCH, [payees(1)[0], "0x" + "00" * 20], [SALARY] * 2, sender=treasury)
    assert disperser.batchContent(treasury, BATCH) == ZERO32


def test_disburse__zero_amount__reverts_with_index(kgst, disperser, treasury, payees):
    _approve(kgst, disperser, treasury)
    with ape.reverts(disperser.PayrollZeroAmount, index=1):
        disperser.disburse(BATCH, payees(2), [SALARY, 0], sender=treasury)


def test_disburse__allowance_too_small__reverts(kgst, disperser, treasury, payees):
    kgst.approve(disperser, SALARY, sender=treasury)
    with ape.reverts(kgst.ERC20InsufficientAllowance):
        disperser.disburse(BATCH, payees(2), [SALARY] * 2, sender=treasury)
    assert disperser.batchContent(treasury, BATCH) == ZERO32


def test_disburse__paused_token__reverts(kgst, disperser, treasury, pauser, payees):
    _approve(kgst, disperser, treasury)
    kgst.pause(sender=pauser)
    with ape.reverts(kgst.CompliancePaused):
        disperser.disburse(BATCH, payees(1), [SALARY], sender=treasury)


def test_deploy__zero_token__reverts(admin):
    from ape import project

    with ape.reverts(project.PayrollDisperser.PayrollZeroToken):
        project.PayrollDisperser.deploy("0x" + "00" * 20, sender=admin)


def test_disperser__has_no_admin_functions(disperser):
    names = {abi.name for abi in disperser.contract_type.mutable_methods}
    assert names == {"disburse"}
