// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @title TokenProxy
/// @notice OpenZeppelin's ERC1967Proxy, unchanged, under a name of this project so the
/// build carries it: it points at a UUPS implementation and runs its initializer once.
contract TokenProxy is ERC1967Proxy {
    /// @param implementation The UUPS implementation.
    /// @param data The encoded initializer call.
    constructor(address implementation, bytes memory data) payable ERC1967Proxy(implementation, data) {}
}
