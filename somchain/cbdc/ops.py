"""The digital som's own operator actions (issuance, wallets, tiers, payments), validated
from raw operator input. Freeze, seize, pause and roles are in `somchain.compliance.ops`,
shared with the stablecoin."""

from __future__ import annotations

from typing import Any

from somchain import display
from somchain.actions import Action, Read
from somchain.cbdc.tiers import MAX_RETAIL_TIER, MAX_TIER
from somchain.compliance.ops import role_holders
from somchain.constants import NO_LIMIT
from somchain.errors import InputError
from somchain.inputs import bytes32_text, checksummed, to_text, to_units

KIND_NONE, KIND_WALLET, KIND_BANK, KIND_TREASURY, KIND_CLOSED = 0, 1, 2, 3, 4
KINDS = {
    KIND_NONE: "none",
    KIND_WALLET: "wallet",
    KIND_BANK: "bank",
    KIND_TREASURY: "treasury",
    KIND_CLOSED: "closed wallet",
}
TIER_FIELDS = ("max_balance", "max_payment", "daily")
UNREGISTERED = (KIND_NONE, KIND_CLOSED)  # kinds that cannot hold the digital som


def tier(text: str | int) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise InputError(f"tier {text!r} is not a number from 0 to {MAX_TIER}") from None
    if not 0 <= value <= MAX_TIER:
        raise InputError(f"tier {value} is out of range 0..{MAX_TIER}")
    return value


def retail_tier(text: str | int) -> int:
    """A tier a bank may set: 0..MAX_RETAIL_TIER; above, only the central-bank desk."""
    value = tier(text)
    if value > MAX_RETAIL_TIER:
        raise InputError(
            f"tier {value} is institutional: a bank sets tiers 0..{MAX_RETAIL_TIER}; the "
            f"central-bank desk assigns it (ape run cbdc assign-tier WALLET {value})"
        )
    return value


def limit(text: str, decimals: int, what: str) -> int:
    """A limit in som, or `none` for no limit."""
    if str(text).strip().lower() in ("none", "unlimited"):
        return NO_LIMIT
    try:
        return to_units(text, decimals, allow_zero=True)
    except InputError as err:
        raise InputError(f"{what}: {err} (or `none` for no limit)") from None


def _holder_ok(som: Any, account: str, what: str):
    def check() -> str | None:
        if som.accountKind(account) in UNREGISTERED:
            return f"{what} {account} is not a registered wallet, bank or treasury"
        if som.isFrozen(account):
            return f"{what} {account} is frozen"
        return None

    return check


def issue(som: Any, sender: str, bank: str, amount: str) -> Action:
    bank = checksummed(bank, "bank")
    units = to_units(amount, som.decimals())

    def within_allowance() -> str | None:
        left = som.issuanceAllowance(sender)
        if units > left:
            return (
                f"amount {amount} exceeds the issuer's allowance of "
                f"{to_text(left, som.decimals())} (the board raises it through the timelock)"
            )
        return None

    return Action(
        som,
        "issue",
        [bank, units],
        f"issue {display.amount(units, som.decimals(), som.symbol())} to bank {bank}",
        role="ISSUER_ROLE",
        needs_unpaused=True,
        checks=[
            lambda: None if som.accountKind(bank) == KIND_BANK else f"{bank} is not a bank",
            within_allowance,
        ],
        watch=[bank],
    )


def redeem(som: Any, sender: str, amount: str) -> Action:
    units = to_units(amount, som.decimals())

    def enough() -> str | None:
        balance = som.balanceOf(sender)
        if balance < units:
            return (
                f"amount {amount} exceeds the bank's balance of {to_text(balance, som.decimals())}"
            )
        return None

    return Action(
        som,
        "redeem",
        [units],
        f"redeem (burn) {display.amount(units, som.decimals(), som.symbol())} "
        f"held by bank {sender}",
        role="BANK_ROLE",
        needs_unpaused=True,
        checks=[enough],
        watch=[sender],
    )


def register_wallet(som: Any, sender: str, wallet: str, tier_text: str) -> Action:
    wallet = checksummed(wallet, "wallet")
    t = retail_tier(tier_text)
    return Action(
        som,
        "registerWallet",
        [wallet, t],
        f"register wallet {wallet} at tier {t}, linked to bank {sender}",
        role="BANK_ROLE",
        checks=[
            lambda: (
                f"{wallet} is already registered as a {KINDS[som.accountKind(wallet)]}"
                if som.accountKind(wallet) not in UNREGISTERED
                else None
            )
        ],
        watch=[wallet],
    )


def set_tier(som: Any, sender: str, wallet: str, tier_text: str) -> Action:
    wallet = checksummed(wallet, "wallet")
    t = retail_tier(tier_text)

    def linked() -> str | None:
        current, bank, registered = som.walletOf(wallet)
        if not registered:
            return f"{wallet} is not a registered wallet"
        if bank != sender:
            return f"{wallet} is linked to bank {bank}, not to {sender}"
        if current == t:
            return f"{wallet} is already at tier {t}"
        return None

    return Action(
        som,
        "setWalletTier",
        [wallet, t],
        f"move wallet {wallet} to tier {t}",
        role="BANK_ROLE",
        checks=[linked],
        watch=[wallet],
    )


def set_issuance_allowance(som: Any, sender: str, issuer: str, amount: str) -> Action:
    """What the issuer may still issue (an admin action: the governance timelock)."""
    issuer = checksummed(issuer, "issuer")
    units = to_units(amount, som.decimals(), allow_zero=True)
    return Action(
        som,
        "setIssuanceAllowance",
        [issuer, units],
        f"let issuer {issuer} issue up to {display.amount(units, som.decimals(), som.symbol())}",
        role="DEFAULT_ADMIN_ROLE",
        checks=[
            lambda: (
                None
                if som.hasRole(som.ISSUER_ROLE(), issuer)
                else f"{issuer} does not hold ISSUER_ROLE"
            )
        ],
    )


def assign_tier(som: Any, sender: str, wallet: str, tier_text: str) -> Action:
    """Any tier, institutional ones included (the central bank's desk)."""
    wallet = checksummed(wallet, "wallet")
    t = tier(tier_text)

    def registered() -> str | None:
        current, _, is_registered = som.walletOf(wallet)
        if not is_registered:
            return f"{wallet} is not a registered wallet"
        if current == t:
            return f"{wallet} is already at tier {t}"
        return None

    return Action(
        som,
        "assignWalletTier",
        [wallet, t],
        f"move wallet {wallet} to tier {t} (central bank)",
        role="CENTRAL_BANK_ROLE",
        checks=[registered],
        watch=[wallet],
    )


def close_wallet(som: Any, sender: str, wallet: str) -> Action:
    wallet = checksummed(wallet, "wallet")

    def closable() -> str | None:
        _, bank, registered = som.walletOf(wallet)
        if not registered:
            return f"{wallet} is not a registered wallet"
        if sender not in (bank, wallet):
            return f"{wallet} is linked to bank {bank}; only that bank or the wallet may close it"
        balance = som.balanceOf(wallet)
        if balance:
            return (
                f"{wallet} still holds {display.amount(balance, som.decimals(), som.symbol())}; "
                "empty it first"
            )
        return None

    return Action(
        som, "closeWallet", [wallet], f"close wallet {wallet}", checks=[closable], watch=[wallet]
    )


def relink_wallet(som: Any, sender: str, wallet: str, new_bank: str) -> Action:
    wallet = checksummed(wallet, "wallet")
    new_bank = checksummed(new_bank, "bank")

    def relinkable() -> str | None:
        _, bank, registered = som.walletOf(wallet)
        if not registered:
            return f"{wallet} is not a registered wallet"
        if som.accountKind(new_bank) != KIND_BANK:
            return f"{new_bank} is not a bank"
        if bank == new_bank:
            return f"{wallet} is already linked to {new_bank}"
        return None

    return Action(
        som,
        "relinkWallet",
        [wallet, new_bank],
        f"link wallet {wallet} to bank {new_bank}",
        role="DEFAULT_ADMIN_ROLE",
        checks=[relinkable],
        watch=[wallet],
    )


def set_tier_limits(
    som: Any, sender: str, tier_text: str, max_balance: str, max_payment: str, daily: str
) -> Action:
    t = tier(tier_text)
    decimals = som.decimals()
    values = [
        limit(max_balance, decimals, "max balance"),
        limit(max_payment, decimals, "max payment"),
        limit(daily, decimals, "daily limit"),
    ]
    symbol = som.symbol()

    def limits(found: tuple) -> str:
        shown = [display.amount(int(v), decimals, symbol) for v in found]
        return f"balance {shown[0]}, payment {shown[1]}, daily {shown[2]}"

    return Action(
        som,
        "setTierLimits",
        [t, *values],
        f"set tier {t} limits: {limits(tuple(values))}",
        role="DEFAULT_ADMIN_ROLE",
        reads=[Read(f"tier {t} limits", "tierLimits(uint8)", (t,), ("uint256",) * 3, limits)],
    )


def pay(som: Any, sender: str, to: str, amount: str, reference: str | None) -> Action:
    to = checksummed(to, "payee")
    units = to_units(amount, som.decimals())

    def payable() -> str | None:
        balance = som.balanceOf(sender)
        if balance < units:
            return (
                f"amount {amount} exceeds the payer's balance of {to_text(balance, som.decimals())}"
            )
        return None

    checks = [_holder_ok(som, sender, "payer"), _holder_ok(som, to, "payee"), payable]
    if reference is None:
        return Action(
            som,
            "transfer",
            [to, units],
            f"pay {display.amount(units, som.decimals(), som.symbol())} to {to}",
            needs_unpaused=True,
            checks=checks,
            watch=[sender, to],
        )
    return Action(
        som,
        "transferWithReference",
        [to, units, bytes32_text(reference, "payment reference")],
        f"pay {display.amount(units, som.decimals(), som.symbol())} to {to} "
        f"with reference {reference}",
        needs_unpaused=True,
        checks=checks,
        watch=[sender, to],
    )


def status(som: Any, wallets: list[str] | None = None, start_block: int = 0) -> dict[str, Any]:
    """Supply, pause state, the admin, every role's holders (from the role events since
    `start_block`), the tier limits and the given accounts. Amounts are exact decimal
    strings ("no limit" for the unlimited value): the form `--json` prints."""
    decimals = som.decimals()

    def exact(units: int) -> str:
        return "no limit" if units >= display.UNLIMITED else display.plain_amount(units, decimals)

    tiers = {}
    raw_tiers = {}
    for t in range(MAX_TIER + 1):
        raw = [int(v) for v in som.tierLimits(t)]
        raw_tiers[t] = raw
        tiers[t] = {name: exact(v) for name, v in zip(TIER_FIELDS, raw, strict=True)}
    accounts = {}
    raw_balances = {}
    for wallet in wallets or []:
        current, bank, registered = som.walletOf(wallet)
        balance = int(som.balanceOf(wallet))
        raw_balances[wallet] = balance
        accounts[wallet] = {
            "kind": KINDS[som.accountKind(wallet)],
            "tier": current if registered else None,
            "bank": bank if registered else None,
            "balance": exact(balance),
            "frozen": som.isFrozen(wallet),
        }
    supply = int(som.totalSupply())
    return {
        "cbdc": som.address,
        "name": som.name(),
        "symbol": som.symbol(),
        "decimals": decimals,
        "supply": exact(supply),
        "paused": som.paused(),
        "admin": som.defaultAdmin(),
        "roles": role_holders(som, start_block),
        "tier_limits": tiers,
        "accounts": accounts,
        "_raw": {"supply": supply, "tiers": raw_tiers, "balances": raw_balances},
    }


def status_lines(report: dict[str, Any], names: dict[str, str] | None = None) -> list[str]:
    """The status as aligned lines for a person (see `somchain.display`)."""
    decimals, symbol, raw = report["decimals"], report["symbol"], report["_raw"]

    def amount(units: int) -> str:
        return display.amount(units, decimals, symbol)

    lines = display.rows(
        [
            ("cbdc", display.named(report["cbdc"], names)),
            ("name", f"{report['name']} ({symbol}, {decimals} decimals)"),
            ("supply", amount(raw["supply"])),
            ("paused", "yes" if report["paused"] else "no"),
            ("admin", display.named(report["admin"], names)),
        ]
    )
    lines.append("tier limits (balance / payment / daily)")
    for t, limits in raw["tiers"].items():
        lines.append(f"  {t}  " + " / ".join(amount(v) for v in limits))
    for wallet, info in report["accounts"].items():
        lines.append(f"account {display.named(wallet, names)}")
        lines += [
            "  " + line
            for line in display.rows(
                [
                    ("kind", info["kind"]),
                    ("tier", "-" if info["tier"] is None else str(info["tier"])),
                    ("bank", display.named(info["bank"], names)),
                    ("balance", amount(raw["balances"][wallet])),
                    ("frozen", "yes" if info["frozen"] else "no"),
                ]
            )
        ]
    return lines + display.role_lines(report["roles"], names)
