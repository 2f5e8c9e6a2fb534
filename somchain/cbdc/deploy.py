"""Deployment of the digital som behind its proxy: as an importable function, and from
deploy-config.yaml with roles, banks, tier limits and manifest."""

from __future__ import annotations

from typing import Any

from ape import project

from somchain import manifest
from somchain.cbdc.tiers import TierLimits, set_tiers
from somchain.config import DeployConfig
from somchain.deployment import (
    Echo,
    Outcome,
    already_deployed,
    grant_roles,
    proxied_entry,
)
from somchain.governance.deploy import bootstrap_timelock, hand_over
from somchain.proxy import DEFAULT_ADMIN_DELAY, Deployed, address_of, deploy_proxied


def deploy_cbdc(
    sender: Any,
    admin: Any = None,
    name: str = "Digital Som",
    symbol: str = "KGSD",
    decimals: int = 2,
    admin_delay: int = DEFAULT_ADMIN_DELAY,
) -> Deployed:
    """Deploys the digital som behind a proxy; `admin` (default: `sender`) is the central bank
    holding DEFAULT_ADMIN_ROLE. Tier limits start at zero: call `apply_default_tiers`."""
    admin_address = address_of(admin) or sender.address
    return deploy_proxied(
        project.DigitalSom, [name, symbol, decimals, admin_address, admin_delay], sender
    )


def deploy_staffed(central_bank: Any, bank: Any, treasury: Any) -> Any:
    """A digital som for demos and benchmarks: deployed by `central_bank` (its admin, and
    the issuer), with `bank` licensed and `treasury` as the state treasury. Tier limits still
    start at zero."""
    som = deploy_cbdc(central_bank).contract
    for role, holder in [
        (som.ISSUER_ROLE(), central_bank),
        (som.BANK_ROLE(), bank),
        (som.TREASURY_ROLE(), treasury),
    ]:
        som.grantRole(role, holder, sender=central_bank)
    return som


def deploy_from_config(
    deployer: Any, config: DeployConfig, network: str, force: bool = False, echo: Echo = print
) -> Outcome:
    """The digital som with its roles, banks, tier limits and the issuer's allowance,
    handed to the governance timelock."""
    if not force and (existing := already_deployed("cbdc", echo)):
        return existing
    timelock = bootstrap_timelock(deployer)
    cfg, roles = config.cbdc, config.roles
    tiers = {tier: TierLimits(*limits) for tier, limits in cfg.tiers.items()}
    init = [cfg.name, cfg.symbol, cfg.decimals, deployer.address, 0]
    d = deploy_proxied(project.DigitalSom, init, deployer)
    som = d.contract
    echo(f"deployed DigitalSom proxy at {som.address}")
    echo(f"  implementation {d.implementation.address}")
    grants: list[tuple[str, str | None]] = [
        ("ISSUER_ROLE", roles.issuer),
        ("CENTRAL_BANK_ROLE", roles.central_bank),
        ("TREASURY_ROLE", roles.treasury),
        ("PAUSER_ROLE", roles.pauser),
        ("COMPLIANCE_ROLE", roles.compliance),
        ("RESCUER_ROLE", roles.rescuer),
        ("UPGRADER_ROLE", timelock.address),
    ]
    grants += [("BANK_ROLE", bank) for bank in roles.banks]
    grant_roles(som, grants, deployer, echo)
    set_tiers(som, deployer, tiers or None)
    echo(f"  tier limits set for tiers {sorted(tiers) or 'default'}")
    if roles.issuer and cfg.issuance_allowance:
        allowance = cfg.issuance_allowance * 10**cfg.decimals
        som.setIssuanceAllowance(roles.issuer, allowance, sender=deployer)
        echo(f"  issuer {roles.issuer} may issue {cfg.issuance_allowance:,} {cfg.symbol}")
    hand_over([som], timelock, deployer, echo, config.admin_delay)
    manifest.record(network, "cbdc", proxied_entry(d, init, deployer))
    return Outcome(deployed=["cbdc"])
