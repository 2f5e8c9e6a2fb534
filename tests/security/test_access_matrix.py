"""The access matrix: every state-changing external function of every production contract,
read from its compiled ABI, with who may call it. Each gated function is called from every
test account that lacks the right and must revert with the expected custom error.

A function in an ABI without an entry here fails `test_matrix__lists_every_state_changing_function`,
and so does an entry for a function that no longer exists: the matrix is exact. Entries are
keyed by function name; a full signature (`permit(address,...)`) overrides the name where
two overloads of one name follow different rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import ape
import pytest
from ape import accounts, project
from eth_utils import keccak

from somchain.desk import deploy_desk
from tests.utils.constants import SOM, ZERO

SOME_ROLE = keccak(text="PAUSER_ROLE")  # a role whose admin is DEFAULT_ADMIN_ROLE
DEFAULT_ADMIN = b"\x00" * 32


def _role_id(contract, role: str) -> bytes:
    return DEFAULT_ADMIN if role == "DEFAULT_ADMIN_ROLE" else bytes(getattr(contract, role)())


# ---------------------------------------------------------------- rules


@dataclass(frozen=True)
class Anyone:
    """Open to every caller; `guard` says what protects it instead of a role."""

    guard: str


@dataclass(frozen=True)
class Role:
    """`onlyRole(role)`: every account without it gets `error(account, role)`."""

    role: str
    error: str = "AccessControlUnauthorizedAccount"
    inputs: tuple[str, str] = ("account", "neededRole")


@dataclass(frozen=True)
class Refused:
    """Refused to every caller with `error`, whose only input (if any) is the caller."""

    error: str
    caller_input: str | None = None
    why: str = ""


@dataclass(frozen=True)
class Custom:
    """A check of the caller written in the function: `lacks(contract, account)` says who
    lacks the right, `args(contract, caller)` builds the call, `error` is raised with
    `inputs(contract, caller)`."""

    error: str
    lacks: Callable
    args: Callable
    inputs: Callable = field(default=lambda _c, _a: {})


def VaultRole(role: str) -> Role:  # noqa: N802
    """ReserveVault's `onlyRole`, with its own error."""
    return Role(role, "ReserveUnauthorizedAccount", ("account", "role"))


SELF_ONLY = Custom(
    "AccessControlBadConfirmation",
    lacks=lambda _c, _a: True,
    args=lambda _c, a: (SOME_ROLE, _other(a)),
)
PENDING_ADMIN_ONLY = Custom(
    "AccessControlInvalidDefaultAdmin",
    lacks=lambda c, a: a.address != c.pendingDefaultAdmin()[0],
    args=lambda _c, _a: (),
    inputs=lambda _c, a: {"defaultAdmin": a.address},
)
ONCE = Refused("InvalidInitialization", why="initialized in the proxy's constructor")


def _other(account):
    return next(a for a in accounts.test_accounts if a.address != account.address)


ADMIN_RULES = {  # AccessControlDefaultAdminRules, on both tokens and the attestation feed
    "grantRole": Role("DEFAULT_ADMIN_ROLE"),
    "revokeRole": Role("DEFAULT_ADMIN_ROLE"),
    "renounceRole": SELF_ONLY,
    "beginDefaultAdminTransfer": Role("DEFAULT_ADMIN_ROLE"),
    "cancelDefaultAdminTransfer": Role("DEFAULT_ADMIN_ROLE"),
    "changeDefaultAdminDelay": Role("DEFAULT_ADMIN_ROLE"),
    "rollbackDefaultAdminDelay": Role("DEFAULT_ADMIN_ROLE"),
    "acceptDefaultAdminTransfer": PENDING_ADMIN_ONLY,
}

CONTROLLED_TOKEN_RULES = {  # ControlledTokenUpgradeable and FreezableERC20Upgradeable
    **ADMIN_RULES,
    "initialize": ONCE,
    "upgradeToAndCall": Role("UPGRADER_ROLE"),
    "pause": Role("PAUSER_ROLE"),
    "unpause": Role("PAUSER_ROLE"),
    "freeze": Role("COMPLIANCE_ROLE"),
    "freezeBatch": Role("COMPLIANCE_ROLE"),
    "unfreeze": Role("COMPLIANCE_ROLE"),
    "seize": Role("COMPLIANCE_ROLE"),
    "rescueERC20": Role("RESCUER_ROLE"),
    "transfer": Anyone("the caller's own balance; pause and freeze"),
    "transferFrom": Anyone("the owner's allowance to the caller; pause and freeze"),
    "approve": Anyone("the caller's own allowance; freeze"),
}

MATRIX: dict[str, dict[str, object]] = {
    "NationalStablecoin": {
        **CONTROLLED_TOKEN_RULES,
        "configureMinter": Role("MASTER_MINTER_ROLE"),
        "increaseMinterAllowance": Role("MASTER_MINTER_ROLE"),
        "decreaseMinterAllowance": Role("MASTER_MINTER_ROLE"),
        "removeMinter": Role("MASTER_MINTER_ROLE"),
        "setMinterRateLimit": Role("MASTER_MINTER_ROLE"),
        "setReserveFeed": Role("DEFAULT_ADMIN_ROLE"),
        "mint": Custom(
            "StablecoinCallerNotMinter",
            lacks=lambda c, a: not c.isMinter(a),
            args=lambda _c, a: (a.address, 1),
            inputs=lambda _c, a: {"caller": a.address},
        ),
        "burn": Custom(
            "StablecoinCallerNotMinter",
            lacks=lambda c, a: not c.isMinter(a),
            args=lambda _c, _a: (1,),
            inputs=lambda _c, a: {"caller": a.address},
        ),
        "permit": Anyone("the owner's EIP-712 signature (ECDSA or ERC-1271), nonce, deadline"),
        "transferWithAuthorization": Anyone("the payer's EIP-712 signature, nonce, validity"),
        "receiveWithAuthorization": Anyone("the payer's signature; the payee must be the caller"),
        "cancelAuthorization": Anyone("the authorizer's EIP-712 signature"),
    },
    "StablecoinSignatureExtension": {
        # Its own functions run only by delegatecall from the token.
        "permit": Refused("StablecoinExtensionNotDelegated", why="token's delegatecall only"),
        "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)": (
            Refused("StablecoinExtensionNotDelegated", why="token's delegatecall only")
        ),
        "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)": (
            Refused("StablecoinExtensionNotDelegated", why="token's delegatecall only")
        ),
        "cancelAuthorization(address,bytes32,bytes)": Refused(
            "StablecoinExtensionNotDelegated", why="token's delegatecall only"
        ),
        # Inherited entry points it never serves: they run on its own storage, which holds
        # no balance, allowance or role (tests/stablecoin/test_contract_wallets.py).
        "transferWithAuthorization": Anyone("inherited, on the extension's own empty storage"),
        "receiveWithAuthorization": Anyone("inherited, on the extension's own empty storage"),
        "cancelAuthorization": Anyone("inherited, on the extension's own empty storage"),
        "transfer": Anyone("inherited, on the extension's own empty storage"),
        "transferFrom": Anyone("inherited, on the extension's own empty storage"),
        "approve": Anyone("inherited, on the extension's own empty storage"),
    },
    "ReserveAttestation": {
        **ADMIN_RULES,
        "attest": Role("ATTESTOR_ROLE"),
        "setThreshold": Role("DEFAULT_ADMIN_ROLE"),
    },
    "DigitalSom": {
        **CONTROLLED_TOKEN_RULES,
        "setTierLimits": Role("DEFAULT_ADMIN_ROLE"),
        "setIssuanceAllowance": Role("DEFAULT_ADMIN_ROLE"),
        "increaseIssuanceAllowance": Role("DEFAULT_ADMIN_ROLE"),
        "decreaseIssuanceAllowance": Role("DEFAULT_ADMIN_ROLE"),
        "relinkWallet": Role("DEFAULT_ADMIN_ROLE"),
        "issue": Role("ISSUER_ROLE"),
        "redeem": Role("BANK_ROLE"),
        "registerWallet": Role("BANK_ROLE"),
        "registerWallets": Role("BANK_ROLE"),
        "setWalletTier": Role("BANK_ROLE"),
        "assignWalletTier": Role("CENTRAL_BANK_ROLE"),
        "disburse": Role("TREASURY_ROLE"),
        "closeWallet": Custom(
            "CbdcNotLinkedBank",
            lacks=lambda c, a: a.address not in (_wallet(c), c.walletOf(_wallet(c))[1]),
            args=lambda c, _a: (_wallet(c),),
            inputs=lambda c, a: {"wallet": _wallet(c), "caller": a.address},
        ),
        "transferWithReference": Anyone("as transfer: balance, tier limits, pause, freeze"),
    },
    "PayrollDisperser": {
        "disburse": Anyone(
            "pays only from the caller's own approved KGST, under its own batch ids"
        ),
    },
    "ConversionDesk": {
        **ADMIN_RULES,
        "setRateLimit": Role("DEFAULT_ADMIN_ROLE"),
        "lowerRateLimit": Custom(
            "AccessControlUnauthorizedAccount",
            lacks=lambda c, a: not (c.hasRole(DEFAULT_ADMIN, a) or c.hasRole(c.PAUSER_ROLE(), a)),
            args=lambda _c, _a: (0, 1, 0),
            inputs=lambda c, a: {"account": a.address, "neededRole": c.PAUSER_ROLE()},
        ),
        "pause": Role("PAUSER_ROLE"),
        "unpause": Role("PAUSER_ROLE"),
        "convertToSom": Anyone("converts the caller's own approved KGST, into its own wallet"),
        "convertToKgst": Anyone("converts the caller's own approved digital som, to itself"),
        "convertToSomWithPermit": Anyone(
            "only on the holder's own permit, which must succeed; pays the holder's wallet"
        ),
        "convertToSomWithAuthorization": Anyone(
            "only on the holder's own EIP-3009 authorization; pays the holder's wallet"
        ),
    },
    "MintController": {
        **ADMIN_RULES,
        "increaseMintBudget": Role("DEFAULT_ADMIN_ROLE"),
        "setMinterRateLimit": Role("DEFAULT_ADMIN_ROLE"),
        "decreaseMintBudget": Custom(
            "AccessControlUnauthorizedAccount",
            lacks=lambda c, a: (
                not (c.hasRole(DEFAULT_ADMIN, a) or c.hasRole(c.MASTER_MINTER_ROLE(), a))
            ),
            args=lambda _c, _a: (1,),
            inputs=lambda c, a: {"account": a.address, "neededRole": c.MASTER_MINTER_ROLE()},
        ),
        "configureMinter": Role("MASTER_MINTER_ROLE"),
        "increaseMinterAllowance": Role("MASTER_MINTER_ROLE"),
        "decreaseMinterAllowance": Role("MASTER_MINTER_ROLE"),
        "removeMinter": Role("MASTER_MINTER_ROLE"),
    },
    "StablecoinMinterExtension": {
        name: Refused("StablecoinExtensionNotDelegated", why="token's delegatecall only")
        for name in (
            "configureMinter",
            "increaseMinterAllowance",
            "decreaseMinterAllowance",
            "setMinterRateLimit",
            "removeMinter",
        )
    },
    "DigitalSomAdminExtension": {
        name: Refused("CbdcExtensionNotDelegated", why="token's delegatecall only")
        for name in (
            "setTierLimits",
            "setIssuanceAllowance",
            "increaseIssuanceAllowance",
            "decreaseIssuanceAllowance",
            "assignWalletTier",
            "relinkWallet",
            "closeWallet",
        )
    },
    "ReserveVault": {
        **{
            name: VaultRole("GOVERNOR_ROLE")
            for name in (
                "withdraw",
                "recoverToken",
                "unpause",
                "addAsset",
                "removeAsset",
                "setPriceFeed",
                "setDailyOutflowLimit",
                "setMaxShare",
                "setMaxPriceAge",
            )
        },
        "operationalTransfer": VaultRole("OPERATOR_ROLE"),
        "pause": VaultRole("GUARDIAN_ROLE"),
        "grantRole": VaultRole("DEFAULT_ADMIN_ROLE"),
        "revokeRole": VaultRole("DEFAULT_ADMIN_ROLE"),
        "renounceRole": Custom(
            "ReserveBadConfirmation",
            lacks=lambda _c, _a: True,
            args=lambda _c, a: (SOME_ROLE, _other(a)),
        ),
        "deposit": Anyone("an inflow of a listed asset, paid by the caller"),
        "receive": Anyone("an inflow of BNB, only while BNB is listed"),
    },
    "GovernanceTimelock": {
        "schedule": Role("PROPOSER_ROLE"),
        "scheduleBatch": Role("PROPOSER_ROLE"),
        "cancel": Role("CANCELLER_ROLE"),
        "execute": Role("EXECUTOR_ROLE"),
        "executeBatch": Role("EXECUTOR_ROLE"),
        "updateDelay": Refused("TimelockUnauthorizedCaller", "caller", why="the timelock itself"),
        "grantRole": Role("DEFAULT_ADMIN_ROLE"),
        "revokeRole": Role("DEFAULT_ADMIN_ROLE"),
        "renounceRole": SELF_ONLY,
        "onERC721Received": Anyone("a receiver hook: returns its selector, changes nothing"),
        "onERC1155Received": Anyone("a receiver hook: returns its selector, changes nothing"),
        "onERC1155BatchReceived": Anyone("a receiver hook: returns its selector, changes nothing"),
        "receive": Anyone("accepts BNB for operations that send value"),
    },
    "TokenProxy": {
        "fallback": Anyone("delegates to the implementation, whose own entries apply"),
    },
}


# ---------------------------------------------------------------- the ABIs


def _signature(abi) -> str:
    return f"{abi.name}({','.join(i.canonical_type for i in abi.inputs)})"


def state_changing(name: str) -> list:
    """The ABI entries of `name` that can change state: non-view functions, receive, fallback."""
    ct = getattr(project, name).contract_type
    entries = [m for m in ct.mutable_methods]
    if ct.receive:
        entries.append(ct.receive)
    if ct.fallback:
        entries.append(ct.fallback)
    return entries


def entry_key(abi) -> str:
    return abi.type if abi.type in ("receive", "fallback") else _signature(abi)


def rule_of(contract_name: str, abi):
    rules = MATRIX[contract_name]
    if abi.type in ("receive", "fallback"):
        return rules.get(abi.type)
    return rules.get(_signature(abi), rules.get(abi.name))


CASES = [
    (name, entry_key(abi))
    for name in MATRIX
    for abi in state_changing(name)
    if not isinstance(rule_of(name, abi), Anyone) and rule_of(name, abi) is not None
]


def test_matrix__lists_every_state_changing_function():
    missing, stale = [], []
    for name, rules in MATRIX.items():
        entries = state_changing(name)
        missing += [f"{name}.{entry_key(a)}" for a in entries if rule_of(name, a) is None]
        known = {a.name for a in entries if a.type == "function"}
        known |= {_signature(a) for a in entries if a.type == "function"}
        known |= {a.type for a in entries if a.type != "function"}
        stale += [f"{name}.{key}" for key in rules if key not in known]
    assert not missing, f"state-changing functions without an access rule: {missing}"
    assert not stale, f"access rules for functions that no longer exist: {stale}"


def test_matrix__covers_every_production_contract():
    deployable = {
        name
        for name, ct in project.load_contracts().items()
        if "mocks" not in (ct.source_id or "")
        and ct.deployment_bytecode
        and len(ct.deployment_bytecode.bytecode or "0x") > 2
        and ct.abi  # a library of internal functions (AccountWord) has no ABI
    }
    assert deployable == set(MATRIX)


# ---------------------------------------------------------------- the deployments


def _wallet(som) -> str:
    return accounts.test_accounts[8].address  # alice, registered by `bank` in `deployed`


@pytest.fixture(scope="module")
def deployed(create_token, create_configured_som, attestation, admin, pauser, bank, alice):
    """One instance of every production contract, its roles held by named accounts."""
    committee = accounts.test_accounts[11]
    kgst = create_token()
    kgst.configureMinter(accounts.test_accounts[2], 1_000, sender=accounts.test_accounts[1])
    controller = project.MintController.deploy(kgst, admin, 0, sender=admin)
    controller.grantRole(controller.MASTER_MINTER_ROLE(), accounts.test_accounts[1], sender=admin)
    som = create_configured_som()
    som.registerWallet(alice, 1, sender=bank)
    som.issue(bank, 1_000 * SOM, sender=admin)
    timelock = project.GovernanceTimelock.deploy(600, [committee], [committee], ZERO, sender=admin)
    operator = accounts.test_accounts[6]
    vault = project.ReserveVault.deploy(committee, pauser, operator, 3600, sender=admin)
    desk = deploy_desk(admin, kgst, som)
    desk.grantRole(desk.PAUSER_ROLE(), pauser, sender=admin)
    return {
        "NationalStablecoin": kgst,
        "StablecoinSignatureExtension": project.StablecoinSignatureExtension.at(
            kgst.signatureExtension()
        ),
        "StablecoinMinterExtension": project.StablecoinMinterExtension.at(kgst.minterExtension()),
        "MintController": controller,
        "ReserveAttestation": attestation,
        "DigitalSom": som,
        "DigitalSomAdminExtension": project.DigitalSomAdminExtension.deploy(sender=admin),
        "ReserveVault": vault,
        "GovernanceTimelock": timelock,
        "TokenProxy": project.TokenProxy.at(kgst.address),
        "ConversionDesk": desk,
    }


def _dummy(abi_type: str, contract):
    if abi_type.endswith("[]"):
        return [_dummy(abi_type[:-2], contract)]
    if abi_type == "address":
        return accounts.test_accounts[9].address
    if abi_type.startswith(("uint", "int")):
        return 1
    if abi_type == "bool":
        return False
    if abi_type == "bytes32":
        return SOME_ROLE
    if abi_type.startswith("bytes"):
        return b"" if abi_type == "bytes" else b"\x01" * int(abi_type[5:])
    if abi_type == "string":
        return "x"
    raise AssertionError(f"no dummy value for {abi_type}")


def _find(contract_name: str, key: str):
    return next(a for a in state_changing(contract_name) if entry_key(a) == key)


@pytest.mark.parametrize(("contract_name", "key"), CASES, ids=[f"{c}.{k}" for c, k in CASES])
def test_access__every_account_without_the_right__reverts(deployed, contract_name, key):
    contract = deployed[contract_name]
    abi = _find(contract_name, key)
    rule = rule_of(contract_name, abi)
    method = getattr(contract, abi.name)
    default_args = [_dummy(i.canonical_type, contract) for i in abi.inputs]
    called = 0
    for account in accounts.test_accounts:
        if isinstance(rule, Role):
            role = _role_id(contract, rule.role)
            if contract.hasRole(role, account):
                continue
            expected = {rule.inputs[0]: account.address, rule.inputs[1]: role}
            args, error = default_args, rule.error
        elif isinstance(rule, Refused):
            expected = {rule.caller_input: account.address} if rule.caller_input else {}
            args, error = default_args, rule.error
        else:
            assert isinstance(rule, Custom)
            if not rule.lacks(contract, account):
                continue
            args, error = rule.args(contract, account), rule.error
            expected = rule.inputs(contract, account)
        with ape.reverts(getattr(contract, error), **expected):
            method.call(*args, sender=account)
        called += 1
    assert called, f"{contract_name}.{key}: every test account holds the right; nothing was checked"
