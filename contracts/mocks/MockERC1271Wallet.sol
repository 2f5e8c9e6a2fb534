// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title MockERC1271Wallet
/// @notice Test-only contract wallet: accepts a digest signed (ECDSA, 65 bytes) by its `owner`,
/// as a one-owner Safe would through ERC-1271.
contract MockERC1271Wallet is IERC1271 {
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes memory signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        return
            err == ECDSA.RecoverError.NoError && signer == owner
                ? IERC1271.isValidSignature.selector
                : bytes4(0xffffffff);
    }
}

/// @title MockERC1271WrongMagic
/// @notice Test-only contract wallet that answers every signature check with a wrong value.
contract MockERC1271WrongMagic is IERC1271 {
    /// @inheritdoc IERC1271
    function isValidSignature(bytes32, bytes memory) external pure returns (bytes4) {
        return 0xdeadbeef;
    }
}

/// @title MockERC1271Reverting
/// @notice Test-only contract wallet whose signature check always reverts.
contract MockERC1271Reverting is IERC1271 {
    error MockRejected();

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32, bytes memory) external pure returns (bytes4) {
        revert MockRejected();
    }
}

/// @title MockERC1271ShortAnswer
/// @notice Test-only contract wallet that answers every call, signature checks included,
/// with three bytes: the start of the magic value, not a whole word.
contract MockERC1271ShortAnswer {
    /// @notice Returns three bytes whatever the call.
    fallback(bytes calldata) external returns (bytes memory) {
        return hex"1626ba";
    }
}
