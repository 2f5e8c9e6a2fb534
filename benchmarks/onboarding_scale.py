"""A bank onboards N digital som wallets in one command on a local anvil, timed end to end.

Run: `python -m benchmarks.onboarding_scale [N ...]` (default 10000 100000); merges its
sizes into benchmarks/results/onboarding_scale.json. For each N, on a fresh anvil (chain id
97, automining, its default 30M block gas limit, base fee 0):

- prepare (not timed): deploy the digital som (`deploy_staffed`) with its roles and default
  tiers; write the wallet file (CSV rows `address,tier`, tier 1);
- timed: the code of `ape run cbdc register-wallet --csv FILE --yes` (every row checked
  against the chain in JSON-RPC batches, chunks sized by the node's gas estimate to the
  default 10M gas, one `registerWallets` per chunk, the receipt file);
- gas: the sum of `gasUsed` over the blocks mined during that call; checked after: every
  wallet is registered to the bank.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from eth_utils import keccak, to_checksum_address

from benchmarks.provenance import RESULTS, Run, arguments, merge_sizes
from somchain.anvil import Anvil
from somchain.cbdc import TIER_VERIFIED, apply_default_tiers
from somchain.cbdc.deploy import deploy_staffed

OUT = RESULTS / "onboarding_scale.json"
SIZES = (10_000, 100_000)


def wallets(n: int) -> list[str]:
    return [to_checksum_address(keccak(b"onboarding/%d" % i)[12:]) for i in range(n)]


def register_file(som: Any, bank: Any, path: Path, provider: Any) -> Any:
    """The timed call: what `register-wallet --csv FILE --yes` runs."""
    from somchain.actions.pipeline import run as pipeline
    from somchain.cbdc import onboarding
    from somchain.rpc import head_reader

    def estimate(action):
        tx = {"from": bank.address, "to": som.address, "data": "0x" + action.calldata.hex()}
        return provider.web3.eth.estimate_gas(tx)

    def send(build, on_receipt):
        return pipeline(
            build,
            bank,
            provider,
            yes=True,
            confirm=lambda _: True,
            echo=lambda _: None,
            on_receipt=on_receipt,
        )

    checked = onboarding.plan(som, bank.address, path, head_reader(provider), estimate)
    return onboarding.register(som, checked, send, lambda _: None)


def run_size(n: int) -> dict:
    import ape
    from ape import accounts

    from somchain.rpc import Reader

    run = Run("onboarding_scale")
    node = Anvil("--chain-id", "97", "--accounts", "10", "--base-fee", "0").start()
    try:
        with ape.networks.parse_network_choice(f"bsc:anvil-testnet:{node.url}") as provider:
            central_bank, treasury, bank = (accounts.test_accounts[i] for i in (0, 6, 7))
            som = deploy_staffed(central_bank, bank, treasury)
            apply_default_tiers(som, central_bank)
            listed = wallets(n)
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"wallets-{n}.csv"
                path.write_text("".join(f"{w},{TIER_VERIFIED}\n" for w in listed))
                first_block = node.w3.eth.block_number + 1
                t = time.perf_counter()
                outcome = register_file(som, bank, path, provider)
                seconds = time.perf_counter() - t
            last_block = node.w3.eth.block_number
            gas = sum(node.w3.eth.get_block(b).gasUsed for b in range(first_block, last_block + 1))
            reader = Reader(node.w3, last_block)
            kinds = reader.many(
                [(som.address, "accountKind(address)", [w]) for w in listed], ["uint8"]
            )
    finally:
        node.stop()
    missing = sum(1 for k in kinds if k != 1)
    if missing:
        raise RuntimeError(f"onboarding incomplete: {missing} wallets not registered")
    return {
        "wallets": n,
        "wall_seconds": round(seconds, 2),
        "wallets_per_second": round(n / seconds),
        "transactions": len(outcome.plan.chunks),
        "gas": gas,
        "gas_per_wallet": round(gas / n),
        "run": run.record(),
    }


def main(sizes: list[int]) -> None:
    for n in sizes:
        result = run_size(n)
        print(
            f"{n} wallets: {result['wall_seconds']} s, {result['wallets_per_second']} wallets/s, "
            f"{result['gas_per_wallet']} gas per wallet ({result['transactions']} transactions)",
            flush=True,
        )
        merge_sizes(OUT, str(n), result, method=__doc__.strip())


if __name__ == "__main__":
    main(arguments(__doc__, sizes=tuple(SIZES)).sizes)
