"""Fixtures of the audit suite: a scripted history of both tokens on the embedded chain,
and a factory running the audit over it with a fresh index per test."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace

import pytest
from ape import chain, project

from somchain.audit import audit, gather, manifest_from_contracts, pgserver
from somchain.audit.runner import project_sources
from somchain.cbdc import (
    SOM,
    TIER_GOVERNMENT,
    TIER_UNVERIFIED,
    TIER_VERIFIED,
    apply_default_tiers,
    deploy_cbdc,
    disburse_in_chunks,
)
from somchain.reserve import NATIVE, deploy_reserve, govern, vault_call
from somchain.stablecoin import demo as stablecoin_demo

ONE = 10**18


@pytest.fixture(scope="session")
def stack(admin, minter, compliance, treasury, bank, alice, bob, attacker):
    """KGST after the stablecoin demo (attest, mint, transfer, freeze, seize, pause,
    unpause) plus a burn, and the digital som after issuance, wallet registration, two
    payroll batches, a waterfall sweep and a redemption."""
    deployed = stablecoin_demo.demo(lambda _: None)
    token, feed = deployed["token"], deployed["feed"]
    token.mint(minter, 1_000 * ONE, sender=minter)
    token.burn(400 * ONE, sender=minter)
    token.transfer(attacker, 100 * ONE, sender=alice)

    som = deploy_cbdc(admin).contract
    for role, holder in [
        (som.ISSUER_ROLE(), admin),
        (som.BANK_ROLE(), bank),
        (som.TREASURY_ROLE(), treasury),
        (som.COMPLIANCE_ROLE(), compliance),
        (som.CENTRAL_BANK_ROLE(), admin),
    ]:
        som.grantRole(role, holder, sender=admin)
    apply_default_tiers(som, admin)
    som.setIssuanceAllowance(admin, 2_000_000 * SOM, sender=admin)  # the board's cap
    som.issue(bank, 2_000_000 * SOM, sender=admin)
    som.registerWallet(alice, TIER_VERIFIED, sender=bank)
    som.registerWallet(bob, TIER_UNVERIFIED, sender=bank)
    som.registerWallet(attacker, TIER_VERIFIED, sender=bank)
    som.assignWalletTier(attacker, TIER_GOVERNMENT, sender=admin)  # institutional: central bank
    som.transfer(treasury, 1_000_000 * SOM, sender=bank)
    disburse_in_chunks(
        som,
        "payroll-1",
        [(alice, 45_000 * SOM), (bob, 12_000 * SOM), (attacker, 500 * SOM)],
        treasury,
        chunk=2,
    )
    som.transfer(bob, 3_000 * SOM, sender=alice)
    som.redeem(10_000 * SOM, sender=bank)
    reserve = deploy_reserve(admin, admin, admin, admin, min_delay=60, max_price_age=86_400)
    vault = reserve.vault
    btcb = project.MockERC20.deploy("Bitcoin BEP2", "BTCB", 18, sender=admin)
    bnb_usd = project.MockAggregator.deploy(8, "BNB / USD", 600 * 10**8, sender=admin)
    btc_usd = project.MockAggregator.deploy(8, "BTC / USD", 60_000 * 10**8, sender=admin)
    calls = [
        vault_call(vault, "addAsset", NATIVE, bnb_usd, 10**18),
        vault_call(vault, "addAsset", btcb, btc_usd, 10**17),
        vault_call(vault, "setMaxShare", NATIVE, 5_000),
    ]
    govern(reserve.timelock, calls, admin)
    for f in (bnb_usd, btc_usd):
        f.setAnswer(f.latestRoundData()[1], sender=admin)
    vault.deposit(NATIVE, 10 * 10**18, sender=admin, value=10 * 10**18)
    btcb.mint(admin, 10**18, sender=admin)
    btcb.approve(vault, 10**18, sender=admin)
    vault.deposit(btcb, 10**18, sender=admin)
    manifest = manifest_from_contracts(
        chain.chain_id,
        stablecoin=token,
        attestation=feed,
        mint_controller=deployed["mint_controller"],
        cbdc=som,
        reserve=vault,
        timelock=reserve.timelock,
    )
    return SimpleNamespace(
        token=token,
        feed=feed,
        som=som,
        vault=vault,
        btcb=btcb,
        bnb_usd=bnb_usd,
        timelock=reserve.timelock,
        manifest=manifest,
    )


@pytest.fixture(scope="session")
def sources(stack):
    return project_sources(
        {
            "NationalStablecoin",
            "ReserveAttestation",
            "DigitalSom",
            "ReserveVault",
            "GovernanceTimelock",
        }
    )


@pytest.fixture(scope="session")
def w3():
    return chain.provider.web3


@pytest.fixture
def run_audit(stack, sources, w3, tmp_path):
    """Factory: the audit of `stack` into tmp_path (index tmp_path/index.sqlite)."""

    def run_audit(**options):
        options.setdefault("index_path", tmp_path / "index.sqlite")
        options.setdefault("draw", False)
        options.setdefault("sources", sources)
        manifest = options.pop("manifest", stack.manifest)
        return audit(w3, manifest, options.pop("out_dir", tmp_path / "out"), **options)

    return run_audit


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server for the session (skips where it cannot start)."""
    reason = pgserver.available()
    if reason is not None:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    with pgserver.PostgresServer() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def index_location(request, tmp_path):
    """An empty index on each engine: a SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "index.sqlite"
    return request.getfixturevalue("postgres").create_database()


@pytest.fixture
def run_audit_on(run_audit, index_location):
    """Factory: `run_audit` on the index of `index_location` (both engines)."""

    def run_audit_on(**options):
        options.setdefault("index_path", index_location)
        return run_audit(**options)

    return run_audit_on


@pytest.fixture(scope="session")
def scripted_data(stack, sources, w3, tmp_path_factory):
    """The checks' inputs (AuditData) after the scripted history, gathered once."""
    index = tmp_path_factory.mktemp("gathered") / "index.sqlite"
    return gather(w3, stack.manifest, index_path=index, sources=sources)[0]


@pytest.fixture
def gather_data(stack, sources, w3, tmp_path, scripted_data):
    """Factory: the checks' inputs for `stack`; a copy of `scripted_data` unless options
    ask for another gathering."""

    def gather_data(**options):
        if not options:
            return copy.deepcopy(scripted_data)
        options.setdefault("index_path", tmp_path / "index.sqlite")
        options.setdefault("sources", sources)
        manifest = options.pop("manifest", stack.manifest)
        return gather(w3, manifest, **options)[0]

    return gather_data


def statuses(report: dict) -> dict[str, str]:
    return {c["id"]: c["status"] for c in report["checks"]}


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path
