"""The deployment's parts, in the order `ape run deploy all` deploys them, and the step
that seals it: one list that the deploy script and its tests read."""

from __future__ import annotations

from collections.abc import Callable

from somchain.cbdc import deploy as cbdc_deploy
from somchain.deployment import Outcome
from somchain.desk import deploy as desk_deploy
from somchain.governance import deploy as governance_deploy
from somchain.reserve import deploy as reserve_deploy
from somchain.stablecoin import deploy as stablecoin_deploy

DeployPart = Callable[..., Outcome]

# governance first (the timelock every part hands its admin to), the desk after both
# tokens, `seal` last.
PARTS: dict[str, DeployPart] = {
    "governance": governance_deploy.deploy_from_config,
    "stablecoin": stablecoin_deploy.deploy_from_config,
    "cbdc": cbdc_deploy.deploy_from_config,
    "desk": desk_deploy.deploy_from_config,
    "reserve": reserve_deploy.deploy_from_config,
}


def seal(deployer, config, network, force=False, echo=print) -> Outcome:  # noqa: ARG001
    """The last step: see `somchain.governance.deploy.seal`."""
    return governance_deploy.seal(deployer, config, network, echo)
