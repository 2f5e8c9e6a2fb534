import ape
from ape import project

from somchain.cbdc import SOM, batch_id


def test_upgrade__to_v2__keeps_state(funded, central_bank, bank, treasury, alice, payees):
    wallets = payees(2)
    funded.registerWallets(wallets, 1, sender=bank)
    funded.disburse(batch_id("before", 0), wallets, [SOM, SOM], sender=treasury)
    limits = funded.tierLimits(1)
    v2 = project.DigitalSomV2Mock.deploy(sender=central_bank)
    funded.upgradeToAndCall(v2, b"", sender=central_bank)
    upgraded = project.DigitalSomV2Mock.at(funded.address)
    assert upgraded.implementationVersion() == 2
    assert upgraded.balanceOf(alice) == 1_000 * SOM
    assert upgraded.walletOf(alice) == (1, bank.address, True)
    assert upgraded.tierLimits(1) == limits
    assert any(upgraded.batchContent(treasury, batch_id("before", 0)))
    assert upgraded.accountKind(treasury) == upgraded.KIND_TREASURY()
    with ape.reverts(upgraded.CbdcBatchContentMismatch):
        upgraded.disburse(batch_id("before", 0), wallets, [SOM, 2 * SOM], sender=treasury)


def test_upgrade__not_upgrader__reverts(funded, central_bank, attacker):
    v2 = project.DigitalSomV2Mock.deploy(sender=central_bank)
    with ape.reverts(funded.AccessControlUnauthorizedAccount):
        funded.upgradeToAndCall(v2, b"", sender=attacker)
