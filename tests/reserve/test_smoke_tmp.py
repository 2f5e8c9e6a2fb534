import ape
from ape import chain
from somchain.reserve import NATIVE, propose_withdrawal, wait_until_ready, execute_withdrawal
def test_a(funded_vault, timelock, committee, alice, guardian):
    print("ts", chain.pending_timestamp)
    funded_vault.pause(sender=guardian)
    op = propose_withdrawal(timelock, funded_vault, NATIVE, alice, 10**18, committee, 5)
    wait_until_ready(timelock, op)
    with ape.reverts(funded_vault.ReservePaused):
        execute_withdrawal(timelock, op, committee)
def test_b(funded_vault, attacker):
    print("ts", chain.pending_timestamp)
    with ape.reverts(funded_vault.ReserveUnauthorizedAccount) as e:
        funded_vault.withdraw(NATIVE, attacker, 1, sender=attacker)
    print(repr(e.value), e.value.inputs if hasattr(e.value,'inputs') else None)
