import ape
import pytest

from tests.utils.constants import ONE

ZERO = "0x0000000000000000000000000000000000000000"


def test_metadata__defaults(token, admin):
    assert token.name() == "Kyrgyz Som Stablecoin"
    assert token.symbol() == "KGST"
    assert token.decimals() == 18
    assert token.getOwner() == admin
    assert token.totalSupply() == 0


def test_metadata__set_at_deployment(create_stablecoin):
    t = create_stablecoin(name="Test Som", symbol="TSOM", decimals=6)
    assert (t.name(), t.symbol(), t.decimals()) == ("Test Som", "TSOM", 6)


def test_transfer__moves_balance_and_emits(funded, alice, bob):
    receipt = funded.transfer(bob, 10 * ONE, sender=alice)
    assert funded.balanceOf(alice) == 990 * ONE
    assert funded.balanceOf(bob) == 1_010 * ONE
    [event] = funded.Transfer.from_receipt(receipt)
    assert (event["from"], event.to, event.value) == (alice, bob, 10 * ONE)


def test_transfer__whole_balance__leaves_zero(funded, alice, bob):
    funded.transfer(bob, 1_000 * ONE, sender=alice)
    assert funded.balanceOf(alice) == 0


def test_transfer__to_self__keeps_balance(funded, alice):
    funded.transfer(alice, 5 * ONE, sender=alice)
    assert funded.balanceOf(alice) == 1_000 * ONE


def test_transfer__above_balance__reverts(funded, alice, bob):
    with ape.reverts(funded.ERC20InsufficientBalance):
        funded.transfer(bob, 1_000 * ONE + 1, sender=alice)


def test_transfer__to_zero_address__reverts(funded, alice):
    with ape.reverts(funded.ERC20InvalidReceiver):
        funded.transfer(ZERO, 1, sender=alice)


def test_approve__sets_allowance_and_emits(funded, alice, bob):
    receipt = funded.approve(bob, 7 * ONE, sender=alice)
    assert funded.allowance(alice, bob) == 7 * ONE
    [event] = funded.Approval.from_receipt(receipt)
    assert (event.owner, event.spender, event.value) == (alice, bob, 7 * ONE)


def test_approve__zero_spender__reverts(funded, alice):
    with ape.reverts(funded.ERC20InvalidSpender):
        funded.approve(ZERO, 1, sender=alice)


def test_transfer_from__spends_allowance(funded, alice, bob, attacker):
    funded.approve(bob, 10 * ONE, sender=alice)
    funded.transferFrom(alice, attacker, 4 * ONE, sender=bob)
    assert funded.allowance(alice, bob) == 6 * ONE
    assert funded.balanceOf(attacker) == 4 * ONE


def test_transfer_from__infinite_allowance__is_not_spent(funded, alice, bob):
    funded.approve(bob, 2**256 - 1, sender=alice)
    funded.transferFrom(alice, bob, ONE, sender=bob)
    assert funded.allowance(alice, bob) == 2**256 - 1


def test_transfer_from__above_allowance__reverts(funded, alice, bob):
    funded.approve(bob, ONE, sender=alice)
    with ape.reverts(funded.ERC20InsufficientAllowance):
        funded.transferFrom(alice, bob, ONE + 1, sender=bob)


def test_transfer_from__zero_sender__reverts(funded, bob):
    with ape.reverts(funded.ERC20InsufficientAllowance):
        funded.transferFrom(ZERO, bob, 1, sender=bob)


@pytest.mark.parametrize("amount", [0, 1])
def test_transfer__small_amounts__succeed(funded, alice, bob, amount):
    funded.transfer(bob, amount, sender=alice)
    assert funded.balanceOf(bob) == 1_000 * ONE + amount
