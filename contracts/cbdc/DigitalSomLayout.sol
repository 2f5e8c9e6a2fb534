// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccountWord} from "../compliance/AccountWord.sol";

/// @title DigitalSomLayout
/// @notice What DigitalSom and its admin extension share: errors, events, constants, the
/// ERC-7201 storage namespace `kgs.storage.DigitalSom` and the limit encoding. Described in
/// DigitalSom's documentation.
/// Storage layout (namespace `kgs.storage.DigitalSom`, in this order):
///   0. `_holders[account]`: one word `{address bank; uint32 windowStart; uint48 spent}`,
///      written for wallets only;
///   1. `_tiers[tier]`: one word `{uint80 maxBalance; uint80 maxPayment; uint80 dailyLimit}`;
///   2. `_batches[treasury][batchId]`: the content commitment of a paid disbursement batch,
///      `keccak256(abi.encode(recipients, amounts))`, zero while unpaid;
///   3. `_issuanceAllowances[issuer]`.
/// Balances and the frozen flag live in FreezableERC20Upgradeable's namespace, and with them,
/// in the tag of each account's word (AccountWord), the holder's kind (bits 0..2 of the tag:
/// 0 none, 1 wallet, 2 bank, 3 treasury, 4 closed wallet, kept so a payroll tells a closed
/// wallet from a mistyped address) and tier (bits 3..5). A payee's checks (registered, not
/// closed, not frozen, its tier's holding limit) thus read the one word its credit writes.
/// @dev Holds no code of its own but pure helpers; both contracts inherit it so the
/// extension, reached by `delegatecall`, reads and writes the token's storage with the same
/// layout, and the token's ABI lists the errors and events the extension raises.
abstract contract DigitalSomLayout {
    // ---------------------------------------------------------------- errors

    /// @notice `account` is not a registered wallet, bank or treasury and cannot hold the digital som.
    error CbdcWalletNotRegistered(address account);

    /// @notice `account` is already a registered wallet, bank or treasury.
    error CbdcAlreadyRegistered(address account);

    /// @notice `account` is not a licensed bank.
    error CbdcNotBank(address account);

    /// @notice `caller` is neither the linked bank of `wallet` nor, where allowed, the wallet itself.
    error CbdcNotLinkedBank(address wallet, address caller);

    /// @notice Tiers run from 0 to MAX_TIER.
    error CbdcInvalidTier(uint256 tier);

    /// @notice A finite limit must not exceed `max` (use NO_LIMIT for "unlimited").
    error CbdcLimitTooLarge(uint256 limit, uint256 max);

    /// @notice An address argument was the zero address.
    error CbdcZeroAddress();

    /// @notice Issue or redeem of zero.
    error CbdcZeroAmount();

    /// @notice `account` still holds `balance` and cannot be closed or delisted.
    error CbdcAccountNotEmpty(address account, uint256 balance);

    /// @notice `amount` is above the per-payment limit `maxPayment` of `wallet`'s tier.
    error CbdcPaymentLimitExceeded(address wallet, uint256 amount, uint256 maxPayment);

    /// @notice `amount` is above the `available` part of `wallet`'s daily limit.
    error CbdcDailyLimitExceeded(address wallet, uint256 amount, uint256 available);

    /// @notice The batch id zero is reserved.
    error CbdcBatchIdZero();

    /// @notice The calling treasury already paid `batchId` with other content (`recorded`,
    /// not `content`): a batch id names one list of payees and amounts, never two.
    error CbdcBatchContentMismatch(bytes32 batchId, bytes32 recorded, bytes32 content);

    /// @notice A batch must have at least one payee.
    error CbdcBatchEmpty();

    /// @notice `recipients` and `amounts` differ in length.
    error CbdcBatchLengthMismatch(uint256 recipients, uint256 amounts);

    /// @notice The payee at `index` of the batch is not registered; the whole batch reverts.
    error CbdcBatchPayeeNotRegistered(uint256 index, address payee);

    /// @notice The amount at `index` of the batch is zero; the whole batch reverts.
    error CbdcBatchZeroAmount(uint256 index);

    /// @notice Issuing `amount` exceeds the `allowance` the board left `issuer`.
    error CbdcIssuanceAllowanceExceeded(address issuer, uint256 allowance, uint256 amount);

    /// @notice Adding `increment` to `issuer`'s `allowance` would pass type(uint256).max.
    error CbdcIssuanceAllowanceOverflow(address issuer, uint256 allowance, uint256 increment);

    /// @notice A bank may only set retail tiers (0..MAX_RETAIL_TIER); `tier` is institutional.
    error CbdcTierNotRetail(uint256 tier);

    /// @notice Seized funds would take `wallet` to `balance`, above its tier's holding limit `maxBalance`.
    error CbdcHoldingLimitExceeded(address wallet, uint256 balance, uint256 maxBalance);

    /// @notice Funds above `wallet`'s holding limit would be swept to `bank`, which is frozen
    /// or no longer a bank; the central bank relinks the wallet (`relinkWallet`).
    error CbdcSweepTargetUnavailable(address wallet, address bank);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when the central bank sets the limits of `tier` (NO_LIMIT = unlimited).
    event TierLimitsSet(uint8 indexed tier, uint256 maxBalance, uint256 maxPayment, uint256 dailyLimit);

    /// @notice Emitted when `bank` registers `wallet` in `tier` and becomes its linked bank.
    event WalletRegistered(address indexed wallet, address indexed bank, uint8 tier);

    /// @notice Emitted when the board sets what `issuer` may still issue to `allowance` (was `previous`).
    event IssuanceAllowanceChanged(address indexed issuer, uint256 previous, uint256 allowance);

    /// @notice Emitted when the linked bank or the central bank moves `wallet` from `oldTier` to `newTier`.
    event WalletTierChanged(address indexed wallet, uint8 oldTier, uint8 newTier);

    /// @notice Emitted when `wallet`, linked to `bank`, is closed.
    event WalletClosed(address indexed wallet, address indexed bank);

    /// @notice Emitted when the central bank moves `wallet` from `oldBank` to `newBank`.
    event WalletRelinked(address indexed wallet, address indexed oldBank, address indexed newBank);

    /// @notice Emitted when the central bank issues `amount` to `bank`.
    event Issued(address indexed bank, uint256 amount);

    /// @notice Emitted when `bank` redeems (burns) `amount` of its holdings.
    event Redeemed(address indexed bank, uint256 amount);

    /// @notice Emitted when `amount` arriving above `wallet`'s holding limit is forwarded to its `bank`.
    event Swept(address indexed wallet, address indexed bank, uint256 amount);

    /// @notice Emitted when `from` pays `amount` to `to` under `paymentRef` (tax, fee, invoice).
    event PaymentReference(address indexed from, address indexed to, uint256 amount, bytes32 indexed paymentRef);

    /// @notice Emitted when the payee at `index` of `batchId` is skipped for `reason`
    /// (SKIP_FROZEN, SKIP_CLOSED, SKIP_SWEEP_BLOCKED); `amount` stays with the treasury.
    event PayeeSkipped(bytes32 indexed batchId, uint256 index, address indexed payee, uint256 amount, uint8 reason);

    /// @notice Emitted when `treasury` sends again the batch `batchId` it already paid with
    /// the same `content`: nothing is paid a second time.
    event BatchAlreadyPaid(bytes32 indexed batchId, address indexed treasury, bytes32 content);

    /// @notice Emitted when `treasury` pays the batch `batchId` of `recipients` payees, whose
    /// list commits to `content` (see `batchContent`): `paid` left the treasury, of which
    /// `swept` went on to banks; `skipped` was not paid.
    event BatchDisbursed(
        bytes32 indexed batchId,
        address indexed treasury,
        bytes32 content,
        uint256 recipients,
        uint256 paid,
        uint256 swept,
        uint256 skipped
    );

    // ---------------------------------------------------------------- storage

    /// @notice Role of the central bank's issuance desk.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @notice Role of a licensed bank.
    bytes32 public constant BANK_ROLE = keccak256("BANK_ROLE");
    /// @notice Role of the state treasury.
    bytes32 public constant TREASURY_ROLE = keccak256("TREASURY_ROLE");
    /// @notice Role of the central bank's supervision desk: assigns any tier, institutional included.
    bytes32 public constant CENTRAL_BANK_ROLE = keccak256("CENTRAL_BANK_ROLE");

    /// @notice The limit value meaning "unlimited".
    uint256 public constant NO_LIMIT = type(uint256).max;
    /// @notice Highest wallet tier (4 = government agency).
    uint8 public constant MAX_TIER = 4;
    /// @notice Highest retail tier (2 = bank-linked), the highest a bank may set.
    uint8 public constant MAX_RETAIL_TIER = 2;
    /// @notice Length of the daily payment window, in seconds.
    uint256 public constant WINDOW = 1 days;

    /// @notice Account kinds returned by `accountKind`.
    uint8 public constant KIND_NONE = 0;
    uint8 public constant KIND_WALLET = 1;
    uint8 public constant KIND_BANK = 2;
    uint8 public constant KIND_TREASURY = 3;
    /// A closed wallet: holds nothing, receives nothing, may be registered again.
    uint8 public constant KIND_CLOSED = 4;

    /// @dev Reasons of `PayeeSkipped`: the payee is frozen, its wallet is closed, or the
    /// part above its holding limit would go to a bank that is frozen or no longer a bank.
    uint8 internal constant _SKIP_FROZEN = 1;
    uint8 internal constant _SKIP_CLOSED = 2;
    uint8 internal constant _SKIP_SWEEP_BLOCKED = 3;

    uint80 internal constant _UNLIMITED = type(uint80).max;
    uint256 internal constant _MAX_DAILY = type(uint48).max;

    struct Holder {
        address bank;
        uint32 windowStart;
        uint48 spent;
    }

    struct TierLimits {
        uint80 maxBalance;
        uint80 maxPayment;
        uint80 dailyLimit;
    }

    /// @custom:storage-location erc7201:kgs.storage.DigitalSom
    struct DigitalSomStorage {
        mapping(address account => Holder) _holders;
        mapping(uint256 tier => TierLimits) _tiers;
        mapping(address treasury => mapping(bytes32 batchId => bytes32 content)) _batches;
        mapping(address issuer => uint256) _issuanceAllowances;
    }

    // keccak256(abi.encode(uint256(keccak256("kgs.storage.DigitalSom")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant _STORAGE_SLOT = 0x4d1033f80ed9c3138426d7ecddb6d040055de7c3b7e7b96da63df23998fc1f00;

    function _getDigitalSomStorage() internal pure returns (DigitalSomStorage storage $) {
        assembly {
            $.slot := _STORAGE_SLOT
        }
    }

    function _registerWallet(DigitalSomStorage storage $, address wallet, uint8 tier) internal {
        if (wallet == address(0)) revert CbdcZeroAddress();
        if (_isHolder(_kindOf(wallet))) revert CbdcAlreadyRegistered(wallet);
        _setKindAndTier(wallet, KIND_WALLET, tier);
        $._holders[wallet] = Holder({bank: msg.sender, windowStart: 0, spent: 0});
        emit WalletRegistered(wallet, msg.sender, tier);
    }

    /// @dev The holder kind kept in a word's tag.
    function _kind(uint256 word) internal pure returns (uint8) {
        return AccountWord.tag(word) & 7;
    }

    /// @dev The wallet tier kept in a word's tag.
    function _tier(uint256 word) internal pure returns (uint8) {
        return AccountWord.tag(word) >> 3;
    }

    /// @dev `account`'s holder kind.
    function _kindOf(address account) internal view returns (uint8) {
        return _kind(AccountWord.load(account));
    }

    /// @dev Writes `account`'s kind and tier into its word, keeping its balance and freeze.
    function _setKindAndTier(address account, uint8 kind, uint8 tier) internal {
        AccountWord.setTag(account, kind | (tier << 3));
    }

    /// @dev Whether `kind` is a registered wallet, bank or treasury (not none, not closed).
    function _isHolder(uint8 kind) internal pure returns (bool) {
        return kind != KIND_NONE && kind != KIND_CLOSED;
    }

    /// @dev The registered wallet `wallet`'s record.
    function _wallet(address wallet) internal view returns (Holder storage h) {
        if (_kindOf(wallet) != KIND_WALLET) revert CbdcWalletNotRegistered(wallet);
        h = _getDigitalSomStorage()._holders[wallet];
    }

    function _setTier(address wallet, uint8 tier) internal {
        uint8 oldTier = _tier(AccountWord.load(wallet));
        _setKindAndTier(wallet, KIND_WALLET, tier);
        emit WalletTierChanged(wallet, oldTier, tier);
    }

    /// @dev A bank's tiers: CbdcInvalidTier beyond MAX_TIER, CbdcTierNotRetail beyond MAX_RETAIL_TIER.
    function _requireRetailTier(uint8 tier) internal pure {
        if (tier > MAX_TIER) revert CbdcInvalidTier(tier);
        if (tier > MAX_RETAIL_TIER) revert CbdcTierNotRetail(tier);
    }

    /// @dev A limit as stored: NO_LIMIT becomes type(uint80).max; a finite one must not exceed `max`.
    function _packLimit(uint256 limit, uint256 max) internal pure returns (uint80) {
        if (limit == NO_LIMIT) return _UNLIMITED;
        if (limit > max) revert CbdcLimitTooLarge(limit, max);
        return uint80(limit);
    }
}
