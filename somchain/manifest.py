"""Deployment manifests: one JSON file per chain, named by what the node is (its chain id
and the first 8 hex digits of its genesis block hash), so that a manifest never claims a
chain it was not written from.

`deployments/97-6d3c66c5.json` is BNB testnet's (genesis 0x6d3c66c5...), `56-0d21840a.json`
BNB mainnet's; local chains and forks write under deployments/local/ (not committed). A
live network's name (bsc:testnet, bsc:mainnet) on a node whose genesis block is not that
network's is refused before anything is written.

    {
      "chain_id": 97,
      "genesis_hash": "0x6d3c66c5...",
      "network": "bsc:testnet",
      "contracts": {
        "<key>": {                       # stablecoin, attestation, cbdc, reserve, timelock
          "contract": "NationalStablecoin",
          "address": "0x...",            # the proxy for proxied contracts
          "implementation": "0x...",     # proxied contracts only
          "tx": "0x...", "block": 12,    # the (proxy) deployment
          "implementation_tx": "0x...", "implementation_block": 11,
          "constructor_args": [...],     # of the implementation, or of a plain contract
          "initializer": {"function": "initialize", "args": [...]},
          "deployer": "0x...", "deployed_at": "2026-11-24T04:38:12+00:00",
          "abi": "97-6d3c66c5/abi/NationalStablecoin.json",
          "verify": [                    # one per address deployed: what BscScan asks for
            {"address": "0x...",
             "contract": "contracts/stablecoin/NationalStablecoin.sol:NationalStablecoin",
             "compiler": "v0.8.28+commit.7893614a", "constructor_args": "0x...",
             "standard_json_input": "97-6d3c66c5/solc-input-1a2b3c4d.json"}
          ]
        }
      },
      "history": [{"key": "stablecoin", "replaced_at": "...", ...}],   # entries --force replaced
      "compiler": {"version": "0.8.28", "evm_version": "cancun", "optimizer_runs": 2000, ...},
      "git_commit": "abc123..."
    }

Paths inside a manifest are relative to its folder.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Genesis block hashes of the live networks (block 0 of each chain, as its nodes report it).
GENESIS = {
    56: "0x0d21840abff46b96c84b2ac9e10e4f5cdaeb5693cb665db62a2f3b02d2d57b5b",
    97: "0x6d3c66c5357ec91d5c43af47e234a939b22557cbb552dc45bebbceeed90fbe34",
}
LIVE_NAMES = {56: "BNB mainnet", 97: "BNB testnet"}


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


def connected_genesis(chain_id: int | None = None) -> str | None:
    """The genesis block hash of the node ape is connected to (None when not connected,
    or connected to another chain than `chain_id`)."""
    from ape import networks

    provider = networks.active_provider
    if provider is None or not getattr(provider, "is_connected", False):
        return None
    try:
        if chain_id is not None and provider.chain_id != chain_id:
            return None
        block = provider.web3.eth.get_block(0)
    except Exception:
        return None
    return "0x" + bytes(block["hash"]).hex()


def file_name(chain_id: int, genesis: str) -> str:
    """`97-6d3c66c5.json`: the chain id and the first 8 hex digits of the genesis hash."""
    return f"{chain_id}-{genesis.removeprefix('0x')[:8].lower()}.json"


def check_node(network_name: str, chain_id: int, genesis: str | None, where: str = "") -> None:
    """Refuses a live network's name (bsc:testnet, bsc:mainnet) on a node whose genesis
    block is not that network's: its manifest would name contracts that are not there."""
    from somchain.errors import InputError

    expected = GENESIS.get(chain_id)
    if expected is None or is_rehearsal_network(network_name) or genesis is None:
        return
    if genesis.lower() != expected:
        raise InputError(
            f"the node {where or 'connected'} has chain id {chain_id} but genesis block "
            f"{genesis[:10]}..., not {LIVE_NAMES[chain_id]}'s ({expected[:10]}...): it is "
            f"another chain; use --network bsc:anvil-testnet for a local node"
        )


def deployments_dir() -> Path:
    """Where manifests live: $SOMCHAIN_DEPLOYMENTS, else deployments/ in the project, with
    local chains and forks under deployments/local/ so that a rehearsal on a chain-id-97
    stand-in never overwrites BNB testnet's manifest."""
    base = Path(os.environ.get("SOMCHAIN_DEPLOYMENTS", ROOT / "deployments"))
    if is_rehearsal_network(_connected_network_name()):
        return base / "local"
    return base


def manifest_path(chain_id: int, genesis: str | None = None) -> Path:
    """The manifest of the chain `chain_id` whose genesis hash is `genesis` (by default the
    connected node's). Not connected: the one manifest of that chain id in the folder."""
    folder = deployments_dir()
    genesis = genesis or connected_genesis(chain_id)
    if genesis:
        return folder / file_name(chain_id, genesis)
    found = sorted(folder.glob(f"{chain_id}-*.json"))
    return found[0] if len(found) == 1 else folder / f"{chain_id}.json"


def load(chain_id: int, genesis: str | None = None) -> dict:
    """The manifest of `chain_id`, or an empty one."""
    path = manifest_path(chain_id, genesis)
    if path.is_file():
        return json.loads(path.read_text())
    return {"chain_id": chain_id, "contracts": {}}


def save(manifest: dict) -> Path:
    """Writes the manifest atomically (a crash never leaves half a file)."""
    path = manifest_path(manifest["chain_id"], manifest.get("genesis_hash"))
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


def names(chain_id: int) -> dict[str, str]:
    """Lower-case address -> name for every address the manifest names: its contracts
    (by key) and the role holders recorded when the deployment was sealed."""
    data = load(chain_id)
    found: dict[str, str] = {}
    for address, name in (data.get("role_holders") or {}).items():
        found[address.lower()] = name
    for key, item in data.get("contracts", {}).items():
        found[item["address"].lower()] = key
    return found


def absent(chain_id: int, key: str) -> str:
    """Why the connected chain's manifest has no `key`, saying which file was looked for
    and why that one: the chain id and genesis name it, and a local node's manifests
    live under deployments/local/."""
    path = manifest_path(chain_id)
    if path.is_file():
        return f"no {key} in {path}; deploy it (ape run deploy {key}) or pass --address"
    genesis = connected_genesis(chain_id)
    network = _connected_network_name()
    why = f"no manifest {path}"
    if genesis:
        why += f" (the file of chain id {chain_id} whose genesis block is {genesis[:10]}...)"
    live = GENESIS.get(chain_id)
    if live and genesis and genesis.lower() != live and not is_rehearsal_network(network):
        why += (
            f": this node is not {LIVE_NAMES[chain_id]} (genesis {live[:10]}...); for a local "
            f"node use --network bsc:anvil-testnet:<uri>, whose manifests are in "
            f"{path.parent / 'local'}"
        )
    else:
        others = sorted(p.name for p in path.parent.glob(f"{chain_id}-*.json"))
        if others:
            why += f"; manifests of chain id {chain_id} of other nodes: {', '.join(others)}"
    return f"{why}; deploy {key} (ape run deploy {key}), set SOMCHAIN_DEPLOYMENTS or pass --address"


def start_block(chain_id: int, address: str) -> int:
    """The block the manifest says `address` was deployed in (0 when it does not know it):
    where reading its events starts."""
    for item in load(chain_id).get("contracts", {}).values():
        if item.get("address", "").lower() == address.lower():
            return int(item.get("block", 0))
    return 0


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


@functools.cache
def standard_json_input() -> tuple[str, dict]:
    """The solc standard-JSON input that compiles the project's contracts as ape does (every
    source, the settings and remappings of ape-config.yaml), and the compiler's full
    version (`v0.8.28+commit.7893614a`)."""
    from ape import compilers, project

    paths = sorted(
        p.resolve() for p in (ROOT / "contracts").rglob("*.sol") if ".cache" not in p.parts
    )
    inputs = compilers.solidity.get_standard_input_json(paths, project=project)
    (version, data), *_ = inputs.items()
    return f"v{version}", data


def _contract_types() -> list[Any]:
    from ape import project

    return [c.contract_type for c in project.contracts.values()]


def verification(tx_hash: str, address: str, folder: Path, stem: str) -> dict | None:
    """What a block explorer needs to verify the contract that `tx_hash` created at
    `address`: the contract (found by its creation code, the prefix of the transaction's
    input), the constructor arguments (the rest of the input), the compiler and the
    standard-JSON input, which is written beside the manifest."""
    from ape import chain

    data = bytes(chain.provider.web3.eth.get_transaction(tx_hash)["input"])
    for contract_type in _contract_types():
        code = contract_type.deployment_bytecode
        creation = bytes.fromhex((code.bytecode or "0x").removeprefix("0x")) if code else b""
        if creation and data.startswith(creation):
            break
    else:
        return None
    compiler, solc_input = standard_json_input()
    text = json.dumps(solc_input, indent=1, sort_keys=True) + "\n"
    input_name = f"solc-input-{hashlib.sha256(text.encode()).hexdigest()[:8]}.json"
    (folder / stem).mkdir(parents=True, exist_ok=True)
    if not (folder / stem / input_name).exists():
        (folder / stem / input_name).write_text(text)
    return {
        "address": address,
        "contract": f"{contract_type.source_id}:{contract_type.name}",
        "compiler": compiler,
        "constructor_args": "0x" + data[len(creation) :].hex(),
        "standard_json_input": f"{stem}/{input_name}",
    }


def write_abi(contract_name: str, folder: Path, stem: str) -> str | None:
    """Writes the ABI of `contract_name` beside the manifest; its path, relative to it."""
    for contract_type in _contract_types():
        if contract_type.name == contract_name:
            (folder / stem / "abi").mkdir(parents=True, exist_ok=True)
            abi = [item.model_dump(mode="json", by_alias=True) for item in contract_type.abi]
            (folder / stem / "abi" / f"{contract_name}.json").write_text(
                json.dumps(abi, indent=1) + "\n"
            )
            return f"{stem}/abi/{contract_name}.json"
    return None


def record(network: str, key: str, contract_entry: dict) -> Path:
    """Adds `key`'s entry to the connected chain's manifest, with the network name, the
    genesis hash, the compiler settings, the git commit, the ABI and what a block explorer
    needs to verify each address. An entry a redeploy replaces moves to "history"."""
    from ape import chain

    chain_id = chain.chain_id
    genesis = connected_genesis(chain_id)
    check_node(network.split(":")[-1], chain_id, genesis)
    path = manifest_path(chain_id, genesis)
    data = load(chain_id, genesis)
    data["chain_id"] = chain_id
    data["genesis_hash"] = genesis
    data["network"] = network
    data["compiler"] = compiler_settings()
    data["git_commit"] = git_commit()
    contract_entry = dict(contract_entry)
    stem = path.stem
    contract_entry["abi"] = write_abi(contract_entry["contract"], path.parent, stem)
    deployed = [(contract_entry.get("tx"), contract_entry["address"])]
    if "implementation" in contract_entry:
        deployed.insert(
            0, (contract_entry.get("implementation_tx"), contract_entry["implementation"])
        )
    contract_entry["verify"] = [
        found
        for tx, address in deployed
        if tx and (found := verification(tx, address, path.parent, stem))
    ]
    contracts = data.setdefault("contracts", {})
    previous = contracts.get(key)
    if previous and previous.get("address") != contract_entry["address"]:
        data.setdefault("history", []).append(
            {"key": key, "replaced_at": contract_entry.get("deployed_at"), **previous}
        )
    contracts[key] = contract_entry
    return save(data)
