// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccountWord} from "../compliance/AccountWord.sol";
import {ControlledTokenUpgradeable} from "../compliance/ControlledTokenUpgradeable.sol";
import {DigitalSomAdminExtension} from "./DigitalSomAdminExtension.sol";
import {DigitalSomLayout} from "./DigitalSomLayout.sol";

/// @title DigitalSom
/// @notice The digital som (KGSD): the electronic form of the national currency, issued only
/// by the central bank, distributed through licensed banks and held in registered wallets
/// with KYC tiers. Built for government payments: salaries, pensions and benefits paid in
/// batches exactly once per treasury and batch id, taxes and fees paid with a reference.
/// @dev Deployed behind an ERC1967Proxy as
/// `ERC1967Proxy(impl, initialize(name, symbol, decimals, admin, adminTransferDelay))`.
///
/// Roles (on top of ControlledTokenUpgradeable's PAUSER, COMPLIANCE, RESCUER, UPGRADER):
///   - DEFAULT_ADMIN_ROLE (the central bank's board through its timelock, handed over with
///     a delay): tier limits, issuance allowances, relinking, and grants every role below;
///   - ISSUER_ROLE (the central bank's issuance desk): `issue` to a licensed bank, within
///     the issuance allowance the board gave it (money is created only within a board
///     decision that went through the public delay);
///   - CENTRAL_BANK_ROLE (the central bank's supervision desk): sets any wallet's tier,
///     including the institutional tiers above MAX_RETAIL_TIER that banks cannot grant. A
///     role of its own rather than DEFAULT_ADMIN_ROLE (a timelock round trip per merchant)
///     or ISSUER_ROLE (which would join creating money and lifting a wallet's limits);
///   - BANK_ROLE (a licensed bank): holds and redeems the digital som, registers wallets;
///   - TREASURY_ROLE (the state treasury): holds the digital som, `disburse`.
/// Granting BANK_ROLE or TREASURY_ROLE makes the account a bank or treasury holder;
/// revoking it requires a zero balance.
///
/// Holders: only registered wallets, banks and treasuries can hold the digital som.
/// Wallet tiers 0..4 (unverified, verified, bank-linked, merchant, government agency)
/// carry limits set by the central bank; banks and treasuries have none. Tiers
/// 0..MAX_RETAIL_TIER (2) are retail: a licensed bank registers and moves its wallets among
/// them. Tiers above are institutional: only CENTRAL_BANK_ROLE assigns them. The split is a
/// constant because the tiers' meanings are fixed in code; the board keeps control of what
/// each tier allows through `setTierLimits`.
/// Limits: `maxBalance` (holding limit), `maxPayment` (per payment), `dailyLimit` (payments
/// per window). `NO_LIMIT` (type(uint256).max) is the only value meaning "unlimited"; zero
/// means zero. A tier never configured has every limit at zero.
/// Daily window: per wallet, it opens at the first payment made after the previous window
/// expired and lasts 24 hours; payments to the wallet's own linked bank (cash-out) are not
/// limited and not counted. The window is a fixed period, not a rolling sum: a wallet that
/// pays its whole `dailyLimit` in the last second of one window can pay it again in the
/// first second of the next, so up to 2x `dailyLimit` can leave a wallet within a few
/// seconds (and at most 2x within any 24 hours).
/// Waterfall: the part of an incoming payment that would take a wallet above its holding
/// limit is forwarded to the wallet's linked bank in the same transaction (`Swept`), so a
/// payment never fails because the payee is full. Funds already above the limit (after a
/// limit was lowered) are left in place; only incoming funds are swept.
///
/// Storage (ERC-7201 namespace `kgs.storage.DigitalSom`):
///   - in FreezableERC20Upgradeable's word of each account (AccountWord), beside the balance
///     and the frozen flag: the holder's kind (none, wallet, bank, treasury, closed wallet)
///     and tier, so a payee's checks cost no read beyond the word its credit writes;
///   - `_holders[a]`: `{address bank; uint32 windowStart; uint48 spent}` in one word, for
///     wallets: read for a wallet's own payments and for a sweep;
///   - `_tiers[t]`: `{uint80 maxBalance; uint80 maxPayment; uint80 dailyLimit}` in one word,
///     type(uint80).max standing for NO_LIMIT;
///   - `_batches[treasury][id]`: the content commitment of a paid disbursement batch (zero
///     while unpaid), so a batch id is scoped to its treasury and names one list of payees;
///   - `_issuanceAllowances[issuer]`: what an issuer may still issue (appended in v2).
contract DigitalSom is ControlledTokenUpgradeable, DigitalSomLayout {
    // ---------------------------------------------------------------- storage

    /// @dev DigitalSomAdminExtension, created by the constructor: code, not state.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _adminExtension;

    // ---------------------------------------------------------------- constructor / initializer

    /// @notice Deploys the implementation with its admin extension (initializers stay disabled).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _adminExtension = address(new DigitalSomAdminExtension());
    }

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

    // solhint-disable no-unused-vars
    /// @notice Sets the limits of wallet `tier`.
    /// @dev NO_LIMIT (type(uint256).max) means unlimited; any other value is a real limit,
    /// zero included. Finite limits must fit 80 bits, finite daily limits 48 bits
    /// (2.8e12 som at 2 decimals). Lowering a holding limit sweeps nothing already held.
    /// @param tier Tier 0..MAX_TIER.
    /// @param maxBalance Holding limit, in the smallest unit.
    /// @param maxPayment Largest single payment, in the smallest unit.
    /// @param dailyLimit Payments allowed per 24-hour window, in the smallest unit.
    function setTierLimits(
        uint8 tier,
        uint256 maxBalance,
        uint256 maxPayment,
        uint256 dailyLimit
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _delegateToExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice Sets what `issuer` may still issue to `allowance`, replacing what was left.
    /// @dev Through the timelock, a replacement races the issuer like ERC-20 `approve`: prefer
    /// `increaseIssuanceAllowance` / `decreaseIssuanceAllowance` while it is issuing.
    /// @param issuer A holder (or future holder) of ISSUER_ROLE.
    /// @param allowance Amount in the smallest unit.
    function setIssuanceAllowance(address issuer, uint256 allowance) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _delegateToExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice Adds `increment` to what `issuer` may issue.
    /// @dev Reverts with CbdcIssuanceAllowanceOverflow past type(uint256).max.
    /// @param issuer A holder (or future holder) of ISSUER_ROLE.
    /// @param increment Amount in the smallest unit.
    function increaseIssuanceAllowance(address issuer, uint256 increment) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _delegateToExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice Takes `decrement` off what `issuer` may issue, down to zero at most.
    /// @dev Clamps instead of reverting, so a decrease decided by the board never fails
    /// because the issuer issued meanwhile.
    /// @param issuer A holder of ISSUER_ROLE.
    /// @param decrement Amount in the smallest unit.
    function decreaseIssuanceAllowance(address issuer, uint256 decrement) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _delegateToExtension();
    }
    // solhint-enable no-unused-vars

    /// @notice Issues (mints) `amount` of new digital som to the licensed `bank`, spending the
    /// caller's issuance allowance.
    /// @param bank A holder of BANK_ROLE; must not be frozen.
    /// @param amount Amount in the smallest unit.
    function issue(address bank, uint256 amount) external onlyRole(ISSUER_ROLE) {
        if (amount == 0) revert CbdcZeroAmount();
        DigitalSomStorage storage $ = _getDigitalSomStorage();
        if (_kindOf(bank) != KIND_BANK) revert CbdcNotBank(bank);
        uint256 allowance = $._issuanceAllowances[msg.sender];
        if (amount > allowance) revert CbdcIssuanceAllowanceExceeded(msg.sender, allowance, amount);
        unchecked {
            $._issuanceAllowances[msg.sender] = allowance - amount;
        }
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

    /// @notice Registers `wallet` in the retail `tier`; the calling bank becomes its linked bank.
    /// @param wallet An address that is not yet a wallet, bank or treasury.
    /// @param tier Tier 0..MAX_RETAIL_TIER (CbdcInvalidTier above MAX_TIER, CbdcTierNotRetail above retail).
    function registerWallet(address wallet, uint8 tier) external onlyRole(BANK_ROLE) {
        _requireRetailTier(tier);
        _registerWallet(_getDigitalSomStorage(), wallet, tier);
    }

    /// @notice Registers every address of `wallets` in the retail `tier` (bulk onboarding).
    /// @param wallets Addresses that are not yet wallets, banks or treasuries.
    /// @param tier Tier 0..MAX_RETAIL_TIER.
    function registerWallets(address[] calldata wallets, uint8 tier) external onlyRole(BANK_ROLE) {
        _requireRetailTier(tier);
        DigitalSomStorage storage $ = _getDigitalSomStorage();
        for (uint256 i; i < wallets.length; ++i) {
            _registerWallet($, wallets[i], tier);
        }
    }

    /// @notice Moves `wallet` to the retail `tier` after a KYC review; only its linked bank may.
    /// @dev Lowering the tier sweeps nothing already held; later incoming funds follow the new
    /// limit. A bank may also move an institutional wallet of its own down to a retail tier.
    /// @param wallet A wallet linked to the caller.
    /// @param tier Tier 0..MAX_RETAIL_TIER.
    function setWalletTier(address wallet, uint8 tier) external onlyRole(BANK_ROLE) {
        _requireRetailTier(tier);
        if (_wallet(wallet).bank != msg.sender) revert CbdcNotLinkedBank(wallet, msg.sender);
        _setTier(wallet, tier);
    }

    // ---------------------------------------------------------------- external writes: central bank supervision

    // solhint-disable no-unused-vars
    /// @notice Moves any registered `wallet` to any `tier`, institutional tiers included.
    /// @param wallet A registered wallet (of any bank).
    /// @param tier Tier 0..MAX_TIER.
    function assignWalletTier(address wallet, uint8 tier) external onlyRole(CENTRAL_BANK_ROLE) {
        _delegateToExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice Links `wallet` to `newBank`, for example after its bank lost its licence or was
    /// frozen; the new bank then manages the wallet's tier, cash-out and waterfall.
    /// @param wallet A registered wallet.
    /// @param newBank A bank (holder of BANK_ROLE).
    function relinkWallet(address wallet, address newBank) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _delegateToExtension();
    }
    // solhint-enable no-unused-vars

    // solhint-disable no-unused-vars
    /// @notice Closes `wallet`, which must hold nothing; callable by the wallet or by its linked
    /// bank while that bank is still licensed.
    /// @dev The frozen flag, if any, stays with the address. A bank whose BANK_ROLE was
    /// revoked keeps its old link in the wallet's record until `relinkWallet`, but no power
    /// over it (its address may even have become a wallet since).
    /// @param wallet A registered wallet with a zero balance.
    function closeWallet(address wallet) external {
        _delegateToExtension();
    }
    // solhint-enable no-unused-vars

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

    /// @notice Pays `amounts[i]` from the calling treasury to `recipients[i]`, exactly once per
    /// (treasury, `batchId`).
    /// @dev The batch id belongs to the calling treasury and commits to the batch's content,
    /// `keccak256(abi.encode(recipients, amounts))`, recorded on the first call (`batchContent`).
    /// Sending the same batch again is a no-op (`BatchAlreadyPaid`, returns zeros), so a retry
    /// after a lost receipt, a dropped connection or a replaced transaction never pays twice;
    /// the same id with other content reverts (CbdcBatchContentMismatch). Another treasury's
    /// ids are its own. Data errors revert the whole batch with the offending index: a payee
    /// never registered (a mistyped address), a zero amount. A payee that cannot receive is
    /// skipped (`PayeeSkipped` with its reason), its amount staying with the treasury, and the
    /// rest is paid: frozen, wallet closed, or above its holding limit with a bank that cannot
    /// take the sweep. Each payee's holding limit applies with the waterfall; the treasury
    /// itself has no limits.
    /// @param batchId Non-zero id of the batch (e.g. hash of the payroll file and chunk index).
    /// @param recipients Registered payees.
    /// @param amounts Amounts in the smallest unit, one per payee, none zero.
    /// @return paid Total that left the treasury (swept part included).
    /// @return swept Part of `paid` forwarded to payees' banks by the waterfall.
    /// @return skipped Total not paid because the payee could not receive.
    function disburse(
        bytes32 batchId,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) external onlyRole(TREASURY_ROLE) returns (uint256 paid, uint256 swept, uint256 skipped) {
        if (batchId == bytes32(0)) revert CbdcBatchIdZero();
        if (recipients.length == 0) revert CbdcBatchEmpty();
        if (recipients.length != amounts.length) revert CbdcBatchLengthMismatch(recipients.length, amounts.length);
        if (paused()) revert CompliancePaused();
        DigitalSomStorage storage $ = _getDigitalSomStorage();
        if (!_recordBatch($, batchId, recipients, amounts)) return (0, 0, 0);
        (paid, swept, skipped) = _payAll(batchId, recipients, amounts);
        emit BatchDisbursed(
            batchId,
            msg.sender,
            $._batches[msg.sender][batchId],
            recipients.length,
            paid,
            swept,
            skipped
        );
    }

    // ---------------------------------------------------------------- external reads

    /// @notice The limits of `tier`; NO_LIMIT (type(uint256).max) means unlimited.
    /// @param tier Tier 0..MAX_TIER.
    /// @return maxBalance Holding limit.
    /// @return maxPayment Largest single payment.
    /// @return dailyLimit Payments allowed per 24-hour window.
    function tierLimits(uint8 tier) external view returns (uint256 maxBalance, uint256 maxPayment, uint256 dailyLimit) {
        if (tier > MAX_TIER) revert CbdcInvalidTier(tier);
        TierLimits memory limits = _getDigitalSomStorage()._tiers[tier];
        return (_unpackLimit(limits.maxBalance), _unpackLimit(limits.maxPayment), _unpackLimit(limits.dailyLimit));
    }

    /// @notice The registration of `wallet`.
    /// @param wallet Any address.
    /// @return tier Its tier (0 when not registered).
    /// @return bank Its linked bank (zero when not registered).
    /// @return registered Whether it is a registered wallet (banks and treasuries are not wallets).
    function walletOf(address wallet) external view returns (uint8 tier, address bank, bool registered) {
        uint256 word = AccountWord.load(wallet);
        registered = _kind(word) == KIND_WALLET;
        return (_tier(word), _getDigitalSomStorage()._holders[wallet].bank, registered);
    }

    /// @notice What kind of holder `account` is: KIND_NONE, KIND_WALLET, KIND_BANK,
    /// KIND_TREASURY or KIND_CLOSED (a closed wallet).
    /// @param account Any address.
    /// @return The kind.
    function accountKind(address account) external view returns (uint8) {
        return _kindOf(account);
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

    /// @notice What `issuer` may still issue.
    /// @param issuer Any address.
    /// @return Amount in the smallest unit.
    function issuanceAllowance(address issuer) external view returns (uint256) {
        return _getDigitalSomStorage()._issuanceAllowances[issuer];
    }

    /// @notice What `treasury` paid under `batchId`: the content commitment
    /// `keccak256(abi.encode(recipients, amounts))`, zero while the batch is unpaid.
    /// @param treasury The treasury that owns the batch id.
    /// @param batchId A batch id.
    /// @return The batch's content commitment, or zero.
    function batchContent(address treasury, bytes32 batchId) external view returns (bytes32) {
        return _getDigitalSomStorage()._batches[treasury][batchId];
    }

    // ---------------------------------------------------------------- internal

    /// @dev The transfer path (transfer, transferFrom, transferWithReference): both sides
    /// registered, payer limits, then the move and the payee's waterfall.
    function _move(address from, address to, uint256 value) internal override {
        DigitalSomStorage storage $ = _getDigitalSomStorage();
        uint256 payerWord = AccountWord.load(from);
        uint8 payerKind = _kind(payerWord);
        if (!_isHolder(payerKind)) revert CbdcWalletNotRegistered(from);
        uint256 payeeWord = AccountWord.load(to);
        uint8 payeeKind = _kind(payeeWord);
        if (!_isHolder(payeeKind)) revert CbdcWalletNotRegistered(to);
        if (payerKind == KIND_WALLET) {
            Holder memory payer = $._holders[from];
            // Cash-out to the wallet's own (still licensed) bank is neither limited nor counted.
            if (to != payer.bank || payeeKind != KIND_BANK) _spend($, from, _tier(payerWord), payer, value);
        }
        super._move(from, to, value);
        if (payeeKind == KIND_WALLET && from != to) _sweepExcess($, to, _tier(payeeWord), value);
    }

    /// @dev Mint and burn (issue, redeem): only a registered holder may receive.
    function _update(address from, address to, uint256 value) internal override {
        if (to != address(0) && !_isHolder(_kindOf(to))) {
            revert CbdcWalletNotRegistered(to);
        }
        super._update(from, to, value);
    }

    /// @dev Keeps the holder kind in step with BANK_ROLE and TREASURY_ROLE.
    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && (role == BANK_ROLE || role == TREASURY_ROLE)) {
            if (account == address(0)) revert CbdcZeroAddress();
            if (_isHolder(_kindOf(account))) revert CbdcAlreadyRegistered(account);
            _setKindAndTier(account, role == BANK_ROLE ? KIND_BANK : KIND_TREASURY, 0);
        }
    }

    /// @dev A bank or treasury leaves only with a zero balance.
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && (role == BANK_ROLE || role == TREASURY_ROLE)) {
            uint256 balance = balanceOf(account);
            if (balance != 0) revert CbdcAccountNotEmpty(account, balance);
            _setKindAndTier(account, KIND_NONE, 0);
            delete _getDigitalSomStorage()._holders[account];
        }
    }

    /// @dev Records the calling treasury's `batchId` with its content commitment; returns
    /// false (after `BatchAlreadyPaid`) when the same content was already paid.
    function _recordBatch(
        DigitalSomStorage storage $,
        bytes32 batchId,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) private returns (bool) {
        bytes32 content = _contentOf(recipients, amounts);
        bytes32 recorded = $._batches[msg.sender][batchId];
        if (recorded == content) {
            emit BatchAlreadyPaid(batchId, msg.sender, content);
            return false;
        }
        if (recorded != bytes32(0)) revert CbdcBatchContentMismatch(batchId, recorded, content);
        $._batches[msg.sender][batchId] = content;
        return true;
    }

    /// @dev Pays a recorded batch from the calling treasury. Each payee's word is read and
    /// written once; the treasury's is debited once, for the total, after the loop. Every
    /// credit is bounded by that debit: if the sum exceeds the treasury's balance the whole
    /// batch reverts, so no credit that stands can have carried into a word's tag.
    function _payAll(
        bytes32 batchId,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) private returns (uint256 paid, uint256 swept, uint256 skipped) {
        // Tier t's holding limit + 1 once read, else 0.
        uint256[MAX_TIER + 1] memory limits = [uint256(0), 0, 0, 0, 0];
        for (uint256 i; i < recipients.length; ++i) {
            uint256 amount = amounts[i];
            (uint8 reason, uint256 sweptHere) = _payOne(limits, i, recipients[i], amount);
            if (reason == 0) {
                paid += amount;
                if (sweptHere != 0) swept += sweptHere;
            } else {
                emit PayeeSkipped(batchId, i, recipients[i], amount, reason);
                skipped += amount;
            }
        }
        _debitAccount(msg.sender, paid);
    }

    /// @dev `keccak256(abi.encode(recipients, amounts))` for arrays of equal length, hashed
    /// from calldata copied once: the encoding is the two offsets, then each array's length
    /// and words. A recipient with dirty upper bits hashes differently from abi.encode, but
    /// such a batch reverts when the loop reads that recipient.
    function _contentOf(
        address[] calldata recipients,
        uint256[] calldata amounts
    ) private pure returns (bytes32 content) {
        uint256 n = recipients.length;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := shl(5, n)
            mstore(ptr, 0x40)
            mstore(add(ptr, 0x20), add(0x60, size))
            mstore(add(ptr, 0x40), n)
            calldatacopy(add(ptr, 0x60), recipients.offset, size)
            mstore(add(ptr, add(0x60, size)), n)
            calldatacopy(add(ptr, add(0x80, size)), amounts.offset, size)
            content := keccak256(ptr, add(0x80, shl(1, size)))
        }
    }

    /// @dev Credits `amount` to the payee at `index` of a batch from the calling treasury,
    /// reading and writing its word once, and returns 0 and the amount swept to its bank, or
    /// the reason it is skipped. `limits` caches the tiers' holding limits (plus one) across
    /// the batch. The treasury's debit is the caller's.
    function _payOne(
        uint256[MAX_TIER + 1] memory limits,
        uint256 index,
        address payee,
        uint256 amount
    ) private returns (uint8 reason, uint256 swept) {
        if (amount == 0) revert CbdcBatchZeroAmount(index);
        uint256 slot = AccountWord.slotOf(payee);
        uint256 word;
        assembly ("memory-safe") {
            word := sload(slot)
        }
        uint8 kind = _kind(word);
        if (kind == KIND_NONE) revert CbdcBatchPayeeNotRegistered(index, payee);
        if (kind == KIND_CLOSED) return (_SKIP_CLOSED, 0);
        if (word & AccountWord.FROZEN != 0) return (_SKIP_FROZEN, 0);
        if (kind == KIND_WALLET) {
            uint8 tier = _tier(word);
            uint256 limit = limits[tier];
            if (limit == 0) {
                limit = uint256(_getDigitalSomStorage()._tiers[tier].maxBalance) + 1;
                limits[tier] = limit;
            }
            uint256 maxBalance = limit - 1;
            if (maxBalance != _UNLIMITED && (word & AccountWord.BALANCE_MASK) + amount > maxBalance) {
                // Above the holding limit: the waterfall, off the hot path.
                (bool done, uint256 excess) = _payAboveLimit(slot, word, payee, amount, tier);
                return done ? (0, excess) : (_SKIP_SWEEP_BLOCKED, 0);
            }
        }
        assembly ("memory-safe") {
            sstore(slot, add(word, amount))
        }
        emit Transfer(msg.sender, payee, amount);
        return (0, 0);
    }

    /// @dev Pays `amount` to the wallet `payee` (word `word` at `slot`, of `tier`) whose
    /// balance would pass its holding limit: credits it, then sweeps the excess to its bank
    /// as a transfer does (`_sweepExcess`). False, with nothing written, when that bank is
    /// frozen or no longer a bank. The treasury's debit is the caller's.
    function _payAboveLimit(
        uint256 slot,
        uint256 word,
        address payee,
        uint256 amount,
        uint8 tier
    ) private returns (bool done, uint256 excess) {
        DigitalSomStorage storage $ = _getDigitalSomStorage();
        if (!_canTakeSweep($._holders[payee].bank)) return (false, 0);
        assembly ("memory-safe") {
            sstore(slot, add(word, amount))
        }
        emit Transfer(msg.sender, payee, amount);
        return (true, _sweepExcess($, payee, tier, amount));
    }

    /// @dev Checks `value` against the payer's per-payment and daily limits and books it.
    function _spend(DigitalSomStorage storage $, address wallet, uint8 tier, Holder memory h, uint256 value) private {
        TierLimits memory limits = $._tiers[tier];
        if (limits.maxPayment != _UNLIMITED && value > limits.maxPayment) {
            revert CbdcPaymentLimitExceeded(wallet, value, limits.maxPayment);
        }
        if (limits.dailyLimit == _UNLIMITED) return;
        uint256 spent = h.spent;
        if (block.timestamp >= uint256(h.windowStart) + WINDOW) {
            // uint32 seconds last until 2106.
            h.windowStart = uint32(block.timestamp);
            spent = 0;
        }
        uint256 available = spent < limits.dailyLimit ? limits.dailyLimit - spent : 0;
        if (value > available) revert CbdcDailyLimitExceeded(wallet, value, available);
        // spent + value <= dailyLimit <= type(uint48).max
        h.spent = uint48(spent + value);
        $._holders[wallet] = h;
    }

    /// @dev After `value` reached `wallet` (of `tier`), forwards what lies above its holding
    /// limit (at most `value`) to its linked bank. Returns the amount swept.
    function _sweepExcess(
        DigitalSomStorage storage $,
        address wallet,
        uint8 tier,
        uint256 value
    ) private returns (uint256 excess) {
        uint80 maxBalance = $._tiers[tier].maxBalance;
        if (maxBalance == _UNLIMITED) return 0;
        uint256 balance = balanceOf(wallet);
        if (balance <= maxBalance) return 0;
        unchecked {
            excess = balance - maxBalance;
        }
        if (excess > value) excess = value;
        address bank = $._holders[wallet].bank;
        if (!_canTakeSweep(bank)) revert CbdcSweepTargetUnavailable(wallet, bank);
        super._move(wallet, bank, excess);
        emit Swept(wallet, bank, excess);
    }

    /// @dev Whether `bank` is still a bank and not frozen, so it can take a sweep.
    function _canTakeSweep(address bank) private view returns (bool) {
        uint256 word = AccountWord.load(bank);
        return _kind(word) == KIND_BANK && word & AccountWord.FROZEN == 0;
    }

    /// @dev Seized funds may only go to a registered wallet, bank or treasury, and never take
    /// a wallet above its tier's holding limit (a seizure is not swept: it reverts).
    function _checkSeizeRecipient(address to, uint256 amount) internal view override {
        uint256 word = AccountWord.load(to);
        uint8 kind = _kind(word);
        if (!_isHolder(kind)) revert CbdcWalletNotRegistered(to);
        if (kind != KIND_WALLET) return;
        uint80 maxBalance = _getDigitalSomStorage()._tiers[_tier(word)].maxBalance;
        uint256 balance = word & AccountWord.BALANCE_MASK;
        if (maxBalance != _UNLIMITED && balance + amount > maxBalance) {
            revert CbdcHoldingLimitExceeded(to, balance + amount, maxBalance);
        }
    }

    /// @dev Runs the current call in DigitalSomAdminExtension, on this contract's storage,
    /// and returns or reverts with its result.
    /// @custom:oz-upgrades-unsafe-allow delegatecall
    function _delegateToExtension() private {
        address extension = _adminExtension;
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

    function _unpackLimit(uint80 limit) private pure returns (uint256) {
        return limit == _UNLIMITED ? NO_LIMIT : limit;
    }
}
