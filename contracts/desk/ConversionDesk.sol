// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ICbdcConversion} from "../interfaces/ICbdcConversion.sol";
import {IStablecoinConversion} from "../interfaces/IStablecoinConversion.sol";

/// @title ConversionDesk
/// @notice Converts the national stablecoin (KGST) into the digital som (KGSD) and back, at
/// par, in one transaction for the holder: a remittance that arrives as KGST becomes money
/// that pays salaries, pensions and shops at home, and a worker's digital som becomes KGST.
/// @dev Design: burn on one side, issue on the other, in the same transaction (Circle's
/// CCTP burn-and-mint, here between two tokens of one chain). The desk never holds either
/// token between calls, so both supplies stay exactly what their holders hold, and each
/// conversion pairs one burn with one issue of the same value, which the audit checks from
/// the tokens' own events. An inventory desk (holding both tokens and swapping them) was
/// rejected: it would need pre-funding that runs dry, would be a frozen-or-seized holder on
/// each side, and would leave neither supply telling what was converted.
///
/// Amounts: every function takes `amount` in the desk's unit, the smallest unit of the
/// token with fewer decimals (the tyiyn: the digital som has 2, KGST 18). The desk moves
/// `amount * kgstPerUnit()` KGST and `amount * somPerUnit()` digital som (one of the two
/// factors is 1), so no conversion rounds and none creates or loses a unit; a KGST dust
/// below one tyiyn stays with its holder.
///
/// KGST to digital som (`convertToSom*`): the desk takes the KGST from the holder (approval,
/// EIP-2612 permit or EIP-3009 authorization, the last two submittable by a relayer for a
/// holder with no BNB), burns it as a KGST minter, issues the same value of digital som to
/// itself (it is a licensed bank of the digital som with ISSUER_ROLE) and pays it to the
/// holder's wallet with `transferWithReference`: the payee's controls (registered, not
/// closed, not frozen) and its holding-limit waterfall apply as to any credit.
/// Digital som to KGST (`convertToKgst`): the desk takes the digital som from the holder's
/// wallet with `transferFrom` (the holder approved the desk; the wallet's per-payment and
/// daily limits apply, since the desk is not its linked bank), redeems (burns) it as a bank
/// and mints the same value of KGST to the holder as a KGST minter: the reserve bound, the
/// freeze and the pause of KGST apply as to any mint. The som always goes to, and the KGST
/// always comes back to, the holder's own address; the reference (`paymentRef`, e.g. a
/// remittance's sender reference) is emitted with the conversion and, on the som side,
/// with the payment. A relayed conversion's reference is the relayer's: it is not signed.
/// Anything that fails reverts the whole conversion with the custom error of the token or
/// of this contract that refused it.
///
/// Monetary accounting: KGST is backed by fiat som in the reserve account that its attestors
/// report; the digital som is a liability of the central bank. When the desk burns KGST, the
/// fiat som that backed it is no longer owed to KGST holders: it settles from the reserve
/// account to the central bank, against the digital som issued in its place, and the next
/// attestation reports the reserve lower by what was converted. When the desk redeems
/// digital som, the central bank places that value in the reserve account, and the KGST the
/// desk mints must fit under the attested reserve like any mint (StablecoinReserveExceeded
/// otherwise): the reserve operator keeps a conversion float attested in the reserve
/// account, and the board keeps the desk's KGST bucket within it. The desk's events (and
/// the audit's `desk` check, which sums them) give the net flow each settlement moves.
///
/// Powers, all bounded by the board: the KGST the desk may mint is the minter allowance the
/// MintController gives it from the board's budget (with the token's own minter bucket, set
/// by the board); the digital som it may issue is the issuance allowance the board sets on
/// the digital som; and each direction has a token bucket of its own here
/// (`setRateLimit`, board only). The pauser may pause the desk and lower either bucket at
/// once (`lowerRateLimit`), both protective; raising a limit is the board's. The pause is a
/// flag in each direction's word rather than OpenZeppelin's Pausable, so that a conversion
/// reads and writes one word of the desk's storage.
///
/// Roles: DEFAULT_ADMIN_ROLE (the governance timelock, delayed handover) sets the rate
/// limits and grants PAUSER_ROLE; PAUSER_ROLE pauses, unpauses (as on both tokens) and
/// lowers limits.
///
/// Storage: `_lanes[direction]`, the one word a conversion reads and writes,
/// `{uint80 level; uint32 updatedAt; uint80 capacity; uint56 refillPerSecond; bool paused}`
/// (what the bucket held at `updatedAt`, its limit, and the pause). The tokens and the two
/// unit factors are immutables. What was converted is read from the events
/// (`ConvertedToSom`, `ConvertedToKgst`), as the audit reads it, not kept in storage.
contract ConversionDesk is AccessControlDefaultAdminRules {
    using SafeERC20 for IStablecoinConversion;
    using SafeERC20 for ICbdcConversion;

    // ---------------------------------------------------------------- errors

    /// @notice An amount of zero.
    error DeskZeroAmount();

    /// @notice A token address given at deployment was zero.
    error DeskZeroAddress();

    /// @notice The tokens' decimals are more than 36 apart.
    error DeskUnsupportedDecimals(uint256 kgstDecimals, uint256 somDecimals);

    /// @notice Direction is TO_SOM (0) or TO_KGST (1).
    error DeskInvalidDirection(uint256 direction);

    /// @notice A capacity of zero or above 2**80 - 1, or a refill above 2**56 - 1.
    error DeskInvalidRateLimit(uint256 capacity, uint256 refillPerSecond);

    /// @notice The pauser may only lower a limit: `capacity` or `refillPerSecond` is above
    /// the current one.
    error DeskRateLimitNotLowered(uint8 direction, uint256 capacity, uint256 refillPerSecond);

    /// @notice Converting `amount` in `direction` needs more than the `available` the
    /// direction's bucket holds now.
    error DeskRateLimitExceeded(uint8 direction, uint256 available, uint256 amount);

    /// @notice The desk is paused.
    error DeskPaused();

    /// @notice The desk is not paused.
    error DeskNotPaused();

    // ---------------------------------------------------------------- events

    /// @notice Emitted when `holder` converts: the desk burned `kgstBurned` KGST and paid
    /// `somIssued` new digital som to `holder`'s wallet, under `paymentRef`.
    event ConvertedToSom(address indexed holder, uint256 kgstBurned, uint256 somIssued, bytes32 indexed paymentRef);

    /// @notice Emitted when `holder` converts: the desk redeemed `somRedeemed` digital som from
    /// `holder`'s wallet and minted `kgstMinted` KGST to `holder`, under `paymentRef`.
    event ConvertedToKgst(address indexed holder, uint256 somRedeemed, uint256 kgstMinted, bytes32 indexed paymentRef);

    /// @notice Emitted when `by` (the board, or the pauser lowering it) sets `direction`'s
    /// bucket to `capacity` refilled by `refillPerSecond` (desk units); it holds `level` now.
    event DeskRateLimitSet(
        uint8 indexed direction,
        uint256 capacity,
        uint256 refillPerSecond,
        uint256 level,
        address indexed by
    );

    /// @notice Emitted when the pauser stops every conversion.
    event Paused(address account);

    /// @notice Emitted when the pauser resumes conversions.
    event Unpaused(address account);

    // ---------------------------------------------------------------- storage

    /// @notice Role that pauses the desk and lowers its limits (protective).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice The direction KGST to digital som.
    uint8 public constant TO_SOM = 0;
    /// @notice The direction digital som to KGST.
    uint8 public constant TO_KGST = 1;

    /// @notice A holder's EIP-3009 authorization to pay the desk (ReceiveWithAuthorization,
    /// `to` being the desk), without the amount, which the call gives.
    struct Authorization {
        uint256 validAfter;
        uint256 validBefore;
        bytes32 nonce;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    struct Lane {
        uint80 level;
        uint32 updatedAt;
        uint80 capacity;
        uint56 refillPerSecond;
        bool paused;
    }

    IStablecoinConversion private immutable _kgst;
    ICbdcConversion private immutable _som;
    uint256 private immutable _kgstPerUnit;
    uint256 private immutable _somPerUnit;

    Lane[2] private _lanes;

    // ---------------------------------------------------------------- constructor

    /// @param kgst_ The national stablecoin, which makes this desk a minter.
    /// @param som_ The digital som, which makes this desk a bank and an issuer.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE (the governance timelock).
    /// @param adminTransferDelay Delay of an admin handover, in seconds.
    constructor(
        IStablecoinConversion kgst_,
        ICbdcConversion som_,
        address admin,
        uint48 adminTransferDelay
    ) AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        if (address(kgst_) == address(0) || address(som_) == address(0)) revert DeskZeroAddress();
        uint256 kgstDecimals = kgst_.decimals();
        uint256 somDecimals = som_.decimals();
        uint256 gap = kgstDecimals > somDecimals ? kgstDecimals - somDecimals : somDecimals - kgstDecimals;
        if (gap > 36) revert DeskUnsupportedDecimals(kgstDecimals, somDecimals);
        _kgst = kgst_;
        _som = som_;
        _kgstPerUnit = kgstDecimals > somDecimals ? 10 ** gap : 1;
        _somPerUnit = somDecimals > kgstDecimals ? 10 ** gap : 1;
    }

    // ---------------------------------------------------------------- external writes: holders

    /// @notice Converts `amount` of the caller's KGST into digital som paid to the caller's
    /// wallet; the caller approved the desk for the KGST first.
    /// @param amount Amount in desk units (tyiyn); `amount * kgstPerUnit()` KGST leaves.
    /// @param paymentRef Reference emitted with the conversion and the payment (zero: none).
    function convertToSom(uint256 amount, bytes32 paymentRef) external {
        uint256 kgstAmount = _take(TO_SOM, amount);
        _kgst.safeTransferFrom(msg.sender, address(this), kgstAmount);
        _issueSom(msg.sender, amount, kgstAmount, paymentRef);
    }

    /// @notice Converts `amount` of `holder`'s KGST into digital som paid to `holder`'s
    /// wallet, on `holder`'s EIP-2612 permit for the desk; anyone may submit it.
    /// @dev The permit must succeed here: a failed one is not skipped, or anyone could spend a
    /// standing approval of `holder` through this path (with its value paid to `holder`, but
    /// at a time `holder` did not choose). A permit someone used first makes this revert; the
    /// holder signs another.
    /// @param holder The KGST holder, who signed the permit.
    /// @param amount Amount in desk units; the permit covers at least `amount * kgstPerUnit()`.
    /// @param deadline The permit's deadline.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    /// @param paymentRef Reference emitted with the conversion and the payment (not signed).
    function convertToSomWithPermit(
        address holder,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s,
        bytes32 paymentRef
    ) external {
        uint256 kgstAmount = _take(TO_SOM, amount);
        IStablecoinConversion stablecoin = _kgst;
        stablecoin.permit(holder, address(this), kgstAmount, deadline, v, r, s);
        stablecoin.safeTransferFrom(holder, address(this), kgstAmount);
        _issueSom(holder, amount, kgstAmount, paymentRef);
    }

    /// @notice Converts `amount` of `holder`'s KGST into digital som paid to `holder`'s
    /// wallet, on `holder`'s EIP-3009 ReceiveWithAuthorization naming the desk as payee and
    /// `amount * kgstPerUnit()` as value; anyone may submit it.
    /// @param holder The KGST holder, who signed the authorization.
    /// @param amount Amount in desk units.
    /// @param auth The authorization's validity, nonce and signature.
    /// @param paymentRef Reference emitted with the conversion and the payment (not signed).
    function convertToSomWithAuthorization(
        address holder,
        uint256 amount,
        Authorization calldata auth,
        bytes32 paymentRef
    ) external {
        uint256 kgstAmount = _take(TO_SOM, amount);
        _kgst.receiveWithAuthorization(
            holder,
            address(this),
            kgstAmount,
            auth.validAfter,
            auth.validBefore,
            auth.nonce,
            auth.v,
            auth.r,
            auth.s
        );
        _issueSom(holder, amount, kgstAmount, paymentRef);
    }

    /// @notice Converts `amount` of the caller's digital som into KGST minted to the caller;
    /// the caller approved the desk for the digital som first.
    /// @param amount Amount in desk units; `amount * somPerUnit()` digital som leaves.
    /// @param paymentRef Reference emitted with the conversion (zero: none).
    function convertToKgst(uint256 amount, bytes32 paymentRef) external {
        _take(TO_KGST, amount);
        uint256 somAmount = amount * _somPerUnit;
        uint256 kgstAmount = amount * _kgstPerUnit;
        ICbdcConversion cbdc = _som;
        cbdc.safeTransferFrom(msg.sender, address(this), somAmount);
        cbdc.redeem(somAmount);
        _kgst.mint(msg.sender, kgstAmount);
        emit ConvertedToKgst(msg.sender, somAmount, kgstAmount, paymentRef);
    }

    // ---------------------------------------------------------------- external writes: board and pauser

    /// @notice Sets `direction`'s bucket; board only. Applies at once: the bucket keeps what it
    /// held, never more than the new capacity; a first limit starts full.
    /// @param direction TO_SOM or TO_KGST.
    /// @param capacity Most the bucket holds, in desk units; 1 to 2**80 - 1.
    /// @param refillPerSecond Desk units the bucket regains each second.
    function setRateLimit(
        uint8 direction,
        uint256 capacity,
        uint256 refillPerSecond
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setRateLimit(direction, capacity, refillPerSecond);
    }

    /// @notice Lowers `direction`'s bucket at once (protective); the pauser or the board.
    /// @param direction TO_SOM or TO_KGST.
    /// @param capacity New capacity, not above the current one; at least 1.
    /// @param refillPerSecond New refill, not above the current one.
    function lowerRateLimit(uint8 direction, uint256 capacity, uint256 refillPerSecond) external {
        if (!hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) _checkRole(PAUSER_ROLE);
        Lane memory lane = _lanes[_direction(direction)];
        if (capacity > lane.capacity || refillPerSecond > lane.refillPerSecond) {
            revert DeskRateLimitNotLowered(direction, capacity, refillPerSecond);
        }
        _setRateLimit(direction, capacity, refillPerSecond);
    }

    /// @notice Stops every conversion until `unpause`.
    function pause() external onlyRole(PAUSER_ROLE) {
        if (_lanes[TO_SOM].paused) revert DeskPaused();
        _setPaused(true);
        emit Paused(msg.sender);
    }

    /// @notice Resumes conversions.
    function unpause() external onlyRole(PAUSER_ROLE) {
        if (!_lanes[TO_SOM].paused) revert DeskNotPaused();
        _setPaused(false);
        emit Unpaused(msg.sender);
    }

    // ---------------------------------------------------------------- external reads

    /// @notice The national stablecoin (KGST).
    function kgst() external view returns (IStablecoinConversion) {
        return _kgst;
    }

    /// @notice The digital som.
    function som() external view returns (ICbdcConversion) {
        return _som;
    }

    /// @notice KGST smallest units in one desk unit.
    function kgstPerUnit() external view returns (uint256) {
        return _kgstPerUnit;
    }

    /// @notice Digital som smallest units in one desk unit.
    function somPerUnit() external view returns (uint256) {
        return _somPerUnit;
    }

    /// @notice Whether conversions are stopped.
    function paused() external view returns (bool) {
        return _lanes[TO_SOM].paused;
    }

    /// @notice `direction`'s bucket.
    /// @param direction TO_SOM or TO_KGST.
    /// @return capacity Most the bucket holds, in desk units (zero: not set, nothing converts).
    /// @return refillPerSecond Desk units it regains each second.
    /// @return level What may be converted in that direction now.
    function rateLimit(
        uint8 direction
    ) external view returns (uint256 capacity, uint256 refillPerSecond, uint256 level) {
        Lane memory lane = _lanes[_direction(direction)];
        return (lane.capacity, lane.refillPerSecond, _level(lane));
    }

    // ---------------------------------------------------------------- internal

    /// @dev Takes `amount` from `direction`'s bucket (not paused, not zero); returns the
    /// KGST it stands for.
    function _take(uint8 direction, uint256 amount) private returns (uint256 kgstAmount) {
        if (amount == 0) revert DeskZeroAmount();
        Lane memory lane = _lanes[direction];
        if (lane.paused) revert DeskPaused();
        uint256 level = _level(lane);
        if (level < amount) revert DeskRateLimitExceeded(direction, level, amount);
        // amount <= level < 2**80; uint32 seconds last until 2106. One write of the word.
        lane.level = uint80(level - amount);
        lane.updatedAt = uint32(block.timestamp);
        _lanes[direction] = lane;
        return amount * _kgstPerUnit;
    }

    /// @dev Burns the `kgstAmount` KGST the desk just took from `holder`, issues `amount` desk
    /// units of digital som to the desk and pays it to `holder`'s wallet.
    function _issueSom(address holder, uint256 amount, uint256 kgstAmount, bytes32 paymentRef) private {
        uint256 somAmount = amount * _somPerUnit;
        _kgst.burn(kgstAmount);
        ICbdcConversion cbdc = _som;
        cbdc.issue(address(this), somAmount);
        // A plain transfer when there is no reference: its event costs less.
        if (paymentRef == bytes32(0)) cbdc.safeTransfer(holder, somAmount);
        else cbdc.transferWithReference(holder, somAmount, paymentRef);
        emit ConvertedToSom(holder, kgstAmount, somAmount, paymentRef);
    }

    function _setRateLimit(uint8 direction, uint256 capacity, uint256 refillPerSecond) private {
        uint256 d = _direction(direction);
        if (capacity == 0 || capacity > type(uint80).max || refillPerSecond > type(uint56).max) {
            revert DeskInvalidRateLimit(capacity, refillPerSecond);
        }
        Lane storage lane = _lanes[d];
        Lane memory old = lane;
        uint256 level = old.capacity == 0 ? capacity : _level(old);
        if (level > capacity) level = capacity;
        _lanes[d] = Lane({
            level: uint80(level),
            updatedAt: uint32(block.timestamp),
            capacity: uint80(capacity),
            refillPerSecond: uint56(refillPerSecond),
            paused: old.paused
        });
        emit DeskRateLimitSet(direction, capacity, refillPerSecond, level, msg.sender);
    }

    function _setPaused(bool paused_) private {
        _lanes[TO_SOM].paused = paused_;
        _lanes[TO_KGST].paused = paused_;
    }

    /// @dev What the bucket of `lane` holds now.
    function _level(Lane memory lane) private view returns (uint256 level) {
        // level < 2**80, refill < 2**56, elapsed < 2**32: no overflow.
        level = lane.level + lane.refillPerSecond * (block.timestamp - lane.updatedAt);
        if (level > lane.capacity) level = lane.capacity;
    }

    function _direction(uint8 direction) private pure returns (uint256) {
        if (direction > TO_KGST) revert DeskInvalidDirection(direction);
        return direction;
    }
}
