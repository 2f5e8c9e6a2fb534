"""Deployment of the KGST PayrollDisperser, recorded in the manifest as `payroll`."""

from __future__ import annotations

from typing import Any

from somchain import manifest
from somchain.deployment import plain_entry

KEY = "payroll"


def deploy_disperser(deployer: Any, kgst: str, network: str) -> Any:
    """Deploys a PayrollDisperser for the stablecoin at `kgst` and records it. It has no
    owner and no admin: whoever deploys it keeps no power over it."""
    from ape import project

    disperser = project.PayrollDisperser.deploy(kgst, sender=deployer)
    manifest.record(network, KEY, plain_entry(disperser, [kgst], deployer))
    return disperser
