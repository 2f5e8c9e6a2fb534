"""`watch.yaml`: which rules run, their thresholds in token units, where alerts go and
which rules may pause a token. Validated with pydantic; a bad file is one clear line.

Every section is optional: an empty file (or none) runs every rule with the defaults
below and prints alerts as JSON lines on stdout.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from somchain.errors import InputError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Rule(_Strict):
    """A rule's switch, whether a firing pauses the token (the circuit breaker) and its
    severity in the alert."""

    enabled: bool = True
    pause: bool = False
    severity: Literal["info", "warning", "critical"] = "warning"


class LargeMint(Rule):
    threshold: Decimal = Field(default=Decimal(100_000), gt=0, description="token units")


class MintVelocity(Rule):
    threshold: Decimal = Field(default=Decimal(500_000), gt=0, description="token units per window")
    window_seconds: int = Field(default=3_600, gt=0)
    per_minter: bool = True


class AttestationAge(Rule):
    share_of_max_age: float = Field(default=0.8, gt=0, le=1)


class Coverage(Rule):
    minimum_percent: Decimal = Field(default=Decimal(100), gt=0)
    severity: Literal["info", "warning", "critical"] = "critical"


class ReserveOutflow(Rule):
    threshold: Decimal = Field(
        default=Decimal(0), ge=0, description="asset units; 0 alerts on every one"
    )


class Sanctions(Rule):
    list: Path | None = None
    severity: Literal["info", "warning", "critical"] = "critical"


class LargeIssuance(Rule):
    threshold: Decimal = Field(default=Decimal(1_000_000), gt=0, description="digital som units")


class Rules(_Strict):
    timelock: Rule = Rule(severity="critical")
    roles: Rule = Rule(severity="critical")
    pause: Rule = Rule(severity="critical")
    freeze: Rule = Rule()
    minters: Rule = Rule()
    large_mint: LargeMint = LargeMint()
    mint_velocity: MintVelocity = MintVelocity(severity="critical")
    attestation_age: AttestationAge = AttestationAge()
    coverage: Coverage = Coverage()
    attestation_round: Rule = Rule(severity="info")
    reserve_outflow: ReserveOutflow = ReserveOutflow()
    safe: Rule = Rule(severity="critical")
    sanctions: Sanctions = Sanctions()
    cbdc_tiers: Rule = Rule()
    cbdc_issuance: LargeIssuance = LargeIssuance()
    cbdc_batch: Rule = Rule(severity="info")


class Webhook(_Strict):
    """A receiver of POSTed alerts. `json`: the alert as JSON, signed with HMAC-SHA256 of
    the body under the secret read from `secret_env` (header X-Somchain-Signature:
    sha256=<hex>); `slack` / `discord`: the incoming-webhook formats ({"text": ...} /
    {"content": ...})."""

    url: str
    format: Literal["json", "slack", "discord"] = "json"
    secret_env: str | None = None
    timeout: float = Field(default=5.0, gt=0)


class Email(_Strict):
    host: str
    port: int = 25
    sender: str
    to: list[str] = Field(min_length=1)
    starttls: bool = False
    username_env: str | None = None
    password_env: str | None = None


class Delivery(_Strict):
    stdout: bool = True
    file: Path | None = None
    webhooks: list[Webhook] = []
    email: Email | None = None
    retry_base_seconds: float = Field(default=1.0, gt=0)
    retry_max_seconds: float = Field(default=300.0, gt=0)


class Governance(_Strict):
    """What the cancel command an alert shows names: the network and the canceller's
    ape account alias."""

    network: str | None = None
    cancel_account: str | None = None


class WatchConfig(_Strict):
    confirmations: int = Field(default=2, ge=0)
    poll_seconds: float = Field(default=1.0, gt=0)
    start_block: int | None = Field(default=None, ge=0)
    max_lag_seconds: int = Field(default=120, gt=0, description="health turns 503 beyond it")
    rules: Rules = Rules()
    delivery: Delivery = Delivery()
    governance: Governance = Governance()


def load(path: str | Path | None) -> WatchConfig:
    """The configuration in `path` (defaults when None); InputError names what is wrong."""
    if path is None:
        return WatchConfig()
    file = Path(path)
    if not file.is_file():
        raise InputError(f"watch config {path} does not exist")
    try:
        data = yaml.safe_load(file.read_text()) or {}
    except yaml.YAMLError as err:
        raise InputError(f"watch config {path} is not YAML: {err}".splitlines()[0]) from None
    try:
        return WatchConfig.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InputError(f"watch config {path}: {where}: {first['msg']}") from None
