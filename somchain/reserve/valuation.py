"""What the reserve holds and what it is worth: each asset's balance, USD price and
USD value, read from the vault."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ape import Contract

from somchain import display
from somchain.constants import NATIVE, NATIVE_SYMBOL, QUOTE_DECIMALS

ERC20_METADATA_ABI = [
    {
        "type": "function",
        "name": name,
        "stateMutability": "view",
        "inputs": [],
        "outputs": [{"name": "", "type": kind}],
    }
    for name, kind in (("symbol", "string"), ("decimals", "uint8"))
]


@dataclass(frozen=True)
class HoldingRow:
    """One line of the valuation, in human units (USD for price and value)."""

    asset: str
    symbol: str
    balance: Decimal
    price: Decimal
    value: Decimal


def asset_metadata(asset: str) -> tuple[str, int]:
    """The symbol and decimals of a listed asset (BNB and 18 for the native sentinel)."""
    if asset.lower() == NATIVE.lower():
        return NATIVE_SYMBOL, 18
    token = Contract(asset, abi=ERC20_METADATA_ABI)
    return token.symbol(), token.decimals()


def holdings_table(vault: Any) -> list[HoldingRow]:
    """Each listed asset's balance (in whole units), USD price and USD value.

    Raises the vault's ReservePriceStale / ReservePriceNotPositive if a price is bad.
    """
    rows = []
    for holding in vault.holdings():
        asset, balance, price, value = holding
        symbol, decimals = asset_metadata(asset)
        rows.append(
            HoldingRow(
                asset=asset,
                symbol=symbol,
                balance=Decimal(balance).scaleb(-decimals),
                price=Decimal(price).scaleb(-QUOTE_DECIMALS),
                value=Decimal(value).scaleb(-QUOTE_DECIMALS),
            )
        )
    return rows


def _usd(value: Decimal) -> str:
    return "$" + display.amount(int(value.scaleb(QUOTE_DECIMALS)), QUOTE_DECIMALS, places=2)


def format_holdings(rows: Sequence[HoldingRow]) -> list[str]:
    """The holdings as aligned text lines, with a total: balances in the asset's units with
    its symbol, prices and values in USD (see `somchain.display`)."""
    table = [("asset", "balance", "price", "value")]
    for row in rows:
        exponent = row.balance.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        balance = display.amount(int(row.balance.scaleb(places)), places, row.symbol)
        table.append((row.symbol, balance, _usd(row.price), _usd(row.value)))
    total = sum((row.value for row in rows), Decimal(0))
    table.append(("total", "", "", _usd(total)))
    widths = [max(len(line[i]) for line in table) for i in range(4)]
    return [
        f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:>{widths[2]}}  {d:>{widths[3]}}".rstrip()
        for a, b, c, d in table
    ]
