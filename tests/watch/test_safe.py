"""The board's Safe, deployed by `ape run deploy safe` and recorded in the manifest, is
followed: a new owner and threshold, executed through the Safe itself, are alerted."""

from __future__ import annotations

import json

import pytest

from somchain.safe import contracts
from somchain.watch import Store, WatchConfig, Watcher
from tests.utils.constants import ALICE, DEPLOYER
from tests.utils.paths import manifest_in
from tests.watch.conftest import sent

ZERO = "0x" + "00" * 20


@pytest.fixture
def board_safe(chain, cli, network, stack):
    """A 1-of-1 Safe of TEST::0 in the manifest (the manifest is restored afterwards)."""
    path = manifest_in(stack / "local")
    kept = path.read_text()
    args = ["--owner", DEPLOYER, "--threshold", "1", "--network", network]
    result = cli("deploy", "safe", *args, "--account", "TEST::0", "--yes")
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text())
    yield data
    path.write_text(kept)


def test_safe__owner_added_and_threshold_raised__alerted(chain, board_safe, tmp_path):
    address = board_safe["safes"]["safe"]["address"]
    safe = chain.eth.contract(address=address, abi=contracts.artifact("SafeL2")["abi"])
    config = WatchConfig.model_validate({"confirmations": 0, "delivery": {"stdout": False}})
    watcher = Watcher(chain, board_safe, config, Store(tmp_path / "w.sqlite"))
    watcher.step()
    data = safe.encode_abi("addOwnerWithThreshold", args=[ALICE, 2])
    # a pre-approved signature: the sending owner's own address, v = 1
    signature = bytes.fromhex(DEPLOYER[2:].lower().rjust(64, "0")) + b"\x00" * 32 + b"\x01"
    execute = safe.functions.execTransaction(
        address, 0, data, 0, 0, 0, 0, ZERO, ZERO, signature
    )  # fmt: skip

    sent(execute, DEPLOYER)
    watcher.step()

    found = [a for a in watcher.store.alerts() if a["rule"] == "safe"]
    assert [a["title"] for a in found] == ["safe:safe: AddedOwner", "safe:safe: ChangedThreshold"]
    assert found[0]["details"] == {"owner": ALICE}
    assert found[1]["details"] == {"threshold": "2"}
