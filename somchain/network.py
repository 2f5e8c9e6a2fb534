"""Checks on the connected network before anything is sent."""

from __future__ import annotations

import os
from typing import Any

from ape.api import AccountAPI

from somchain.errors import InputError

MAINNET_CHAIN_ID = 56
EXPECTED_CHAIN_IDS = {
    ("bsc", "mainnet"): 56,
    ("bsc", "testnet"): 97,
    ("bsc", "anvil-testnet"): 97,
}


def check_chain(provider: Any, allow_mainnet: bool = False) -> int:
    """The node's chain id; refuses a node whose chain id is not the network's (a
    misconfigured RPC), and BNB mainnet unless `allow_mainnet`."""
    network = provider.network
    uri = getattr(provider, "uri", "") or ""
    if "$" in uri:
        raise InputError(f"RPC address {uri!r} is unset: export the environment variable it names")
    raw = provider.make_request("eth_chainId", [])
    actual = int(raw, 16) if isinstance(raw, str) else int(raw)
    expected = EXPECTED_CHAIN_IDS.get((network.ecosystem.name, network.name))
    if expected is None and not network.is_local:
        expected = network.chain_id
    if expected is not None and actual != expected:
        raise InputError(
            f"the node at {uri or network.name} reports chain id {actual}, "
            f"but {network.ecosystem.name}:{network.name} is chain id {expected}"
        )
    if actual == MAINNET_CHAIN_ID and not allow_mainnet:
        raise InputError("refusing BNB mainnet (chain id 56) without --mainnet")
    return actual


def unlock(account: AccountAPI) -> None:
    """Lets a keyfile account sign unattended when APE_ACCOUNTS_<alias>_PASSPHRASE is set."""
    alias = getattr(account, "alias", None)
    if not alias or not hasattr(account, "set_autosign"):
        return
    variable = f"APE_ACCOUNTS_{alias}_PASSPHRASE"
    passphrase = os.environ.get(variable)
    if passphrase:
        try:
            account.set_autosign(True, passphrase=passphrase)
        except Exception:  # ape's errors for a wrong passphrase differ by version
            raise InputError(
                f"the passphrase in {variable} does not unlock the account {alias!r}"
            ) from None
