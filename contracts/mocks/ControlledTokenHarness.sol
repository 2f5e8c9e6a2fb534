// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ControlledTokenUpgradeable} from "../compliance/ControlledTokenUpgradeable.sol";

/// @title ControlledTokenHarness
/// @notice Test-only token on the shared control plane with unrestricted mint and burn,
/// to reach the core's limits (the supply cap) that the real tokens guard earlier.
contract ControlledTokenHarness is ControlledTokenUpgradeable {
    function initialize(
        string calldata name_,
        string calldata symbol_,
        uint8 decimals_,
        address admin,
        uint48 delay
    ) external initializer {
        __ControlledToken_init(name_, symbol_, decimals_, admin, delay);
    }

    function mint(address to, uint256 value) external {
        _mint(to, value);
    }

    function burn(address from, uint256 value) external {
        _burn(from, value);
    }
}
