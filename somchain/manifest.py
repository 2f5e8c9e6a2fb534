"""Deployment manifests: one JSON file per chain id under deployments/.

Layout of `deployments/<chain_id>.json`:

    {
      "chain_id": 97,
      "network": "bsc:anvil-testnet",
      "contracts": {
        "<key>": {                       # stablecoin, attestation, cbdc, reserve, timelock
          "contract": "NationalStablecoin",
          "address": "0x...",            # the proxy for proxied contracts
          "implementation": "0x...",     # proxied contracts only
          "tx": "0x...", "block": 12,    # the (proxy) deployment
          "implementation_tx": "0x...", "implementation_block": 11,
          "constructor_args": [...],     # of the implementation, or of a plain contract
          "initializer": {"function": "initialize", "args": [...]},
          "deployer": "0x...", "deployed_at": "2026-11-24T04:38:12+00:00"
        }
      },
      "compiler": {"version": "0.8.28", "evm_version": "cancun", "optimizer_runs": 2000, ...},
      "git_commit": "abc123..."
    }
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def is_rehearsal_network(network_name: str | None) -> bool:
    """Local stand-ins and forks share a live network's chain id but not its contracts."""
    if not network_name:
        return False
    return network_name in ("local", "anvil-testnet") or network_name.endswith("-fork")


def _connected_network_name() -> str | None:
    from ape import networks

    try:
        return networks.provider.network.name if networks.active_provider else None
    except Exception:
        return None


def deployments_dir() -> Path:
    """Where manifests live: $SOMCHAIN_DEPLOYMENTS, else deployments/ in the project, with
    local chains and forks under deployments/local/ so that a rehearsal on a chain-id-97
    stand-in never overwrites BNB testnet's manifest."""
    base = Path(os.environ.get("SOMCHAIN_DEPLOYMENTS", ROOT / "deployments"))
    if is_rehearsal_network(_connected_network_name()):
        return base / "local"
    return base


def manifest_path(chain_id: int) -> Path:
    return deployments_dir() / f"{chain_id}.json"


def load(chain_id: int) -> dict:
    """The manifest of `chain_id`, or an empty one."""
    path = manifest_path(chain_id)
    if path.is_file():
        return json.loads(path.read_text())
    return {"chain_id": chain_id, "contracts": {}}


def save(manifest: dict) -> Path:
    """Writes the manifest atomically (a crash never leaves half a file)."""
    path = manifest_path(manifest["chain_id"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n")
    tmp.replace(path)
    return path


def entry(chain_id: int, key: str) -> dict | None:
    """The manifest entry of contract `key` on `chain_id`, if deployed."""
    return load(chain_id).get("contracts", {}).get(key)


def address_of(chain_id: int, key: str) -> str | None:
    found = entry(chain_id, key)
    return found["address"] if found else None


def git_commit() -> str | None:
    """The checkout's commit, with "-dirty" when it has uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{commit}-dirty" if dirty else commit


def compiler_settings() -> dict[str, Any]:
    """The Solidity settings of ape-config.yaml, as recorded in each manifest."""
    from ape import config

    solidity = config.get_config("solidity")
    return {
        "version": str(solidity.version),
        "evm_version": solidity.evm_version,
        "optimizer_runs": solidity.optimization_runs,
        "optimize": solidity.optimize,
        "via_ir": bool(solidity.via_ir),
    }


def is_deployed(key: str) -> dict | None:
    """The manifest entry of `key` on the connected chain, if its code is there."""
    from ape import chain

    found = entry(chain.chain_id, key)
    if found and chain.provider.get_code(found["address"]):
        return found
    return None


def record(network: str, key: str, contract_entry: dict) -> Path:
    """Adds (or replaces) `key`'s entry in the connected chain's manifest, with the network
    name, the compiler settings and the git commit."""
    from ape import chain

    data = load(chain.chain_id)
    data["network"] = network
    data["compiler"] = compiler_settings()
    data["git_commit"] = git_commit()
    data.setdefault("contracts", {})[key] = contract_entry
    return save(data)
