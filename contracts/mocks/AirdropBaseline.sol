// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title AirdropBaseline
/// @notice Test-only reference for the gas benchmark, never deployed to a real chain: the
/// cheapest common way to pay many holders of a plain ERC-20 in one transaction (the
/// "GasliteDrop" pattern). The whole total moves once from the caller to this contract with
/// `transferFrom`, then one plain `transfer` pays each recipient, so each payee costs only
/// the token's own transfer work plus a warm call. It keeps nothing between calls.
/// @dev No checks beyond the input's shape and the sum: any address may be paid, any caller
/// may use it for its own tokens. The digital som's `disburse` is measured against it.
contract AirdropBaseline {
    // ---------------------------------------------------------------- errors

    /// @notice `recipients` is empty.
    error AirdropEmpty();

    /// @notice `recipients` and `amounts` differ in length.
    error AirdropLengthMismatch(uint256 recipients, uint256 amounts);

    /// @notice The amounts do not add up to the `total` taken from the caller.
    error AirdropTotalMismatch(uint256 total, uint256 sum);

    /// @notice The token returned false from `transfer` or `transferFrom`.
    error AirdropTransferFailed(address to, uint256 amount);

    // ---------------------------------------------------------------- external writes

    /// @notice Pays `amounts[i]` of `token` to `recipients[i]` for every i, out of `total`
    /// taken from the caller (who must have approved this contract for it).
    /// @dev Reverts with `AirdropTotalMismatch` unless the amounts sum to `total` exactly,
    /// so nothing is left behind in this contract.
    /// @param token A plain ERC-20 that returns true on success.
    /// @param recipients The payees.
    /// @param amounts One amount per payee, in the token's smallest unit.
    /// @param total The sum of `amounts`.
    function airdropERC20(
        IERC20 token,
        address[] calldata recipients,
        uint256[] calldata amounts,
        uint256 total
    ) external {
        uint256 count = recipients.length;
        if (count == 0) revert AirdropEmpty();
        if (count != amounts.length) revert AirdropLengthMismatch(count, amounts.length);
        if (!token.transferFrom(msg.sender, address(this), total)) {
            revert AirdropTransferFailed(address(this), total);
        }
        uint256 sum;
        for (uint256 i; i < count; ) {
            address to = recipients[i];
            uint256 amount = amounts[i];
            sum += amount;
            if (!token.transfer(to, amount)) revert AirdropTransferFailed(to, amount);
            unchecked {
                ++i;
            }
        }
        if (sum != total) revert AirdropTotalMismatch(total, sum);
    }
}
