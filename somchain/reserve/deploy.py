"""Deployment of the reserve: its TimelockController and the vault it governs, as an
importable function and from deploy-config.yaml with the manifest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from ape import project

from somchain import manifest
from somchain.constants import ZERO_ADDRESS
from somchain.deployment import Echo, Outcome, already_deployed, holder, plain_entry
from somchain.proxy import address_of


class DeployedReserve(NamedTuple):
    """The reserve's governance and its vault."""

    timelock: Any
    vault: Any


def deploy_reserve(
    sender: Any,
    committee: Any,
    guardian: Any,
    operator: Any,
    min_delay: int,
    max_price_age: int,
    executors: Sequence[Any] | None = None,
) -> DeployedReserve:
    """Deploys the ReserveTimelock and the ReserveVault it governs.

    The committee proposes and cancels; `executors` (default: the committee; pass
    `[ZERO_ADDRESS]` to let anyone execute) execute once `min_delay` seconds have passed.
    The timelock administers itself, so role changes also wait out the delay.
    """
    committee_address = address_of(committee)
    executor_addresses = [address_of(e) for e in (executors or [committee_address])]
    timelock = project.ReserveTimelock.deploy(
        min_delay,
        [committee_address],
        executor_addresses,
        ZERO_ADDRESS,  # no admin: the timelock administers itself
        sender=sender,
    )
    vault = project.ReserveVault.deploy(
        timelock.address,
        address_of(guardian) if guardian else ZERO_ADDRESS,
        address_of(operator) if operator else ZERO_ADDRESS,
        max_price_age,
        sender=sender,
    )
    return DeployedReserve(timelock=timelock, vault=vault)


def deploy_from_config(
    deployer: Any, settings: dict, network: str, force: bool = False, echo: Echo = print
) -> Outcome:
    """The reserve's timelock (the committee proposes) and the vault it governs."""
    if not force and (existing := already_deployed("reserve", echo)):
        return existing
    outcome = Outcome()
    cfg = settings["reserve"]
    committee = holder(settings, "committee", deployer)
    guardian = holder(settings, "guardian", deployer)
    operator = holder(settings, "operator", deployer)
    executors = [ZERO_ADDRESS] if cfg.get("open_execution") else [committee]
    min_delay, max_age = int(cfg["min_delay"]), int(cfg["max_price_age"])
    deployed = deploy_reserve(
        deployer, committee, guardian, operator, min_delay, max_age, executors=executors
    )
    timelock, vault = deployed.timelock, deployed.vault
    echo(f"deployed ReserveTimelock at {timelock.address}")
    echo(f"  delay {min_delay} s, proposer {committee}")
    echo(f"deployed ReserveVault at {vault.address} (guardian {guardian}, operator {operator})")
    timelock_args = [min_delay, [committee], executors, ZERO_ADDRESS]
    manifest.record(network, "timelock", plain_entry(timelock, timelock_args, deployer))
    manifest.record(
        network,
        "reserve",
        plain_entry(vault, [timelock.address, guardian, operator, max_age], deployer),
    )
    outcome.deployed += ["timelock", "reserve"]
    return outcome
