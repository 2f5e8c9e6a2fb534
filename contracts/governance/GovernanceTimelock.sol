// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title GovernanceTimelock
/// @notice OpenZeppelin's TimelockController, unchanged, under a name of this project: the
/// one public delay in front of every power that can create money, move reserves, change
/// code or remove a control. It is the only DEFAULT_ADMIN and UPGRADER of both tokens, the
/// admin of the reserve attestation and the governor of the reserve vault; its proposers
/// are the central bank's board (a multisig). It administers itself, so a change of its
/// own roles or delay waits out the delay too.
contract GovernanceTimelock is TimelockController {
    /// @param minDelay Seconds between scheduling and executing an operation.
    /// @param proposers Accounts that may schedule and cancel (the board).
    /// @param executors Accounts that may execute; the zero address lets anyone execute.
    /// @param admin Optional bootstrap admin; the zero address for none.
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}
