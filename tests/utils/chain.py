"""Helpers for tests that drive a real anvil node over web3."""

from __future__ import annotations

from web3 import Web3

from somchain.anvil import Anvil
from tests.utils.constants import DEPLOYER, GOVERNANCE_DELAY, TEST_ACCOUNTS


def start_anvil(chain_id: int = 97, fork_url: str | None = None) -> tuple[Anvil, str]:
    """An anvil on `chain_id` (forking `fork_url` if given) and its URI."""
    node = Anvil(chain_id=chain_id, fork_url=fork_url).start()
    return node, node.url


def operation_id(output: str) -> str:
    """The timelock operation id printed by a `propose-*` command."""
    line = next(ln for ln in output.splitlines() if ln.startswith("operation id "))
    return line.split()[-1]


def deploy_raw(w3: Web3, contract_type, *args):
    """Deploys a compiled project contract straight through web3 (from TEST::0)."""
    abi = [a.model_dump(by_alias=True) for a in contract_type.abi]
    factory = w3.eth.contract(abi=abi, bytecode=contract_type.deployment_bytecode.bytecode)
    tx = factory.constructor(*args).transact({"from": DEPLOYER})
    address = w3.eth.wait_for_transaction_receipt(tx).contractAddress
    return w3.eth.contract(address=address, abi=abi)


def advance(w3: Web3, seconds: int) -> None:
    w3.provider.make_request("evm_increaseTime", [seconds])
    w3.provider.make_request("evm_mine", [])


def proposed_operation(output: str) -> str:
    """The operation id printed in a `propose through the timelock` line."""
    line = next(ln for ln in output.splitlines() if "operation 0x" in ln)
    return line.split("operation ")[1].split(")")[0]


def through_timelock(op, w3: Web3, *args: str, delay: int, **kwargs):
    """Runs an admin command (a board member proposes it), waits out the timelock's
    `delay` and executes the operation; returns both results."""
    proposed = op(*args, **kwargs)
    assert proposed.exit_code == 0, proposed.output
    advance(w3, delay + 1)
    executed = op("governance", "execute", proposed_operation(proposed.output))
    assert executed.exit_code == 0, executed.output
    return proposed, executed


def live_config(path, network: str = "bsc:testnet") -> str:
    """A deploy config whose `network` section sets every role, to test-mnemonic accounts
    other than TEST::0 and with distinct duties, as a live network requires."""
    import yaml

    from somchain import config as deploy_config

    a = TEST_ACCOUNTS
    data = yaml.safe_load(deploy_config.DEFAULT_PATH.read_text())
    data[network] = {
        "roles": {
            "board": [a[11]],
            "master_minter": a[1],
            "pauser": a[3],
            "compliance": a[4],
            "rescuer": a[3],
            "attestors": [a[5], a[6]],
            "issuer": a[2],
            "central_bank": a[8],
            "treasury": a[6],
            "banks": [a[7]],
            "guardian": a[3],
            "operator": a[10],
        },
        "governance": {"min_delay": 172_800},
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)


def manifest_contract(w3, folder, key: str, name: str):
    """A web3 contract of the deployment recorded in `folder`'s manifest: entry `key`, ABI of
    the project contract `name`."""
    import json

    from ape import project

    from tests.utils.paths import manifest_in

    data = json.loads(manifest_in(folder).read_text())
    abi = [a.model_dump(by_alias=True) for a in getattr(project, name).contract_type.abi]
    return w3.eth.contract(address=data["contracts"][key]["address"], abi=abi)


def executed(op, w3, proposed, delay: int = GOVERNANCE_DELAY):
    """Runs `governance execute` for the operation a proposal's output names, after `delay`
    (the local chains' governance delay by default)."""
    assert proposed.exit_code == 0, proposed.output
    advance(w3, delay + 1)
    done = op("governance", "execute", operation_id(proposed.output))
    assert done.exit_code == 0, done.output
    return done


def reverted_data(err: BaseException) -> bytes:
    """The revert data behind `err`: from the error, or from the message where ape kept it
    as hex or as the bytes' repr; empty where ape kept none."""
    from somchain.actions.reverts import revert_data

    raw = revert_data(err)
    if not raw:
        message = str(getattr(err, "revert_message", "") or "")
        if message.startswith("0x"):
            raw = bytes.fromhex(message[2:])
        elif message.startswith(("b'", 'b"')):
            import ast

            raw = ast.literal_eval(message)
    return raw


def assert_reverted_with(err: BaseException, signature: str, types: list[str], args: list) -> None:
    """The revert behind `err` is the custom error `signature` with `args`. Checked on the
    revert data, since an error several ABIs declare may be decoded under another class
    (or none); by its decoded name and arguments where ape kept no data."""
    from eth_abi import encode
    from eth_utils import keccak

    expected = keccak(text=signature)[:4] + encode(types, args)
    raw = reverted_data(err)
    if raw:
        assert raw == expected
        return
    assert type(err).__name__ == signature.split("(")[0]
    assert list(getattr(err, "inputs", {}).values()) == args
