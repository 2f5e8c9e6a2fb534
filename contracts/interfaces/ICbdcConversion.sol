// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ICbdcConversion
/// @notice The part of DigitalSom that the conversion desk calls: an issuer's issue, a
/// bank's redeem, and a payment carrying a reference.
interface ICbdcConversion is IERC20 {
    /// @notice Issues `amount` to the licensed `bank`, spending the caller's issuance allowance.
    function issue(address bank, uint256 amount) external;

    /// @notice Burns `amount` of the calling bank's holdings.
    function redeem(uint256 amount) external;

    /// @notice Pays `amount` to `to` under `paymentRef`, with the payee's waterfall.
    function transferWithReference(address to, uint256 amount, bytes32 paymentRef) external returns (bool);

    /// @notice Number of decimals of the token's smallest unit.
    function decimals() external view returns (uint8);
}
