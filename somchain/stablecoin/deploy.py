"""Deployment of the national stablecoin (behind its proxy) and its reserve attestation
feed: as importable functions, and from deploy-config.yaml with roles and manifest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ape import project

from somchain import manifest
from somchain.deployment import (
    Echo,
    Outcome,
    already_deployed,
    grant_roles,
    hand_over_admin,
    holder,
    plain_entry,
    proxied_entry,
)
from somchain.proxy import DEFAULT_ADMIN_DELAY, Deployed, deploy_proxied


@dataclass(frozen=True)
class StablecoinParams:
    """Initializer arguments of the national stablecoin."""

    name: str = "Kyrgyz Som Stablecoin"
    symbol: str = "KGST"
    decimals: int = 18
    admin_delay: int = DEFAULT_ADMIN_DELAY


def deploy_stablecoin(
    sender: Any, admin: Any = None, params: StablecoinParams | None = None
) -> Deployed:
    """Deploys the national stablecoin; `admin` (default: `sender`) holds DEFAULT_ADMIN_ROLE."""
    params = params or StablecoinParams()
    admin_address = getattr(admin, "address", admin) or sender.address
    return deploy_proxied(
        project.NationalStablecoin,
        [params.name, params.symbol, params.decimals, admin_address, params.admin_delay],
        sender,
    )


def deploy_attestation(
    sender: Any,
    admin: Any = None,
    decimals: int = 2,
    description: str = "KGS fiat reserve backing KGST",
    admin_delay: int = DEFAULT_ADMIN_DELAY,
) -> Any:
    """Deploys the reserve attestation feed (answer in fiat units with `decimals` decimals)."""
    admin_address = getattr(admin, "address", admin) or sender.address
    return project.ReserveAttestation.deploy(
        decimals, description, admin_address, admin_delay, sender=sender
    )


def deploy_from_config(
    deployer: Any, settings: dict, network: str, force: bool = False, echo: Echo = print
) -> Outcome:
    """The attestation feed (unless a feed is configured) and the stablecoin with its roles."""
    if not force and (existing := already_deployed("stablecoin", echo)):
        return existing
    outcome = Outcome()
    cfg = settings["stablecoin"]
    delay = int(settings["admin_delay"])
    feed_address = cfg.get("reserve_feed")
    if not feed_address:
        args = [
            int(cfg["attestation_decimals"]),
            f"{cfg['symbol']} fiat reserve",
            deployer.address,
            delay,
        ]
        feed = project.ReserveAttestation.deploy(*args, sender=deployer)
        echo(f"deployed ReserveAttestation at {feed.address}")
        grant_roles(
            feed, [("ATTESTOR_ROLE", holder(settings, "attestor", deployer))], deployer, echo
        )
        manifest.record(network, "attestation", plain_entry(feed, args, deployer))
        outcome.deployed.append("attestation")
        feed_address = feed.address
    init = [cfg["name"], cfg["symbol"], int(cfg["decimals"]), deployer.address, delay]
    d = deploy_proxied(project.NationalStablecoin, init, deployer)
    token = d.contract
    echo(f"deployed NationalStablecoin proxy at {token.address}")
    echo(f"  implementation {d.implementation.address}")
    grant_roles(
        token,
        [
            ("MASTER_MINTER_ROLE", holder(settings, "master_minter", deployer)),
            ("PAUSER_ROLE", holder(settings, "pauser", deployer)),
            ("COMPLIANCE_ROLE", holder(settings, "compliance", deployer)),
            ("RESCUER_ROLE", holder(settings, "rescuer", deployer)),
            ("UPGRADER_ROLE", holder(settings, "upgrader", deployer)),
        ],
        deployer,
        echo,
    )
    token.setReserveFeed(feed_address, int(cfg["reserve_max_age"]), sender=deployer)
    echo(f"  reserve feed {feed_address}, max age {cfg['reserve_max_age']} s")
    hand_over_admin(token, holder(settings, "admin", deployer), deployer, echo)
    manifest.record(network, "stablecoin", proxied_entry(d, init, deployer))
    outcome.deployed.append("stablecoin")
    return outcome
