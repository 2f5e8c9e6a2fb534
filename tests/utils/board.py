"""The board as a 2-of-3 Safe (TEST::1, TEST::2, TEST::3) holding timelock roles, for the
script tests that need one under a name of their own (not the `safe` of test_safe.py)."""

from __future__ import annotations

import json

from tests.utils.chain import advance
from tests.utils.constants import DEPLOYER, GOVERNANCE_DELAY, TEST_ACCOUNTS
from tests.utils.paths import manifest_in


def board_safe(cli, network: str, stack, w3, name: str, roles: tuple[str, ...]) -> str:
    """Deploys the Safe `name` with `ape run deploy safe` (once a session: an existing one
    of that name is reused) and grants it the timelock `roles` through the timelock."""
    from ape import project

    data = json.loads(manifest_in(stack / "local").read_text())
    if name in data.get("safes", {}):
        return data["safes"][name]["address"]
    owners = sum((["--owner", o] for o in TEST_ACCOUNTS[1:4]), [])
    args = ["deploy", "safe", *owners, "--threshold", "2", "--name", name]
    result = cli(*args, "--network", network, "--account", "TEST::0", "--yes")
    assert result.exit_code == 0, result.output
    data = json.loads(manifest_in(stack / "local").read_text())
    safe = data["safes"][name]["address"]
    abi = [a.model_dump(by_alias=True) for a in project.GovernanceTimelock.contract_type.abi]
    timelock = w3.eth.contract(address=data["contracts"]["timelock"]["address"], abi=abi)
    payloads = [
        timelock.encode_abi("grantRole", args=[getattr(timelock.functions, r)().call(), safe])
        for r in roles
    ]
    targets, values = [timelock.address] * len(roles), [0] * len(roles)
    salt, zero = name.encode().ljust(32, b"\0"), b"\0" * 32
    batch = (targets, values, payloads, zero, salt)
    timelock.functions.scheduleBatch(*batch, GOVERNANCE_DELAY).transact({"from": DEPLOYER})
    advance(w3, GOVERNANCE_DELAY + 1)
    timelock.functions.executeBatch(*batch).transact({"from": DEPLOYER})
    return safe
