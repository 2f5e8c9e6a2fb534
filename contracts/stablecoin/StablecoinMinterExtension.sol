// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {NationalStablecoinLayout} from "./NationalStablecoinLayout.sol";

/// @title StablecoinMinterExtension
/// @notice The minter administration of the national stablecoin: allowances, rate limits,
/// removal. Documented in NationalStablecoin, whose functions of the same names forward here.
/// @dev Never used on its own: NationalStablecoin creates one in its constructor, keeps its
/// address as an immutable and reaches it by `delegatecall` from stubs that check
/// MASTER_MINTER_ROLE first (as DigitalSom reaches DigitalSomAdminExtension), so this code
/// runs on the token's storage and the token's runtime code stays under the EIP-170 limit.
/// The one check that needs the roles' storage, that a minter holds no MASTER_MINTER_ROLE,
/// is made by the token before it forwards (`configureMinter`). The extension holds no
/// state; called directly its functions revert (`StablecoinExtensionNotDelegated`).
contract StablecoinMinterExtension is NationalStablecoinLayout {
    // ---------------------------------------------------------------- errors

    /// @notice An extension function was called directly rather than through the token.
    error StablecoinExtensionNotDelegated();

    // ---------------------------------------------------------------- storage

    address private immutable _self = address(this);

    // ---------------------------------------------------------------- external writes

    /// @notice See NationalStablecoin.configureMinter.
    /// @param minter Account that will mint.
    /// @param allowance Amount it may mint, in the token's smallest unit.
    function configureMinter(address minter, uint256 allowance) external onlyDelegated {
        if (minter == address(0)) revert StablecoinZeroAddress();
        Minter storage m = _getNationalStablecoinStorage()._minters[minter];
        m.isMinter = true;
        m.allowance = SafeCast.toUint96(allowance);
        emit MinterConfigured(minter, allowance);
    }

    /// @notice See NationalStablecoin.increaseMinterAllowance.
    /// @param minter A configured minter.
    /// @param increment Amount added, in the token's smallest unit; not zero.
    function increaseMinterAllowance(address minter, uint256 increment) external onlyDelegated {
        if (increment == 0) revert StablecoinZeroAmount();
        Minter storage m = _configuredMinter(minter);
        uint256 allowance = m.allowance + increment;
        m.allowance = SafeCast.toUint96(allowance);
        emit MinterAllowanceIncreased(minter, increment, allowance);
    }

    /// @notice See NationalStablecoin.decreaseMinterAllowance.
    /// @param minter A configured minter.
    /// @param decrement Amount taken off, in the token's smallest unit; not zero.
    function decreaseMinterAllowance(address minter, uint256 decrement) external onlyDelegated {
        if (decrement == 0) revert StablecoinZeroAmount();
        Minter storage m = _configuredMinter(minter);
        uint256 allowance = m.allowance;
        allowance = allowance > decrement ? allowance - decrement : 0;
        m.allowance = uint96(allowance);
        emit MinterAllowanceDecreased(minter, decrement, allowance);
    }

    /// @notice See NationalStablecoin.setMinterRateLimit.
    /// @param minter The minter.
    /// @param capacity Most the bucket holds, in the token's smallest unit; 1 to 2**96 - 1.
    /// @param refillPerSecond Amount added to the bucket each second, up to `capacity`.
    function setMinterRateLimit(address minter, uint256 capacity, uint256 refillPerSecond) external onlyDelegated {
        if (minter == address(0)) revert StablecoinZeroAddress();
        if (capacity == 0 || capacity > type(uint96).max || refillPerSecond > type(uint128).max) {
            revert StablecoinInvalidRateLimit(capacity, refillPerSecond);
        }
        Minter storage m = _getNationalStablecoinStorage()._minters[minter];
        uint256 level = m.rateLimited ? _bucketLevel(m) : capacity;
        if (level > capacity) level = capacity;
        m.bucketLevel = uint96(level);
        m.bucketUpdatedAt = uint48(block.timestamp);
        m.rateLimited = true;
        m.capacity = uint128(capacity);
        m.refillPerSecond = uint128(refillPerSecond);
        emit MinterRateLimitSet(minter, capacity, refillPerSecond, level);
    }

    /// @notice See NationalStablecoin.removeMinter.
    /// @param minter A configured minter.
    function removeMinter(address minter) external onlyDelegated {
        NationalStablecoinStorage storage $ = _getNationalStablecoinStorage();
        if (!$._minters[minter].isMinter) revert StablecoinNotMinter(minter);
        delete $._minters[minter];
        emit MinterRemoved(minter);
    }

    // ---------------------------------------------------------------- internal

    modifier onlyDelegated() {
        if (address(this) == _self) revert StablecoinExtensionNotDelegated();
        _;
    }

    function _configuredMinter(address minter) private view returns (Minter storage m) {
        m = _getNationalStablecoinStorage()._minters[minter];
        if (!m.isMinter) revert StablecoinNotMinter(minter);
    }
}
