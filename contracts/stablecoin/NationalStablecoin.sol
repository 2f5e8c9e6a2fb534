// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {ControlledTokenUpgradeable} from "../compliance/ControlledTokenUpgradeable.sol";
import {TransferAuthorizationUpgradeable} from "./TransferAuthorizationUpgradeable.sol";

/// @title NationalStablecoin
/// @notice A BEP-20 / ERC-20 stablecoin pegged 1:1 to the national currency (KGST for the
/// Kyrgyz som), minted only within the fiat reserve that an attestation feed reports.
/// @dev Deployed behind an ERC1967Proxy as
/// `ERC1967Proxy(impl, initialize(name, symbol, decimals, admin, adminTransferDelay))`.
/// Roles: those of ControlledTokenUpgradeable plus MASTER_MINTER_ROLE, which configures
/// minters with an allowance (USDC's model). A minter mints up to its allowance and burns
/// from its own balance. Every mint checks `totalSupply + amount <= reserve`, the reserve
/// being the feed's latest answer scaled from the feed's decimals to the token's; the
/// answer must be positive and no older than `maxAge` seconds.
/// Storage (ERC-7201 namespace `kgs.storage.NationalStablecoin`):
///   - `_minters[m]`: `{bool isMinter; uint248 allowance}` in one word;
///   - `_reserve`: `{address feed; uint48 maxAge; int8 decimalsShift}` in one word, the
///     shift being token decimals minus feed decimals, fixed when the feed is set.
/// Permit (EIP-2612) and transfer with authorization (EIP-3009) share one EIP-712 domain
/// (name = token name, version "1").
contract NationalStablecoin is ControlledTokenUpgradeable, TransferAuthorizationUpgradeable, NoncesUpgradeable, IERC20Permit {
    // ---------------------------------------------------------------- errors

    /// @notice The caller is not a configured minter.
    error StablecoinCallerNotMinter(address caller);

    /// @notice `account` is not a configured minter.
    error StablecoinNotMinter(address account);

    /// @notice The minter's allowance is below the amount.
    error StablecoinMinterAllowanceExceeded(address minter, uint256 allowance, uint256 amount);

    /// @notice Mint or burn of zero tokens.
    error StablecoinZeroAmount();

    /// @notice An address argument was the zero address.
    error StablecoinZeroAddress();

    /// @notice No reserve feed is set, so nothing can be minted.
    error StablecoinReserveFeedNotSet();

    /// @notice The reserve feed's `maxAge` must be positive.
    error StablecoinInvalidMaxAge();

    /// @notice The feed's decimals are more than 77 away from the token's.
    error StablecoinInvalidFeedDecimals(uint8 feedDecimals);

    /// @notice The last attestation, made at `updatedAt`, is older than `maxAge` seconds,
    /// missing (`updatedAt` zero) or dated in the future.
    error StablecoinReserveStale(uint256 updatedAt, uint256 maxAge);

    /// @notice The feed reported a negative reserve.
    error StablecoinReserveInvalid(int256 answer);

    /// @notice Minting would take the supply to `supplyAfter`, above the attested `reserve`.
    error StablecoinReserveExceeded(uint256 supplyAfter, uint256 reserve);

    /// @notice The EIP-2612 permit expired.
    error ERC2612ExpiredSignature(uint256 deadline);

    /// @notice The EIP-2612 permit was signed by `signer`, not by `owner`.
    error ERC2612InvalidSigner(address signer, address owner);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when `minter` may mint up to `allowance` more.
    event MinterConfigured(address indexed minter, uint256 allowance);

    /// @notice Emitted when `minter` loses the right to mint and burn.
    event MinterRemoved(address indexed minter);

    /// @notice Emitted when `minter` mints `amount` to `to`.
    event Mint(address indexed minter, address indexed to, uint256 amount);

    /// @notice Emitted when `burner` burns `amount` of its own tokens.
    event Burn(address indexed burner, uint256 amount);

    /// @notice Emitted when minting is bounded by `feed`, accepted up to `maxAge` seconds old.
    event ReserveFeedSet(address indexed feed, uint256 maxAge);

    // ---------------------------------------------------------------- storage

    /// @notice Role that configures and removes minters.
    bytes32 public constant MASTER_MINTER_ROLE = keccak256("MASTER_MINTER_ROLE");

    bytes32 private constant _PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    struct Minter {
        bool isMinter;
        uint248 allowance;
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
    bytes32 private constant _STORAGE_SLOT = 0xf1ba79265ea3132f61ca4014ef9a3da04c049e50ef67725984d98e0fa3ee9800;

    function _getNationalStablecoinStorage() private pure returns (NationalStablecoinStorage storage $) {
        assembly {
            $.slot := _STORAGE_SLOT
        }
    }

    // ---------------------------------------------------------------- initializer

    /// @notice Sets up the proxy's state; callable once.
    /// @param name_ Token name, also the EIP-712 domain name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE, who grants the other roles.
    /// @param adminTransferDelay Seconds a new admin waits before accepting the role.
    function initialize(
        string calldata name_,
        string calldata symbol_,
        uint8 decimals_,
        address admin,
        uint48 adminTransferDelay
    ) external initializer {
        __ControlledToken_init(name_, symbol_, decimals_, admin, adminTransferDelay);
        __EIP712_init(name_, "1");
        __Nonces_init();
    }

    // ---------------------------------------------------------------- external writes

    /// @notice Lets `minter` mint up to `allowance` (replacing any previous allowance).
    /// @param minter Account that will mint.
    /// @param allowance Amount it may mint, in the token's smallest unit.
    function configureMinter(address minter, uint256 allowance) external onlyRole(MASTER_MINTER_ROLE) {
        if (minter == address(0)) revert StablecoinZeroAddress();
        _getNationalStablecoinStorage()._minters[minter] =
            Minter({isMinter: true, allowance: SafeCast.toUint248(allowance)});
        emit MinterConfigured(minter, allowance);
    }

    /// @notice Takes the minting right (and any allowance left) from `minter`.
    /// @param minter A configured minter.
    function removeMinter(address minter) external onlyRole(MASTER_MINTER_ROLE) {
        NationalStablecoinStorage storage $ = _getNationalStablecoinStorage();
        if (!$._minters[minter].isMinter) revert StablecoinNotMinter(minter);
        delete $._minters[minter];
        emit MinterRemoved(minter);
    }

    /// @notice Bounds minting by the reserve that `feed` reports.
    /// @param feed A Chainlink-compatible feed of the fiat reserve (ReserveAttestation or Proof of Reserve).
    /// @param maxAge Oldest acceptable attestation, in seconds.
    function setReserveFeed(AggregatorV3Interface feed, uint48 maxAge) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(feed) == address(0)) revert StablecoinZeroAddress();
        if (maxAge == 0) revert StablecoinInvalidMaxAge();
        uint8 feedDecimals = feed.decimals();
        int256 shift = int256(uint256(decimals())) - int256(uint256(feedDecimals));
        if (shift > 77 || shift < -77) revert StablecoinInvalidFeedDecimals(feedDecimals);
        _getNationalStablecoinStorage()._reserve =
            ReserveConfig({feed: address(feed), maxAge: maxAge, decimalsShift: int8(shift)});
        emit ReserveFeedSet(address(feed), maxAge);
    }

    /// @notice Mints `amount` to `to`, spending the caller's minter allowance.
    /// @dev Reverts unless the supply after minting stays within the fresh attested reserve.
    /// @param to Recipient; must not be frozen.
    /// @param amount Amount in the token's smallest unit.
    /// @return Always true; failures revert.
    function mint(address to, uint256 amount) external returns (bool) {
        address minter = msg.sender;
        if (amount == 0) revert StablecoinZeroAmount();
        NationalStablecoinStorage storage $ = _getNationalStablecoinStorage();
        Minter memory m = $._minters[minter];
        if (!m.isMinter) revert StablecoinCallerNotMinter(minter);
        if (m.allowance < amount) revert StablecoinMinterAllowanceExceeded(minter, m.allowance, amount);
        _requireNotFrozen(minter);
        uint256 supplyAfter = totalSupply() + amount;
        uint256 reserve = _attestedReserve($._reserve);
        if (supplyAfter > reserve) revert StablecoinReserveExceeded(supplyAfter, reserve);
        unchecked {
            $._minters[minter].allowance = m.allowance - uint248(amount);
        }
        _mint(to, amount);
        emit Mint(minter, to, amount);
        return true;
    }

    /// @notice Burns `amount` of the caller's own tokens; the caller must be a minter.
    /// @param amount Amount in the token's smallest unit.
    function burn(uint256 amount) external {
        address burner = msg.sender;
        if (amount == 0) revert StablecoinZeroAmount();
        if (!_getNationalStablecoinStorage()._minters[burner].isMinter) revert StablecoinCallerNotMinter(burner);
        _burn(burner, amount);
        emit Burn(burner, amount);
    }

    /// @notice EIP-2612: sets `spender`'s allowance over `owner`'s tokens from `owner`'s signature.
    /// @dev Like `approve`, a frozen owner cannot permit; pause does not stop approvals.
    /// @param owner Token owner and signer.
    /// @param spender Account allowed to spend.
    /// @param value New allowance.
    /// @param deadline Unix time after which the signature is void.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        if (block.timestamp > deadline) revert ERC2612ExpiredSignature(deadline);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(_PERMIT_TYPEHASH, owner, spender, value, _useNonce(owner), deadline))
        );
        address signer = ECDSA.recover(digest, v, r, s);
        if (signer != owner) revert ERC2612InvalidSigner(signer, owner);
        _requireNotFrozen(owner);
        _approve(owner, spender, value, true);
    }

    // ---------------------------------------------------------------- external reads

    /// @notice Whether `account` is a configured minter.
    function isMinter(address account) external view returns (bool) {
        return _getNationalStablecoinStorage()._minters[account].isMinter;
    }

    /// @notice How much more `minter` may mint.
    function minterAllowance(address minter) external view returns (uint256) {
        return _getNationalStablecoinStorage()._minters[minter].allowance;
    }

    /// @notice The reserve feed and the oldest attestation accepted, in seconds.
    function reserveFeed() external view returns (address feed, uint256 maxAge) {
        ReserveConfig memory config = _getNationalStablecoinStorage()._reserve;
        return (config.feed, config.maxAge);
    }

    /// @notice The attested reserve in the token's smallest unit; reverts as `mint` would
    /// when no feed is set, the attestation is stale or the answer negative.
    function attestedReserve() external view returns (uint256) {
        return _attestedReserve(_getNationalStablecoinStorage()._reserve);
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) public view override(IERC20Permit, NoncesUpgradeable) returns (uint256) {
        return super.nonces(owner);
    }

    /// @inheritdoc IERC20Permit
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- internal

    function _attestedReserve(ReserveConfig memory config) private view returns (uint256) {
        if (config.feed == address(0)) revert StablecoinReserveFeedNotSet();
        (, int256 answer,, uint256 updatedAt,) = AggregatorV3Interface(config.feed).latestRoundData();
        if (updatedAt == 0 || updatedAt > block.timestamp || block.timestamp - updatedAt > config.maxAge) {
            revert StablecoinReserveStale(updatedAt, config.maxAge);
        }
        if (answer < 0) revert StablecoinReserveInvalid(answer);
        int8 shift = config.decimalsShift;
        if (shift < 0) return uint256(answer) / 10 ** uint8(-shift);
        uint256 factor = 10 ** uint8(shift);
        // A reserve beyond uint256 bounds nothing: saturate instead of overflowing.
        if (uint256(answer) > type(uint256).max / factor) return type(uint256).max;
        return uint256(answer) * factor;
    }

    function _transferAuthorized(address from, address to, uint256 value) internal override {
        _transfer(from, to, value);
    }
}
