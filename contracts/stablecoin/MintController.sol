// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IStablecoinMinting} from "../interfaces/IStablecoinMinting.sol";

/// @title MintController
/// @notice Holds the national stablecoin's MASTER_MINTER_ROLE and bounds what minters may
/// be given by a mint budget that only the board grants (Circle's MasterMinter and
/// MintController, Paxos's SupplyControl). No single key creates money: the board (through
/// its timelock) grants budget and sets each minter's rate limit; the master minter only
/// distributes the budget among minters, and decreases or removes any minter at once.
/// @dev Roles: DEFAULT_ADMIN_ROLE (the board's timelock, delayed handover) grants budget
/// (`increaseMintBudget`), sets minters' rate limits (`setMinterRateLimit`) and grants
/// MASTER_MINTER_ROLE; MASTER_MINTER_ROLE configures minters within the budget.
///
/// Budget: consumed by minting. `mintBudget()` is what the board granted and no minter has
/// been given yet. Giving a minter allowance takes it from the budget; decreasing or
/// removing a minter returns its unminted allowance; a mint spends allowance for good (a
/// burn returns nothing: the board grants again). So, from the controller's first grant,
/// `mintBudget + sum of allowances given + minted through them == mintBudgetGranted`, minus
/// what a decrease of the budget withdrew: total minted never exceeds the board's grants,
/// whatever the master minter does and however often. (A cap on the sum of allowances
/// would not: a minter that has minted its allowance frees its share, and the master
/// minter could refill it for ever.)
///
/// Separation: the master minter is never a minter. `configureMinter` refuses a holder of
/// this contract's MASTER_MINTER_ROLE and granting that role to a minter of the token is
/// refused (MintControllerRoleConflict); the token refuses the same for its own role.
/// A minter receives allowance only once the board set its rate limit
/// (MintControllerRateLimitNotSet).
///
/// Storage: `_budget` (unallocated), `_granted` (every grant of the board, summed); the
/// token is an immutable.
contract MintController is AccessControlDefaultAdminRules {
    // ---------------------------------------------------------------- errors

    /// @notice The master minter asked for `amount`, more than the `budget` it may give.
    error MintControllerBudgetExceeded(uint256 amount, uint256 budget);

    /// @notice `account` would be both a minter and a master minter.
    error MintControllerRoleConflict(address account);

    /// @notice `minter` has no rate limit yet: the board sets one before it gets allowance.
    error MintControllerRateLimitNotSet(address minter);

    /// @notice An amount of zero.
    error MintControllerZeroAmount();

    /// @notice The token's address was zero.
    error MintControllerZeroAddress();

    // ---------------------------------------------------------------- events

    /// @notice Emitted when the board grants `increment` more budget: `budget` is left to
    /// give, `granted` the sum of every grant.
    event MintBudgetIncreased(uint256 increment, uint256 budget, uint256 granted);

    /// @notice Emitted when `decrement` (asked for) is withdrawn from the budget, leaving `budget`.
    event MintBudgetDecreased(uint256 decrement, uint256 budget);

    /// @notice Emitted when `minter`'s allowance becomes `allowance` through this contract,
    /// leaving `budget` to give.
    event MinterBudgetAllocated(address indexed minter, uint256 allowance, uint256 budget);

    // ---------------------------------------------------------------- storage

    /// @notice Role that distributes the budget among minters.
    bytes32 public constant MASTER_MINTER_ROLE = keccak256("MASTER_MINTER_ROLE");

    IStablecoinMinting private immutable _token;
    uint256 private _budget;
    uint256 private _granted;

    // ---------------------------------------------------------------- constructor

    /// @param token_ The national stablecoin, which gives this contract MASTER_MINTER_ROLE.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE (the board's timelock).
    /// @param adminTransferDelay Delay of an admin handover, in seconds.
    constructor(
        IStablecoinMinting token_,
        address admin,
        uint48 adminTransferDelay
    ) AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        if (address(token_) == address(0)) revert MintControllerZeroAddress();
        _token = token_;
    }

    // ---------------------------------------------------------------- external writes: board

    /// @notice Grants `increment` more budget for the master minter to give; board only.
    /// @param increment Amount in the token's smallest unit; not zero.
    function increaseMintBudget(uint256 increment) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (increment == 0) revert MintControllerZeroAmount();
        uint256 budget = _budget + increment;
        uint256 granted = _granted + increment;
        _budget = budget;
        _granted = granted;
        emit MintBudgetIncreased(increment, budget, granted);
    }

    /// @notice Withdraws up to `decrement` of the budget not yet given; the board or, as a
    /// protective action, the master minter.
    /// @dev Clamps to zero instead of reverting, like `decreaseMinterAllowance`.
    /// @param decrement Amount in the token's smallest unit; not zero.
    function decreaseMintBudget(uint256 decrement) external {
        if (!hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) _checkRole(MASTER_MINTER_ROLE);
        if (decrement == 0) revert MintControllerZeroAmount();
        uint256 budget = _budget;
        budget = budget > decrement ? budget - decrement : 0;
        _budget = budget;
        emit MintBudgetDecreased(decrement, budget);
    }

    /// @notice Sets `minter`'s token bucket on the token; board only. A lower limit applies
    /// at once (see NationalStablecoin.setMinterRateLimit).
    /// @param minter A minter or a future one.
    /// @param capacity Most the bucket holds, in the token's smallest unit.
    /// @param refillPerSecond Amount the bucket regains each second.
    function setMinterRateLimit(
        address minter,
        uint256 capacity,
        uint256 refillPerSecond
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _token.setMinterRateLimit(minter, capacity, refillPerSecond);
    }

    // ---------------------------------------------------------------- external writes: master minter

    /// @notice Sets `minter`'s allowance to `allowance`, taking the difference from the
    /// budget (or returning it).
    /// @dev What is left of the old allowance is read when this executes, so a minter that
    /// mints first only lowers what returns to the budget.
    /// @param minter An account with a rate limit that holds no MASTER_MINTER_ROLE.
    /// @param allowance Its new allowance, in the token's smallest unit.
    function configureMinter(address minter, uint256 allowance) external onlyRole(MASTER_MINTER_ROLE) {
        _requireEligible(minter);
        uint256 available = _budget + _token.minterAllowance(minter);
        if (allowance > available) revert MintControllerBudgetExceeded(allowance, available);
        uint256 budget = available - allowance;
        _budget = budget;
        emit MinterBudgetAllocated(minter, allowance, budget);
        _token.configureMinter(minter, allowance);
    }

    /// @notice Gives `minter` `increment` more allowance from the budget.
    /// @param minter A configured minter with a rate limit.
    /// @param increment Amount in the token's smallest unit; not zero.
    function increaseMinterAllowance(address minter, uint256 increment) external onlyRole(MASTER_MINTER_ROLE) {
        _requireEligible(minter);
        uint256 budget = _budget;
        if (increment > budget) revert MintControllerBudgetExceeded(increment, budget);
        budget -= increment;
        _budget = budget;
        emit MinterBudgetAllocated(minter, _token.minterAllowance(minter) + increment, budget);
        _token.increaseMinterAllowance(minter, increment);
    }

    /// @notice Takes up to `decrement` off `minter`'s allowance, back into the budget; at once.
    /// @param minter A configured minter.
    /// @param decrement Amount in the token's smallest unit; not zero.
    function decreaseMinterAllowance(address minter, uint256 decrement) external onlyRole(MASTER_MINTER_ROLE) {
        uint256 allowance = _token.minterAllowance(minter);
        uint256 returned = allowance < decrement ? allowance : decrement;
        uint256 budget = _budget + returned;
        _budget = budget;
        emit MinterBudgetAllocated(minter, allowance - returned, budget);
        _token.decreaseMinterAllowance(minter, decrement);
    }

    /// @notice Removes `minter` at once; what it had not minted returns to the budget.
    /// @param minter A configured minter.
    function removeMinter(address minter) external onlyRole(MASTER_MINTER_ROLE) {
        uint256 budget = _budget + _token.minterAllowance(minter);
        _budget = budget;
        emit MinterBudgetAllocated(minter, 0, budget);
        _token.removeMinter(minter);
    }

    // ---------------------------------------------------------------- external reads

    /// @notice The token whose minters this contract configures.
    /// @return The national stablecoin.
    function token() external view returns (IStablecoinMinting) {
        return _token;
    }

    /// @notice The budget the board granted that no minter has been given yet.
    /// @return Amount in the token's smallest unit.
    function mintBudget() external view returns (uint256) {
        return _budget;
    }

    /// @notice Every grant of the board, summed: a bound on all minting through this contract.
    /// @return Amount in the token's smallest unit.
    function mintBudgetGranted() external view returns (uint256) {
        return _granted;
    }

    // ---------------------------------------------------------------- internal

    /// @dev A master minter never receives the minter role.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (role == MASTER_MINTER_ROLE && _token.isMinter(account)) revert MintControllerRoleConflict(account);
        return super._grantRole(role, account);
    }

    /// @dev `minter` may receive allowance: not a master minter, and rate-limited.
    function _requireEligible(address minter) private view {
        if (hasRole(MASTER_MINTER_ROLE, minter)) revert MintControllerRoleConflict(minter);
        (uint256 capacity, , ) = _token.minterRateLimit(minter);
        if (capacity == 0) revert MintControllerRateLimitNotSet(minter);
    }
}
