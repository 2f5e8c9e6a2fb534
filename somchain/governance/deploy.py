"""The governance timelock and the handover of every admin power to it.

A deployment runs in three steps:

1. `deploy_from_config` deploys the GovernanceTimelock with the board as proposers and
   executors. During the deployment only, the deploying account is an extra proposer and
   executor and the delay is zero ("bootstrap"), so that the parts can hand their admin
   roles over at once.
2. Each part (stablecoin, cbdc, reserve) grants its roles to the configured holders and
   hands DEFAULT_ADMIN_ROLE to the timelock (`hand_over`): begin the transfer, then accept
   it through a bootstrap operation. The timelock is the only UPGRADER.
3. `seal` checks that the deployed attestation feed asks the configured quorum and that
   every figure it accepted had that many votes, sets the configured delay and revokes the
   deployer's bootstrap roles, in one operation the timelock executes on itself; then it
   checks on chain that the deployer holds no role anywhere and records the role matrix in
   the manifest.
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import Any

from ape import project
from ape.exceptions import ContractLogicError
from eth_utils import keccak

from somchain import manifest
from somchain.actions.reverts import revert_data
from somchain.compliance.ops import contract_roles
from somchain.config import DeployConfig
from somchain.constants import DEFAULT_ADMIN_ROLE, ZERO_ADDRESS
from somchain.deployment import Echo, Outcome, already_deployed, plain_entry
from somchain.errors import InputError
from somchain.governance.timelock import execute_operation, schedule_calls

KEY = "timelock"
_ADMIN_DELAY_SELECTOR = keccak(text="AccessControlEnforcedDefaultAdminDelay(uint48)")[:4]
TIMELOCK_ROLES = ("PROPOSER_ROLE", "EXECUTOR_ROLE", "CANCELLER_ROLE", "DEFAULT_ADMIN_ROLE")


def timelock_of_manifest() -> Any:
    """The governance timelock recorded for the connected chain."""
    from ape import chain

    address = manifest.address_of(chain.chain_id, KEY)
    if not address:
        raise InputError("no governance timelock in the manifest: run `ape run deploy governance`")
    return project.GovernanceTimelock.at(address)


def deploy_timelock(deployer: Any, board: list[str], open_execution: bool) -> tuple[Any, list]:
    """A GovernanceTimelock in bootstrap: delay 0, the deployer an extra proposer and
    executor (removed by `seal`)."""
    proposers = [*board, deployer.address]
    executors = [ZERO_ADDRESS] if open_execution else [*board, deployer.address]
    args = [0, proposers, executors, ZERO_ADDRESS]
    return project.GovernanceTimelock.deploy(*args, sender=deployer), args


def in_bootstrap(timelock: Any, deployer: Any) -> bool:
    return timelock.getMinDelay() == 0 and timelock.hasRole(
        timelock.PROPOSER_ROLE(), deployer.address
    )


def bootstrap_timelock(deployer: Any) -> Any:
    """The governance timelock, which must still be in its bootstrap (see
    `somchain.governance.deploy`) for a part to hand its admin role over at once."""
    timelock = timelock_of_manifest()
    if not in_bootstrap(timelock, deployer):
        raise InputError(
            f"the governance timelock {timelock.address} is sealed (or {deployer.address} "
            "is not its bootstrap proposer): deploy new parts with a new governance "
            "(`ape run deploy governance --force`)"
        )
    return timelock


def run_now(
    timelock: Any, calls: list[tuple[Any, int, bytes]], deployer: Any, attempts: int = 10
) -> Any:
    """Schedules and executes `calls` as one bootstrap operation (delay 0).

    An admin handover begun in the same second cannot be accepted yet (OpenZeppelin wants
    a later block time, and consecutive blocks can share one): the execution is retried,
    a second apart, for up to `attempts` seconds. A refused attempt is caught by the gas
    estimate, so nothing is sent for it."""
    operation = schedule_calls(timelock, calls, deployer, salt=os.urandom(32), delay=0)
    for attempt in range(attempts):
        try:
            return execute_operation(timelock, operation, deployer)
        except ContractLogicError as err:
            if attempt == attempts - 1 or not _admin_delay_not_passed(err):
                raise
            time.sleep(1)
            _mine_if_local()
    raise AssertionError("unreachable")


def _mine_if_local() -> None:
    """On a local node that mines only on demand, a new block carries the new time (a live
    network makes blocks on its own)."""
    from ape import chain

    if chain.provider.network.name in ("local", "anvil-testnet"):
        with contextlib.suppress(Exception):
            chain.provider.make_request("evm_mine", [])


def _admin_delay_not_passed(err: Exception) -> bool:
    """Whether `err` is OpenZeppelin's AccessControlEnforcedDefaultAdminDelay."""
    return (
        type(err).__name__ == "AccessControlEnforcedDefaultAdminDelay"
        or revert_data(err)[:4] == _ADMIN_DELAY_SELECTOR
    )


def call(contract: Any, method: str, *args: Any) -> tuple[Any, int, bytes]:
    return (contract, 0, bytes(getattr(contract, method).encode_input(*args)))


def hand_over(
    contracts: list[Any], timelock: Any, deployer: Any, echo: Echo, admin_delay: int = 0
) -> None:
    """Makes `timelock` the DEFAULT_ADMIN of each contract (OpenZeppelin's
    AccessControlDefaultAdminRules, created with a zero transfer delay), then sets each
    contract's admin-transfer delay to `admin_delay`, through one bootstrap operation."""
    for contract in contracts:
        contract.beginDefaultAdminTransfer(timelock.address, sender=deployer)
    calls = [call(c, "acceptDefaultAdminTransfer") for c in contracts]
    if admin_delay:
        calls += [call(c, "changeDefaultAdminDelay", admin_delay) for c in contracts]
    run_now(timelock, calls, deployer)
    for contract in contracts:
        if contract.defaultAdmin() != timelock.address:
            raise InputError(f"{contract.address}: the timelock did not become the admin")
        echo(f"  DEFAULT_ADMIN_ROLE of {contract.address} handed to the timelock")


def deploy_from_config(
    deployer: Any, config: DeployConfig, network: str, force: bool = False, echo: Echo = print
) -> Outcome:
    """The governance timelock, in bootstrap until `seal`."""
    if not force and (existing := already_deployed(KEY, echo)):
        return existing
    board = config.roles.board or [deployer.address]
    timelock, args = deploy_timelock(deployer, board, config.governance.open_execution)
    echo(f"deployed GovernanceTimelock at {timelock.address} (proposers {', '.join(board)})")
    echo(f"  bootstrap: delay 0 and {deployer.address} a proposer until the deployment is sealed")
    manifest.record(network, KEY, plain_entry(timelock, args, deployer))
    return Outcome(deployed=[KEY])


def role_matrix(contracts: dict[str, Any], candidates: dict[str, str]) -> dict:
    """For each contract, each role (from its ABI) and which of the `candidates`
    (name -> address) hold it, by address."""
    addresses = list(dict.fromkeys(candidates.values()))
    matrix: dict[str, dict[str, list[str]]] = {}
    for key, contract in contracts.items():
        roles: dict[str, list[str]] = {}
        for name in contract_roles(contract):
            rid = DEFAULT_ADMIN_ROLE if name == "DEFAULT_ADMIN_ROLE" else getattr(contract, name)()
            holders = [a for a in addresses if contract.hasRole(rid, a)]
            if holders:
                roles[name] = holders
        matrix[key] = roles
    return matrix


def labels(candidates: dict[str, str]) -> dict[str, str]:
    """address -> the configured names it holds ("pauser, rescuer")."""
    out: dict[str, list[str]] = {}
    for name, address in candidates.items():
        out.setdefault(address, []).append(name)
    return {address: ", ".join(names) for address, names in out.items()}


def deployed_contracts() -> dict[str, Any]:
    """The connected chain's manifest entries as ape contracts, by key."""
    from ape import chain

    found = {}
    for key, entry in manifest.load(chain.chain_id).get("contracts", {}).items():
        container = getattr(project, entry["contract"], None)
        if container is not None:
            found[key] = container.at(entry["address"])
    return found


def candidates(config: DeployConfig, deployer: Any, timelock: Any) -> dict[str, str]:
    """Every configured holder by a readable name, with the deployer and the timelock."""
    named = {"deployer": deployer.address, "timelock": timelock.address}
    for role, holders in config.holders().items():
        for index, holder in enumerate(holders):
            named[role if len(holders) == 1 else f"{role}[{index}]"] = holder
    return named


def seal(deployer: Any, config: DeployConfig, network: str, echo: Echo = print) -> Outcome:
    """Ends the bootstrap: the configured delay, the deployer's timelock roles revoked;
    then checks that the deployer holds no role anywhere and records the role matrix.
    Refuses first if the deployed attestation feed falls short of its quorum
    (`attestation_quorum_problems`)."""
    timelock = timelock_of_manifest()
    sealed_now = in_bootstrap(timelock, deployer)
    feed = deployed_contracts().get("attestation")
    if feed is not None and (
        problems := attestation_quorum_problems(feed, config.stablecoin.attestation_threshold)
    ):
        raise InputError("the attestation feed cannot be sealed: " + "; ".join(problems))
    if sealed_now:
        calls = [call(timelock, "updateDelay", config.governance.min_delay)]
        for name in TIMELOCK_ROLES[:3]:
            rid = getattr(timelock, name)()
            if timelock.hasRole(rid, deployer.address):
                calls.append(call(timelock, "revokeRole", rid, deployer.address))
        run_now(timelock, calls, deployer)
        echo(
            f"sealed: timelock delay {config.governance.min_delay} s; "
            f"{deployer.address} is no longer a proposer or executor"
        )
    from ape import chain

    data = manifest.load(chain.chain_id)
    deployers = sorted(
        {e["deployer"] for e in data.get("contracts", {}).values() if "deployer" in e}
    )
    contracts = deployed_contracts()
    named = candidates(config, deployer, timelock)
    for index, address in enumerate(deployers):
        named.setdefault(f"deployer[{index}]", address)
    matrix = role_matrix(contracts, named)
    held = [
        f"{key}.{role} ({address})"
        for key, roles in matrix.items()
        for role, who in roles.items()
        for address in who
        if address in deployers
    ]
    data["roles"] = matrix
    data["role_holders"] = labels(named)
    data["governance"] = {"timelock": timelock.address, "min_delay": timelock.getMinDelay()}
    manifest.save(data)
    if held:
        raise InputError(f"a deploying account still holds {', '.join(held)}")
    echo(
        f"checked on chain: the deployer {', '.join(deployers) or deployer.address} "
        "holds no role in any contract"
    )
    return Outcome(deployed=["seal"]) if sealed_now else Outcome(existing=["seal"])


def attestation_quorum_problems(feed: Any, quorum: int) -> list[str]:
    """Why `feed` (a ReserveAttestation) does not meet the quorum of `quorum` attestors: a
    lower threshold, or an accepted round that held fewer votes (a figure one attestor set
    alone). Empty when it meets it."""
    problems = []
    threshold = feed.threshold()
    if threshold < quorum:
        problems.append(f"its threshold is {threshold}, the configuration asks {quorum}")
    latest = feed.latestRoundData()[0]
    for round_id in range(1, latest + 1):
        votes = feed.roundVotes(round_id)
        if votes < quorum:
            problems.append(f"round {round_id} was accepted with {votes} of {quorum} votes")
    return problems


def plan(config: DeployConfig, parts: list[str]) -> list[tuple[str, str, str, str]]:
    """What the deployment will grant, as rows (contract, role, holder, delay before the
    holder's action takes effect). Read from the configuration, before anything is sent."""
    roles, delay = config.roles, config.governance.min_delay
    board = ", ".join(roles.board) or "(none)"
    via_timelock = f"timelock, {delay:,} s"
    rows: list[tuple[str, str, str, str]] = []
    if "governance" in parts:
        rows += [
            ("GovernanceTimelock", "PROPOSER_ROLE, CANCELLER_ROLE", board, f"{delay:,} s"),
            (
                "GovernanceTimelock",
                "EXECUTOR_ROLE",
                "anyone" if config.governance.open_execution else board,
                "after the delay",
            ),
        ]
    if "stablecoin" in parts:
        if not config.stablecoin.reserve_feed:
            rows.append(("ReserveAttestation", "DEFAULT_ADMIN_ROLE", "timelock", via_timelock))
            threshold = f"{config.stablecoin.attestation_threshold} of {len(roles.attestors)}"
            for attestor in roles.attestors:
                rows.append(
                    ("ReserveAttestation", f"ATTESTOR_ROLE ({threshold})", attestor, "none")
                )
        rows += [
            ("NationalStablecoin", "DEFAULT_ADMIN_ROLE, UPGRADER_ROLE", "timelock", via_timelock),
            ("NationalStablecoin", "MASTER_MINTER_ROLE", "MintController", "none"),
            (
                "MintController",
                "DEFAULT_ADMIN_ROLE (mint budget, rate limits)",
                "timelock",
                via_timelock,
            ),
            ("MintController", "MASTER_MINTER_ROLE", roles.master_minter or "-", "none"),
            ("NationalStablecoin", "PAUSER_ROLE", roles.pauser or "-", "none"),
            ("NationalStablecoin", "COMPLIANCE_ROLE", roles.compliance or "-", "none"),
            ("NationalStablecoin", "RESCUER_ROLE", roles.rescuer or "-", "none"),
        ]
    if "cbdc" in parts:
        rows += [
            ("DigitalSom", "DEFAULT_ADMIN_ROLE, UPGRADER_ROLE", "timelock", via_timelock),
            (
                "DigitalSom",
                f"ISSUER_ROLE (allowance {config.cbdc.issuance_allowance:,})",
                roles.issuer or "-",
                "none",
            ),
            (
                "DigitalSom",
                "CENTRAL_BANK_ROLE (tiers above retail)",
                roles.central_bank or "-",
                "none",
            ),
            ("DigitalSom", "TREASURY_ROLE", roles.treasury or "-", "none"),
            ("DigitalSom", "PAUSER_ROLE", roles.pauser or "-", "none"),
            ("DigitalSom", "COMPLIANCE_ROLE", roles.compliance or "-", "none"),
            ("DigitalSom", "RESCUER_ROLE", roles.rescuer or "-", "none"),
        ]
        rows += [("DigitalSom", "BANK_ROLE", bank, "none") for bank in roles.banks]
    if "desk" in parts:
        desk = config.desk
        rows += [
            ("ConversionDesk", "DEFAULT_ADMIN_ROLE (rate limits)", "timelock", via_timelock),
            ("ConversionDesk", "PAUSER_ROLE (pause, lower limits)", roles.pauser or "-", "none"),
            (
                "DigitalSom",
                f"ISSUER_ROLE, BANK_ROLE (allowance {desk.issuance_allowance:,})",
                "ConversionDesk",
                "none",
            ),
            (
                "NationalStablecoin",
                f"minter (budget {desk.kgst_budget:,}, given by the master minter)",
                "ConversionDesk",
                "none",
            ),
        ]
    if "reserve" in parts:
        rows += [
            ("ReserveVault", "DEFAULT_ADMIN_ROLE, GOVERNOR_ROLE", "timelock", via_timelock),
            ("ReserveVault", "GUARDIAN_ROLE", roles.guardian or "-", "none"),
            ("ReserveVault", "OPERATOR_ROLE (daily limits)", roles.operator or "-", "none"),
        ]
    return rows
