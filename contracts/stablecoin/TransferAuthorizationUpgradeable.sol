// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title TransferAuthorizationUpgradeable
/// @notice EIP-3009: transfers authorised by an off-chain EIP-712 signature of the payer,
/// submitted by anyone (`transferWithAuthorization`) or only by the payee
/// (`receiveWithAuthorization`), with random 32-byte nonces that can be cancelled unused.
/// @dev Parameter order and type strings are USDC's. Storage (ERC-7201 namespace
/// `kgs.storage.TransferAuthorization`): `_used[authorizer][nonce]`, true once the nonce
/// is used or cancelled. The token supplies `_transferAuthorized`, through which its own
/// rules (pause, freeze) apply.
/// This mixin holds the (v, r, s) forms, for externally owned signers. The `bytes
/// signature` forms (USDC v2.2's overloads, ERC-1271 included) are StablecoinSignatureExtension's,
/// on the same storage; they raise AuthorizationInvalidSignature, declared here.
abstract contract TransferAuthorizationUpgradeable is EIP712Upgradeable {
    // ---------------------------------------------------------------- errors

    /// @notice The authorization is not valid before `validAfter`.
    error AuthorizationNotYetValid(uint256 validAfter);

    /// @notice The authorization expired at `validBefore`.
    error AuthorizationExpired(uint256 validBefore);

    /// @notice `nonce` of `authorizer` was already used or cancelled.
    error AuthorizationAlreadyUsed(address authorizer, bytes32 nonce);

    /// @notice The signature was made by `signer`, not by `expected`.
    error AuthorizationInvalidSigner(address signer, address expected);

    /// @notice The `bytes` signature is not `expected`'s (neither its ECDSA signature nor
    /// accepted by its ERC-1271 wallet).
    error AuthorizationInvalidSignature(address expected);

    /// @notice `receiveWithAuthorization` was called by someone other than the payee.
    error AuthorizationCallerNotPayee(address caller, address payee);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when `nonce` of `authorizer` is used for a transfer.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);

    /// @notice Emitted when `nonce` of `authorizer` is cancelled.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    // ---------------------------------------------------------------- storage

    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH =
        keccak256(
            // solhint-disable-next-line max-line-length
            "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
        );
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH =
        keccak256(
            "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
        );
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH =
        keccak256("CancelAuthorization(address authorizer,bytes32 nonce)");

    /// @custom:storage-location erc7201:kgs.storage.TransferAuthorization
    struct TransferAuthorizationStorage {
        mapping(address authorizer => mapping(bytes32 nonce => bool)) _used;
    }

    // keccak256(abi.encode(uint256(keccak256("kgs.storage.TransferAuthorization")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _TRANSFER_AUTHORIZATION_STORAGE_SLOT =
        0x33cff8575fb1ac8d6a6ca6ec8c26376f212c9a36fefe39af234f0166727dc300;

    function _getTransferAuthorizationStorage() internal pure returns (TransferAuthorizationStorage storage $) {
        assembly {
            $.slot := _TRANSFER_AUTHORIZATION_STORAGE_SLOT
        }
    }

    // ---------------------------------------------------------------- external writes

    /// @notice Transfers `value` from `from` to `to` on `from`'s signed authorization.
    /// @param from Payer and signer.
    /// @param to Payee.
    /// @param value Amount in the token's smallest unit.
    /// @param validAfter Valid only after this unix time.
    /// @param validBefore Valid only before this unix time.
    /// @param nonce A unique random 32-byte value chosen by the payer.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        _useAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            v,
            r,
            s
        );
        _transferAuthorized(from, to, value);
    }

    /// @notice Like `transferWithAuthorization`, but only the payee `to` may submit it,
    /// so a front-runner cannot use the signature in another call.
    /// @param from Payer and signer.
    /// @param to Payee; must be the caller.
    /// @param value Amount in the token's smallest unit.
    /// @param validAfter Valid only after this unix time.
    /// @param validBefore Valid only before this unix time.
    /// @param nonce A unique random 32-byte value chosen by the payer.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (to != msg.sender) revert AuthorizationCallerNotPayee(msg.sender, to);
        _useAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            v,
            r,
            s
        );
        _transferAuthorized(from, to, value);
    }

    /// @notice Cancels an unused authorization of `authorizer`.
    /// @param authorizer Signer of the cancellation.
    /// @param nonce Nonce to cancel.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external {
        TransferAuthorizationStorage storage $ = _getTransferAuthorizationStorage();
        if ($._used[authorizer][nonce]) revert AuthorizationAlreadyUsed(authorizer, nonce);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)));
        address signer = ECDSA.recover(digest, v, r, s);
        if (signer != authorizer) revert AuthorizationInvalidSigner(signer, authorizer);
        $._used[authorizer][nonce] = true;
        emit AuthorizationCanceled(authorizer, nonce);
    }

    // ---------------------------------------------------------------- external reads

    /// @notice Whether `nonce` of `authorizer` was used or cancelled.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _getTransferAuthorizationStorage()._used[authorizer][nonce];
    }

    // ---------------------------------------------------------------- internal

    /// @dev Moves `value` from `from` to `to` under the token's transfer rules.
    function _transferAuthorized(address from, address to, uint256 value) internal virtual;

    function _useAuthorization(
        bytes32 typehash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private {
        if (block.timestamp <= validAfter) revert AuthorizationNotYetValid(validAfter);
        if (block.timestamp >= validBefore) revert AuthorizationExpired(validBefore);
        TransferAuthorizationStorage storage $ = _getTransferAuthorizationStorage();
        if ($._used[from][nonce]) revert AuthorizationAlreadyUsed(from, nonce);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce))
        );
        address signer = ECDSA.recover(digest, v, r, s);
        if (signer != from) revert AuthorizationInvalidSigner(signer, from);
        $._used[from][nonce] = true;
        emit AuthorizationUsed(from, nonce);
    }
}
