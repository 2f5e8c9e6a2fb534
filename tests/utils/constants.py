"""Constants shared by the test suites (never imported from a conftest module)."""

ONE = 10**18  # one KGST in its smallest unit (18 decimals)
SOM = 100  # one digital som in tyiyn (2 decimals)
USD = 10**8  # one dollar in the reserve's quote unit
ZERO = "0x0000000000000000000000000000000000000000"
CASE = b"KG-COURT-2026-0042".ljust(32, b"\x00")

# Accounts of the "test test ... junk" mnemonic, as the scripts' tests address them.
DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # TEST::0
ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # TEST::1
BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"  # TEST::2
STRANGER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"  # TEST::3
BANK = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"  # TEST::4, a licensed bank on the CBDC
# The test mnemonic's first twelve accounts, TEST::0 to TEST::11.
TEST_ACCOUNTS = (
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
    "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
    "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
    "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
    "0xBcd4042DE499D14e55001CcbB24a551F3b954096",
    "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
)
DEPLOYING = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"  # TEST::9, deploys the scripts' stack
GOVERNANCE_DELAY = 600  # the governance timelock's delay on the scripts' chain

# The reserve suite's timelock, price feeds and operator limits.
MIN_DELAY = 24 * 3600  # timelock delay, seconds
MAX_PRICE_AGE = 7 * 24 * 3600  # generous, so feeds need re-posting only every few delays

BNB_PRICE = 600  # USD
BTC_PRICE = 100_000
USDT_PRICE = 1

BNB_LIMIT = 10 * ONE
BTCB_LIMIT = ONE
USDT_LIMIT = 10_000 * ONE
WBTC_LIMIT = 10**8
