// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {ControlledTokenUpgradeable} from "../compliance/ControlledTokenUpgradeable.sol";
import {NationalStablecoinLayout} from "./NationalStablecoinLayout.sol";
import {StablecoinMinterExtension} from "./StablecoinMinterExtension.sol";
import {StablecoinSignatureExtension} from "./StablecoinSignatureExtension.sol";
import {TransferAuthorizationUpgradeable} from "./TransferAuthorizationUpgradeable.sol";

/// @title NationalStablecoin
/// @notice A BEP-20 / ERC-20 stablecoin pegged 1:1 to the national currency (KGST for the
/// Kyrgyz som), minted only within the fiat reserve that an attestation feed reports.
/// @dev Deployed behind an ERC1967Proxy as
/// `ERC1967Proxy(impl, initialize(name, symbol, decimals, admin, adminTransferDelay))`.
/// Roles: those of ControlledTokenUpgradeable plus MASTER_MINTER_ROLE, which configures
/// minters with an allowance and a rate limit (USDC's model, with Paxos's and Chainlink
/// CCIP's per-minter token bucket). A deployment gives MASTER_MINTER_ROLE to a
/// MintController only, which bounds the allowances it hands out by a budget the board
/// grants (Circle's MasterMinter). No account is both a minter and a master minter:
/// `configureMinter` refuses a holder of MASTER_MINTER_ROLE and `grantRole` refuses that
/// role to a minter (StablecoinMinterRoleConflict). A minter mints up to its allowance and
/// burns from its own balance.
/// Rate limit: a minter given one (`setMinterRateLimit`) holds a bucket of `capacity`
/// refilled by `refillPerSecond`; a mint takes its amount from the bucket and reverts with
/// StablecoinMinterRateLimitExceeded when the bucket holds less. Over any interval of T
/// seconds such a minter mints at most `capacity + refillPerSecond * T`. A new limit
/// applies at once: the bucket keeps what it held, never more than the new capacity (a
/// first limit starts full). A minter without a limit (a 0.2.0 minter, until the board
/// sets one) is bounded by its allowance only; the MintController gives no allowance to
/// such a minter and the audit reports it. The minter administration (allowances, rate
/// limits, removal) runs in StablecoinMinterExtension by `delegatecall`, after the stub
/// here checked MASTER_MINTER_ROLE.
/// Every mint checks `totalSupply + amount <= reserve`, the reserve being the feed's latest
/// answer scaled from the feed's decimals to the token's; the answer must be positive, no
/// older than `maxAge` seconds (at most MAX_RESERVE_MAX_AGE), and the feed must still report
/// the decimals it had when it was set.
/// Storage (ERC-7201 namespace `kgs.storage.NationalStablecoin`), layout 0.3.0:
///   - `_minters[m]`: two words. The first, `{bool isMinter; uint96 allowance;
///     uint96 bucketLevel; uint48 bucketUpdatedAt; bool rateLimited}`, is the only one a
///     mint writes; the second, `{uint128 capacity; uint128 refillPerSecond}`, is read by a
///     mint only when `rateLimited`. (0.2.0 had `{bool isMinter; uint248 allowance}`: an
///     allowance below 2**96 reads the same, with no rate limit.)
///   - `_reserve`: `{address feed; uint48 maxAge; int8 decimalsShift}` in one word, the
///     shift being token decimals minus feed decimals, fixed when the feed is set.
/// Permit (EIP-2612) and transfer with authorization (EIP-3009) share one EIP-712 domain
/// (name = token name, version "1"). Each has an overload taking `bytes signature` (USDC
/// v2.2's), checked with OpenZeppelin's SignatureChecker: an ECDSA signature for an
/// externally owned account, ERC-1271 `isValidSignature` for a contract wallet (a Safe).
/// The (v, r, s) overloads are unchanged and serve externally owned accounts only.
/// The `bytes` overloads are declared here and run in StablecoinSignatureExtension, which
/// the constructor deploys and the token reaches by `delegatecall` (as Compound III's Comet
/// reaches CometExt): their code would take the token past the EIP-170 size limit.
contract NationalStablecoin is
    ControlledTokenUpgradeable,
    TransferAuthorizationUpgradeable,
    NoncesUpgradeable,
    IERC20Permit,
    NationalStablecoinLayout
{
    // ---------------------------------------------------------------- errors

    /// @notice No reserve feed is set, so nothing can be minted.
    error StablecoinReserveFeedNotSet();

    /// @notice The reserve feed's `maxAge` must be positive.
    error StablecoinInvalidMaxAge();

    /// @notice The reserve feed's `maxAge` is above the bound fixed in code, `maxAllowed`.
    error StablecoinMaxAgeTooLong(uint256 maxAge, uint256 maxAllowed);

    /// @notice The reserve feed now reports `actual` decimals, not the `expected` ones it had
    /// when it was set; the board sets the feed again after checking the new scale.
    error StablecoinFeedDecimalsChanged(uint256 expected, uint256 actual);

    /// @notice The `bytes` signature is not `owner`'s (neither its ECDSA signature nor
    /// accepted by its ERC-1271 wallet); raised by StablecoinSignatureExtension.
    error StablecoinInvalidSignature(address owner);

    /// @notice The feed's decimals are more than 77 away from the token's.
    error StablecoinInvalidFeedDecimals(uint256 feedDecimals);

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

    /// @notice Emitted when `minter` mints `amount` to `to`.
    event Mint(address indexed minter, address indexed to, uint256 amount);

    /// @notice Emitted when `burner` burns `amount` of its own tokens.
    event Burn(address indexed burner, uint256 amount);

    /// @notice Emitted when minting is bounded by `feed`, accepted up to `maxAge` seconds old.
    event ReserveFeedSet(address indexed feed, uint256 maxAge);

    // ---------------------------------------------------------------- storage

    /// @dev Largest `maxAge` the reserve feed may be given (7 days): an older attestation
    /// never bounds minting, whatever the admin sets. Reported by StablecoinMaxAgeTooLong.
    /// Internal, without a getter: every selector added to the dispatcher moves the gas of
    /// the transfer paths (see the commit that made it so).
    uint256 internal constant MAX_RESERVE_MAX_AGE = 7 days;

    bytes32 private constant _PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    /// @dev StablecoinSignatureExtension, created by the constructor: code, not state.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _signatureExtension;

    /// @dev StablecoinMinterExtension, created by the constructor: code, not state.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _minterExtension;

    // ---------------------------------------------------------------- constructor / initializer

    /// @notice Deploys the implementation with its signature and minter extensions
    /// (initializers stay disabled).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _signatureExtension = address(new StablecoinSignatureExtension());
        _minterExtension = address(new StablecoinMinterExtension());
    }

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

    // solhint-disable no-unused-vars
    /// @notice Lets `minter` mint up to `allowance` (replacing any previous allowance).
    /// @dev Kept for USDC compatibility. Like ERC-20 `approve`, replacing an allowance races
    /// the minter: a minter that sees this call pending can mint what is left of its old
    /// allowance first and then receive the new one in full. To change the allowance of an
    /// active minter use `increaseMinterAllowance` / `decreaseMinterAllowance`.
    /// @param minter Account that will mint.
    /// @param allowance Amount it may mint, in the token's smallest unit.
    /// Refused for a holder of MASTER_MINTER_ROLE (StablecoinMinterRoleConflict). A rate
    /// limit set earlier is kept.
    function configureMinter(address minter, uint256 allowance) external onlyRole(MASTER_MINTER_ROLE) {
        if (hasRole(MASTER_MINTER_ROLE, minter)) revert StablecoinMinterRoleConflict(minter);
        _delegateToMinterExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice Adds `increment` to the allowance of the configured `minter`.
    /// @param minter A configured minter.
    /// @param increment Amount added, in the token's smallest unit; not zero.
    function increaseMinterAllowance(address minter, uint256 increment) external onlyRole(MASTER_MINTER_ROLE) {
        _delegateToMinterExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice Takes `decrement` off the allowance of the configured `minter`, down to zero
    /// at most.
    /// @dev Clamps instead of reverting (as Circle's MintController does): a decrease is a
    /// protective action, and it must not fail because the minter minted meanwhile.
    /// @param minter A configured minter.
    /// @param decrement Amount taken off, in the token's smallest unit; not zero.
    function decreaseMinterAllowance(address minter, uint256 decrement) external onlyRole(MASTER_MINTER_ROLE) {
        _delegateToMinterExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice Gives `minter` (a configured or a future minter) a bucket of `capacity`
    /// refilled by `refillPerSecond`; its mints never exceed what the bucket holds.
    /// @dev Applies at once: the bucket, refilled under the old limit up to now, keeps what
    /// it held but never more than `capacity`; a first limit starts full. The MintController
    /// holding MASTER_MINTER_ROLE lets only the board set it.
    /// @param minter The minter.
    /// @param capacity Most the bucket holds, in the token's smallest unit; 1 to 2**96 - 1.
    /// @param refillPerSecond Amount added to the bucket each second, up to `capacity`.
    function setMinterRateLimit(
        address minter,
        uint256 capacity,
        uint256 refillPerSecond
    ) external onlyRole(MASTER_MINTER_ROLE) {
        _delegateToMinterExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice Takes the minting right (and any allowance left) from `minter`.
    /// @dev Its rate limit goes with it: the board sets one again before it mints again.
    /// @param minter A configured minter.
    function removeMinter(address minter) external onlyRole(MASTER_MINTER_ROLE) {
        _delegateToMinterExtension();
    }
    // solhint-enable no-unused-vars

    /// @notice Bounds minting by the reserve that `feed` reports.
    /// @param feed A Chainlink-compatible feed of the fiat reserve (ReserveAttestation or Proof of Reserve).
    /// @dev The feed's decimals are fixed here (as the shift from the feed's to the token's);
    /// `mint` refuses a feed whose decimals changed since.
    /// @param maxAge Oldest acceptable attestation, in seconds; 1 to MAX_RESERVE_MAX_AGE.
    function setReserveFeed(AggregatorV3Interface feed, uint48 maxAge) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(feed) == address(0)) revert StablecoinZeroAddress();
        if (maxAge == 0) revert StablecoinInvalidMaxAge();
        if (maxAge > MAX_RESERVE_MAX_AGE) revert StablecoinMaxAgeTooLong(maxAge, MAX_RESERVE_MAX_AGE);
        uint256 feedDecimals = _feedDecimals(address(feed));
        int256 shift = int256(uint256(decimals())) - int256(feedDecimals);
        if (shift > 77 || shift < -77) revert StablecoinInvalidFeedDecimals(feedDecimals);
        _getNationalStablecoinStorage()._reserve = ReserveConfig({
            feed: address(feed),
            maxAge: maxAge,
            decimalsShift: int8(shift)
        });
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
        mapping(address => Minter) storage minters = $._minters;
        uint256 slot;
        uint256 word;
        // The minter's first word ({bool isMinter; uint96 allowance; uint96 bucketLevel;
        // uint48 bucketUpdatedAt; bool rateLimited}, from the low byte up) read and written
        // once, at one keccak; the limit's word (`slot + 1`) read only when rate-limited.
        assembly ("memory-safe") {
            mstore(0x00, minter)
            mstore(0x20, minters.slot)
            slot := keccak256(0x00, 0x40)
            word := sload(slot)
        }
        if (word & 0xff == 0) revert StablecoinCallerNotMinter(minter);
        uint256 allowance = (word >> 8) & _UINT96_MASK;
        if (allowance < amount) revert StablecoinMinterAllowanceExceeded(minter, allowance, amount);
        // amount <= allowance: the allowance field does not borrow from the fields above.
        uint256 updated = word - (amount << 8);
        if (word >> 248 != 0) updated = _takeFromBucket(minter, slot, updated, amount);
        _requireNotFrozen(minter);
        uint256 supplyAfter = totalSupply() + amount;
        uint256 reserve = _attestedReserve($._reserve);
        if (supplyAfter > reserve) revert StablecoinReserveExceeded(supplyAfter, reserve);
        assembly ("memory-safe") {
            sstore(slot, updated)
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
    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (block.timestamp > deadline) revert ERC2612ExpiredSignature(deadline);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(_PERMIT_TYPEHASH, owner, spender, value, _useNonce(owner), deadline))
        );
        address signer = ECDSA.recover(digest, v, r, s);
        if (signer != owner) revert ERC2612InvalidSigner(signer, owner);
        _requireNotFrozen(owner);
        _approve(owner, spender, value, true);
    }

    // solhint-disable no-unused-vars
    /// @notice EIP-2612 with a `bytes` signature: an ECDSA signature of an externally owned
    /// `owner`, or one its ERC-1271 wallet accepts (USDC v2.2's overload).
    /// @dev Runs in StablecoinSignatureExtension. Like `approve`, a frozen owner cannot permit.
    /// Reverts with ERC2612ExpiredSignature or StablecoinInvalidSignature.
    /// @param owner Token owner: the signer, or the ERC-1271 wallet.
    /// @param spender Account allowed to spend.
    /// @param value New allowance.
    /// @param deadline Unix time after which the signature is void.
    /// @param signature The signature, as `owner` checks it.
    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        bytes calldata signature
    ) external {
        _delegateToExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice EIP-3009 `transferWithAuthorization` with a `bytes` signature: ECDSA of an
    /// externally owned payer, or accepted by its ERC-1271 wallet (USDC v2.2's overload).
    /// @dev Runs in StablecoinSignatureExtension; reverts as the (v, r, s) form does, with
    /// AuthorizationInvalidSignature for a bad signature.
    /// @param from Payer: the signer, or the ERC-1271 wallet.
    /// @param to Payee.
    /// @param value Amount in the token's smallest unit.
    /// @param validAfter Valid only after this unix time.
    /// @param validBefore Valid only before this unix time.
    /// @param nonce A unique random 32-byte value chosen by the payer.
    /// @param signature The signature, as `from` checks it.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        _delegateToExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice EIP-3009 `receiveWithAuthorization` with a `bytes` signature; only the payee
    /// may submit it.
    /// @dev Runs in StablecoinSignatureExtension.
    /// @param from Payer: the signer, or the ERC-1271 wallet.
    /// @param to Payee; must be the caller.
    /// @param value Amount in the token's smallest unit.
    /// @param validAfter Valid only after this unix time.
    /// @param validBefore Valid only before this unix time.
    /// @param nonce A unique random 32-byte value chosen by the payer.
    /// @param signature The signature, as `from` checks it.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        _delegateToExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice EIP-3009 `cancelAuthorization` with a `bytes` signature (ECDSA or ERC-1271).
    /// @dev Runs in StablecoinSignatureExtension.
    /// @param authorizer Signer of the cancellation, or its ERC-1271 wallet.
    /// @param nonce Nonce to cancel.
    /// @param signature The signature, as `authorizer` checks it.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external {
        _delegateToExtension();
    }
    // solhint-enable no-unused-vars

    // ---------------------------------------------------------------- external reads

    /// @notice Whether `account` is a configured minter.
    function isMinter(address account) external view returns (bool) {
        return _getNationalStablecoinStorage()._minters[account].isMinter;
    }

    /// @notice How much more `minter` may mint.
    function minterAllowance(address minter) external view returns (uint256) {
        return _getNationalStablecoinStorage()._minters[minter].allowance;
    }

    /// @notice `minter`'s rate limit and what its bucket holds now.
    /// @param minter Any account.
    /// @return capacity Most the bucket holds (zero: no limit set).
    /// @return refillPerSecond Amount the bucket regains each second.
    /// @return level What `minter` may mint now under its limit.
    function minterRateLimit(
        address minter
    ) external view returns (uint256 capacity, uint256 refillPerSecond, uint256 level) {
        Minter storage m = _getNationalStablecoinStorage()._minters[minter];
        if (!m.rateLimited) return (0, 0, 0);
        return (m.capacity, m.refillPerSecond, _bucketLevel(m));
    }

    /// @notice The StablecoinSignatureExtension this implementation runs its `bytes`-signature
    /// overloads in (by delegatecall), so that anyone can check its code.
    /// @return The extension's address, fixed when this implementation was deployed.
    function signatureExtension() external view returns (address) {
        return _signatureExtension;
    }

    /// @notice The StablecoinMinterExtension this implementation runs its minter
    /// administration in (by delegatecall), so that anyone can check its code.
    /// @return The extension's address, fixed when this implementation was deployed.
    function minterExtension() external view returns (address) {
        return _minterExtension;
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

    /// @dev `feed.decimals()`, bubbling up a revert; a feed answering nothing reverts with
    /// StablecoinReserveFeedNotSet.
    function _feedDecimals(address feed) private view returns (uint256 feedDecimals) {
        bool ok;
        assembly ("memory-safe") {
            mstore(0x00, shl(224, 0x313ce567)) // decimals()
            ok := staticcall(gas(), feed, 0x00, 4, 0x00, 0x20)
            if iszero(ok) {
                let ptr := mload(0x40)
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            ok := gt(returndatasize(), 0x1f)
            feedDecimals := mload(0x00)
        }
        if (!ok) revert StablecoinReserveFeedNotSet();
    }

    /// @dev Runs the current call in StablecoinSignatureExtension, on this contract's storage,
    /// and returns or reverts with its result.
    /// @custom:oz-upgrades-unsafe-allow delegatecall
    function _delegateToExtension() private {
        _delegateTo(_signatureExtension);
    }

    /// @dev Runs the current call in StablecoinMinterExtension, on this contract's storage.
    /// @custom:oz-upgrades-unsafe-allow delegatecall
    function _delegateToMinterExtension() private {
        _delegateTo(_minterExtension);
    }

    /// @custom:oz-upgrades-unsafe-allow delegatecall
    function _delegateTo(address extension) private {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, 0, calldatasize())
            let ok := delegatecall(gas(), extension, ptr, calldatasize(), 0, 0)
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) {
                revert(ptr, returndatasize())
            }
            return(ptr, returndatasize())
        }
    }

    /// @dev No account holds MASTER_MINTER_ROLE while it is a minter.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (role == MASTER_MINTER_ROLE && _getNationalStablecoinStorage()._minters[account].isMinter) {
            revert StablecoinMinterRoleConflict(account);
        }
        return super._grantRole(role, account);
    }

    /// @dev Takes `amount` from the bucket of `minter`, whose first word (allowance already
    /// debited) is `word` and whose limit is at `slot + 1`; returns the word to store.
    function _takeFromBucket(
        address minter,
        uint256 slot,
        uint256 word,
        uint256 amount
    ) private view returns (uint256 updated) {
        uint256 level;
        // capacity < 2**96, refill < 2**128 and elapsed < 2**48 (the time of the last take,
        // never ahead of the block's): nothing overflows.
        assembly ("memory-safe") {
            let limit := sload(add(slot, 1))
            let capacity := and(limit, 0xffffffffffffffffffffffffffffffff)
            let elapsed := sub(timestamp(), and(shr(200, word), 0xffffffffffff))
            level := add(and(shr(104, word), 0xffffffffffffffffffffffff), mul(shr(128, limit), elapsed))
            if gt(level, capacity) {
                level := capacity
            }
        }
        if (level < amount) revert StablecoinMinterRateLimitExceeded(minter, level, amount);
        // The new level (below capacity < 2**96) and the time, in place of the old ones.
        assembly ("memory-safe") {
            updated := or(
                and(word, not(shl(104, 0xffffffffffffffffffffffffffffffffffff))),
                or(shl(104, sub(level, amount)), shl(200, timestamp()))
            )
        }
    }

    function _attestedReserve(ReserveConfig memory config) private view returns (uint256) {
        address feed = config.feed;
        if (feed == address(0)) revert StablecoinReserveFeedNotSet();
        int256 answer;
        uint256 updatedAt;
        // The feed read without ABI-decoding the three fields unused.
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, shl(224, 0xfeaf968c)) // latestRoundData()
            if iszero(and(gt(returndatasize(), 0x9f), staticcall(gas(), feed, ptr, 4, ptr, 0xa0))) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            answer := mload(add(ptr, 0x20))
            updatedAt := mload(add(ptr, 0x60))
        }
        uint256 feedDecimals = _feedDecimals(feed);
        if (updatedAt == 0 || updatedAt > block.timestamp || block.timestamp - updatedAt > config.maxAge) {
            revert StablecoinReserveStale(updatedAt, config.maxAge);
        }
        if (answer < 0) revert StablecoinReserveInvalid(answer);
        int8 shift = config.decimalsShift;
        // The feed's decimals when it was set: the token's decimals never change.
        uint256 expected = uint256(int256(uint256(decimals())) - shift);
        if (feedDecimals != expected) revert StablecoinFeedDecimalsChanged(expected, feedDecimals);
        uint256 factor;
        // |shift| <= 77, checked when the feed was set, so 10 ** |shift| < 2 ** 256.
        unchecked {
            factor = 10 ** uint256(int256(shift < 0 ? -shift : shift));
        }
        if (shift < 0) return uint256(answer) / factor;
        // A reserve beyond uint256 bounds nothing: saturate instead of overflowing.
        if (uint256(answer) > type(uint256).max / factor) return type(uint256).max;
        return uint256(answer) * factor;
    }

    function _transferAuthorized(address from, address to, uint256 value) internal override {
        _transfer(from, to, value);
    }
}
