"""Deployment of the digital som behind its proxy: as an importable function, and from
deploy-config.yaml with roles, banks, tier limits and manifest."""

from __future__ import annotations

from typing import Any

from ape import project

from somchain import manifest
from somchain.cbdc.tiers import TierLimits, set_tiers
from somchain.deployment import (
    Echo,
    Outcome,
    already_deployed,
    grant_roles,
    hand_over_admin,
    holder,
    proxied_entry,
)
from somchain.errors import InputError
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


def _tiers(cfg: dict) -> dict[int, TierLimits]:
    tiers = {}
    for tier, limits in (cfg.get("tiers") or {}).items():
        if not isinstance(limits, list) or len(limits) != 3:
            raise InputError(f"cbdc tier {tier}: expected [max balance, max payment, daily limit]")
        tiers[int(tier)] = TierLimits(*limits)
    return tiers


def deploy_from_config(
    deployer: Any, settings: dict, network: str, force: bool = False, echo: Echo = print
) -> Outcome:
    """The digital som with its roles, banks and tier limits."""
    if not force and (existing := already_deployed("cbdc", echo)):
        return existing
    outcome = Outcome()
    cfg = settings["cbdc"]
    tiers = _tiers(cfg)
    init = [
        cfg["name"],
        cfg["symbol"],
        int(cfg["decimals"]),
        deployer.address,
        int(settings["admin_delay"]),
    ]
    d = deploy_proxied(project.DigitalSom, init, deployer)
    som = d.contract
    echo(f"deployed DigitalSom proxy at {som.address}")
    echo(f"  implementation {d.implementation.address}")
    roles = [
        ("ISSUER_ROLE", holder(settings, "issuer", deployer)),
        ("TREASURY_ROLE", holder(settings, "treasury", deployer)),
        ("PAUSER_ROLE", holder(settings, "pauser", deployer)),
        ("COMPLIANCE_ROLE", holder(settings, "compliance", deployer)),
        ("RESCUER_ROLE", holder(settings, "rescuer", deployer)),
        ("UPGRADER_ROLE", holder(settings, "upgrader", deployer)),
    ]
    roles += [("BANK_ROLE", bank) for bank in settings.get("roles", {}).get("banks") or []]
    grant_roles(som, roles, deployer, echo)
    set_tiers(som, deployer, tiers or None)
    echo(f"  tier limits set for tiers {sorted(tiers) or 'default'}")
    hand_over_admin(som, holder(settings, "admin", deployer), deployer, echo)
    manifest.record(network, "cbdc", proxied_entry(d, init, deployer))
    outcome.deployed.append("cbdc")
    return outcome
