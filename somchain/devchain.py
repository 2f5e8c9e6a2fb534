"""A local anvil node with the stack deployed over plain web3.py, for the benchmark, the
`ape run audit` test and trying the audit by hand. Reads the ape build (.build/), so run
`ape compile` first; never used against a real network."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

from eth_typing import ChecksumAddress
from eth_utils import keccak
from web3 import Web3

from somchain.manifest import ROOT

BUILD = ROOT / ".build" / "__local__.json"
NO_LIMIT = 2**256 - 1
ONE = 10**18


def contract_types() -> dict[str, Any]:
    return json.loads(BUILD.read_text())["contractTypes"]


class Stack:
    """The stablecoin, its attestation feed and the digital som on a dev node, sent from
    the node's unlocked accounts."""

    def __init__(self, w3: Web3) -> None:
        self.w3 = w3
        self.types = contract_types()
        a: Sequence[str] = w3.eth.accounts
        self.admin, self.minter, self.attestor, self.compliance = a[0], a[1], a[2], a[3]
        self.treasury, self.bank, self.alice, self.bob = a[4], a[5], a[6], a[7]
        self.contracts: dict[str, Any] = {}
        self.entries: dict[str, dict[str, Any]] = {}

    def _contract(self, name: str, address: str | None = None) -> Any:
        t = self.types[name]
        if address is None:
            return self.w3.eth.contract(abi=t["abi"], bytecode=t["deploymentBytecode"]["bytecode"])
        return self.w3.eth.contract(address=cast(ChecksumAddress, address), abi=t["abi"])

    def send(self, fn: Any, sender: str | None = None, wait: bool = True) -> Any:
        tx = fn.transact({"from": sender or self.admin})
        return self.w3.eth.wait_for_transaction_receipt(tx) if wait else tx

    def _deploy(self, name: str, *args: Any) -> Any:
        receipt = self.send(self._contract(name).constructor(*args))
        return self._contract(name, receipt.contractAddress), receipt

    def _deploy_proxied(self, key: str, name: str, init_args: list[Any]) -> Any:
        impl, impl_receipt = self._deploy(name)
        data = impl.encode_abi("initialize", init_args)
        proxy, receipt = self._deploy("TokenProxy", impl.address, data)
        contract = self._contract(name, proxy.address)
        self.contracts[key] = contract
        self.entries[key] = {
            "contract": name,
            "address": proxy.address,
            "implementation": impl.address,
            "block": receipt.blockNumber,
            "implementation_block": impl_receipt.blockNumber,
        }
        return contract

    def role(self, name: str) -> bytes:
        return keccak(text=name)

    def deploy(self) -> Stack:
        """Deploys all three contracts and grants their roles; KGST gets a reserve of
        10 billion som attested and a minter."""
        kgst = self._deploy_proxied(
            "stablecoin", "NationalStablecoin", ["Kyrgyz Som Stablecoin", "KGST", 18, self.admin, 0]
        )
        feed, receipt = self._deploy("ReserveAttestation", 2, "KGS reserve", 1, self.admin, 0)
        self.contracts["attestation"] = feed
        self.entries["attestation"] = {
            "contract": "ReserveAttestation",
            "address": feed.address,
            "block": receipt.blockNumber,
        }
        self.send(feed.functions.grantRole(self.role("ATTESTOR_ROLE"), self.attestor))
        now = self.w3.eth.get_block("latest")["timestamp"]
        self.send(feed.functions.attest(10**10 * 100, now, b"\x11" * 32), self.attestor)
        # The token's master minter is a MintController; the admin stands for the board.
        controller, receipt = self._deploy("MintController", kgst.address, self.admin, 0)
        self.contracts["mint_controller"] = controller
        self.entries["mint_controller"] = {
            "contract": "MintController",
            "address": controller.address,
            "block": receipt.blockNumber,
        }
        for role, who in [
            ("MASTER_MINTER_ROLE", controller.address),
            ("COMPLIANCE_ROLE", self.compliance),
            ("PAUSER_ROLE", self.admin),
        ]:
            self.send(kgst.functions.grantRole(self.role(role), who))
        self.send(controller.functions.grantRole(self.role("MASTER_MINTER_ROLE"), self.admin))
        self.send(kgst.functions.setReserveFeed(feed.address, 7 * 86_400))  # the token's bound
        self.send(controller.functions.increaseMintBudget(10**9 * ONE))
        self.send(controller.functions.setMinterRateLimit(self.minter, 10**9 * ONE, 10**9 * ONE))
        self.send(controller.functions.configureMinter(self.minter, 10**9 * ONE))

        som = self._deploy_proxied("cbdc", "DigitalSom", ["Digital Som", "KGSD", 2, self.admin, 0])
        for role, who in [
            ("ISSUER_ROLE", self.admin),
            ("BANK_ROLE", self.bank),
            ("TREASURY_ROLE", self.treasury),
            ("COMPLIANCE_ROLE", self.compliance),
        ]:
            self.send(som.functions.grantRole(self.role(role), who))
        self.send(som.functions.setIssuanceAllowance(self.admin, 10**9 * 100))
        for tier in range(4):
            limit = 10 ** (6 + tier) * 100
            self.send(som.functions.setTierLimits(tier, limit, limit, limit))
        self.send(som.functions.setTierLimits(4, NO_LIMIT, NO_LIMIT, NO_LIMIT))
        return self

    def history(self) -> Stack:
        """A short history: mint, transfer, freeze, seize, burn on KGST; issuance and a
        batch on the digital som."""
        kgst, som = self.contracts["stablecoin"], self.contracts["cbdc"]
        self.send(kgst.functions.mint(self.alice, 1_000_000 * ONE), self.minter)
        self.send(kgst.functions.mint(self.minter, 1_000 * ONE), self.minter)
        self.send(kgst.functions.burn(400 * ONE), self.minter)
        self.send(kgst.functions.transfer(self.bob, 2_500 * ONE), self.alice)
        self.send(kgst.functions.freeze(self.bob), self.compliance)
        case = b"KG-COURT-2026-0042".ljust(32, b"\0")
        self.send(kgst.functions.seize(self.bob, self.treasury, 1_000 * ONE, case), self.compliance)
        self.send(som.functions.issue(self.bank, 10**9 * 100))
        self.send(som.functions.transfer(self.treasury, 10**8 * 100), self.bank)
        self.send(som.functions.registerWallets([self.alice, self.bob], 1), self.bank)
        self.send(
            som.functions.disburse(
                keccak(text="payroll/0"), [self.alice, self.bob], [5_000, 7_000]
            ),
            self.treasury,
        )
        return self

    def manifest(self) -> dict[str, Any]:
        return {"chain_id": self.w3.eth.chain_id, "contracts": dict(self.entries)}
