"""The Safe v1.4.1 contracts as shipped by npm: build artifacts of `@safe-global/safe-contracts`
(ABI and deployable bytecode, no compile step) and the canonical addresses of
`@safe-global/safe-deployments` (BNB Chain 56 and 97 among them), both read from
node_modules at run time."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from somchain.errors import InputError

ROOT = Path(__file__).resolve().parent.parent.parent
SAFE_VERSION = "1.4.1"
ARTIFACTS = ROOT / "node_modules" / "@safe-global" / "safe-contracts" / "build" / "artifacts"
DEPLOYMENTS = ROOT / "node_modules" / "@safe-global" / "safe-deployments" / "dist" / "assets"

# The pieces a Safe needs: contract name -> (artifact path, safe-deployments file).
PIECES = {
    "SafeL2": ("contracts/SafeL2.sol/SafeL2.json", "safe_l2.json"),
    "SafeProxyFactory": (
        "contracts/proxies/SafeProxyFactory.sol/SafeProxyFactory.json",
        "safe_proxy_factory.json",
    ),
    "CompatibilityFallbackHandler": (
        "contracts/handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json",
        "compatibility_fallback_handler.json",
    ),
    "MultiSendCallOnly": (
        "contracts/libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json",
        "multi_send_call_only.json",
    ),
    "SignMessageLib": (
        "contracts/libraries/SignMessageLib.sol/SignMessageLib.json",
        "sign_message_lib.json",
    ),
}


@cache
def artifact(name: str) -> dict:
    """The Hardhat artifact (abi, bytecode) of a Safe contract."""
    path = ARTIFACTS / PIECES[name][0]
    if not path.is_file():
        raise InputError(f"{path} is missing: run `make setup` (npm @safe-global/safe-contracts)")
    return json.loads(path.read_text())


@cache
def contract_type(name: str) -> Any:
    """An ape ContractType of a Safe contract, from its npm artifact."""
    from ethpm_types import ContractType

    data = artifact(name)
    return ContractType.model_validate(
        {
            "contractName": name,
            "abi": data["abi"],
            "deploymentBytecode": {"bytecode": data["bytecode"]},
            "runtimeBytecode": {"bytecode": data["deployedBytecode"]},
        }
    )


def container(name: str) -> Any:
    """An ape ContractContainer of a Safe contract (deploy with `.deploy(sender=...)`)."""
    from ape.contracts import ContractContainer

    return ContractContainer(contract_type(name))


def at(name: str, address: str) -> Any:
    """The Safe contract `name` (its ABI) at `address`."""
    from ape import Contract

    return Contract(address, contract_type=contract_type(name))


def canonical_address(name: str, chain_id: int) -> str | None:
    """The canonical v1.4.1 address of `name` on `chain_id`, or None if the chain has none."""
    path = DEPLOYMENTS / f"v{SAFE_VERSION}" / PIECES[name][1]
    if not path.is_file():
        raise InputError(f"{path} is missing: run `make setup` (npm @safe-global/safe-deployments)")
    data = json.loads(path.read_text())
    kinds = data["networkAddresses"].get(str(chain_id))
    if kinds is None:
        return None
    kind = kinds[0] if isinstance(kinds, list) else kinds
    return data["deployments"][kind]["address"]
