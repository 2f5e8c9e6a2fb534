// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IStablecoinMinting
/// @notice The minter administration of NationalStablecoin that a MintController, holding
/// the token's MASTER_MINTER_ROLE, calls (see NationalStablecoin for each function).
interface IStablecoinMinting {
    /// @notice Lets `minter` mint up to `allowance`, replacing its allowance.
    function configureMinter(address minter, uint256 allowance) external;

    /// @notice Adds `increment` to `minter`'s allowance.
    function increaseMinterAllowance(address minter, uint256 increment) external;

    /// @notice Takes `decrement` off `minter`'s allowance, down to zero at most.
    function decreaseMinterAllowance(address minter, uint256 decrement) external;

    /// @notice Gives `minter` a bucket of `capacity` refilled by `refillPerSecond`.
    function setMinterRateLimit(address minter, uint256 capacity, uint256 refillPerSecond) external;

    /// @notice Takes the minting right and any allowance left from `minter`.
    function removeMinter(address minter) external;

    /// @notice Whether `account` is a configured minter.
    function isMinter(address account) external view returns (bool);

    /// @notice How much more `minter` may mint.
    function minterAllowance(address minter) external view returns (uint256);

    /// @notice `minter`'s rate limit (capacity zero: none) and what its bucket holds now.
    function minterRateLimit(
        address minter
    ) external view returns (uint256 capacity, uint256 refillPerSecond, uint256 level);
}
