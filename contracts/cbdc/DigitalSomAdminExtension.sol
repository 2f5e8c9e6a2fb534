// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {DigitalSomLayout} from "./DigitalSomLayout.sol";

/// @title DigitalSomAdminExtension
/// @notice The cold administration of the digital som: tier limits, issuance allowances,
/// wallet registration, tiers, relinking and closing. Documented in DigitalSom, whose
/// functions of the same names forward here.
/// @dev Never used on its own: DigitalSom creates one in its constructor, keeps its address
/// as an immutable and reaches it by `delegatecall` from stubs that check the caller's role
/// first (Compound III's Comet/CometExt split), so this code runs on the token's storage
/// (DigitalSomLayout's namespace) and the token's runtime code stays under the EIP-170 limit.
/// Role checks stay in the token; the checks here are the functions' own (tiers, links,
/// balances). The extension holds no state; called directly its functions revert
/// (`CbdcExtensionNotDelegated`).
contract DigitalSomAdminExtension is DigitalSomLayout {
    // ---------------------------------------------------------------- errors

    /// @notice An extension function was called directly rather than through the token.
    error CbdcExtensionNotDelegated();

    // ---------------------------------------------------------------- storage

    address private immutable _self = address(this);

    // ---------------------------------------------------------------- external writes

    /// @notice See DigitalSom.setTierLimits.
    /// @param tier Tier 0..MAX_TIER.
    /// @param maxBalance Holding limit, in the smallest unit.
    /// @param maxPayment Largest single payment, in the smallest unit.
    /// @param dailyLimit Payments allowed per 24-hour window, in the smallest unit.
    function setTierLimits(
        uint8 tier,
        uint256 maxBalance,
        uint256 maxPayment,
        uint256 dailyLimit
    ) external onlyDelegated {
        if (tier > MAX_TIER) revert CbdcInvalidTier(tier);
        _getDigitalSomStorage()._tiers[tier] = TierLimits({
            maxBalance: _packLimit(maxBalance, _UNLIMITED - 1),
            maxPayment: _packLimit(maxPayment, _UNLIMITED - 1),
            dailyLimit: _packLimit(dailyLimit, _MAX_DAILY)
        });
        emit TierLimitsSet(tier, maxBalance, maxPayment, dailyLimit);
    }

    /// @notice See DigitalSom.setIssuanceAllowance.
    /// @param issuer A holder (or future holder) of ISSUER_ROLE.
    /// @param allowance Amount in the smallest unit.
    function setIssuanceAllowance(address issuer, uint256 allowance) external onlyDelegated {
        _setIssuanceAllowance(issuer, allowance);
    }

    /// @notice See DigitalSom.increaseIssuanceAllowance.
    /// @param issuer A holder (or future holder) of ISSUER_ROLE.
    /// @param increment Amount in the smallest unit.
    function increaseIssuanceAllowance(address issuer, uint256 increment) external onlyDelegated {
        uint256 allowance = _getDigitalSomStorage()._issuanceAllowances[issuer];
        if (increment > type(uint256).max - allowance) {
            revert CbdcIssuanceAllowanceOverflow(issuer, allowance, increment);
        }
        _setIssuanceAllowance(issuer, allowance + increment);
    }

    /// @notice See DigitalSom.decreaseIssuanceAllowance.
    /// @param issuer A holder of ISSUER_ROLE.
    /// @param decrement Amount in the smallest unit.
    function decreaseIssuanceAllowance(address issuer, uint256 decrement) external onlyDelegated {
        uint256 allowance = _getDigitalSomStorage()._issuanceAllowances[issuer];
        _setIssuanceAllowance(issuer, allowance > decrement ? allowance - decrement : 0);
    }

    /// @notice See DigitalSom.assignWalletTier.
    /// @param wallet A registered wallet (of any bank).
    /// @param tier Tier 0..MAX_TIER.
    function assignWalletTier(address wallet, uint8 tier) external onlyDelegated {
        if (tier > MAX_TIER) revert CbdcInvalidTier(tier);
        _wallet(wallet);
        _setTier(wallet, tier);
    }

    /// @notice See DigitalSom.relinkWallet.
    /// @param wallet A registered wallet.
    /// @param newBank A bank (holder of BANK_ROLE).
    function relinkWallet(address wallet, address newBank) external onlyDelegated {
        Holder storage h = _wallet(wallet);
        if (_kindOf(newBank) != KIND_BANK) revert CbdcNotBank(newBank);
        address oldBank = h.bank;
        h.bank = newBank;
        emit WalletRelinked(wallet, oldBank, newBank);
    }

    /// @notice See DigitalSom.closeWallet.
    /// @param wallet A registered wallet with a zero balance.
    function closeWallet(address wallet) external onlyDelegated {
        DigitalSomStorage storage $ = _getDigitalSomStorage();
        Holder memory h = _wallet(wallet);
        if (msg.sender != wallet && (msg.sender != h.bank || _kindOf(msg.sender) != KIND_BANK)) {
            revert CbdcNotLinkedBank(wallet, msg.sender);
        }
        uint256 balance = IERC20(address(this)).balanceOf(wallet); // the token itself, called back
        if (balance != 0) revert CbdcAccountNotEmpty(wallet, balance);
        // Kept as KIND_CLOSED rather than deleted, so a payroll tells a closed wallet
        // (skipped) from a mistyped address (the batch reverts).
        _setKindAndTier(wallet, KIND_CLOSED, 0);
        delete $._holders[wallet];
        emit WalletClosed(wallet, h.bank);
    }

    // ---------------------------------------------------------------- internal

    modifier onlyDelegated() {
        if (address(this) == _self) revert CbdcExtensionNotDelegated();
        _;
    }

    function _setIssuanceAllowance(address issuer, uint256 allowance) private {
        mapping(address => uint256) storage allowances = _getDigitalSomStorage()._issuanceAllowances;
        emit IssuanceAllowanceChanged(issuer, allowances[issuer], allowance);
        allowances[issuer] = allowance;
    }
}
