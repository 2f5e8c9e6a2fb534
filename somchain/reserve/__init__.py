"""The national crypto reserve: deployment of its timelock and vault, governance through
the timelock, valuation of its holdings, operator actions, demo."""

from somchain.constants import NATIVE, NATIVE_SYMBOL, QUOTE_DECIMALS, ZERO_ADDRESS, ZERO_BYTES32
from somchain.governance.timelock import (
    Operation,
    execute_operation,
    govern,
    schedule_calls,
    wait_until_ready,
)
from somchain.reserve.deploy import DeployedReserve, deploy_reserve
from somchain.reserve.governance import execute_withdrawal, propose_withdrawal, vault_call
from somchain.reserve.valuation import HoldingRow, asset_metadata, format_holdings, holdings_table

__all__ = [
    "NATIVE",
    "NATIVE_SYMBOL",
    "QUOTE_DECIMALS",
    "ZERO_ADDRESS",
    "ZERO_BYTES32",
    "DeployedReserve",
    "HoldingRow",
    "Operation",
    "asset_metadata",
    "deploy_reserve",
    "execute_operation",
    "execute_withdrawal",
    "format_holdings",
    "govern",
    "holdings_table",
    "propose_withdrawal",
    "schedule_calls",
    "vault_call",
    "wait_until_ready",
]
