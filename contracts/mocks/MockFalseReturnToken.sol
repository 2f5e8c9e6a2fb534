// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockFalseReturnToken
/// @notice Test-only ERC-20 that reports failure by returning false instead of reverting, as
/// some old tokens do: once `setFailing(true)` was called, `transfer` and `transferFrom` return
/// false and move nothing; `setFailingTransfer(true)` makes only `transfer` fail.
contract MockFalseReturnToken is ERC20 {
    bool private _failing;
    bool private _failingTransfer;

    constructor() ERC20("False Token", "FALSE") {}

    /// @notice Mints `amount` to `to`.
    /// @param to Recipient.
    /// @param amount Amount in the smallest unit.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Makes every later transfer and transferFrom return false (or work again).
    /// @param failing Whether they fail.
    function setFailing(bool failing) external {
        _failing = failing;
    }

    /// @notice Makes every later `transfer` (only) return false (or work again).
    /// @param failing Whether it fails.
    function setFailingTransfer(bool failing) external {
        _failingTransfer = failing;
    }

    /// @notice Returns false without moving anything while failing.
    /// @param to Recipient.
    /// @param value Amount in the smallest unit.
    /// @return Whether the tokens moved.
    function transfer(address to, uint256 value) public override returns (bool) {
        return _failing || _failingTransfer ? false : super.transfer(to, value);
    }

    /// @notice Returns false without moving anything while failing.
    /// @param from Owner of the tokens.
    /// @param to Recipient.
    /// @param value Amount in the smallest unit.
    /// @return Whether the tokens moved.
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        return _failing ? false : super.transferFrom(from, to, value);
    }
}
