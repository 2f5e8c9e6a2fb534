"""The on-chain reads the checks compare the index with, all made at the audited block."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from eth_utils import function_signature_to_4byte_selector, keccak

from somchain.audit import parts
from somchain.audit.abi import hexstr
from somchain.compliance.sanctions import SanctionsList
from somchain.rpc import Reader

# The manifest's key of the stablecoin's MintController (read with the stablecoin).
MINT_CONTROLLER = "mint_controller"
IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC


def _at_block(w3: Any, method: Any, *args: Any, block: int) -> Any:
    """`method(*args, block)`; the embedded chain refuses some numbered blocks for state
    reads, and the head is then asked for as "latest"."""
    try:
        return method(*args, block)
    except Exception:
        if block != w3.eth.block_number:
            raise
        return method(*args, "latest")


# ---------------------------------------------------------------- what is read


@dataclass
class TokenReads:
    """A token's state at the audited block: supply, pause, and the accounts read."""

    total_supply: int
    decimals: int
    symbol: str
    paused: bool
    balances: dict[str, int]  # account -> balanceOf, for the accounts verified
    balance_mode: str  # "complete" or "sampled"
    frozen: dict[str, bool]  # account -> isFrozen
    frozen_balances: dict[str, int]


@dataclass
class MinterReads:
    is_minter: bool
    allowance: int
    capacity: int = 0  # the minter's rate limit (`minterRateLimit`); zero: none
    refill_per_second: int = 0


@dataclass
class MintControlReads:
    """The deployment's MintController: the budget left to give, the board's grants, the
    token's minters that hold its MASTER_MINTER_ROLE, and whether the controller holds the
    token's MASTER_MINTER_ROLE."""

    address: str
    budget: int
    granted: int
    master_minters_minting: list[str]
    holds_token_role: bool


@dataclass
class FeedReads:
    """The reserve feed the stablecoin reads (`reserveFeed()`) and its latest round."""

    address: str
    max_age: int
    decimals: int | None = None
    round_id: int | None = None
    answer: int | None = None
    updated_at: int | None = None


@dataclass
class CodeReads:
    code: str
    implementation_slot: str | None = None


@dataclass
class WalletReads:
    tier: int
    bank: str
    registered: bool


@dataclass
class TierReads:
    max_balance: int
    max_payment: int
    daily_limit: int


@dataclass
class CbdcReads:
    wallets: dict[str, WalletReads]
    tiers: dict[int, TierReads]
    batches: dict[tuple[str, str], bool]  # (treasury, batch id) -> content recorded
    balances: dict[str, int]  # wallet -> balanceOf, for the wallets read


@dataclass
class AssetReads:
    symbol: str
    decimals: int
    feed: str
    max_share_bps: int
    daily_outflow_limit: int
    balance: int


@dataclass
class HoldingReads:
    asset: str
    balance: int
    price: int
    value: int


@dataclass
class ReserveReads:
    assets: dict[str, AssetReads]
    holdings: list[HoldingReads] | None  # None when the valuation reverted
    total_value: int | None
    within_policy: bool | None
    breaches: list[dict[str, Any]]
    error: str | None
    max_price_age: int


@dataclass
class DeskReads:
    """The conversion desk's tokens, its unit factors and what it holds of each token."""

    kgst: str
    som: str
    kgst_per_unit: int
    som_per_unit: int
    held_kgst: int
    held_som: int


@dataclass
class ChainReads:
    """Everything the checks read from the chain at the audited block, per part."""

    tokens: dict[str, TokenReads] = field(default_factory=dict)
    roles: dict[str, dict[str, dict[str, bool]]] = field(default_factory=dict)
    minters: dict[str, MinterReads] = field(default_factory=dict)
    mint_control: MintControlReads | None = None
    feed: FeedReads | None = None
    code: dict[str, CodeReads] = field(default_factory=dict)
    cbdc: CbdcReads | None = None
    reserve: ReserveReads | None = None
    immutables: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    timelock_delay: int | None = None  # the governance timelock's getMinDelay()
    desk: DeskReads | None = None


# ---------------------------------------------------------------- reads per part


def read_tokens(
    r: Reader, token: str, view: Any, listed: set[str], accounts: list[str], mode: str
) -> TokenReads:
    """Supply, decimals, symbol and pause; balanceOf and isFrozen of `accounts` and of
    every ever-frozen, seized or listed account the index knows."""
    must = set(view.frozen(token)) | view.seized(token) | set(view.balances_of(token, listed))
    verified = sorted(set(accounts) | must)
    balances = r.many([(token, "balanceOf(address)", [a]) for a in verified], ["uint256"])
    frozen = r.many([(token, "isFrozen(address)", [a]) for a in verified], ["bool"])
    by_account = dict(zip(verified, balances, strict=True))
    return TokenReads(
        total_supply=r.call(token, "totalSupply()", [], ["uint256"]),
        decimals=r.call(token, "decimals()", [], ["uint8"]),
        symbol=r.call(token, "symbol()", [], ["string"]),
        paused=r.call(token, "paused()", [], ["bool"]),
        balances=by_account,
        balance_mode=mode,
        frozen=dict(zip(verified, frozen, strict=True)),
        frozen_balances={a: by_account[a] for a in sorted(must)},
    )


def read_roles(r: Reader, key: str, address: str, view: Any) -> dict[str, dict[str, bool]]:
    """role -> account -> hasRole, for every (role, account) the index ever saw and every
    role of the part for accounts that sent an administrative transaction without one."""
    seen = view.role_accounts_seen(address)
    unseen_actors = view.actors(address) - set().union(*seen.values())
    pairs = sorted(
        {(role, account) for role, accounts in seen.items() for account in accounts}
        | {(role, a) for role in parts.role_ids(key) for a in unseen_actors}
    )
    has = r.many(
        [(address, "hasRole(bytes32,address)", [bytes.fromhex(role[2:]), a]) for role, a in pairs],
        ["bool"],
    )
    roles: dict[str, dict[str, bool]] = {}
    for (role, account), value in zip(pairs, has, strict=True):
        roles.setdefault(role, {})[account] = value
    return roles


def read_minters(r: Reader, token: str, view: Any) -> dict[str, MinterReads]:
    """isMinter, minterAllowance and the rate limit of every minter the index knows."""
    names = sorted(view.minters(token))
    is_minter = r.many([(token, "isMinter(address)", [m]) for m in names], ["bool"])
    allowance = r.many([(token, "minterAllowance(address)", [m]) for m in names], ["uint256"])
    limits = r.many(
        [(token, "minterRateLimit(address)", [m]) for m in names],
        ["uint256", "uint256", "uint256"],
    )
    return {
        m: MinterReads(i, a, limit[0], limit[1])
        for m, i, a, limit in zip(names, is_minter, allowance, limits, strict=True)
    }


MASTER_MINTER_ROLE = keccak(text="MASTER_MINTER_ROLE")


def read_mint_control(
    r: Reader, controller: str, token: str, minters: dict[str, MinterReads]
) -> MintControlReads:
    """The MintController's budget and grants, which current minters hold its
    MASTER_MINTER_ROLE, and whether it holds the token's."""
    current = sorted(m for m, reads in minters.items() if reads.is_minter)
    roles = r.many(
        [(controller, "hasRole(bytes32,address)", [MASTER_MINTER_ROLE, m]) for m in current],
        ["bool"],
    )
    return MintControlReads(
        controller,
        r.call(controller, "mintBudget()", [], ["uint256"]),
        r.call(controller, "mintBudgetGranted()", [], ["uint256"]),
        [m for m, held in zip(current, roles, strict=True) if held],
        r.call(token, "hasRole(bytes32,address)", [MASTER_MINTER_ROLE, controller], ["bool"]),
    )


def read_feed(r: Reader, token: str) -> FeedReads:
    """The stablecoin's reserve feed and that feed's latest round."""
    feed, max_age = r.call(token, "reserveFeed()", [], ["address", "uint256"])
    out = FeedReads(feed.lower(), max_age)
    if int(feed, 16):
        rid, answer, _, updated, _ = r.call(
            feed, "latestRoundData()", [], ["uint80", "int256", "uint256", "uint256", "uint80"]
        )
        out.decimals = r.call(feed, "decimals()", [], ["uint8"])
        out.round_id, out.answer, out.updated_at = rid, answer, updated
    return out


def read_code(w3: Any, entry: dict[str, Any], block: int) -> CodeReads:
    """Runtime code at the part's address, or at its implementation behind a proxy."""
    target, slot = entry["address"], None
    if entry.get("implementation"):
        word = _at_block(
            w3,
            w3.eth.get_storage_at,
            w3.to_checksum_address(entry["address"]),
            IMPLEMENTATION_SLOT,
            block=block,
        )
        slot = "0x" + bytes(word)[-20:].hex()
        target = slot
    code = hexstr(_at_block(w3, w3.eth.get_code, w3.to_checksum_address(target), block=block))
    return CodeReads(code, slot)


def read_cbdc(r: Reader, som: str, view: Any, token: TokenReads | None) -> CbdcReads:
    """Wallet registrations, tier limits and the paid flags of the index's batches."""
    wallets = sorted(view.wallets(som))
    info = r.many([(som, "walletOf(address)", [w]) for w in wallets], ["uint8", "address", "bool"])
    tiers = r.many(
        [(som, "tierLimits(uint8)", [t]) for t in range(5)], ["uint256", "uint256", "uint256"]
    )
    keys = [(b["treasury"], b["batchId"]) for b in view.batches(som)]
    contents = r.many(
        [(som, "batchContent(address,bytes32)", [t, bytes.fromhex(i[2:])]) for t, i in keys],
        ["bytes32"],
    )
    paid = [any(bytes(c)) for c in contents]
    read_balances = token.balances if token else {}
    wanted = set(wallets)
    return CbdcReads(
        wallets={
            w: WalletReads(t, b.lower(), reg) for w, (t, b, reg) in zip(wallets, info, strict=True)
        },
        tiers={i: TierReads(*limits) for i, limits in enumerate(tiers)},
        batches=dict(zip(keys, paid, strict=True)),
        balances={w: v for w, v in read_balances.items() if w in wanted},
    )


def read_desk(r: Reader, desk: str) -> DeskReads:
    """The desk's two tokens (as it names them), its unit factors and its balances."""
    kgst = r.call(desk, "kgst()", [], ["address"]).lower()
    som = r.call(desk, "som()", [], ["address"]).lower()
    return DeskReads(
        kgst,
        som,
        r.call(desk, "kgstPerUnit()", [], ["uint256"]),
        r.call(desk, "somPerUnit()", [], ["uint256"]),
        r.call(kgst, "balanceOf(address)", [desk], ["uint256"]),
        r.call(som, "balanceOf(address)", [desk], ["uint256"]),
    )


def read_chain(
    w3: Any,
    manifest: dict[str, Any],
    view: Any,
    block: int,
    sanctions: SanctionsList | None = None,
    verify: dict[str, tuple[list[str], str]] | None = None,
) -> ChainReads:
    """Every read each part of the manifest asks for (`parts.PARTS`), at `block`.
    `verify[key]` is (accounts whose balances to read, how they were chosen)."""
    r = Reader(w3, block)
    entries = manifest.get("contracts", {})
    listed = set(sanctions.entries) if sanctions else set()
    out = ChainReads()
    for part in parts.present(manifest):
        address = entries[part.key]["address"].lower()
        if parts.TOKEN in part.reads:
            accounts, mode = (verify or {}).get(part.key, ([], "none"))
            out.tokens[part.key] = read_tokens(r, address, view, listed, accounts, mode)
        if parts.ROLES in part.reads:
            out.roles[part.key] = read_roles(r, part.key, address, view)
        if parts.MINTERS in part.reads:
            out.minters = read_minters(r, address, view)
        if parts.FEED in part.reads:
            out.feed = read_feed(r, address)
        if parts.CODE in part.reads:
            out.code[part.key] = read_code(w3, entries[part.key], block)
        if parts.CBDC in part.reads:
            out.cbdc = read_cbdc(r, address, view, out.tokens.get(part.key))
        if parts.RESERVE in part.reads:
            out.reserve = read_reserve(r, address)
        if parts.GOVERNANCE in part.reads:
            out.timelock_delay = r.call(address, "getMinDelay()", [], ["uint256"])
        if parts.DESK in part.reads:
            out.desk = read_desk(r, address)
    controller = entries.get(MINT_CONTROLLER, {}).get("address")
    if controller and "stablecoin" in entries:
        token = entries["stablecoin"]["address"].lower()
        out.mint_control = read_mint_control(r, controller.lower(), token, out.minters)
    return out


NATIVE = "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"


RESERVE_ERRORS = {
    function_signature_to_4byte_selector(sig).hex(): sig
    for sig in (
        "ReservePriceStale(address,uint256,uint256)",
        "ReservePriceNotPositive(address,int256)",
        "ReserveAssetNotListed(address)",
    )
}


def _revert_reason(exc: Exception) -> str:
    """The reserve's custom error named in a revert, or the exception's text."""
    texts = [str(getattr(exc, "data", "") or "")]
    for arg in exc.args:
        texts.append(arg.hex() if isinstance(arg, bytes) else str(arg))
    blob = " ".join(texts)
    if "b'" in blob or 'b"' in blob:
        try:
            start = blob.index("b'") if "b'" in blob else blob.index('b"')
            blob += (
                " "
                + ast.literal_eval(blob[start : blob.index(blob[start + 1], start + 2) + 1]).hex()
            )
        except (ValueError, SyntaxError):
            pass
    for selector, signature in RESERVE_ERRORS.items():
        if selector in blob.lower():
            return signature
    return f"{type(exc).__name__}: {exc}"[:300]


def _try(fn: Any) -> tuple[Any, str | None]:
    try:
        return fn(), None
    except Exception as exc:  # a valuation view reverts on a stale or bad price
        return None, _revert_reason(exc)


def read_reserve(r: Reader, vault: str) -> ReserveReads:
    """Listed assets with their configuration, symbol and balance, and the valuation views
    (None with the revert reason when a price is stale or invalid)."""
    assets = [a.lower() for a in r.call(vault, "assets()", [], ["address[]"])]
    configs = r.many(
        [(vault, "assetConfig(address)", [a]) for a in assets],
        ["(address,uint8,uint8,uint16,uint256)"],
    )
    balances = r.many([(vault, "balanceOf(address)", [a]) for a in assets], ["uint256"])
    rows = {}
    for asset, config, balance in zip(assets, configs, balances, strict=True):
        symbol = (
            "BNB"
            if asset == NATIVE
            else _try(lambda a=asset: r.call(a, "symbol()", [], ["string"]))[0]
        )
        feed, decimals, _, max_share, limit = config
        rows[asset] = AssetReads(symbol or asset, decimals, feed.lower(), max_share, limit, balance)
    holdings, holdings_error = _try(
        lambda: r.call(vault, "holdings()", [], ["(address,uint256,uint256,uint256)[]"])
    )
    total, total_error = _try(lambda: r.call(vault, "totalValue()", [], ["uint256"]))
    within, policy_error = _try(lambda: r.call(vault, "withinPolicy()", [], ["bool"]))
    breaches, _ = _try(lambda: r.call(vault, "policyBreaches()", [], ["address[]", "uint256[]"]))
    return ReserveReads(
        assets=rows,
        holdings=[HoldingReads(a.lower(), b, p, v) for a, b, p, v in holdings]
        if holdings is not None
        else None,
        total_value=total,
        within_policy=within,
        breaches=[{"asset": a.lower(), "share_bps": s} for a, s in zip(*breaches, strict=True)]
        if breaches
        else [],
        error=holdings_error or total_error or policy_error,
        max_price_age=r.call(vault, "maxPriceAge()", [], ["uint256"]),
    )
