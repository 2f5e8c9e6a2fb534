// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {ERC165Checker} from "@openzeppelin/contracts/utils/introspection/ERC165Checker.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IControlledToken} from "../interfaces/IControlledToken.sol";

/// @title ReserveVault
/// @notice The national crypto reserve: holds native BNB and an allow-list of BEP-20 assets,
/// lets every outflow pass through governance, and reports at any block what it holds and
/// what that is worth in USD.
/// @dev Roles (OpenZeppelin AccessControl):
///   - DEFAULT_ADMIN_ROLE and GOVERNOR_ROLE: the governance, the GovernanceTimelock whose proposers
///     are the reserve committee. Lists assets, sets limits and policy, withdraws without limit,
///     recovers unlisted tokens, unpauses, grants and revokes every role (all after the delay).
///   - OPERATOR_ROLE: moves each asset without delay, within its outflow bucket.
///   - GUARDIAN_ROLE: pauses every outflow at once.
/// Native BNB is the asset at the sentinel address `NATIVE`
/// (0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE), 18 decimals.
/// Outflow limit: a token bucket per asset (as Chainlink CCIP's rate limits) of capacity
/// `dailyOutflowLimit`, refilled by `dailyOutflowLimit` per day, continuously. An operational
/// transfer takes its amount from the bucket; a lower limit applies at once (what the bucket
/// already gave counts against the new capacity). Governance withdrawals do not count
/// against it.
/// Balances are the vault's live balances (`balanceOf(this)`, `address(this).balance`), not an
/// internal ledger, so a fee-on-transfer deposit is credited with what actually arrived (the
/// `Deposited` event reports both the amount sent and the amount received).
/// Valuation: prices and values are USD with 8 decimals (1 USD = 1e8). A value is computed
/// from the feed's raw answer at full precision and rounded down once, at the end; `price()`
/// and the `price` column of `holdings()` show the price rounded to 8 decimals (a price below
/// 1e-8 USD shows as 0 but still values its balance). A price older than `maxPriceAge()`
/// seconds, dated in the future, zero or negative makes every valuation revert.
/// The project's own currencies (KGST, the digital som) are never listed: their compliance
/// roles can freeze, seize or pause balances, which would bypass this vault's timelock.
/// `addAsset` refuses any token that answers ERC-165 for IControlledToken. The check is made at
/// listing; it guards governance against a mistake, not against a token hiding the interface.
/// Outflow worst case: over any T seconds the operator moves at most
/// `dailyOutflowLimit * (1 + T / 1 days)`: one limit at once, then the refill (no calendar
/// boundary doubles it).
/// Not upgradeable on purpose: the contract is custody, and a proxy would add an admin path to
/// the code holding the funds. A new version is deployed next to this one and governance moves
/// the assets over with timelocked withdrawals.
/// Every revert is a `Reserve...` custom error, except ReentrancyGuard's
/// `ReentrancyGuardReentrantCall`, which OpenZeppelin raises from a private function.
contract ReserveVault is AccessControl, Pausable, ReentrancyGuard {
    using EnumerableSet for EnumerableSet.AddressSet;

    // ---------------------------------------------------------------- errors

    /// @notice `account` lacks `role`.
    error ReserveUnauthorizedAccount(address account, bytes32 role);

    /// @notice `renounceRole` was not confirmed with the caller's own address.
    error ReserveBadConfirmation();

    /// @notice An address argument was the zero address.
    error ReserveZeroAddress();

    /// @notice An amount argument was zero.
    error ReserveZeroAmount();

    /// @notice `asset` is not on the allow-list.
    error ReserveAssetNotListed(address asset);

    /// @notice `asset` is already on the allow-list.
    error ReserveAssetAlreadyListed(address asset);

    /// @notice The allow-list is full (`max` assets).
    error ReserveTooManyAssets(uint256 max);

    /// @notice `asset` reports more than 36 decimals.
    error ReserveInvalidAssetDecimals(address asset, uint8 decimals);

    /// @notice `feed` reports more than 36 decimals.
    error ReserveInvalidFeedDecimals(address feed, uint8 decimals);

    /// @notice The maximum price age must be positive.
    error ReserveInvalidMaxPriceAge();

    /// @notice A maximum share above 10,000 basis points.
    error ReserveInvalidMaxShare(uint256 maxShareBps);

    /// @notice A native deposit whose `msg.value` differs from `amount`.
    error ReserveNativeAmountMismatch(uint256 value, uint256 amount);

    /// @notice BNB was attached to a token deposit.
    error ReserveUnexpectedNativeValue(uint256 value);

    /// @notice The vault holds `balance` of `asset`, less than `amount`.
    error ReserveInsufficientBalance(address asset, uint256 balance, uint256 amount);

    /// @notice Moving `amount` of `asset` to `to` failed (token returned false or reverted,
    /// or the BNB recipient rejected the transfer).
    error ReserveTransferFailed(address asset, address to, uint256 amount);

    /// @notice A token deposit that delivered nothing.
    error ReserveNothingReceived(address asset);

    /// @notice An operational transfer of `amount` would take the outflow bucket of `asset`
    /// past `limit` (`spent` of it in use, not yet refilled).
    error ReserveDailyLimitExceeded(address asset, uint256 limit, uint256 spent, uint256 amount);

    /// @notice `asset` is one of the project's own currencies (it answers ERC-165 for
    /// IControlledToken): their compliance keys could move it out of the vault without its timelock.
    error ReserveControlledAsset(address asset);

    /// @notice `asset` is listed; it leaves only through `withdraw`, never through recovery.
    error ReserveAssetListed(address asset);

    /// @notice The feed of `asset` last updated at `updatedAt`, more than `maxAge` seconds ago,
    /// never (`updatedAt` zero) or in the future.
    error ReservePriceStale(address asset, uint256 updatedAt, uint256 maxAge);

    /// @notice The feed of `asset` reported a zero or negative price.
    error ReservePriceNotPositive(address asset, int256 answer);

    /// @notice Outflows are paused.
    error ReservePaused();

    /// @notice Outflows are not paused.
    error ReserveNotPaused();

    // ---------------------------------------------------------------- events

    /// @notice Emitted when `asset` is listed, priced by `priceFeed`, with `dailyOutflowLimit`.
    event AssetAdded(address indexed asset, address indexed priceFeed, uint8 decimals, uint256 dailyOutflowLimit);

    /// @notice Emitted when `asset` leaves the allow-list.
    event AssetRemoved(address indexed asset);

    /// @notice Emitted when `asset` is priced by a new `priceFeed`.
    event PriceFeedChanged(address indexed asset, address indexed priceFeed);

    /// @notice Emitted when the operator may move up to `dailyOutflowLimit` of `asset` a day.
    event DailyOutflowLimitChanged(address indexed asset, uint256 dailyOutflowLimit);

    /// @notice Emitted when `asset` may make up at most `maxShareBps` of the reserve (0: no cap).
    event MaxShareChanged(address indexed asset, uint256 maxShareBps);

    /// @notice Emitted when prices older than `maxPriceAge` seconds become stale.
    event MaxPriceAgeChanged(uint256 maxPriceAge);

    /// @notice Emitted when `from` deposits `asset`: `amount` sent, `received` arrived.
    event Deposited(address indexed asset, address indexed from, uint256 amount, uint256 received);

    /// @notice Emitted when governance withdraws `amount` of `asset` to `to`.
    event Withdrawn(address indexed asset, address indexed to, uint256 amount);

    /// @notice Emitted when `operator` moves `amount` of `asset` to `to`, bringing the use of
    /// the asset's outflow bucket (not yet refilled) to `used`.
    event OperationalTransferMade(
        address indexed asset,
        address indexed to,
        address indexed operator,
        uint256 amount,
        uint256 used
    );

    /// @notice Emitted when governance recovers `amount` of the unlisted `token` to `to`.
    event TokenRecovered(address indexed token, address indexed to, uint256 amount);

    /// @notice Emitted after an inflow or outflow that leaves `asset` at `shareBps` of the
    /// reserve, above its maximum `maxShareBps`. The move is not blocked, only flagged.
    event PolicyBreached(address indexed asset, uint256 shareBps, uint256 maxShareBps);

    // ---------------------------------------------------------------- storage

    /// @notice Role of the governance (the timelock).
    bytes32 public constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");

    /// @notice Role that moves assets within their outflow buckets, without delay.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice Role that pauses outflows.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @notice Sentinel address standing for native BNB.
    address public constant NATIVE = 0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE;

    /// @notice Decimals of prices and values: USD with 8 decimals.
    uint8 public constant QUOTE_DECIMALS = 8;

    /// @notice Basis points in a whole.
    uint256 public constant BPS = 10_000;

    /// @notice Most assets the allow-list holds, bounding every loop over it.
    uint256 public constant MAX_ASSETS = 32;

    /// @notice The settings of a listed asset.
    struct AssetConfig {
        AggregatorV3Interface priceFeed;
        uint8 decimals;
        uint8 feedDecimals;
        uint16 maxShareBps;
        uint256 dailyOutflowLimit;
    }

    /// @notice One line of the valuation: balance in the asset's units, price and value in USD (8 decimals).
    struct Holding {
        address asset;
        uint256 balance;
        uint256 price;
        uint256 value;
    }

    /// @dev An asset's outflow bucket: the amount in use at `updatedAt`, refilled since at
    /// `dailyOutflowLimit` per day.
    struct Outflow {
        uint64 updatedAt;
        uint192 used;
    }

    EnumerableSet.AddressSet private _assets;
    mapping(address asset => AssetConfig) private _configs;
    mapping(address asset => Outflow) private _outflows;
    uint256 private _maxPriceAge;
    uint256 private _cappedAssets;

    // ---------------------------------------------------------------- constructor

    /// @param governor The governance (GovernanceTimelock): DEFAULT_ADMIN_ROLE and GOVERNOR_ROLE.
    /// @param guardian Holder of GUARDIAN_ROLE; the zero address for none yet.
    /// @param operator Holder of OPERATOR_ROLE; the zero address for none yet.
    /// @param maxPriceAge_ Oldest acceptable price, in seconds.
    constructor(address governor, address guardian, address operator, uint256 maxPriceAge_) {
        if (governor == address(0)) revert ReserveZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, governor);
        _grantRole(GOVERNOR_ROLE, governor);
        if (guardian != address(0)) _grantRole(GUARDIAN_ROLE, guardian);
        if (operator != address(0)) _grantRole(OPERATOR_ROLE, operator);
        _setMaxPriceAge(maxPriceAge_);
    }

    // ---------------------------------------------------------------- external writes: inflows

    /// @notice Accepts plain BNB transfers as deposits of the native asset.
    /// @dev Reverts if BNB is not listed. Not "simple" in solhint's sense on purpose: a
    /// deposit is checked against the listing and the share policy like any other.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (!_assets.contains(NATIVE)) revert ReserveAssetNotListed(NATIVE);
        if (msg.value == 0) revert ReserveZeroAmount();
        emit Deposited(NATIVE, msg.sender, msg.value, msg.value);
        _checkPolicy();
    }

    /// @notice Deposits `amount` of the listed `asset` from the caller (after approval), or BNB
    /// with `asset == NATIVE` and `msg.value == amount`.
    /// @dev A fee-on-transfer token is credited with what arrived, measured by balance difference.
    /// @param asset A listed asset, or `NATIVE`.
    /// @param amount Amount in the asset's smallest unit.
    /// @return received The amount that arrived in the vault.
    function deposit(address asset, uint256 amount) external payable nonReentrant returns (uint256 received) {
        if (!_assets.contains(asset)) revert ReserveAssetNotListed(asset);
        if (amount == 0) revert ReserveZeroAmount();
        if (asset == NATIVE) {
            if (msg.value != amount) revert ReserveNativeAmountMismatch(msg.value, amount);
            received = amount;
        } else {
            if (msg.value != 0) revert ReserveUnexpectedNativeValue(msg.value);
            IERC20 token = IERC20(asset);
            uint256 before = token.balanceOf(address(this));
            if (!SafeERC20.trySafeTransferFrom(token, msg.sender, address(this), amount)) {
                revert ReserveTransferFailed(asset, address(this), amount);
            }
            received = token.balanceOf(address(this)) - before;
            if (received == 0) revert ReserveNothingReceived(asset);
        }
        emit Deposited(asset, msg.sender, amount, received);
        _checkPolicy();
    }

    // ---------------------------------------------------------------- external writes: outflows

    /// @notice Sends `amount` of the listed `asset` to `to`; governance only (after the timelock delay).
    /// @param asset A listed asset, or `NATIVE`.
    /// @param to Recipient.
    /// @param amount Amount in the asset's smallest unit.
    function withdraw(
        address asset,
        address to,
        uint256 amount
    ) external onlyRole(GOVERNOR_ROLE) whenNotPaused nonReentrant {
        if (!_assets.contains(asset)) revert ReserveAssetNotListed(asset);
        _send(asset, to, amount);
        emit Withdrawn(asset, to, amount);
        _checkPolicy();
    }

    /// @notice Sends `amount` of the listed `asset` to `to` without delay, within the asset's
    /// outflow bucket (fees, rebalancing); operator only.
    /// @dev The bucket holds `dailyOutflowLimit` and refills by it per day, continuously: at
    /// most one limit at once, `limit * (1 + T / 1 days)` over any T seconds.
    /// @param asset A listed asset, or `NATIVE`.
    /// @param to Recipient.
    /// @param amount Amount in the asset's smallest unit.
    function operationalTransfer(
        address asset,
        address to,
        uint256 amount
    ) external onlyRole(OPERATOR_ROLE) whenNotPaused nonReentrant {
        if (!_assets.contains(asset)) revert ReserveAssetNotListed(asset);
        uint256 limit = _configs[asset].dailyOutflowLimit;
        uint256 used = _usedNow(asset, limit);
        if (amount > limit || used > limit - amount) revert ReserveDailyLimitExceeded(asset, limit, used, amount);
        used += amount;
        // used <= limit, and the time < 2**64 for any realistic timestamp.
        _outflows[asset] = Outflow({updatedAt: uint64(block.timestamp), used: uint192(used)});
        _send(asset, to, amount);
        emit OperationalTransferMade(asset, to, msg.sender, amount, used);
        _checkPolicy();
    }

    /// @notice Recovers `amount` of an unlisted token (or of BNB while BNB is unlisted) sent by
    /// mistake; governance only.
    /// @param token An asset that is not on the allow-list.
    /// @param to Recipient.
    /// @param amount Amount in the token's smallest unit.
    function recoverToken(
        address token,
        address to,
        uint256 amount
    ) external onlyRole(GOVERNOR_ROLE) whenNotPaused nonReentrant {
        if (token == address(0)) revert ReserveZeroAddress();
        if (_assets.contains(token)) revert ReserveAssetListed(token);
        _send(token, to, amount);
        emit TokenRecovered(token, to, amount);
    }

    /// @notice Pauses every outflow at once; guardian only.
    function pause() external onlyRole(GUARDIAN_ROLE) {
        _pause();
    }

    /// @notice Resumes outflows; governance only.
    function unpause() external onlyRole(GOVERNOR_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- external writes: configuration

    /// @notice Lists `asset`, priced in USD by `priceFeed`; governance only.
    /// @dev Refuses the project's own currencies (ReserveControlledAsset).
    /// @param asset A BEP-20 token, or `NATIVE` for BNB; not an IControlledToken.
    /// @param priceFeed A Chainlink-compatible USD feed of the asset.
    /// @param dailyOutflowLimit The outflow bucket: most the operator moves at once, refilled
    /// by as much per day, in the asset's smallest unit.
    function addAsset(
        address asset,
        AggregatorV3Interface priceFeed,
        uint256 dailyOutflowLimit
    ) external onlyRole(GOVERNOR_ROLE) {
        if (asset == address(0) || address(priceFeed) == address(0)) revert ReserveZeroAddress();
        if (_assets.contains(asset)) revert ReserveAssetAlreadyListed(asset);
        if (_assets.length() >= MAX_ASSETS) revert ReserveTooManyAssets(MAX_ASSETS);
        if (asset != NATIVE && ERC165Checker.supportsInterface(asset, type(IControlledToken).interfaceId)) {
            revert ReserveControlledAsset(asset);
        }
        uint8 assetDecimals = asset == NATIVE ? 18 : IERC20Metadata(asset).decimals();
        if (assetDecimals > 36) revert ReserveInvalidAssetDecimals(asset, assetDecimals);
        _assets.add(asset);
        _configs[asset] = AssetConfig({
            priceFeed: priceFeed,
            decimals: assetDecimals,
            feedDecimals: _feedDecimals(priceFeed),
            maxShareBps: 0,
            dailyOutflowLimit: dailyOutflowLimit
        });
        emit AssetAdded(asset, address(priceFeed), assetDecimals, dailyOutflowLimit);
    }

    /// @notice Delists `asset`; governance only. A balance left behind becomes recoverable
    /// through `recoverToken`. The day's operator outflow is kept, so delisting and listing
    /// again the same day does not renew the operator's limit.
    /// @param asset A listed asset.
    function removeAsset(address asset) external onlyRole(GOVERNOR_ROLE) {
        if (!_assets.remove(asset)) revert ReserveAssetNotListed(asset);
        if (_configs[asset].maxShareBps != 0) _cappedAssets -= 1;
        delete _configs[asset];
        emit AssetRemoved(asset);
    }

    /// @notice Prices `asset` with `priceFeed`; governance only.
    /// @param asset A listed asset.
    /// @param priceFeed A Chainlink-compatible USD feed of the asset.
    function setPriceFeed(address asset, AggregatorV3Interface priceFeed) external onlyRole(GOVERNOR_ROLE) {
        AssetConfig storage config = _listed(asset);
        if (address(priceFeed) == address(0)) revert ReserveZeroAddress();
        config.feedDecimals = _feedDecimals(priceFeed);
        config.priceFeed = priceFeed;
        emit PriceFeedChanged(asset, address(priceFeed));
    }

    /// @notice Sets the operator's daily outflow limit of `asset`; governance only.
    /// @param asset A listed asset.
    /// @param dailyOutflowLimit The outflow bucket: most the operator moves at once, refilled
    /// by as much per day, in the asset's smallest unit.
    function setDailyOutflowLimit(address asset, uint256 dailyOutflowLimit) external onlyRole(GOVERNOR_ROLE) {
        _listed(asset).dailyOutflowLimit = dailyOutflowLimit;
        emit DailyOutflowLimitChanged(asset, dailyOutflowLimit);
    }

    /// @notice Caps the share of `asset` in the reserve's value (policy, flagged not enforced);
    /// governance only.
    /// @param asset A listed asset.
    /// @param maxShareBps Maximum share in basis points (3000 = 30%); 0 removes the cap.
    function setMaxShare(address asset, uint256 maxShareBps) external onlyRole(GOVERNOR_ROLE) {
        AssetConfig storage config = _listed(asset);
        if (maxShareBps > BPS) revert ReserveInvalidMaxShare(maxShareBps);
        if (config.maxShareBps == 0 && maxShareBps != 0) _cappedAssets += 1;
        if (config.maxShareBps != 0 && maxShareBps == 0) _cappedAssets -= 1;
        config.maxShareBps = uint16(maxShareBps);
        emit MaxShareChanged(asset, maxShareBps);
    }

    /// @notice Sets the oldest acceptable price, in seconds; governance only.
    /// @param maxPriceAge_ Seconds; must be positive.
    function setMaxPriceAge(uint256 maxPriceAge_) external onlyRole(GOVERNOR_ROLE) {
        _setMaxPriceAge(maxPriceAge_);
    }

    /// @notice Gives up `role` held by the caller.
    /// @param role The role to give up.
    /// @param callerConfirmation The caller's own address, as a guard against mistakes.
    function renounceRole(bytes32 role, address callerConfirmation) public override {
        if (callerConfirmation != _msgSender()) revert ReserveBadConfirmation();
        _revokeRole(role, callerConfirmation);
    }

    // ---------------------------------------------------------------- external reads

    /// @notice The listed assets, `NATIVE` standing for BNB.
    /// @return The asset addresses, in listing order (removal may reorder).
    function assets() external view returns (address[] memory) {
        return _assets.values();
    }

    /// @notice Whether `asset` is on the allow-list.
    /// @param asset Any address.
    /// @return True if listed.
    function isListed(address asset) external view returns (bool) {
        return _assets.contains(asset);
    }

    /// @notice The settings of the listed `asset`.
    /// @param asset A listed asset.
    /// @return Its feed, decimals, feed decimals, maximum share and daily outflow limit.
    function assetConfig(address asset) external view returns (AssetConfig memory) {
        if (!_assets.contains(asset)) revert ReserveAssetNotListed(asset);
        return _configs[asset];
    }

    /// @notice What the operator's transfers of `asset` hold of its outflow bucket now (moved
    /// and not yet refilled).
    /// @param asset Any address.
    /// @return Amount in the asset's smallest unit.
    function outflowUsed(address asset) external view returns (uint256) {
        return _usedNow(asset, _configs[asset].dailyOutflowLimit);
    }

    /// @notice What the operator may move of `asset` now: what its outflow bucket holds.
    /// @param asset A listed asset.
    /// @return Amount in the asset's smallest unit.
    function remainingDailyOutflow(address asset) external view returns (uint256) {
        if (!_assets.contains(asset)) revert ReserveAssetNotListed(asset);
        uint256 limit = _configs[asset].dailyOutflowLimit;
        uint256 used = _usedNow(asset, limit);
        return used >= limit ? 0 : limit - used;
    }

    /// @notice The oldest acceptable price, in seconds.
    /// @return Seconds.
    function maxPriceAge() external view returns (uint256) {
        return _maxPriceAge;
    }

    /// @notice The vault's balance of `asset` (BNB for `NATIVE`), listed or not.
    /// @param asset Any token, or `NATIVE`.
    /// @return Amount in the asset's smallest unit.
    function balanceOf(address asset) external view returns (uint256) {
        return _balance(asset);
    }

    /// @notice The validated price of the listed `asset`.
    /// @dev Reverts with ReservePriceStale or ReservePriceNotPositive.
    /// @param asset A listed asset.
    /// @return USD per whole unit of the asset, 8 decimals.
    function price(address asset) external view returns (uint256) {
        return _price(asset, _listed(asset));
    }

    /// @notice Each listed asset's balance, price and value.
    /// @dev Reverts if any price is stale, zero or negative.
    /// @return rows One row per listed asset, in `assets()` order; price and value in USD, 8 decimals.
    function holdings() external view returns (Holding[] memory rows) {
        (rows, ) = _valuation();
    }

    /// @notice What the reserve is worth.
    /// @dev Reverts if any price is stale, zero or negative.
    /// @return USD, 8 decimals.
    function totalValue() external view returns (uint256) {
        (, uint256 total) = _valuation();
        return total;
    }

    /// @notice The share of `asset` in the reserve's value.
    /// @dev Reverts if any price is stale, zero or negative; 0 for an empty reserve.
    /// @param asset A listed asset.
    /// @return Basis points, rounded down.
    function assetShare(address asset) external view returns (uint256) {
        if (!_assets.contains(asset)) revert ReserveAssetNotListed(asset);
        (Holding[] memory rows, uint256 total) = _valuation();
        for (uint256 i; i < rows.length; ++i) {
            if (rows[i].asset == asset) return _share(rows[i].value, total);
        }
        return 0; // unreachable: a listed asset has a row
    }

    /// @notice The capped assets above their maximum share, and their shares.
    /// @dev Reverts if any price is stale, zero or negative.
    /// @return breached Assets above their cap, in `assets()` order.
    /// @return shares Their shares, basis points.
    function policyBreaches() external view returns (address[] memory breached, uint256[] memory shares) {
        return _breaches();
    }

    /// @notice Whether every capped asset is within its maximum share.
    /// @dev Reverts if any price is stale, zero or negative.
    /// @return True if within policy (always, for an empty reserve).
    function withinPolicy() external view returns (bool) {
        (address[] memory breached, ) = _breaches();
        return breached.length == 0;
    }

    // ---------------------------------------------------------------- internal

    function _checkRole(bytes32 role, address account) internal view override {
        if (!hasRole(role, account)) revert ReserveUnauthorizedAccount(account, role);
    }

    function _requireNotPaused() internal view override {
        if (paused()) revert ReservePaused();
    }

    function _requirePaused() internal view override {
        if (!paused()) revert ReserveNotPaused();
    }

    function _setMaxPriceAge(uint256 maxPriceAge_) private {
        if (maxPriceAge_ == 0) revert ReserveInvalidMaxPriceAge();
        _maxPriceAge = maxPriceAge_;
        emit MaxPriceAgeChanged(maxPriceAge_);
    }

    function _listed(address asset) private view returns (AssetConfig storage) {
        if (!_assets.contains(asset)) revert ReserveAssetNotListed(asset);
        return _configs[asset];
    }

    function _feedDecimals(AggregatorV3Interface priceFeed) private view returns (uint8 feedDecimals) {
        feedDecimals = priceFeed.decimals();
        if (feedDecimals > 36) revert ReserveInvalidFeedDecimals(address(priceFeed), feedDecimals);
    }

    /// @dev The use of `asset`'s outflow bucket now: the stored use less `limit` per day since.
    function _usedNow(address asset, uint256 limit) private view returns (uint256) {
        Outflow memory outflow = _outflows[asset];
        uint256 used = outflow.used;
        if (used == 0) return 0;
        uint256 elapsed = block.timestamp - outflow.updatedAt;
        if (elapsed >= 1 days && used <= limit) return 0;
        // Below a day the refill is below `limit`; beyond, used > limit and used < 2**192,
        // elapsed < 2**64: mulDiv's result fits either way.
        uint256 refill = Math.mulDiv(limit, elapsed, 1 days);
        return refill >= used ? 0 : used - refill;
    }

    function _balance(address asset) private view returns (uint256) {
        return asset == NATIVE ? address(this).balance : IERC20(asset).balanceOf(address(this));
    }

    /// @dev Sends BNB or a token, checking the balance first; every failure is ReserveTransferFailed.
    function _send(address asset, address to, uint256 amount) private {
        if (to == address(0)) revert ReserveZeroAddress();
        if (amount == 0) revert ReserveZeroAmount();
        uint256 balance = _balance(asset);
        if (balance < amount) revert ReserveInsufficientBalance(asset, balance, amount);
        bool ok;
        if (asset == NATIVE) {
            (ok, ) = payable(to).call{value: amount}("");
        } else {
            ok = SafeERC20.trySafeTransfer(IERC20(asset), to, amount);
        }
        if (!ok) revert ReserveTransferFailed(asset, to, amount);
    }

    /// @dev The feed's answer checked and scaled to 8 decimals; reverts on a bad answer.
    function _price(address asset, AssetConfig memory config) private view returns (uint256) {
        return _scale(_rawPrice(asset, config), 1, config.feedDecimals);
    }

    /// @dev The feed's answer, checked (fresh, positive) but not scaled.
    function _rawPrice(address asset, AssetConfig memory config) private view returns (uint256) {
        (, int256 answer, , uint256 updatedAt, ) = config.priceFeed.latestRoundData();
        if (updatedAt == 0 || updatedAt > block.timestamp || block.timestamp - updatedAt > _maxPriceAge) {
            revert ReservePriceStale(asset, updatedAt, _maxPriceAge);
        }
        if (answer <= 0) revert ReservePriceNotPositive(asset, answer);
        return uint256(answer);
    }

    /// @dev `amount * raw`, a product carrying `decimals` decimals, in USD with 8 decimals,
    /// rounded down once (decimals <= 72, so every power of ten fits).
    function _scale(uint256 raw, uint256 amount, uint256 decimals) private pure returns (uint256) {
        if (decimals >= QUOTE_DECIMALS) return Math.mulDiv(amount, raw, 10 ** (decimals - QUOTE_DECIMALS));
        return amount * raw * 10 ** (QUOTE_DECIMALS - decimals);
    }

    function _valuation() private view returns (Holding[] memory rows, uint256 total) {
        uint256 n = _assets.length();
        rows = new Holding[](n);
        for (uint256 i; i < n; ++i) {
            address asset = _assets.at(i);
            AssetConfig memory config = _configs[asset];
            uint256 balance = _balance(asset);
            uint256 raw = _rawPrice(asset, config);
            uint256 unitPrice = _scale(raw, 1, config.feedDecimals);
            // Balance times the raw answer, rounded once: no precision lost to the 8-decimal price.
            uint256 value = _scale(raw, balance, uint256(config.decimals) + config.feedDecimals);
            rows[i] = Holding({asset: asset, balance: balance, price: unitPrice, value: value});
            total += value;
        }
    }

    function _share(uint256 value, uint256 total) private pure returns (uint256) {
        return total == 0 ? 0 : Math.mulDiv(value, BPS, total);
    }

    /// @dev After a move, flags each capped asset above its share. Skipped while no asset is
    /// capped; a failing price (stale, invalid, reverting feed) must not block a move, so this
    /// check is an external self-call whose revert is swallowed.
    function _checkPolicy() private {
        if (_cappedAssets == 0) return;
        try this.policyBreaches() returns (address[] memory breached, uint256[] memory shares) {
            for (uint256 i; i < breached.length; ++i) {
                emit PolicyBreached(breached[i], shares[i], _configs[breached[i]].maxShareBps);
            }
        } catch {}
    }

    function _breaches() private view returns (address[] memory breached, uint256[] memory shares) {
        (Holding[] memory rows, uint256 total) = _valuation();
        breached = new address[](rows.length);
        shares = new uint256[](rows.length);
        uint256 count;
        for (uint256 i; i < rows.length; ++i) {
            uint256 cap = _configs[rows[i].asset].maxShareBps;
            uint256 share = _share(rows[i].value, total);
            if (cap != 0 && share > cap) {
                breached[count] = rows[i].asset;
                shares[count] = share;
                ++count;
            }
        }
        assembly ("memory-safe") {
            mstore(breached, count)
            mstore(shares, count)
        }
    }
}
