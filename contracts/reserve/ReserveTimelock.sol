// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title ReserveTimelock
/// @notice OpenZeppelin's TimelockController, unchanged, under a name of this project:
/// the governance of the national crypto reserve.
contract ReserveTimelock is TimelockController {
    /// @param minDelay Seconds between scheduling and executing an operation.
    /// @param proposers Accounts that may schedule and cancel (the reserve committee).
    /// @param executors Accounts that may execute; the zero address lets anyone execute.
    /// @param admin Optional bootstrap admin; the zero address for none.
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
