// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ControlledTokenUpgradeable} from "../compliance/ControlledTokenUpgradeable.sol";

/// @title DigitalSom
/// @notice The digital som (KGSD): the electronic form of the national currency, issued only
/// by the central bank, distributed through licensed banks and held in registered wallets
/// with KYC tiers. Built for government payments: salaries, pensions and benefits paid in
/// idempotent batches, taxes and fees paid with a reference.
/// @dev Deployed behind an ERC1967Proxy as
/// `ERC1967Proxy(impl, initialize(name, symbol, decimals, admin, adminTransferDelay))`.
///
/// Roles (on top of ControlledTokenUpgradeable's PAUSER, COMPLIANCE, RESCUER, UPGRADER):
///   - DEFAULT_ADMIN_ROLE (the central bank's board, handed over with a delay): tier limits,
///     and grants every role below;
///   - ISSUER_ROLE (the central bank's issuance desk): `issue` to a licensed bank;
///   - BANK_ROLE (a licensed bank): holds and redeems the digital som, registers wallets;
///   - TREASURY_ROLE (the state treasury): holds the digital som, `disburse`.
/// Granting BANK_ROLE or TREASURY_ROLE makes the account a bank or treasury holder;
/// revoking it requires a zero balance.
///
/// Holders: only registered wallets, banks and treasuries can hold the digital som.
/// Wallet tiers 0..4 (unverified, verified, bank-linked, merchant, government agency)
/// carry limits set by the central bank; banks and treasuries have none.
/// Limits: `maxBalance` (holding limit), `maxPayment` (per payment), `dailyLimit` (payments
/// per window). `NO_LIMIT` (type(uint256).max) is the only value meaning "unlimited"; zero
/// means zero. A tier never configured has every limit at zero.
/// Daily window: per wallet, it opens at the first payment made after the previous window
/// expired and lasts 24 hours; payments to the wallet's own linked bank (cash-out) are not
/// limited and not counted.
/// Waterfall: the part of an incoming payment that would take a wallet above its holding
/// limit is forwarded to the wallet's linked bank in the same transaction (`Swept`), so a
/// payment never fails because the payee is full. Funds already above the limit (after a
/// limit was lowered) are left in place; only incoming funds are swept.
///
/// Storage (ERC-7201 namespace `kgs.storage.DigitalSom`):
///   - `_holders[a]`: `{uint8 kind; uint8 tier; address bank; uint32 windowStart; uint48 spent}`
///     in one word, so a payee costs one read and a payer one read and one write;
///   - `_tiers[t]`: `{uint80 maxBalance; uint80 maxPayment; uint80 dailyLimit}` in one word,
///     type(uint80).max standing for NO_LIMIT;
///   - `_batchPaid[id]`: whether a disbursement batch id was used.
contract DigitalSom is ControlledTokenUpgradeable {
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

    /// @notice The batch `batchId` was already paid; a retry never pays twice.
    error CbdcBatchAlreadyPaid(bytes32 batchId);

    /// @notice A batch must have at least one payee.
    error CbdcBatchEmpty();

    /// @notice `recipients` and `amounts` differ in length.
    error CbdcBatchLengthMismatch(uint256 recipients, uint256 amounts);

    /// @notice The payee at `index` of the batch is not registered; the whole batch reverts.
    error CbdcBatchPayeeNotRegistered(uint256 index, address payee);

    /// @notice The amount at `index` of the batch is zero; the whole batch reverts.
    error CbdcBatchZeroAmount(uint256 index);

    /// @notice Funds above `wallet`'s holding limit would be swept to `bank`, which is frozen
    /// or no longer a bank; the central bank relinks the wallet (`relinkWallet`).
    error CbdcSweepTargetUnavailable(address wallet, address bank);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when the central bank sets the limits of `tier` (NO_LIMIT = unlimited).
    event TierLimitsSet(uint8 indexed tier, uint256 maxBalance, uint256 maxPayment, uint256 dailyLimit);

    /// @notice Emitted when `bank` registers `wallet` in `tier` and becomes its linked bank.
    event WalletRegistered(address indexed wallet, address indexed bank, uint8 tier);

    /// @notice Emitted when the linked bank moves `wallet` from `oldTier` to `newTier`.
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

    /// @notice Emitted when the payee at `index` of `batchId` is frozen and is skipped;
    /// `amount` stays with the treasury.
    event PayeeSkipped(bytes32 indexed batchId, uint256 index, address indexed payee, uint256 amount);

    /// @notice Emitted when `treasury` pays the batch `batchId` of `recipients` payees:
    /// `paid` left the treasury, of which `swept` went on to banks; `skipped` was not paid.
    event BatchDisbursed(
        bytes32 indexed batchId,
        address indexed treasury,
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

    /// @notice The limit value meaning "unlimited".
    uint256 public constant NO_LIMIT = type(uint256).max;
    /// @notice Highest wallet tier (4 = government agency).
    uint8 public constant MAX_TIER = 4;
    /// @notice Length of the daily payment window, in seconds.
    uint256 public constant WINDOW = 1 days;

    /// @notice Account kinds returned by `accountKind`.
    uint8 public constant KIND_NONE = 0;
    uint8 public constant KIND_WALLET = 1;
    uint8 public constant KIND_BANK = 2;
    uint8 public constant KIND_TREASURY = 3;

    uint80 private constant _UNLIMITED = type(uint80).max;
    uint256 private constant _MAX_DAILY = type(uint48).max;

    struct Holder {
        uint8 kind;
        uint8 tier;
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
        mapping(bytes32 batchId => bool) _batchPaid;
    }

    // keccak256(abi.encode(uint256(keccak256("kgs.storage.DigitalSom")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_SLOT = 0x4d1033f80ed9c3138426d7ecddb6d040055de7c3b7e7b96da63df23998fc1f00;

    function _getDigitalSomStorage() private pure returns (DigitalSomStorage storage $) {
        assembly {
            $.slot := _STORAGE_SLOT
        }
    }

    // ---------------------------------------------------------------- initializer

    /// @notice Sets up the proxy's state; callable once. Tier limits start at zero.
    /// @param name_ Token name ("Digital Som").
    /// @param symbol_ Token symbol ("KGSD").
    /// @param decimals_ Token decimals (2: one som is 100 tyiyn).
    /// @param admin Holder of DEFAULT_ADMIN_ROLE (the central bank), who grants the other roles.
    /// @param adminTransferDelay Seconds a new admin waits before accepting the role.
    function initialize(
        string calldata name_,
        string calldata symbol_,
        uint8 decimals_,
        address admin,
        uint48 adminTransferDelay
    ) external initializer {
        __ControlledToken_init(name_, symbol_, decimals_, admin, adminTransferDelay);
    }

    // ---------------------------------------------------------------- external writes: central bank

    /// @notice Sets the limits of wallet `tier`.
    /// @dev NO_LIMIT (type(uint256).max) means unlimited; any other value is a real limit,
    /// zero included. Finite limits must fit 80 bits, finite daily limits 48 bits
    /// (2.8e12 som at 2 decimals). Lowering a holding limit sweeps nothing already held.
    /// @param tier Tier 0..MAX_TIER.
    /// @param maxBalance Holding limit, in the smallest unit.
    /// @param maxPayment Largest single payment, in the smallest unit.
    /// @param dailyLimit Payments allowed per 24-hour window, in the smallest unit.
    function setTierLimits(uint8 tier, uint256 maxBalance, uint256 maxPayment, uint256 dailyLimit)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (tier > MAX_TIER) revert CbdcInvalidTier(tier);
        _getDigitalSomStorage()._tiers[tier] = TierLimits({
            maxBalance: _packLimit(maxBalance, _UNLIMITED - 1),
            maxPayment: _packLimit(maxPayment, _UNLIMITED - 1),
            dailyLimit: _packLimit(dailyLimit, _MAX_DAILY)
        });
        emit TierLimitsSet(tier, maxBalance, maxPayment, dailyLimit);
    }

    /// @notice Issues (mints) `amount` of new digital som to the licensed `bank`.
    /// @param bank A holder of BANK_ROLE; must not be frozen.
    /// @param amount Amount in the smallest unit.
    function issue(address bank, uint256 amount) external onlyRole(ISSUER_ROLE) {
        if (amount == 0) revert CbdcZeroAmount();
        if (_getDigitalSomStorage()._holders[bank].kind != KIND_BANK) revert CbdcNotBank(bank);
        _mint(bank, amount);
        emit Issued(bank, amount);
    }

    // ---------------------------------------------------------------- external writes: banks

    /// @notice Returns `amount` of the calling bank's holdings to the central bank (burns it).
    /// @param amount Amount in the smallest unit.
    function redeem(uint256 amount) external onlyRole(BANK_ROLE) {
        if (amount == 0) revert CbdcZeroAmount();
        _burn(msg.sender, amount);
        emit Redeemed(msg.sender, amount);
    }

    /// @notice Registers `wallet` in `tier`; the calling bank becomes its linked bank.
    /// @param wallet An address that is not yet a wallet, bank or treasury.
    /// @param tier Tier 0..MAX_TIER.
    function registerWallet(address wallet, uint8 tier) external onlyRole(BANK_ROLE) {
        _registerWallet(_getDigitalSomStorage(), wallet, tier);
    }

    /// @notice Registers every address of `wallets` in `tier` (bulk onboarding).
    /// @param wallets Addresses that are not yet wallets, banks or treasuries.
    /// @param tier Tier 0..MAX_TIER.
    function registerWallets(address[] calldata wallets, uint8 tier) external onlyRole(BANK_ROLE) {
        DigitalSomStorage storage $ = _getDigitalSomStorage();
        for (uint256 i; i < wallets.length; ++i) {
            _registerWallet($, wallets[i], tier);
        }
    }

    /// @notice Moves `wallet` to `tier` after a KYC review; only its linked bank may.
    /// @dev Lowering the tier sweeps nothing already held; later incoming funds follow the new limit.
    /// @param wallet A wallet linked to the caller.
    /// @param tier Tier 0..MAX_TIER.
    function setWalletTier(address wallet, uint8 tier) external onlyRole(BANK_ROLE) {
        if (tier > MAX_TIER) revert CbdcInvalidTier(tier);
        Holder storage h = _getDigitalSomStorage()._holders[wallet];
        if (h.kind != KIND_WALLET) revert CbdcWalletNotRegistered(wallet);
        if (h.bank != msg.sender) revert CbdcNotLinkedBank(wallet, msg.sender);
        uint8 oldTier = h.tier;
        h.tier = tier;
        emit WalletTierChanged(wallet, oldTier, tier);
    }

    /// @notice Links `wallet` to `newBank`, for example after its bank lost its licence or was
    /// frozen; the new bank then manages the wallet's tier, cash-out and waterfall.
    /// @param wallet A registered wallet.
    /// @param newBank A bank (holder of BANK_ROLE).
    function relinkWallet(address wallet, address newBank) external onlyRole(DEFAULT_ADMIN_ROLE) {
        DigitalSomStorage storage $ = _getDigitalSomStorage();
        Holder storage h = $._holders[wallet];
        if (h.kind != KIND_WALLET) revert CbdcWalletNotRegistered(wallet);
        if ($._holders[newBank].kind != KIND_BANK) revert CbdcNotBank(newBank);
        address oldBank = h.bank;
        h.bank = newBank;
        emit WalletRelinked(wallet, oldBank, newBank);
    }

    /// @notice Closes `wallet`, which must hold nothing; callable by its linked bank or the wallet.
    /// @dev The frozen flag, if any, stays with the address.
    /// @param wallet A registered wallet with a zero balance.
    function closeWallet(address wallet) external {
        DigitalSomStorage storage $ = _getDigitalSomStorage();
        Holder memory h = $._holders[wallet];
        if (h.kind != KIND_WALLET) revert CbdcWalletNotRegistered(wallet);
        if (msg.sender != h.bank && msg.sender != wallet) revert CbdcNotLinkedBank(wallet, msg.sender);
        uint256 balance = balanceOf(wallet);
        if (balance != 0) revert CbdcAccountNotEmpty(wallet, balance);
        delete $._holders[wallet];
        emit WalletClosed(wallet, h.bank);
    }

    // ---------------------------------------------------------------- external writes: payments

    /// @notice Pays `amount` to `to` and records `paymentRef` (a tax, fee or invoice number).
    /// @dev Same rules as `transfer`: payer limits, payee registration and waterfall.
    /// @param to Registered payee.
    /// @param amount Amount in the smallest unit.
    /// @param paymentRef Payment reference, emitted in `PaymentReference`.
    /// @return Always true; failures revert.
    function transferWithReference(address to, uint256 amount, bytes32 paymentRef) external returns (bool) {
        _transfer(msg.sender, to, amount);
        emit PaymentReference(msg.sender, to, amount, paymentRef);
        return true;
    }

    /// @notice Pays `amounts[i]` from the calling treasury to `recipients[i]`, once per `batchId`.
    /// @dev Idempotent: a used `batchId` reverts with CbdcBatchAlreadyPaid, so a retried
    /// batch never pays twice. Data errors (unregistered payee, zero amount) revert the whole
    /// batch with the offending index. A frozen payee is skipped (`PayeeSkipped`), its amount
    /// staying with the treasury, and the rest of the batch is paid. Each payee's holding
    /// limit applies with the waterfall. The treasury itself has no limits.
    /// @param batchId Unique non-zero id of the batch (e.g. hash of the payroll file).
    /// @param recipients Registered payees.
    /// @param amounts Amounts in the smallest unit, one per payee, none zero.
    /// @return paid Total that left the treasury (swept part included).
    /// @return swept Part of `paid` forwarded to payees' banks by the waterfall.
    /// @return skipped Total not paid because the payee was frozen.
    function disburse(bytes32 batchId, address[] calldata recipients, uint256[] calldata amounts)
        external
        onlyRole(TREASURY_ROLE)
        returns (uint256 paid, uint256 swept, uint256 skipped)
    {
        if (batchId == bytes32(0)) revert CbdcBatchIdZero();
        if (recipients.length == 0) revert CbdcBatchEmpty();
        if (recipients.length != amounts.length) revert CbdcBatchLengthMismatch(recipients.length, amounts.length);
        if (paused()) revert CompliancePaused();
        DigitalSomStorage storage $ = _getDigitalSomStorage();
        if ($._batchPaid[batchId]) revert CbdcBatchAlreadyPaid(batchId);
        $._batchPaid[batchId] = true;
        for (uint256 i; i < recipients.length; ++i) {
            (bool done, uint256 sweptHere) = _payOne($, batchId, i, recipients[i], amounts[i]);
            if (done) {
                paid += amounts[i];
                swept += sweptHere;
            } else {
                skipped += amounts[i];
            }
        }
        emit BatchDisbursed(batchId, msg.sender, recipients.length, paid, swept, skipped);
    }

    // ---------------------------------------------------------------- external reads

    /// @notice The limits of `tier`; NO_LIMIT (type(uint256).max) means unlimited.
    /// @param tier Tier 0..MAX_TIER.
    /// @return maxBalance Holding limit.
    /// @return maxPayment Largest single payment.
    /// @return dailyLimit Payments allowed per 24-hour window.
    function tierLimits(uint8 tier) external view returns (uint256 maxBalance, uint256 maxPayment, uint256 dailyLimit) {
        if (tier > MAX_TIER) revert CbdcInvalidTier(tier);
        TierLimits memory l = _getDigitalSomStorage()._tiers[tier];
        return (_unpackLimit(l.maxBalance), _unpackLimit(l.maxPayment), _unpackLimit(l.dailyLimit));
    }

    /// @notice The registration of `wallet`.
    /// @param wallet Any address.
    /// @return tier Its tier (0 when not registered).
    /// @return bank Its linked bank (zero when not registered).
    /// @return registered Whether it is a registered wallet (banks and treasuries are not wallets).
    function walletOf(address wallet) external view returns (uint8 tier, address bank, bool registered) {
        Holder memory h = _getDigitalSomStorage()._holders[wallet];
        registered = h.kind == KIND_WALLET;
        return (h.tier, h.bank, registered);
    }

    /// @notice What kind of holder `account` is: KIND_NONE, KIND_WALLET, KIND_BANK or KIND_TREASURY.
    /// @param account Any address.
    /// @return The kind.
    function accountKind(address account) external view returns (uint8) {
        return _getDigitalSomStorage()._holders[account].kind;
    }

    /// @notice What `wallet` has paid in its current daily window and when the window ends.
    /// @param wallet Any address.
    /// @return spent Paid in the open window (zero when no window is open).
    /// @return windowEnd Unix time the open window ends (zero when none is open).
    function dailySpent(address wallet) external view returns (uint256 spent, uint256 windowEnd) {
        Holder memory h = _getDigitalSomStorage()._holders[wallet];
        windowEnd = uint256(h.windowStart) + WINDOW;
        if (h.windowStart == 0 || block.timestamp >= windowEnd) return (0, 0);
        return (h.spent, windowEnd);
    }

    /// @notice Whether the disbursement batch `batchId` was already paid.
    /// @param batchId A batch id.
    /// @return True once `disburse` succeeded with this id.
    function isBatchPaid(bytes32 batchId) external view returns (bool) {
        return _getDigitalSomStorage()._batchPaid[batchId];
    }

    // ---------------------------------------------------------------- internal

    /// @dev The transfer path (transfer, transferFrom, transferWithReference): both sides
    /// registered, payer limits, then the move and the payee's waterfall.
    function _move(address from, address to, uint256 value) internal override {
        DigitalSomStorage storage $ = _getDigitalSomStorage();
        Holder memory payer = $._holders[from];
        if (payer.kind == KIND_NONE) revert CbdcWalletNotRegistered(from);
        Holder memory payee = $._holders[to];
        if (payee.kind == KIND_NONE) revert CbdcWalletNotRegistered(to);
        // Cash-out to the wallet's own (still licensed) bank is neither limited nor counted.
        bool cashOut = to == payer.bank && payee.kind == KIND_BANK;
        if (payer.kind == KIND_WALLET && !cashOut) _spend($, from, payer, value);
        super._move(from, to, value);
        if (payee.kind == KIND_WALLET && from != to) _sweepExcess($, to, payee, value);
    }

    /// @dev Mint and burn (issue, redeem): only a registered holder may receive.
    function _update(address from, address to, uint256 value) internal override {
        if (to != address(0) && _getDigitalSomStorage()._holders[to].kind == KIND_NONE) {
            revert CbdcWalletNotRegistered(to);
        }
        super._update(from, to, value);
    }

    /// @dev Keeps the holder kind in step with BANK_ROLE and TREASURY_ROLE.
    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && (role == BANK_ROLE || role == TREASURY_ROLE)) {
            if (account == address(0)) revert CbdcZeroAddress();
            Holder storage h = _getDigitalSomStorage()._holders[account];
            if (h.kind != KIND_NONE) revert CbdcAlreadyRegistered(account);
            h.kind = role == BANK_ROLE ? KIND_BANK : KIND_TREASURY;
        }
    }

    /// @dev A bank or treasury leaves only with a zero balance.
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && (role == BANK_ROLE || role == TREASURY_ROLE)) {
            uint256 balance = balanceOf(account);
            if (balance != 0) revert CbdcAccountNotEmpty(account, balance);
            delete _getDigitalSomStorage()._holders[account];
        }
    }

    /// @dev One payee of a disbursement from the calling treasury: false when skipped (frozen).
    function _payOne(DigitalSomStorage storage $, bytes32 batchId, uint256 index, address payee, uint256 amount)
        private
        returns (bool done, uint256 swept)
    {
        if (amount == 0) revert CbdcBatchZeroAmount(index);
        Holder memory h = $._holders[payee];
        if (h.kind == KIND_NONE) revert CbdcBatchPayeeNotRegistered(index, payee);
        if (isFrozen(payee) || (h.kind == KIND_WALLET && _sweepBlocked($, payee, h, amount))) {
            emit PayeeSkipped(batchId, index, payee, amount);
            return (false, 0);
        }
        // The base contract keeps its debit/credit helpers private, so the treasury's word
        // is written once per payee (a warm write) rather than once at the end.
        super._move(msg.sender, payee, amount);
        if (h.kind == KIND_WALLET) swept = _sweepExcess($, payee, h, amount);
        return (true, swept);
    }

    function _registerWallet(DigitalSomStorage storage $, address wallet, uint8 tier) private {
        if (wallet == address(0)) revert CbdcZeroAddress();
        if (tier > MAX_TIER) revert CbdcInvalidTier(tier);
        Holder storage h = $._holders[wallet];
        if (h.kind != KIND_NONE) revert CbdcAlreadyRegistered(wallet);
        $._holders[wallet] = Holder({kind: KIND_WALLET, tier: tier, bank: msg.sender, windowStart: 0, spent: 0});
        emit WalletRegistered(wallet, msg.sender, tier);
    }

    /// @dev Checks `value` against the payer's per-payment and daily limits and books it.
    function _spend(DigitalSomStorage storage $, address wallet, Holder memory h, uint256 value) private {
        TierLimits memory l = $._tiers[h.tier];
        if (l.maxPayment != _UNLIMITED && value > l.maxPayment) {
            revert CbdcPaymentLimitExceeded(wallet, value, l.maxPayment);
        }
        if (l.dailyLimit == _UNLIMITED) return;
        uint256 spent = h.spent;
        if (block.timestamp >= uint256(h.windowStart) + WINDOW) {
            // uint32 seconds last until 2106.
            h.windowStart = uint32(block.timestamp);
            spent = 0;
        }
        uint256 available = spent < l.dailyLimit ? l.dailyLimit - spent : 0;
        if (value > available) revert CbdcDailyLimitExceeded(wallet, value, available);
        // spent + value <= dailyLimit <= type(uint48).max
        h.spent = uint48(spent + value);
        $._holders[wallet] = h;
    }

    /// @dev After `value` reached `wallet`, forwards what lies above its holding limit
    /// (at most `value`) to its linked bank. Returns the amount swept.
    function _sweepExcess(DigitalSomStorage storage $, address wallet, Holder memory h, uint256 value)
        private
        returns (uint256 excess)
    {
        uint80 maxBalance = $._tiers[h.tier].maxBalance;
        if (maxBalance == _UNLIMITED) return 0;
        uint256 balance = balanceOf(wallet);
        if (balance <= maxBalance) return 0;
        unchecked {
            excess = balance - maxBalance;
        }
        if (excess > value) excess = value;
        address bank = h.bank;
        if ($._holders[bank].kind != KIND_BANK || isFrozen(bank)) revert CbdcSweepTargetUnavailable(wallet, bank);
        super._move(wallet, bank, excess);
        emit Swept(wallet, bank, excess);
    }

    /// @dev Whether paying `value` to `wallet` would need a sweep its bank cannot take.
    function _sweepBlocked(DigitalSomStorage storage $, address wallet, Holder memory h, uint256 value)
        private
        view
        returns (bool)
    {
        uint80 maxBalance = $._tiers[h.tier].maxBalance;
        if (maxBalance == _UNLIMITED || balanceOf(wallet) + value <= maxBalance) return false;
        return $._holders[h.bank].kind != KIND_BANK || isFrozen(h.bank);
    }

    /// @dev Seized funds may only go to a registered wallet, bank or treasury.
    function _checkSeizeRecipient(address to) internal view override {
        if (_getDigitalSomStorage()._holders[to].kind == KIND_NONE) revert CbdcWalletNotRegistered(to);
    }

    function _packLimit(uint256 limit, uint256 max) private pure returns (uint80) {
        if (limit == NO_LIMIT) return _UNLIMITED;
        if (limit > max) revert CbdcLimitTooLarge(limit, max);
        return uint80(limit);
    }

    function _unpackLimit(uint80 limit) private pure returns (uint256) {
        return limit == _UNLIMITED ? NO_LIMIT : limit;
    }
}
