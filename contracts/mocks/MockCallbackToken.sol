// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockCallbackToken
/// @notice Test-only ERC-20 that, on its next transfer, calls back `target` with a given call
/// (as an ERC-777 hook or a malicious token would) and records that call's revert data
/// instead of reverting.
contract MockCallbackToken is ERC20 {
    address private _target;
    bytes private _callback;
    bool private _armed;
    bytes private _callbackResult;

    constructor() ERC20("Callback Token", "CBT") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the callback: the next transfer calls `target` with `callback` once.
    function arm(address target, bytes calldata callback) external {
        _target = target;
        _callback = callback;
        _armed = true;
    }

    /// @notice The revert data of the callback (empty if it succeeded or never ran).
    function callbackResult() external view returns (bytes memory) {
        return _callbackResult;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (_armed && from != address(0) && to != address(0)) {
            _armed = false;
            (bool ok, bytes memory result) = _target.call(_callback);
            _callbackResult = ok ? bytes("") : result;
        }
    }
}
