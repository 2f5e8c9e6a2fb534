"""Deployment of the reserve vault: with a timelock of its own (`deploy_reserve`, for
tests and the demo), or governed by the deployment's governance timelock (from
deploy-config.yaml)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from ape import project

from somchain import manifest
from somchain.config import DeployConfig
from somchain.constants import ZERO_ADDRESS
from somchain.deployment import Echo, Outcome, already_deployed, plain_entry
from somchain.governance.deploy import bootstrap_timelock
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
    """Deploys the GovernanceTimelock and the ReserveVault it governs.

    The committee proposes and cancels; `executors` (default: the committee; pass
    `[ZERO_ADDRESS]` to let anyone execute) execute once `min_delay` seconds have passed.
    The timelock administers itself, so role changes also wait out the delay.
    """
    committee_address = address_of(committee)
    executor_addresses = [address_of(e) for e in (executors or [committee_address])]
    timelock = project.GovernanceTimelock.deploy(
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
    deployer: Any, config: DeployConfig, network: str, force: bool = False, echo: Echo = print
) -> Outcome:
    """The reserve vault, governed by the governance timelock."""
    if not force and (existing := already_deployed("reserve", echo)):
        return existing
    timelock = bootstrap_timelock(deployer)
    guardian = config.roles.guardian or ZERO_ADDRESS
    operator = config.roles.operator or ZERO_ADDRESS
    args = [timelock.address, guardian, operator, config.reserve.max_price_age]
    vault = project.ReserveVault.deploy(*args, sender=deployer)
    echo(f"deployed ReserveVault at {vault.address} (guardian {guardian}, operator {operator})")
    echo(f"  governed by the timelock {timelock.address}")
    manifest.record(network, "reserve", plain_entry(vault, args, deployer))
    return Outcome(deployed=["reserve"])
