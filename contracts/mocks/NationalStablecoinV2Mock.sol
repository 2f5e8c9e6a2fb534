// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {NationalStablecoin} from "../stablecoin/NationalStablecoin.sol";

/// @title NationalStablecoinV2Mock
/// @notice Test-only second version of the stablecoin, to show an upgrade keeps state.
contract NationalStablecoinV2Mock is NationalStablecoin {
    /// @notice The implementation's version.
    function implementationVersion() external pure returns (uint256) {
        return 2;
    }
}
