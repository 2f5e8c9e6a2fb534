// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// solhint-disable-next-line max-line-length
import {AccessControlDefaultAdminRulesUpgradeable} from "@openzeppelin/contracts-upgradeable/access/extensions/AccessControlDefaultAdminRulesUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IControlledToken} from "../interfaces/IControlledToken.sol";
import {FreezableERC20Upgradeable} from "./FreezableERC20Upgradeable.sol";

/// @title ControlledTokenUpgradeable
/// @notice The control plane shared by the national stablecoin and the digital som:
/// roles with a delayed admin handover, pause, freeze and court-ordered seizure,
/// rescue of tokens sent by mistake, and UUPS upgrades.
/// @dev Roles (OpenZeppelin AccessControlDefaultAdminRules, admin handover in two steps):
///   - DEFAULT_ADMIN_ROLE: grants and revokes every other role; `getOwner()` returns it;
///   - PAUSER_ROLE: `pause`, `unpause`;
///   - COMPLIANCE_ROLE: `freeze`, `unfreeze`, `freezeBatch`, `seize`;
///   - RESCUER_ROLE: `rescueERC20`;
///   - UPGRADER_ROLE: `upgradeToAndCall`.
/// Pause stops every balance change that goes through `_update` (transfers, mint, burn,
/// permit- and authorization-based transfers). Approvals stay open, and so does `seize`,
/// so a court order never waits for an unpause. Storage lives in OpenZeppelin's ERC-7201
/// namespaces and in FreezableERC20Upgradeable's (which also holds the pause flag, read
/// inline on every transfer); this contract adds none.
/// ERC-165: answers `IControlledToken` (besides OpenZeppelin's access-control interfaces), so
/// a custody contract can refuse a currency whose balances these roles can freeze or seize.
abstract contract ControlledTokenUpgradeable is
    IControlledToken,
    FreezableERC20Upgradeable,
    AccessControlDefaultAdminRulesUpgradeable,
    UUPSUpgradeable
{
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------- errors

    /// @notice An address argument was the zero address.
    error ComplianceZeroAddress();

    // ---------------------------------------------------------------- events

    /// @notice Emitted when `amount` is moved out of the frozen `account` to `to` under `caseRef`.
    event Seized(address indexed account, address indexed to, uint256 amount, bytes32 indexed caseRef);

    /// @notice Emitted when `amount` of `token` held by this contract is sent to `to`.
    event Rescued(address indexed token, address indexed to, uint256 amount);

    // ---------------------------------------------------------------- roles

    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    bytes32 public constant RESCUER_ROLE = keccak256("RESCUER_ROLE");
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");

    // ---------------------------------------------------------------- initializer

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function __ControlledToken_init(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        address admin,
        uint48 adminTransferDelay
    ) internal onlyInitializing {
        __FreezableERC20_init(name_, symbol_, decimals_);
        __AccessControlDefaultAdminRules_init(adminTransferDelay, admin);
    }

    // ---------------------------------------------------------------- external writes

    /// @notice Stops every balance change until `unpause`.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes balance changes.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @notice Freezes `account`: it can no longer send, receive, approve or spend.
    /// @dev Idempotent: freezing a frozen account changes nothing and emits nothing.
    /// @param account Account to freeze.
    function freeze(address account) external onlyRole(COMPLIANCE_ROLE) {
        if (account == address(0)) revert ComplianceZeroAddress();
        _freeze(account);
    }

    /// @notice Freezes every account in `accounts` (already frozen ones are skipped).
    /// @param accounts Accounts to freeze.
    function freezeBatch(address[] calldata accounts) external onlyRole(COMPLIANCE_ROLE) {
        for (uint256 i; i < accounts.length; ++i) {
            if (accounts[i] == address(0)) revert ComplianceZeroAddress();
            _freeze(accounts[i]);
        }
    }

    /// @notice Unfreezes `account`.
    /// @dev Idempotent: unfreezing an unfrozen account changes nothing and emits nothing.
    /// @param account Account to unfreeze.
    function unfreeze(address account) external onlyRole(COMPLIANCE_ROLE) {
        if (account == address(0)) revert ComplianceZeroAddress();
        _unfreeze(account);
    }

    /// @notice Moves `amount` out of the frozen `account` to `to`, as a court order directs.
    /// @dev Works while paused. `account` stays frozen; `to` must not be frozen.
    /// @param account Frozen account to take funds from.
    /// @param to Receiving account (a custody or treasury account).
    /// @param amount Amount in the token's smallest unit.
    /// @param caseRef Reference of the court order, recorded in the `Seized` event.
    function seize(address account, address to, uint256 amount, bytes32 caseRef) external onlyRole(COMPLIANCE_ROLE) {
        _checkSeizeRecipient(to, amount);
        _seize(account, to, amount);
        emit Seized(account, to, amount, caseRef);
    }

    /// @notice Sends `amount` of `token` held by this contract to `to`.
    /// @param token The ERC-20 sent here by mistake.
    /// @param to Recipient.
    /// @param amount Amount in `token`'s smallest unit.
    function rescueERC20(IERC20 token, address to, uint256 amount) external onlyRole(RESCUER_ROLE) {
        if (to == address(0)) revert ComplianceZeroAddress();
        token.safeTransfer(to, amount);
        emit Rescued(address(token), to, amount);
    }

    // ---------------------------------------------------------------- external reads

    /// @notice ERC-165: whether this token implements `interfaceId`.
    /// @dev True for IControlledToken and for what OpenZeppelin's bases answer:
    /// IAccessControlDefaultAdminRules, IAccessControl and IERC165. Written as one list
    /// rather than a chain of `super` calls (same answers, less bytecode).
    /// @param interfaceId An ERC-165 interface id.
    /// @return Whether it is implemented.
    function supportsInterface(bytes4 interfaceId) public view virtual override returns (bool) {
        // Compared as uint32 so that each constant is a 4-byte push, not a 32-byte one.
        uint32 id = uint32(interfaceId);
        return
            id == uint32(type(IControlledToken).interfaceId) ||
            id == uint32(type(IAccessControlDefaultAdminRules).interfaceId) ||
            id == uint32(type(IAccessControl).interfaceId) ||
            id == uint32(type(IERC165).interfaceId);
    }

    /// @notice The BEP-20 owner: the current default admin.
    /// @return The address holding DEFAULT_ADMIN_ROLE.
    function getOwner() external view returns (address) {
        return defaultAdmin();
    }

    // ---------------------------------------------------------------- internal

    function _authorizeUpgrade(address) internal override onlyRole(UPGRADER_ROLE) {}

    /// @dev Hook for a token that restricts who may receive seized funds (and how much).
    function _checkSeizeRecipient(address to, uint256 amount) internal view virtual {}
}
