// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DigitalSom} from "../cbdc/DigitalSom.sol";

/// @title DigitalSomV2Mock
/// @notice Test-only second version of the digital som, to show an upgrade keeps state.
contract DigitalSomV2Mock is DigitalSom {
    /// @notice The implementation's version.
    function implementationVersion() external pure returns (uint256) {
        return 2;
    }
}
