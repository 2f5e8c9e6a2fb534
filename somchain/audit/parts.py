"""The deployment's parts as the audit sees them: one list, read by the indexer, the
on-chain reads, the checks and the report. Nothing else spells out a part's key, contract
or roles."""

from __future__ import annotations

from dataclasses import dataclass

from eth_utils import keccak

# Reads a part can ask for (somchain.audit.onchain has one function per name).
TOKEN, ROLES, MINTERS, FEED, CODE, CBDC, RESERVE, GOVERNANCE, DESK = (
    "token",
    "roles",
    "minters",
    "feed",
    "code",
    "cbdc",
    "reserve",
    "governance",
    "desk",
)


@dataclass(frozen=True)
class Part:
    """One audited contract: its manifest key, its contract name in the build, the roles
    it defines (DEFAULT_ADMIN_ROLE included), the reads made of it and the checks run."""

    key: str
    contract: str
    roles: tuple[str, ...]
    reads: tuple[str, ...]
    checks: tuple[str, ...]

    @property
    def is_token(self) -> bool:
        return TOKEN in self.reads


_TOKEN_ADMIN = ("DEFAULT_ADMIN_ROLE", "RESCUER_ROLE", "UPGRADER_ROLE")

PARTS: tuple[Part, ...] = (
    Part(
        "stablecoin",
        "NationalStablecoin",
        (*_TOKEN_ADMIN, "MASTER_MINTER_ROLE", "PAUSER_ROLE", "COMPLIANCE_ROLE"),
        (TOKEN, ROLES, MINTERS, FEED, CODE),
        ("supply", "coverage", "journal", "roles", "frozen", "code", "sanctions"),
    ),
    Part(
        "cbdc",
        "DigitalSom",
        (
            *_TOKEN_ADMIN,
            "ISSUER_ROLE",
            "CENTRAL_BANK_ROLE",
            "BANK_ROLE",
            "TREASURY_ROLE",
            "PAUSER_ROLE",
            "COMPLIANCE_ROLE",
        ),
        (TOKEN, ROLES, CODE, CBDC),
        ("supply", "journal", "roles", "frozen", "code", "cbdc", "sanctions"),
    ),
    Part(
        "attestation",
        "ReserveAttestation",
        ("DEFAULT_ADMIN_ROLE", "ATTESTOR_ROLE"),
        (ROLES, CODE),
        ("roles", "code"),
    ),
    Part(
        "reserve",
        "ReserveVault",
        ("DEFAULT_ADMIN_ROLE", "GOVERNOR_ROLE", "OPERATOR_ROLE", "GUARDIAN_ROLE"),
        (ROLES, CODE, RESERVE),
        ("roles", "code", "reserve"),
    ),
    Part(
        "desk",
        "ConversionDesk",
        ("DEFAULT_ADMIN_ROLE", "PAUSER_ROLE"),
        (ROLES, DESK),
        ("roles", "desk"),
    ),
    Part(
        "timelock",
        "GovernanceTimelock",
        ("DEFAULT_ADMIN_ROLE", "PROPOSER_ROLE", "EXECUTOR_ROLE", "CANCELLER_ROLE"),
        (ROLES, CODE, GOVERNANCE),
        ("roles", "code", "governance"),
    ),
)

KEYS: tuple[str, ...] = tuple(p.key for p in PARTS)
BY_KEY: dict[str, Part] = {p.key: p for p in PARTS}
TOKENS: tuple[str, ...] = tuple(p.key for p in PARTS if p.is_token)
CONTRACTS: tuple[str, ...] = tuple(p.contract for p in PARTS)


def keys_with_check(check_id: str) -> tuple[str, ...]:
    """Keys of the parts a check runs for, in PARTS order."""
    return tuple(p.key for p in PARTS if check_id in p.checks)


def keys_with_read(read: str) -> tuple[str, ...]:
    return tuple(p.key for p in PARTS if read in p.reads)


def _role_id(name: str) -> str:
    return "0x" + ("00" * 32 if name == "DEFAULT_ADMIN_ROLE" else keccak(text=name).hex())


# role id (0x + 64 hex) -> role name, for every role any part defines
ROLE_NAMES: dict[str, str] = {_role_id(n): n for p in PARTS for n in p.roles}


def role_ids(key: str) -> list[str]:
    """Role ids the part with manifest key `key` defines."""
    return [_role_id(n) for n in BY_KEY[key].roles] if key in BY_KEY else []


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role.lower(), role)


def present(manifest: dict) -> list[Part]:
    """The parts a manifest deploys, in PARTS order."""
    entries = manifest.get("contracts", {})
    return [p for p in PARTS if p.key in entries]
