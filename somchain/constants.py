"""Values shared by the contracts and the tooling, defined once."""

from __future__ import annotations

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
ZERO_BYTES32 = b"\x00" * 32
DEFAULT_ADMIN_ROLE = ZERO_BYTES32  # OpenZeppelin AccessControl's admin role id
NO_LIMIT = 2**256 - 1  # the digital som's "unlimited" (type(uint256).max)
NATIVE = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"  # the reserve vault's sentinel for BNB
NATIVE_SYMBOL = "BNB"
FIAT = "som"  # the national currency the fiat reserve is counted in
FIAT_CODE = "KGS"  # its ISO 4217 code
QUOTE_DECIMALS = 8  # the reserve's prices and values: USD with 8 decimals
