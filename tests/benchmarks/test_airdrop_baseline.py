"""The benchmark's airdrop baseline (contracts/mocks/AirdropBaseline.sol): it pays every
recipient out of the caller's total and rejects malformed input by its custom errors."""

from __future__ import annotations

import ape
import pytest
from ape import project
from eth_utils import to_checksum_address


@pytest.fixture(scope="session")
def token(admin, alice):
    token = project.MockERC20.deploy("Plain", "PLN", 18, sender=admin)
    token.mint(alice, 10_000, sender=admin)
    return token


@pytest.fixture(scope="session")
def airdrop(admin):
    return project.AirdropBaseline.deploy(sender=admin)


@pytest.fixture(scope="session")
def payees_of():
    """Factory: `n` fresh addresses that never held the token."""

    def payees_of(n: int) -> list[str]:
        base = 0xA1D0 << 144
        return [to_checksum_address((base + i).to_bytes(20, "big")) for i in range(n)]

    return payees_of


@pytest.fixture(scope="session")
def create_false_token(admin, alice):
    """Factory: a token that returns false from `transfer` (and from `transferFrom` when
    `fail_transfer_from`), with 100 units held by alice."""

    def create_false_token(fail_transfer_from: bool):
        token = project.MockFalseReturnToken.deploy(sender=admin)
        token.mint(alice, 100, sender=admin)
        if fail_transfer_from:
            token.setFailing(True, sender=admin)
        else:
            token.setFailingTransfer(True, sender=admin)
        return token

    return create_false_token


def test_airdrop__pays_each_recipient__keeps_nothing(token, airdrop, alice, bob, payees_of):
    recipients = [bob.address, *payees_of(3)]
    amounts = [10, 20, 30, 40]
    token.approve(airdrop, 100, sender=alice)

    receipt = airdrop.airdropERC20(token, recipients, amounts, 100, sender=alice)

    assert [token.balanceOf(r) for r in recipients] == amounts
    assert token.balanceOf(alice) == 10_000 - 100
    assert token.balanceOf(airdrop) == 0
    logs = list(token.Transfer.from_receipt(receipt))
    assert [(log["from"], log.to, log.value) for log in logs[1:]] == [
        (airdrop.address, r, a) for r, a in zip(recipients, amounts, strict=True)
    ]
    assert (logs[0]["from"], logs[0].to, logs[0].value) == (alice.address, airdrop.address, 100)


def test_airdrop__no_recipients__reverts(token, airdrop, alice):
    with ape.reverts(airdrop.AirdropEmpty):
        airdrop.airdropERC20(token, [], [], 0, sender=alice)


def test_airdrop__lengths_differ__reverts(token, airdrop, alice, bob):
    token.approve(airdrop, 30, sender=alice)
    with ape.reverts(airdrop.AirdropLengthMismatch, recipients=1, amounts=2):
        airdrop.airdropERC20(token, [bob], [10, 20], 30, sender=alice)


@pytest.mark.parametrize("total", [29, 31])
def test_airdrop__amounts_not_summing_to_total__reverts(token, airdrop, alice, bob, total):
    token.approve(airdrop, 100, sender=alice)
    with ape.reverts(airdrop.AirdropTotalMismatch, total=total, sum=30):
        airdrop.airdropERC20(token, [bob, alice], [10, 20], total, sender=alice)


def test_airdrop__without_allowance__reverts_in_the_token(token, airdrop, alice, bob):
    with ape.reverts(token.ERC20InsufficientAllowance):
        airdrop.airdropERC20(token, [bob], [10], 10, sender=alice)


def test_airdrop__token_transfer_from_returns_false__reverts(
    create_false_token, airdrop, alice, bob
):
    token = create_false_token(True)
    token.approve(airdrop, 10, sender=alice)
    with ape.reverts(airdrop.AirdropTransferFailed, to=airdrop.address, amount=10):
        airdrop.airdropERC20(token, [bob], [10], 10, sender=alice)


def test_airdrop__token_transfer_returns_false__reverts(create_false_token, airdrop, alice, bob):
    token = create_false_token(False)
    token.approve(airdrop, 10, sender=alice)
    with ape.reverts(airdrop.AirdropTransferFailed, to=bob.address, amount=10):
        airdrop.airdropERC20(token, [bob], [10], 10, sender=alice)
