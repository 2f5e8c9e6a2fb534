// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {AccountWord} from "./AccountWord.sol";

/// @title FreezableERC20Upgradeable
/// @notice ERC-20 core whose per-account freeze flag lives in the same storage word as the
/// balance, so a transfer reads and writes each account exactly once.
/// @dev Storage (ERC-7201 namespace `kgs.storage.FreezableERC20`):
///   - `_accounts[a]`: one word per account (AccountWord): bit 255 the frozen flag, bits
///     248..254 a tag the inheriting token defines, bits 0..247 the balance;
///   - `_allowances[owner][spender]`;
///   - `_totalSupply`, capped at 2**248 - 1 so no balance can reach the tag or the flag;
///   - `_name`, `_symbol`, `_decimals`, set once by the initializer;
///   - `_paused`, checked inline by `_update` (a cold read, no call).
/// Rules enforced here for every token built on it: a frozen account cannot send, receive,
/// be minted to, approve, or spend an allowance; while paused no balance changes through
/// `_update`. Errors follow ERC-6093 (`IERC20Errors`)
/// plus `ComplianceAccountFrozen`. Freezing itself is exposed by the inheriting contract,
/// which decides who may call it; this contract only emits `Frozen`/`Unfrozen`.
/// The layout follows OpenZeppelin's ERC20Upgradeable, written again only because its
/// balance mapping is private and cannot carry the flag.
abstract contract FreezableERC20Upgradeable is Initializable, IERC20, IERC20Metadata, IERC20Errors {
    // ---------------------------------------------------------------- errors

    /// @notice The account is frozen and cannot take part in this operation.
    error ComplianceAccountFrozen(address account);

    /// @notice The operation expected a frozen account.
    error ComplianceAccountNotFrozen(address account);

    /// @notice Balances cannot change while the token is paused.
    error CompliancePaused();

    /// @notice The token is not paused.
    error ComplianceNotPaused();

    /// @notice Minting would push the total supply past 2**248 - 1.
    error ComplianceSupplyOverflow(uint256 supply, uint256 value);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when `account` pauses the token.
    event Paused(address account);

    /// @notice Emitted when `account` unpauses the token.
    event Unpaused(address account);

    /// @notice Emitted when `account` is frozen.
    event Frozen(address indexed account);

    /// @notice Emitted when `account` is unfrozen.
    event Unfrozen(address indexed account);

    // ---------------------------------------------------------------- storage

    uint256 private constant _FROZEN = AccountWord.FROZEN;
    uint256 private constant _BALANCE_MASK = AccountWord.BALANCE_MASK;

    /// @custom:storage-location erc7201:kgs.storage.FreezableERC20
    struct FreezableERC20Storage {
        mapping(address account => uint256) _accounts;
        mapping(address owner => mapping(address spender => uint256)) _allowances;
        uint256 _totalSupply;
        string _name;
        string _symbol;
        uint8 _decimals;
        bool _paused;
    }

    // keccak256(abi.encode(uint256(keccak256("kgs.storage.FreezableERC20")) - 1)) & ~bytes32(uint256(0xff)),
    // equal to AccountWord.ACCOUNTS_SLOT: the namespace's first member is `_accounts`.
    bytes32 private constant _FREEZABLE_ERC20_STORAGE_SLOT =
        0xf84cb2c37fc8dc27c6ff9b781a703b985f6037b67d45ea6629b06cdabad4de00;

    function _getFreezableERC20Storage() private pure returns (FreezableERC20Storage storage $) {
        assembly {
            $.slot := _FREEZABLE_ERC20_STORAGE_SLOT
        }
    }

    // ---------------------------------------------------------------- initializer

    function __FreezableERC20_init(
        string memory name_,
        string memory symbol_,
        uint8 decimals_
    ) internal onlyInitializing {
        FreezableERC20Storage storage $ = _getFreezableERC20Storage();
        $._name = name_;
        $._symbol = symbol_;
        $._decimals = decimals_;
    }

    // ---------------------------------------------------------------- external writes

    /// @notice Moves `value` tokens from the caller to `to`.
    /// @param to Recipient; must not be frozen or the zero address.
    /// @param value Amount in the token's smallest unit.
    /// @return Always true; failures revert.
    function transfer(address to, uint256 value) public virtual returns (bool) {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        _move(msg.sender, to, value);
        return true;
    }

    /// @notice Moves `value` tokens from `from` to `to`, spending the caller's allowance.
    /// @dev The caller (spender) must not be frozen either.
    /// @param from Owner of the tokens.
    /// @param to Recipient.
    /// @param value Amount in the token's smallest unit.
    /// @return Always true; failures revert.
    function transferFrom(address from, address to, uint256 value) public virtual returns (bool) {
        address spender = msg.sender;
        _requireNotFrozen(spender);
        _spendAllowance(from, spender, value);
        _transfer(from, to, value);
        return true;
    }

    /// @notice Lets `spender` move up to `value` of the caller's tokens.
    /// @dev A frozen caller cannot approve. A frozen spender may be approved but cannot spend.
    /// @param spender Account allowed to spend.
    /// @param value New allowance (type(uint256).max is never decreased).
    /// @return Always true; failures revert.
    function approve(address spender, uint256 value) public virtual returns (bool) {
        address owner = msg.sender;
        _requireNotFrozen(owner);
        _approve(owner, spender, value, true);
        return true;
    }

    // ---------------------------------------------------------------- external reads

    /// @notice The token's name.
    function name() public view virtual returns (string memory) {
        return _getFreezableERC20Storage()._name;
    }

    /// @notice The token's symbol.
    function symbol() public view virtual returns (string memory) {
        return _getFreezableERC20Storage()._symbol;
    }

    /// @notice Number of decimals of the token's smallest unit.
    function decimals() public view virtual returns (uint8) {
        return _getFreezableERC20Storage()._decimals;
    }

    /// @notice Tokens in existence.
    function totalSupply() public view virtual returns (uint256) {
        return _getFreezableERC20Storage()._totalSupply;
    }

    /// @notice Balance of `account`, frozen or not.
    function balanceOf(address account) public view virtual returns (uint256) {
        return _getFreezableERC20Storage()._accounts[account] & _BALANCE_MASK;
    }

    /// @notice Remaining amount `spender` may move on behalf of `owner`.
    function allowance(address owner, address spender) public view virtual returns (uint256) {
        return _getFreezableERC20Storage()._allowances[owner][spender];
    }

    /// @notice Whether balance changes are paused.
    function paused() public view virtual returns (bool) {
        return _getFreezableERC20Storage()._paused;
    }

    /// @notice Whether `account` is frozen.
    function isFrozen(address account) public view virtual returns (bool) {
        return _getFreezableERC20Storage()._accounts[account] & _FROZEN != 0;
    }

    // ---------------------------------------------------------------- internal

    function _transfer(address from, address to, uint256 value) internal {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        _move(from, to, value);
    }

    function _mint(address account, uint256 value) internal {
        if (account == address(0)) revert ERC20InvalidReceiver(address(0));
        _update(address(0), account, value);
    }

    function _burn(address account, uint256 value) internal {
        if (account == address(0)) revert ERC20InvalidSender(address(0));
        _update(account, address(0), value);
    }

    /// @dev Moves, mints (`from == 0`) or burns (`to == 0`) `value` tokens. The token must
    /// not be paused and both sides must be unfrozen. Override to add rules (pause, limits) and call `super._update`.
    function _update(address from, address to, uint256 value) internal virtual {
        FreezableERC20Storage storage $ = _getFreezableERC20Storage();
        if ($._paused) revert CompliancePaused();
        if (from == address(0)) {
            uint256 supply = $._totalSupply;
            if (value > _BALANCE_MASK - supply) revert ComplianceSupplyOverflow(supply, value);
            $._totalSupply = supply + value;
        } else {
            _debit($, from, value);
        }
        if (to == address(0)) {
            unchecked {
                $._totalSupply -= value;
            }
        } else {
            _credit($, to, value);
        }
        emit Transfer(from, to, value);
    }

    /// @dev Moves `value` between two non-zero accounts: the transfer path of `_update`
    /// without its mint and burn branches. Override `_update` and `_move` together.
    function _move(address from, address to, uint256 value) internal virtual {
        FreezableERC20Storage storage $ = _getFreezableERC20Storage();
        if ($._paused) revert CompliancePaused();
        mapping(address => uint256) storage accounts = $._accounts;
        uint256 slot;
        uint256 word;
        // The hot path of the token, written out in full: one keccak, one read and one
        // write of each account's word (balance and frozen flag).
        assembly ("memory-safe") {
            mstore(0x00, from)
            mstore(0x20, accounts.slot)
            slot := keccak256(0x00, 0x40)
            word := sload(slot)
        }
        if (word & _FROZEN != 0) revert ComplianceAccountFrozen(from);
        if (word & _BALANCE_MASK < value) revert ERC20InsufficientBalance(from, word & _BALANCE_MASK, value);
        assembly ("memory-safe") {
            sstore(slot, sub(word, value))
            mstore(0x00, to)
            slot := keccak256(0x00, 0x40)
            word := sload(slot)
        }
        if (word & _FROZEN != 0) revert ComplianceAccountFrozen(to);
        assembly ("memory-safe") {
            sstore(slot, add(word, value))
        }
        emit Transfer(from, to, value);
    }

    /// @dev Takes `value` from the unfrozen `account` without a Transfer event: the debit side
    /// of a batch whose credits the inheriting contract wrote and logged itself.
    function _debitAccount(address account, uint256 value) internal {
        _debit(_getFreezableERC20Storage(), account, value);
    }

    /// @dev Takes `value` from the unfrozen `account`, reading and writing its word once.
    function _debit(FreezableERC20Storage storage $, address account, uint256 value) private {
        mapping(address => uint256) storage accounts = $._accounts;
        uint256 slot;
        uint256 word;
        assembly ("memory-safe") {
            mstore(0x00, account)
            mstore(0x20, accounts.slot)
            slot := keccak256(0x00, 0x40)
            word := sload(slot)
        }
        if (word & _FROZEN != 0) revert ComplianceAccountFrozen(account);
        if (word & _BALANCE_MASK < value) revert ERC20InsufficientBalance(account, word & _BALANCE_MASK, value);
        assembly ("memory-safe") {
            sstore(slot, sub(word, value))
        }
    }

    /// @dev Adds `value` to the unfrozen `account`, reading and writing its word once.
    /// Cannot carry into the flag bit: every balance is at most the capped supply.
    function _credit(FreezableERC20Storage storage $, address account, uint256 value) private {
        mapping(address => uint256) storage accounts = $._accounts;
        uint256 slot;
        uint256 word;
        assembly ("memory-safe") {
            mstore(0x00, account)
            mstore(0x20, accounts.slot)
            slot := keccak256(0x00, 0x40)
            word := sload(slot)
        }
        if (word & _FROZEN != 0) revert ComplianceAccountFrozen(account);
        assembly ("memory-safe") {
            sstore(slot, add(word, value))
        }
    }

    /// @dev Moves `value` out of a frozen `from` to an unfrozen `to`, keeping `from` frozen.
    /// Used for court-ordered seizure; skips the hooks of `_update` on purpose.
    function _seize(address from, address to, uint256 value) internal {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        FreezableERC20Storage storage $ = _getFreezableERC20Storage();
        uint256 word = $._accounts[from];
        if (word & _FROZEN == 0) revert ComplianceAccountNotFrozen(from);
        uint256 balance = word & _BALANCE_MASK;
        if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
        unchecked {
            $._accounts[from] = word - value;
        }
        _credit($, to, value);
        emit Transfer(from, to, value);
    }

    /// @dev Pauses every balance change that goes through `_update`.
    function _pause() internal {
        FreezableERC20Storage storage $ = _getFreezableERC20Storage();
        if ($._paused) revert CompliancePaused();
        $._paused = true;
        emit Paused(msg.sender);
    }

    /// @dev Lifts the pause.
    function _unpause() internal {
        FreezableERC20Storage storage $ = _getFreezableERC20Storage();
        if (!$._paused) revert ComplianceNotPaused();
        $._paused = false;
        emit Unpaused(msg.sender);
    }

    /// @dev Sets the frozen flag; returns false (and emits nothing) when already frozen.
    function _freeze(address account) internal returns (bool) {
        FreezableERC20Storage storage $ = _getFreezableERC20Storage();
        uint256 word = $._accounts[account];
        if (word & _FROZEN != 0) return false;
        $._accounts[account] = word | _FROZEN;
        emit Frozen(account);
        return true;
    }

    /// @dev Clears the frozen flag; returns false (and emits nothing) when not frozen.
    function _unfreeze(address account) internal returns (bool) {
        FreezableERC20Storage storage $ = _getFreezableERC20Storage();
        uint256 word = $._accounts[account];
        if (word & _FROZEN == 0) return false;
        $._accounts[account] = word & ~_FROZEN;
        emit Unfrozen(account);
        return true;
    }

    function _requireNotFrozen(address account) internal view {
        if (_getFreezableERC20Storage()._accounts[account] & _FROZEN != 0) {
            revert ComplianceAccountFrozen(account);
        }
    }

    function _approve(address owner, address spender, uint256 value, bool emitEvent) internal {
        if (owner == address(0)) revert ERC20InvalidApprover(address(0));
        if (spender == address(0)) revert ERC20InvalidSpender(address(0));
        _getFreezableERC20Storage()._allowances[owner][spender] = value;
        if (emitEvent) emit Approval(owner, spender, value);
    }

    function _spendAllowance(address owner, address spender, uint256 value) internal {
        uint256 current = _getFreezableERC20Storage()._allowances[owner][spender];
        if (current < type(uint256).max) {
            if (current < value) revert ERC20InsufficientAllowance(spender, current, value);
            unchecked {
                _getFreezableERC20Storage()._allowances[owner][spender] = current - value;
            }
        }
    }
}
