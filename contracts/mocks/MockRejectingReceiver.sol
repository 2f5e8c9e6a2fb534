// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title MockRejectingReceiver
/// @notice Test-only contract that refuses BNB, to show a failed native transfer reverts.
contract MockRejectingReceiver {
    /// @notice Always reverts.
    receive() external payable {
        revert();
    }
}
