// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IControlledToken
/// @notice The external control plane of the project's own currencies (the national
/// stablecoin and the digital som): pause, freeze and court-ordered seizure.
/// @dev Answered through ERC-165 by ControlledTokenUpgradeable, so that other contracts can
/// tell a currency whose balances a compliance key can move (ReserveVault refuses to hold
/// one). The interface id is the XOR of the six selectors below.
interface IControlledToken {
    /// @notice Stops every balance change until `unpause`.
    function pause() external;

    /// @notice Resumes balance changes.
    function unpause() external;

    /// @notice Freezes `account`: it can no longer send, receive, approve or spend.
    function freeze(address account) external;

    /// @notice Freezes every account in `accounts`.
    function freezeBatch(address[] calldata accounts) external;

    /// @notice Unfreezes `account`.
    function unfreeze(address account) external;

    /// @notice Moves `amount` out of the frozen `account` to `to`, as a court order directs.
    function seize(address account, address to, uint256 amount, bytes32 caseRef) external;
}
