// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IStablecoinConversion
/// @notice The part of NationalStablecoin (KGST) that the conversion desk calls: a minter's
/// mint and burn, and the two ways a holder lets the desk take its tokens in one transaction
/// (EIP-2612 permit, EIP-3009 receive with authorization).
interface IStablecoinConversion is IERC20 {
    /// @notice Mints `amount` to `to`, spending the caller's minter allowance and bucket.
    function mint(address to, uint256 amount) external returns (bool);

    /// @notice Burns `amount` of the calling minter's own tokens.
    function burn(uint256 amount) external;

    /// @notice EIP-2612: `owner`'s signed approval of `spender`.
    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice EIP-3009: moves `value` from `from` to the caller `to`, as `from` signed.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice Number of decimals of the token's smallest unit.
    function decimals() external view returns (uint8);
}
