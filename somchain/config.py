"""Deployment parameters from deploy-config.yaml, validated against a schema.

The `default` section applies to every network; a section named after a network
(`ecosystem:network`) overrides its keys. An unknown key, a lower-case address or a value
of the wrong type is an error naming the key. On a live network (anything but the local
chains `ethereum:local` and `bsc:anvil-testnet`) every role must be set explicitly, and
role combinations that defeat separation of duties are refused.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from somchain.errors import InputError
from somchain.inputs import checksummed

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "deploy-config.yaml"
LOCAL_NETWORKS = ("ethereum:local", "bsc:anvil-testnet")


def _address(value: str) -> str:
    try:
        return checksummed(value, "address")
    except InputError as err:
        raise ValueError(str(err)) from None


Address = Annotated[str, AfterValidator(_address)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Roles(_Strict):
    """Who holds each role. The governance timelock (proposed by `board`) is the only
    DEFAULT_ADMIN and UPGRADER of both tokens and the admin of the attestation feed."""

    board: list[Address] = Field(default_factory=list)  # timelock proposers and executors
    master_minter: Address | None = None  # configures KGST minters
    pauser: Address | None = None  # pauses both tokens at once (protective, no delay)
    compliance: Address | None = None  # freezes and seizes (protective, no delay)
    rescuer: Address | None = None  # returns tokens sent to the contracts by mistake
    attestors: list[Address] = Field(default_factory=list)  # post the audited reserve
    issuer: Address | None = None  # CBDC: issues to banks within its allowance
    central_bank: Address | None = None  # CBDC: assigns institutional tiers (above retail)
    treasury: Address | None = None  # CBDC: pays batches
    banks: list[Address] = Field(default_factory=list)  # CBDC: licensed banks
    guardian: Address | None = None  # reserve: pauses outflows at once
    operator: Address | None = None  # reserve: operational transfers within daily limits


class Governance(_Strict):
    min_delay: int = Field(ge=0)  # seconds between proposing and executing (48 h live)
    open_execution: bool = False  # true: anyone may execute a ready operation


class Stablecoin(_Strict):
    name: str
    symbol: str
    decimals: int = Field(ge=0, le=36)
    reserve_feed: Address | None = None  # a Chainlink Proof-of-Reserve feed
    attestation_decimals: int = Field(ge=0, le=36)
    attestation_threshold: int = Field(ge=1)  # M of the N attestors must agree
    reserve_max_age: int = Field(gt=0)


class Cbdc(_Strict):
    name: str
    symbol: str
    decimals: int = Field(ge=0, le=36)
    issuance_allowance: int = Field(ge=0)  # whole som the issuer may issue
    tiers: dict[int, tuple[int | None, int | None, int | None]]


class Reserve(_Strict):
    max_price_age: int = Field(gt=0)


class Desk(_Strict):
    """The conversion desk's powers, in whole som (the board raises them later through the
    timelock): each direction's bucket as [capacity, refill a day]."""

    issuance_allowance: int = Field(default=0, ge=0)  # digital som the desk may issue
    kgst_budget: int = Field(default=0, ge=0)  # mint budget granted for the desk's KGST
    to_som: tuple[Annotated[int, Field(ge=1)], Annotated[int, Field(ge=0)]] = (1, 0)  # KGST -> som
    to_kgst: tuple[Annotated[int, Field(ge=1)], Annotated[int, Field(ge=0)]] = (1, 0)  # som -> KGST


class DeployConfig(_Strict):
    admin_delay: int = Field(ge=0)  # the tokens' delay before a new DEFAULT_ADMIN accepts
    roles: Roles
    governance: Governance
    stablecoin: Stablecoin
    cbdc: Cbdc
    reserve: Reserve
    desk: Desk = Desk()

    def holders(self) -> dict[str, list[str]]:
        """Every configured role and its holders."""
        out: dict[str, list[str]] = {}
        for name, value in self.roles:
            values = value if isinstance(value, list) else [value] if value else []
            out[name] = list(values)
        return out


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def is_local(network: str) -> bool:
    return network in LOCAL_NETWORKS


def _explain(err: ValidationError, file: Path, network: str) -> InputError:
    first = err.errors()[0]
    key = ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        problem = "unknown key"
    elif first["type"] == "missing":
        problem = "missing"
    else:
        problem = first["msg"].removeprefix("Value error, ")
    more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return InputError(f"deploy config {file} [{network}]: {key}: {problem}{more}")


def load_raw(network: str, path: str | Path | None = None) -> dict[str, Any]:
    """The default section merged with the network's own (a fork's upstream's when it has
    none of its own), unvalidated."""
    file = Path(path or DEFAULT_PATH)
    if not file.is_file():
        raise InputError(f"deploy config {file} does not exist")
    try:
        data = yaml.safe_load(file.read_text()) or {}
    except yaml.YAMLError as err:
        raise InputError(f"deploy config {file} is not valid YAML: {err}") from None
    if "default" not in data:
        raise InputError(f"deploy config {file} has no `default` section")
    # A fork rehearses its upstream network with that network's settings.
    section = data.get(network) or data.get(network.removesuffix("-fork")) or {}
    return _merge(data["default"], section)


def load(network: str, path: str | Path | None = None) -> DeployConfig:
    """Validated settings for `network` ("ecosystem:network")."""
    file = Path(path or DEFAULT_PATH)
    raw = load_raw(network, file)
    try:
        return DeployConfig.model_validate(raw)
    except ValidationError as err:
        raise _explain(err, file, network) from None


def separation_problems(config: DeployConfig, deployer: str, network: str) -> list[str]:
    """Why this role assignment defeats separation of duties (empty: it does not).

    Refused: a role left to the deployer on a live network (it must hold nothing after
    the deployment); an attestor who also configures minters; the compliance officer as
    master minter; a board member who also attests; on a live network, one key as both the
    digital som's issuer and its central-bank desk. On local chains only the checks that
    do not depend on explicit roles apply."""
    roles = config.roles
    problems = []
    if not is_local(network):
        for name, holders in config.holders().items():
            if not holders:
                problems.append(f"roles.{name} must be set explicitly on {network}")
            elif deployer in holders:
                problems.append(f"roles.{name} is the deploying account {deployer}")
    attestors = set(roles.attestors)
    if roles.master_minter and roles.master_minter in attestors:
        problems.append(f"{roles.master_minter} is both an attestor and the master minter")
    if roles.compliance and roles.compliance == roles.master_minter:
        problems.append(f"{roles.compliance} is both compliance and the master minter")
    for member in attestors & set(roles.board):
        problems.append(f"{member} is both an attestor and a board member")
    if not is_local(network) and roles.issuer and roles.issuer == roles.central_bank:
        problems.append(
            f"{roles.issuer} is both the digital som's issuer and the central-bank desk "
            "(it would both create money and lift wallets' limits)"
        )
    if len(roles.attestors) < config.stablecoin.attestation_threshold and not (
        config.stablecoin.reserve_feed
    ):
        problems.append(
            f"stablecoin.attestation_threshold {config.stablecoin.attestation_threshold} "
            f"exceeds the {len(roles.attestors)} configured attestors"
        )
    if not is_local(network) and config.governance.min_delay < 48 * 3600:
        problems.append(f"governance.min_delay {config.governance.min_delay} s is below 48 h")
    return problems
