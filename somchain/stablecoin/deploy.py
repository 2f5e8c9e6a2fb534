"""Deployment of the national stablecoin (behind its proxy) and its reserve attestation
feed: as importable functions, and from deploy-config.yaml with roles and manifest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ape import project

from somchain import manifest
from somchain.config import DeployConfig
from somchain.deployment import (
    Echo,
    Outcome,
    already_deployed,
    grant_roles,
    plain_entry,
    proxied_entry,
)
from somchain.governance.deploy import bootstrap_timelock, hand_over
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
    threshold: int = 1,
) -> Any:
    """Deploys the reserve attestation feed (answer in fiat units with `decimals` decimals),
    whose quorum is `threshold` attestors from its first block."""
    admin_address = getattr(admin, "address", admin) or sender.address
    return project.ReserveAttestation.deploy(
        decimals, description, threshold, admin_address, admin_delay, sender=sender
    )


def deploy_from_config(
    deployer: Any, config: DeployConfig, network: str, force: bool = False, echo: Echo = print
) -> Outcome:
    """The attestation feed (unless a feed is configured) and the stablecoin with its roles,
    both handed to the governance timelock."""
    if not force and (existing := already_deployed("stablecoin", echo)):
        return existing
    timelock = bootstrap_timelock(deployer)
    outcome = Outcome()
    cfg, roles = config.stablecoin, config.roles
    feed_address = cfg.reserve_feed
    handed = []
    if not feed_address:
        # The quorum is a constructor argument: it holds before the first attestor exists.
        args = [
            cfg.attestation_decimals,
            f"{cfg.symbol} fiat reserve",
            cfg.attestation_threshold,
            deployer.address,
            0,
        ]
        feed = project.ReserveAttestation.deploy(*args, sender=deployer)
        echo(f"deployed ReserveAttestation at {feed.address}")
        echo(f"  {cfg.attestation_threshold} of {len(roles.attestors)} attestors must agree")
        grant_roles(feed, [("ATTESTOR_ROLE", a) for a in roles.attestors], deployer, echo)
        manifest.record(network, "attestation", plain_entry(feed, args, deployer))
        outcome.deployed.append("attestation")
        feed_address = feed.address
        handed.append(feed)
    init = [cfg.name, cfg.symbol, cfg.decimals, deployer.address, 0]
    d = deploy_proxied(project.NationalStablecoin, init, deployer)
    token = d.contract
    echo(f"deployed NationalStablecoin proxy at {token.address}")
    echo(f"  implementation {d.implementation.address}")
    # The token's master minter is the MintController alone: the configured master minter
    # distributes through it the budget the board grants.
    controller_args = [token.address, deployer.address, 0]
    controller = project.MintController.deploy(*controller_args, sender=deployer)
    echo(f"deployed MintController at {controller.address} (no mint budget until the board's)")
    grant_roles(
        token,
        [
            ("MASTER_MINTER_ROLE", controller.address),
            ("PAUSER_ROLE", roles.pauser),
            ("COMPLIANCE_ROLE", roles.compliance),
            ("RESCUER_ROLE", roles.rescuer),
            ("UPGRADER_ROLE", timelock.address),
        ],
        deployer,
        echo,
    )
    grant_roles(controller, [("MASTER_MINTER_ROLE", roles.master_minter)], deployer, echo)
    token.setReserveFeed(feed_address, cfg.reserve_max_age, sender=deployer)
    echo(f"  reserve feed {feed_address}, max age {cfg.reserve_max_age} s")
    hand_over([*handed, token, controller], timelock, deployer, echo, config.admin_delay)
    manifest.record(network, "stablecoin", proxied_entry(d, init, deployer))
    manifest.record(network, "mint_controller", plain_entry(controller, controller_args, deployer))
    outcome.deployed.append("stablecoin")
    return outcome
