"""The deployment's parts, in the order `ape run deploy all` deploys them: one list that
the deploy script and its tests read."""

from __future__ import annotations

from collections.abc import Callable

from somchain.cbdc import deploy as cbdc_deploy
from somchain.deployment import Outcome
from somchain.reserve import deploy as reserve_deploy
from somchain.stablecoin import deploy as stablecoin_deploy

DeployPart = Callable[..., Outcome]

PARTS: dict[str, DeployPart] = {
    "stablecoin": stablecoin_deploy.deploy_from_config,
    "cbdc": cbdc_deploy.deploy_from_config,
    "reserve": reserve_deploy.deploy_from_config,
}
