"""The stablecoin part of a deployment on the embedded chain (governance, then the
attestation feed and KGST, as `ape run deploy all` runs them): the attestation's quorum is
in force before any attestor holds the role, and `seal` refuses a feed that accepted a
figure with fewer votes than the quorum."""

from __future__ import annotations

import ape
import pytest
from ape import chain, project

from somchain import config as settings
from somchain import manifest
from somchain.errors import InputError
from somchain.governance import deploy as governance
from somchain.stablecoin import deploy as stablecoin

NETWORK = "ethereum:local"
REPORT = b"\x44" * 32


def _quiet(_: str) -> None:
    pass


@pytest.fixture
def deployment(admin, master_minter, attestor, treasury, tmp_path, monkeypatch):
    """Governance and the stablecoin part deployed by `admin` from the local configuration,
    with two attestors of which both must agree; the timelock still in its bootstrap."""
    monkeypatch.setenv("SOMCHAIN_DEPLOYMENTS", str(tmp_path))
    raw = settings.load_raw(NETWORK)
    raw["roles"]["attestors"] = [attestor.address, treasury.address]
    raw["stablecoin"]["attestation_threshold"] = 2
    config = settings.DeployConfig.model_validate(raw)
    first = chain.blocks.head.number + 1
    governance.deploy_from_config(admin, config, NETWORK, force=True, echo=_quiet)
    stablecoin.deploy_from_config(admin, config, NETWORK, force=True, echo=_quiet)
    contracts = manifest.load(chain.chain_id)["contracts"]
    feed = project.ReserveAttestation.at(contracts["attestation"]["address"])
    return config, feed, first


def test_deploy__attestors_granted__only_once_the_quorum_is_in_force(deployment):
    """Finding: the attestors received their role while the quorum was still 1, raised to M
    one transaction later; an attestor submitting in between set the reserve alone."""
    config, feed, first = deployment
    last = chain.blocks.head.number + 1
    changes = [
        (log.block_number, log.log_index, log.threshold)
        for log in feed.ThresholdChanged.range(first, last)
    ]
    grants = [
        (log.block_number, log.log_index)
        for log in feed.RoleGranted.range(first, last)
        if log.role == feed.ATTESTOR_ROLE()
    ]
    assert len(grants) == 2
    for grant in grants:
        in_force = [threshold for *at, threshold in changes if tuple(at) < grant][-1]
        assert in_force == config.stablecoin.attestation_threshold


def test_deploy__one_attestor_alone__sets_no_reserve(deployment, attestor):
    _, feed, _ = deployment
    feed.attest(1_000_000_000_00, chain.pending_timestamp - 1, REPORT, sender=attestor)
    assert feed.latestRoundData() == (0, 0, 0, 0, 0)


def test_seal__round_accepted_below_the_quorum__refused(deployment, admin, attestor):
    config, feed, _ = deployment
    timelock = governance.timelock_of_manifest()
    governance.run_now(timelock, [governance.call(feed, "setThreshold", 1)], admin)
    feed.attest(1_000_000_000_00, chain.pending_timestamp - 1, REPORT, sender=attestor)
    governance.run_now(timelock, [governance.call(feed, "setThreshold", 2)], admin)
    with pytest.raises(InputError, match="round 1 was accepted with 1 of 2 votes"):
        governance.seal(admin, config, NETWORK, echo=_quiet)
    assert governance.in_bootstrap(timelock, admin)


def test_seal__threshold_below_the_configuration__refused(deployment, admin):
    config, feed, _ = deployment
    timelock = governance.timelock_of_manifest()
    governance.run_now(timelock, [governance.call(feed, "setThreshold", 1)], admin)
    with pytest.raises(InputError, match="threshold is 1, the configuration asks 2"):
        governance.seal(admin, config, NETWORK, echo=_quiet)


def test_attestation_quorum_problems__rounds_with_the_quorum__none(deployment, attestor, treasury):
    config, feed, _ = deployment
    as_of = chain.pending_timestamp - 1
    for account in (attestor, treasury):
        feed.attest(500_00, as_of, REPORT, sender=account)
    assert feed.roundVotes(1) == 2
    assert governance.attestation_quorum_problems(feed, 2) == []


# ---------------------------------------------------------------- the master minter alone

AMOUNT = 998_000 * 10**18


@pytest.fixture
def attested(deployment, attestor, treasury):
    """The deployment's token with a fresh reserve of 1,000,000 som attested by both
    attestors."""
    _, feed, _ = deployment
    as_of = chain.pending_timestamp - 1
    for account in (attestor, treasury):
        feed.attest(1_000_000_00, as_of, REPORT, sender=account)
    contracts = manifest.load(chain.chain_id)["contracts"]
    return project.NationalStablecoin.at(contracts["stablecoin"]["address"])


@pytest.fixture
def minting(attested):
    """The token, its MintController and the timelock."""
    contracts = manifest.load(chain.chain_id)["contracts"]
    controller = project.MintController.at(contracts["mint_controller"]["address"])
    return attested, controller, governance.timelock_of_manifest()


def test_master_minter__makes_itself_a_minter_on_the_token__refused(attested, master_minter):
    """Finding: the master minter made itself a minter with any allowance and minted up to
    the attested reserve (998,000 KGST in the review)."""
    token = attested
    with ape.reverts(token.AccessControlUnauthorizedAccount):
        token.configureMinter(master_minter, AMOUNT, sender=master_minter)
        token.mint(master_minter, AMOUNT, sender=master_minter)
    assert token.totalSupply() == 0


def test_master_minter__itself_through_the_controller__refused(minting, master_minter):
    _, controller, _ = minting
    with ape.reverts(controller.MintControllerRoleConflict, account=master_minter):
        controller.configureMinter(master_minter, AMOUNT, sender=master_minter)


def test_master_minter__an_accomplice_beyond_the_budget__refused(
    minting, admin, master_minter, attacker
):
    token, controller, timelock = minting
    limit = [governance.call(controller, "setMinterRateLimit", attacker, AMOUNT, AMOUNT)]
    governance.run_now(timelock, limit, admin)
    with ape.reverts(controller.MintControllerBudgetExceeded, amount=AMOUNT, budget=0):
        controller.configureMinter(attacker, AMOUNT, sender=master_minter)
    assert token.minterAllowance(attacker) == 0


def test_deploy__token_master_minter__the_controller_alone(minting, master_minter):
    token, controller, timelock = minting
    role = token.MASTER_MINTER_ROLE()
    assert token.hasRole(role, controller)
    assert not token.hasRole(role, master_minter)
    assert controller.hasRole(controller.MASTER_MINTER_ROLE(), master_minter)
    assert controller.defaultAdmin() == timelock.address
    assert controller.mintBudget() == 0
