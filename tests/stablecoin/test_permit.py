import ape
from ape import chain

from somchain.stablecoin.signing import sign_permit
from tests.utils.constants import ONE


def test_domain__is_eip5267_and_matches_separator(funded):
    fields, name, version, chain_id, contract, salt, extensions = funded.eip712Domain()
    assert (name, version, contract) == ("Kyrgyz Som Stablecoin", "1", funded.address)
    assert chain_id == chain.chain_id
    assert len(funded.DOMAIN_SEPARATOR()) == 32


def test_permit__sets_allowance_bumps_nonce_and_emits(funded, alice, bob, attacker):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(funded, alice.private_key, alice, bob, 50 * ONE, deadline)
    receipt = funded.permit(alice, bob, 50 * ONE, deadline, v, r, s, sender=attacker)
    assert funded.allowance(alice, bob) == 50 * ONE
    assert funded.nonces(alice) == 1
    [event] = funded.Approval.from_receipt(receipt)
    assert (event.owner, event.spender, event.value) == (alice, bob, 50 * ONE)
    funded.transferFrom(alice, bob, 50 * ONE, sender=bob)


def test_permit__replayed__reverts(funded, alice, bob):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(funded, alice.private_key, alice, bob, ONE, deadline)
    funded.permit(alice, bob, ONE, deadline, v, r, s, sender=bob)
    with ape.reverts(funded.ERC2612InvalidSigner):
        funded.permit(alice, bob, ONE, deadline, v, r, s, sender=bob)


def test_permit__expired__reverts(funded, alice, bob):
    deadline = chain.pending_timestamp - 1
    v, r, s = sign_permit(funded, alice.private_key, alice, bob, ONE, deadline)
    with ape.reverts(funded.ERC2612ExpiredSignature):
        funded.permit(alice, bob, ONE, deadline, v, r, s, sender=bob)


def test_permit__signed_by_someone_else__reverts(funded, alice, bob, attacker):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(funded, attacker.private_key, alice, bob, ONE, deadline)
    with ape.reverts(funded.ERC2612InvalidSigner):
        funded.permit(alice, bob, ONE, deadline, v, r, s, sender=bob)


def test_permit__high_s_signature__reverts(funded, alice, bob):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(funded, alice.private_key, alice, bob, ONE, deadline)
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    high_s = (n - int.from_bytes(s, "big")).to_bytes(32, "big")
    with ape.reverts(funded.ECDSAInvalidSignatureS):
        funded.permit(alice, bob, ONE, deadline, 55 - v, r, high_s, sender=bob)


def test_permit__frozen_owner__reverts(funded, compliance, alice, bob):
    funded.freeze(alice, sender=compliance)
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(funded, alice.private_key, alice, bob, ONE, deadline)
    with ape.reverts(funded.ComplianceAccountFrozen):
        funded.permit(alice, bob, ONE, deadline, v, r, s, sender=bob)


def test_transfer_from__after_permit_while_paused__reverts(funded, pauser, alice, bob):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(funded, alice.private_key, alice, bob, ONE, deadline)
    funded.permit(alice, bob, ONE, deadline, v, r, s, sender=bob)
    funded.pause(sender=pauser)
    with ape.reverts(funded.CompliancePaused):
        funded.transferFrom(alice, bob, ONE, sender=bob)
