"""Deployment of the conversion desk: as importable functions (the desk, and its wiring on
tokens administered by plain accounts, for tests and benchmarks), and from
deploy-config.yaml with the board's allowances and limits through the governance timelock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ape import project

from somchain import manifest
from somchain.config import DeployConfig
from somchain.deployment import Echo, Outcome, already_deployed, grant_roles, plain_entry
from somchain.errors import InputError
from somchain.governance.deploy import bootstrap_timelock, call, hand_over, run_now
from somchain.proxy import address_of

KEY = "desk"
TO_SOM, TO_KGST = 0, 1
DAY = 86_400


def deploy_desk(sender: Any, kgst: Any, som: Any, admin: Any = None, admin_delay: int = 0) -> Any:
    """Deploys a ConversionDesk between `kgst` and `som`; `admin` (default: `sender`) holds
    DEFAULT_ADMIN_ROLE. It has no power until the tokens' administrators give it one."""
    admin_address = address_of(admin) or sender.address
    return project.ConversionDesk.deploy(
        address_of(kgst), address_of(som), admin_address, admin_delay, sender=sender
    )


@dataclass(frozen=True)
class DeskLimits:
    """What the board lets the desk do, in desk units (tyiyn): each direction's bucket
    capacity and refill a second, the digital som it may issue and the KGST it may mint."""

    capacity: int
    refill_per_second: int
    som_allowance: int
    kgst_allowance: int


def wire_desk(
    desk: Any,
    kgst: Any,
    som: Any,
    *,
    admin: Any,
    master_minter: Any,
    som_admin: Any,
    pauser: Any | None,
    limits: DeskLimits,
) -> None:
    """Gives `desk` its powers on tokens administered by plain accounts (tests, benchmarks):
    a KGST minter with `limits`' allowance and a matching minter bucket (`master_minter`
    holds the token's MASTER_MINTER_ROLE), a bank and an issuer of the digital som with its
    issuance allowance (`som_admin` its DEFAULT_ADMIN), and its own buckets (`admin`)."""
    per_unit = desk.kgstPerUnit()
    kgst.setMinterRateLimit(
        desk, limits.capacity * per_unit, limits.refill_per_second * per_unit, sender=master_minter
    )
    kgst.configureMinter(desk, limits.kgst_allowance * per_unit, sender=master_minter)
    som.grantRole(som.ISSUER_ROLE(), desk, sender=som_admin)
    som.grantRole(som.BANK_ROLE(), desk, sender=som_admin)
    som.setIssuanceAllowance(desk, limits.som_allowance * desk.somPerUnit(), sender=som_admin)
    for direction in (TO_SOM, TO_KGST):
        desk.setRateLimit(direction, limits.capacity, limits.refill_per_second, sender=admin)
    if pauser is not None:
        desk.grantRole(desk.PAUSER_ROLE(), pauser, sender=admin)


def deploy_from_config(
    deployer: Any, config: DeployConfig, network: str, force: bool = False, echo: Echo = print
) -> Outcome:
    """The desk, wired by the board in the bootstrap operation: a bank and an issuer of the
    digital som with the configured issuance allowance, the MintController's budget for it
    and its minter bucket on KGST, its own buckets; then handed to the governance timelock.
    The master minter gives it its KGST allowance from that budget
    (`ape run stablecoin configure-minter <desk> AMOUNT`)."""
    if not force and (existing := already_deployed(KEY, echo)):
        return existing
    timelock = bootstrap_timelock(deployer)
    addresses = {key: manifest.address_of(_chain_id(), key) for key in _NEEDS}
    missing = [key for key, address in addresses.items() if not address]
    if missing:
        raise InputError(f"the desk needs {', '.join(missing)} deployed first")
    kgst = project.NationalStablecoin.at(addresses["stablecoin"])
    som = project.DigitalSom.at(addresses["cbdc"])
    controller = project.MintController.at(addresses["mint_controller"])
    cfg = config.desk
    args = [kgst.address, som.address, deployer.address, 0]
    desk = project.ConversionDesk.deploy(*args, sender=deployer)
    echo(f"deployed ConversionDesk at {desk.address}")
    grant_roles(desk, [("PAUSER_ROLE", config.roles.pauser)], deployer, echo)
    som_unit, kgst_unit = desk.somPerUnit(), desk.kgstPerUnit()
    # One whole som in desk units (the smaller of the two tokens' smallest units).
    units = 10 ** min(config.cbdc.decimals, config.stablecoin.decimals)
    for direction, (capacity, per_day) in ((TO_SOM, cfg.to_som), (TO_KGST, cfg.to_kgst)):
        desk.setRateLimit(direction, capacity * units, per_day * units // DAY, sender=deployer)
    to_kgst_capacity, to_kgst_per_day = cfg.to_kgst
    calls = [
        call(som, "grantRole", som.ISSUER_ROLE(), desk.address),
        call(som, "grantRole", som.BANK_ROLE(), desk.address),
        call(
            controller,
            "setMinterRateLimit",
            desk.address,
            to_kgst_capacity * units * kgst_unit,
            to_kgst_per_day * units * kgst_unit // DAY,
        ),
    ]
    if cfg.issuance_allowance:
        allowance = cfg.issuance_allowance * units * som_unit
        calls.append(call(som, "setIssuanceAllowance", desk.address, allowance))
    if cfg.kgst_budget:
        calls.append(call(controller, "increaseMintBudget", cfg.kgst_budget * units * kgst_unit))
    run_now(timelock, calls, deployer)
    echo(f"  a bank and an issuer of {config.cbdc.symbol}, may issue {cfg.issuance_allowance:,}")
    echo(
        f"  a {config.stablecoin.symbol} minter bucket of {to_kgst_capacity:,} a day; "
        f"{cfg.kgst_budget:,} more mint budget for the master minter to give it"
    )
    echo(
        f"  buckets: to {config.cbdc.symbol} {cfg.to_som[0]:,} ({cfg.to_som[1]:,} a day), "
        f"to {config.stablecoin.symbol} {to_kgst_capacity:,} ({to_kgst_per_day:,} a day)"
    )
    hand_over([desk], timelock, deployer, echo, config.admin_delay)
    manifest.record(network, KEY, plain_entry(desk, args, deployer))
    return Outcome(deployed=[KEY])


_NEEDS = ("stablecoin", "cbdc", "mint_controller")


def _chain_id() -> int:
    from ape import chain

    return chain.chain_id
