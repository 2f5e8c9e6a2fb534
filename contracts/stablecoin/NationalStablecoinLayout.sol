// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title NationalStablecoinLayout
/// @notice What NationalStablecoin and its minter extension share: the errors and events of
/// minter administration, MASTER_MINTER_ROLE, and the ERC-7201 namespace
/// `kgs.storage.NationalStablecoin`. Described in NationalStablecoin's documentation.
/// @dev Holds no code of its own but the namespace's getter and the bucket's refill; both
/// contracts inherit it so the extension, reached by `delegatecall`, reads and writes the
/// token's storage with the same layout, and the token's ABI lists the errors and events
/// the extension raises.
abstract contract NationalStablecoinLayout {
    // ---------------------------------------------------------------- errors

    /// @notice The caller is not a configured minter.
    error StablecoinCallerNotMinter(address caller);

    /// @notice `account` is not a configured minter.
    error StablecoinNotMinter(address account);

    /// @notice The minter's allowance is below the amount.
    error StablecoinMinterAllowanceExceeded(address minter, uint256 allowance, uint256 amount);

    /// @notice `account` would be both a minter and a holder of MASTER_MINTER_ROLE.
    error StablecoinMinterRoleConflict(address account);

    /// @notice `minter`'s bucket holds `available`, below the `amount` asked.
    error StablecoinMinterRateLimitExceeded(address minter, uint256 available, uint256 amount);

    /// @notice A rate limit needs a positive capacity of at most 2**96 - 1.
    error StablecoinInvalidRateLimit(uint256 capacity, uint256 refillPerSecond);

    /// @notice Mint or burn of zero tokens.
    error StablecoinZeroAmount();

    /// @notice An address argument was the zero address.
    error StablecoinZeroAddress();

    // ---------------------------------------------------------------- events

    /// @notice Emitted when `minter` may mint up to `allowance` more.
    event MinterConfigured(address indexed minter, uint256 allowance);

    /// @notice Emitted when `minter`'s allowance grows by `increment` to `allowance`.
    event MinterAllowanceIncreased(address indexed minter, uint256 increment, uint256 allowance);

    /// @notice Emitted when `minter`'s allowance shrinks by `decrement` (asked for) to `allowance`.
    event MinterAllowanceDecreased(address indexed minter, uint256 decrement, uint256 allowance);

    /// @notice Emitted when `minter`'s bucket is set to `capacity`, refilled by
    /// `refillPerSecond`; it now holds `level`.
    event MinterRateLimitSet(address indexed minter, uint256 capacity, uint256 refillPerSecond, uint256 level);

    /// @notice Emitted when `minter` loses the right to mint and burn.
    event MinterRemoved(address indexed minter);

    // ---------------------------------------------------------------- storage

    /// @notice Role that configures and removes minters.
    bytes32 public constant MASTER_MINTER_ROLE = keccak256("MASTER_MINTER_ROLE");

    uint256 internal constant _UINT96_MASK = type(uint96).max;

    struct Minter {
        bool isMinter;
        uint96 allowance;
        uint96 bucketLevel;
        uint48 bucketUpdatedAt;
        bool rateLimited;
        uint128 capacity;
        uint128 refillPerSecond;
    }

    struct ReserveConfig {
        address feed;
        uint48 maxAge;
        int8 decimalsShift;
    }

    /// @custom:storage-location erc7201:kgs.storage.NationalStablecoin
    struct NationalStablecoinStorage {
        mapping(address minter => Minter) _minters;
        ReserveConfig _reserve;
    }

    // keccak256(abi.encode(uint256(keccak256("kgs.storage.NationalStablecoin")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant _NATIONAL_STABLECOIN_STORAGE_SLOT =
        0xf1ba79265ea3132f61ca4014ef9a3da04c049e50ef67725984d98e0fa3ee9800;

    function _getNationalStablecoinStorage() internal pure returns (NationalStablecoinStorage storage $) {
        assembly {
            $.slot := _NATIONAL_STABLECOIN_STORAGE_SLOT
        }
    }

    // ---------------------------------------------------------------- internal

    /// @dev The bucket of a rate-limited minter, refilled up to now and capped at its capacity.
    function _bucketLevel(Minter storage m) internal view returns (uint256) {
        uint256 capacity = m.capacity;
        uint256 level = m.bucketLevel + m.refillPerSecond * (block.timestamp - m.bucketUpdatedAt);
        return level < capacity ? level : capacity;
    }
}
