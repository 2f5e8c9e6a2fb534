// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title MockReentrantReceiver
/// @notice Test-only BNB recipient that, on receipt, calls back into the vault with the
/// call it was given and records the revert data of that re-entry instead of reverting.
contract MockReentrantReceiver {
    address private immutable _target;
    bytes private _reentry;
    bool private _reentered;
    bytes private _reentryResult;

    constructor(address target_, bytes memory reentry_) {
        _target = target_;
        _reentry = reentry_;
    }

    /// @notice Tries the re-entry once and records its revert data.
    receive() external payable {
        if (_reentered) return;
        _reentered = true;
        (bool ok, bytes memory result) = _target.call(_reentry);
        _reentryResult = ok ? bytes("") : result;
    }

    /// @notice The revert data of the re-entry (empty if it succeeded or never ran).
    function reentryResult() external view returns (bytes memory) {
        return _reentryResult;
    }
}
