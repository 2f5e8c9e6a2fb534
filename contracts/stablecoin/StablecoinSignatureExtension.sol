// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {FreezableERC20Upgradeable} from "../compliance/FreezableERC20Upgradeable.sol";
import {TransferAuthorizationUpgradeable} from "./TransferAuthorizationUpgradeable.sol";

/// @title StablecoinSignatureExtension
/// @notice The `bytes signature` forms of NationalStablecoin's permit (EIP-2612) and transfer
/// with authorization (EIP-3009), as USDC v2.2 has them: the signature is checked with
/// OpenZeppelin's `SignatureChecker.isValidSignatureNow`, so a contract wallet (a Safe, a
/// multisig of the board) signs through ERC-1271 and an externally owned account with a
/// 65-byte ECDSA signature.
/// @dev Never used on its own: NationalStablecoin creates one in its constructor, keeps its
/// address as an immutable and reaches it by `delegatecall` from four declared stubs
/// (Compound III's Comet/CometExt split), so these functions run on the token's storage
/// (the ERC-7201 namespaces of FreezableERC20, Nonces, EIP712 and TransferAuthorization)
/// and the token's runtime code stays under the EIP-170 limit. The (v, r, s) forms stay in
/// the token with their own code and gas. The extension holds no state of its own; its
/// functions revert when called directly (`StablecoinExtensionNotDelegated`). Inherited code it
/// does not use (ERC-20 entry points, the (v, r, s) forms) only ever sees its own, empty, storage.
contract StablecoinSignatureExtension is
    FreezableERC20Upgradeable,
    TransferAuthorizationUpgradeable,
    NoncesUpgradeable
{
    // ---------------------------------------------------------------- errors

    /// @notice The EIP-2612 permit expired (NationalStablecoin's error, same selector).
    error ERC2612ExpiredSignature(uint256 deadline);

    /// @notice The `bytes` signature is not `owner`'s (neither its ECDSA signature nor
    /// accepted by its ERC-1271 wallet).
    error StablecoinInvalidSignature(address owner);

    /// @notice An extension function was called directly rather than through the token.
    error StablecoinExtensionNotDelegated();

    // ---------------------------------------------------------------- storage

    bytes32 private constant _PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    address private immutable _self = address(this);

    // ---------------------------------------------------------------- constructor

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    // ---------------------------------------------------------------- external writes

    /// @notice EIP-2612 with a `bytes` signature (see NationalStablecoin.permit).
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
        bytes memory signature
    ) external onlyDelegated {
        if (block.timestamp > deadline) revert ERC2612ExpiredSignature(deadline);
        bytes32 structHash = keccak256(abi.encode(_PERMIT_TYPEHASH, owner, spender, value, _useNonce(owner), deadline));
        if (!SignatureChecker.isValidSignatureNow(owner, _hashTypedDataV4(structHash), signature)) {
            revert StablecoinInvalidSignature(owner);
        }
        _requireNotFrozen(owner);
        _approve(owner, spender, value, true);
    }

    /// @notice `transferWithAuthorization` with a `bytes` signature (see NationalStablecoin).
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
        bytes memory signature
    ) external onlyDelegated {
        _useSignedAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            signature
        );
    }

    /// @notice `receiveWithAuthorization` with a `bytes` signature (see NationalStablecoin).
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
        bytes memory signature
    ) external onlyDelegated {
        if (to != msg.sender) revert AuthorizationCallerNotPayee(msg.sender, to);
        _useSignedAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            signature
        );
    }

    /// @notice `cancelAuthorization` with a `bytes` signature (see NationalStablecoin).
    /// @param authorizer Signer of the cancellation, or its ERC-1271 wallet.
    /// @param nonce Nonce to cancel.
    /// @param signature The signature, as `authorizer` checks it.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes memory signature) external onlyDelegated {
        mapping(bytes32 => bool) storage used = _getTransferAuthorizationStorage()._used[authorizer];
        if (used[nonce]) revert AuthorizationAlreadyUsed(authorizer, nonce);
        _requireSignature(
            authorizer,
            keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)),
            signature
        );
        used[nonce] = true;
        emit AuthorizationCanceled(authorizer, nonce);
    }

    // ---------------------------------------------------------------- internal

    modifier onlyDelegated() {
        if (address(this) == _self) revert StablecoinExtensionNotDelegated();
        _;
    }

    function _useSignedAuthorization(
        bytes32 typehash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) private {
        if (block.timestamp <= validAfter) revert AuthorizationNotYetValid(validAfter);
        if (block.timestamp >= validBefore) revert AuthorizationExpired(validBefore);
        mapping(bytes32 => bool) storage used = _getTransferAuthorizationStorage()._used[from];
        if (used[nonce]) revert AuthorizationAlreadyUsed(from, nonce);
        _requireSignature(
            from,
            keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce)),
            signature
        );
        used[nonce] = true;
        emit AuthorizationUsed(from, nonce);
        _transfer(from, to, value);
    }

    /// @dev Reverts unless `signature` is `signer`'s over the EIP-712 digest of `structHash`.
    function _requireSignature(address signer, bytes32 structHash, bytes memory signature) private view {
        if (!SignatureChecker.isValidSignatureNow(signer, _hashTypedDataV4(structHash), signature)) {
            revert AuthorizationInvalidSignature(signer);
        }
    }

    /// @dev The token's rule: an authorised transfer is an ordinary transfer (pause, freeze).
    function _transferAuthorized(address from, address to, uint256 value) internal override {
        _transfer(from, to, value);
    }
}
