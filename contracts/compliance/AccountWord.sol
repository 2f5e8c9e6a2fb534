// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title AccountWord
/// @notice The one storage word each account has in FreezableERC20Upgradeable, and the raw
/// access to it for code that runs on the token's storage (the token itself, or an extension
/// reached by `delegatecall`).
/// @dev Layout of the word, stored at `keccak256(abi.encode(account, ACCOUNTS_SLOT))` (the
/// `_accounts` mapping at offset 0 of the ERC-7201 namespace `kgs.storage.FreezableERC20`):
///   - bit 255: the frozen flag;
///   - bits 248..254: a 7-bit tag whose meaning the token defines (the digital som keeps the
///     holder's kind and tier there; the stablecoin leaves it zero);
///   - bits 0..247: the balance. The total supply is capped at BALANCE_MASK, so no credit
///     can carry into the tag.
/// Keeping what a transfer checks in the balance's own word means a payee costs one cold
/// storage read, not two.
library AccountWord {
    uint256 internal constant FROZEN = 1 << 255;
    uint256 internal constant TAG_SHIFT = 248;
    uint256 internal constant TAG_MASK = uint256(0x7f) << TAG_SHIFT;
    uint256 internal constant BALANCE_MASK = (1 << TAG_SHIFT) - 1;

    // keccak256(abi.encode(uint256(keccak256("kgs.storage.FreezableERC20")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant ACCOUNTS_SLOT = 0xf84cb2c37fc8dc27c6ff9b781a703b985f6037b67d45ea6629b06cdabad4de00;

    /// @dev The storage slot of `account`'s word.
    function slotOf(address account) internal pure returns (uint256 slot) {
        assembly ("memory-safe") {
            mstore(0x00, account)
            mstore(0x20, ACCOUNTS_SLOT)
            slot := keccak256(0x00, 0x40)
        }
    }

    /// @dev `account`'s whole word.
    function load(address account) internal view returns (uint256 word) {
        uint256 slot = slotOf(account);
        assembly ("memory-safe") {
            word := sload(slot)
        }
    }

    /// @dev The tag of a word.
    function tag(uint256 word) internal pure returns (uint8) {
        return uint8((word & TAG_MASK) >> TAG_SHIFT);
    }

    /// @dev Sets `account`'s tag to `value` (0..127), keeping its balance and frozen flag.
    function setTag(address account, uint8 value) internal {
        uint256 slot = slotOf(account);
        uint256 word;
        assembly ("memory-safe") {
            word := sload(slot)
        }
        word = (word & ~TAG_MASK) | ((uint256(value) << TAG_SHIFT) & TAG_MASK);
        assembly ("memory-safe") {
            sstore(slot, word)
        }
    }
}
