"""Deployment of each part with its roles, recorded in the chain's manifest.

A part already in the manifest (with code at its address) is left alone unless `force`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ape import chain, project

from somchain import manifest
from somchain.cbdc import TierLimits, apply_default_tiers
from somchain.deploy import Deployed, deploy_proxied
from somchain.errors import InputError
from somchain.reserve import ZERO_ADDRESS
from somchain.reserve import deploy_reserve as deploy_reserve_contracts

Echo = Callable[[str], None]


@dataclass
class Outcome:
    """What a deploy step did: the manifest keys it wrote, or found already deployed."""

    deployed: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def _holder(settings: dict, role: str, deployer: Any) -> str:
    value = settings.get("roles", {}).get(role)
    return value or deployer.address


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _block_of(txn_hash: str) -> int:
    return chain.provider.get_receipt(txn_hash).block_number


def _proxied_entry(d: Deployed, initializer_args: list, deployer: Any) -> dict:
    return {
        "contract": d.contract.contract_type.name,
        "address": d.contract.address,
        "implementation": d.implementation.address,
        "tx": d.proxy_txn_hash,
        "block": _block_of(d.proxy_txn_hash),
        "implementation_tx": d.implementation_txn_hash,
        "implementation_block": _block_of(d.implementation_txn_hash),
        "constructor_args": [],
        "initializer": {"function": "initialize", "args": initializer_args},
        "deployer": deployer.address,
        "deployed_at": _now(),
    }


def _plain_entry(contract: Any, args: list, deployer: Any) -> dict:
    return {
        "contract": contract.contract_type.name,
        "address": contract.address,
        "tx": contract.txn_hash,
        "block": _block_of(contract.txn_hash),
        "constructor_args": args,
        "deployer": deployer.address,
        "deployed_at": _now(),
    }


def is_deployed(key: str) -> dict | None:
    """The manifest entry of `key` on the connected chain, if its code is there."""
    entry = manifest.entry(chain.chain_id, key)
    if entry and chain.provider.get_code(entry["address"]):
        return entry
    return None


def _already_deployed(key: str, echo: Echo) -> Outcome | None:
    """An outcome naming `key` as existing when the manifest holds it with code, else None."""
    entry = is_deployed(key)
    if entry is None:
        return None
    echo(f"{key} already deployed at {entry['address']} (use --force to redeploy)")
    return Outcome(existing=[key])


def _record(network: str, key: str, entry: dict) -> None:
    data = manifest.load(chain.chain_id)
    data["network"] = network
    data["compiler"] = manifest.compiler_settings()
    data["git_commit"] = manifest.git_commit()
    data.setdefault("contracts", {})[key] = entry
    manifest.save(data)


def _grant(contract: Any, roles: list[tuple[str, str]], deployer: Any, echo: Echo) -> None:
    for role, holder in roles:
        rid = getattr(contract, role)()
        if not contract.hasRole(rid, holder):
            contract.grantRole(rid, holder, sender=deployer)
            echo(f"  granted {role} to {holder}")


def _hand_over_admin(contract: Any, admin: str, deployer: Any, echo: Echo) -> None:
    if admin != deployer.address:
        contract.beginDefaultAdminTransfer(admin, sender=deployer)
        echo(f"  began the admin handover to {admin}; it accepts after the delay")


def deploy_stablecoin(
    deployer: Any, settings: dict, network: str, force: bool = False, echo: Echo = print
) -> Outcome:
    """The attestation feed (unless a feed is configured) and the stablecoin with its roles."""
    if not force and (existing := _already_deployed("stablecoin", echo)):
        return existing
    outcome = Outcome()
    cfg = settings["stablecoin"]
    delay = int(settings["admin_delay"])
    feed_address = cfg.get("reserve_feed")
    if not feed_address:
        args = [
            int(cfg["attestation_decimals"]),
            f"{cfg['symbol']} fiat reserve",
            deployer.address,
            delay,
        ]
        feed = project.ReserveAttestation.deploy(*args, sender=deployer)
        echo(f"deployed ReserveAttestation at {feed.address}")
        _grant(feed, [("ATTESTOR_ROLE", _holder(settings, "attestor", deployer))], deployer, echo)
        _record(network, "attestation", _plain_entry(feed, args, deployer))
        outcome.deployed.append("attestation")
        feed_address = feed.address
    init = [cfg["name"], cfg["symbol"], int(cfg["decimals"]), deployer.address, delay]
    d = deploy_proxied(project.NationalStablecoin, init, deployer)
    token = d.contract
    echo(f"deployed NationalStablecoin proxy at {token.address}")
    echo(f"  implementation {d.implementation.address}")
    _grant(
        token,
        [
            ("MASTER_MINTER_ROLE", _holder(settings, "master_minter", deployer)),
            ("PAUSER_ROLE", _holder(settings, "pauser", deployer)),
            ("COMPLIANCE_ROLE", _holder(settings, "compliance", deployer)),
            ("RESCUER_ROLE", _holder(settings, "rescuer", deployer)),
            ("UPGRADER_ROLE", _holder(settings, "upgrader", deployer)),
        ],
        deployer,
        echo,
    )
    token.setReserveFeed(feed_address, int(cfg["reserve_max_age"]), sender=deployer)
    echo(f"  reserve feed {feed_address}, max age {cfg['reserve_max_age']} s")
    _hand_over_admin(token, _holder(settings, "admin", deployer), deployer, echo)
    _record(network, "stablecoin", _proxied_entry(d, init, deployer))
    outcome.deployed.append("stablecoin")
    return outcome


def _tiers(cfg: dict) -> dict[int, TierLimits]:
    tiers = {}
    for tier, limits in (cfg.get("tiers") or {}).items():
        if not isinstance(limits, list) or len(limits) != 3:
            raise InputError(f"cbdc tier {tier}: expected [max balance, max payment, daily limit]")
        tiers[int(tier)] = TierLimits(*limits)
    return tiers


def deploy_cbdc(
    deployer: Any, settings: dict, network: str, force: bool = False, echo: Echo = print
) -> Outcome:
    """The digital som with its roles, banks and tier limits."""
    if not force and (existing := _already_deployed("cbdc", echo)):
        return existing
    outcome = Outcome()
    cfg = settings["cbdc"]
    tiers = _tiers(cfg)
    init = [
        cfg["name"],
        cfg["symbol"],
        int(cfg["decimals"]),
        deployer.address,
        int(settings["admin_delay"]),
    ]
    d = deploy_proxied(project.DigitalSom, init, deployer)
    som = d.contract
    echo(f"deployed DigitalSom proxy at {som.address}")
    echo(f"  implementation {d.implementation.address}")
    roles = [
        ("ISSUER_ROLE", _holder(settings, "issuer", deployer)),
        ("TREASURY_ROLE", _holder(settings, "treasury", deployer)),
        ("PAUSER_ROLE", _holder(settings, "pauser", deployer)),
        ("COMPLIANCE_ROLE", _holder(settings, "compliance", deployer)),
        ("RESCUER_ROLE", _holder(settings, "rescuer", deployer)),
        ("UPGRADER_ROLE", _holder(settings, "upgrader", deployer)),
    ]
    roles += [("BANK_ROLE", bank) for bank in settings.get("roles", {}).get("banks") or []]
    _grant(som, roles, deployer, echo)
    apply_default_tiers(som, deployer, tiers or None)
    echo(f"  tier limits set for tiers {sorted(tiers) or 'default'}")
    _hand_over_admin(som, _holder(settings, "admin", deployer), deployer, echo)
    _record(network, "cbdc", _proxied_entry(d, init, deployer))
    outcome.deployed.append("cbdc")
    return outcome


def deploy_reserve(
    deployer: Any, settings: dict, network: str, force: bool = False, echo: Echo = print
) -> Outcome:
    """The reserve's timelock (the committee proposes) and the vault it governs."""
    if not force and (existing := _already_deployed("reserve", echo)):
        return existing
    outcome = Outcome()
    cfg = settings["reserve"]
    committee = _holder(settings, "committee", deployer)
    guardian = _holder(settings, "guardian", deployer)
    operator = _holder(settings, "operator", deployer)
    executors = [ZERO_ADDRESS] if cfg.get("open_execution") else [committee]
    min_delay, max_age = int(cfg["min_delay"]), int(cfg["max_price_age"])
    deployed = deploy_reserve_contracts(
        deployer, committee, guardian, operator, min_delay, max_age, executors=executors
    )
    timelock, vault = deployed.timelock, deployed.vault
    echo(f"deployed ReserveTimelock at {timelock.address}")
    echo(f"  delay {min_delay} s, proposer {committee}")
    echo(f"deployed ReserveVault at {vault.address} (guardian {guardian}, operator {operator})")
    timelock_args = [min_delay, [committee], executors, ZERO_ADDRESS]
    _record(network, "timelock", _plain_entry(timelock, timelock_args, deployer))
    _record(
        network,
        "reserve",
        _plain_entry(vault, [timelock.address, guardian, operator, max_age], deployer),
    )
    outcome.deployed += ["timelock", "reserve"]
    return outcome
