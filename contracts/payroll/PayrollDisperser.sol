// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @notice The freeze query of the project's tokens (FreezableERC20Upgradeable).
interface IFreezeQuery {
    /// @notice Whether `account` is frozen.
    function isFrozen(address account) external view returns (bool);
}

/// @title PayrollDisperser
/// @notice Pays a payroll in the national stablecoin (KGST) from a treasury, exactly once per
/// batch: the treasury approves this contract, and each `disburse` pulls the batch's total
/// with one `transferFrom` and pays every payee.
/// @dev Who can do what: anyone may call `disburse`, but only with their own funds (the
/// total is pulled from `msg.sender`) and under their own batch ids. The contract has no
/// owner, no role and no admin function; it holds nothing between calls (what a skipped
/// payee would have received goes back to the caller in the same transaction), so there
/// is nothing to withdraw or rescue. The token is fixed at deployment.
///
/// Exactly once: a batch id belongs to its payer and commits to the batch's content,
/// `keccak256(abi.encode(recipients, amounts))`, recorded on the first call
/// (`batchContent`). The same batch sent again is a no-op (`BatchAlreadyPaid`); the same id
/// with other content reverts (PayrollBatchContentMismatch). Data errors (zero address,
/// zero amount) revert the whole batch; a frozen payee is skipped (`PayeeSkipped`).
///
/// Storage: `_batches[payer][batchId]`, the content commitment of each paid batch.
contract PayrollDisperser is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------- errors

    /// @notice The token address given at deployment was zero.
    error PayrollZeroToken();

    /// @notice The batch id zero is reserved.
    error PayrollBatchIdZero();

    /// @notice A batch must have at least one payee.
    error PayrollBatchEmpty();

    /// @notice `recipients` and `amounts` differ in length.
    error PayrollBatchLengthMismatch(uint256 recipients, uint256 amounts);

    /// @notice The payee at `index` is the zero address; the whole batch reverts.
    error PayrollZeroAddress(uint256 index);

    /// @notice The amount at `index` is zero; the whole batch reverts.
    error PayrollZeroAmount(uint256 index);

    /// @notice The caller already paid `batchId` with other content (`recorded`, not `content`).
    error PayrollBatchContentMismatch(bytes32 batchId, bytes32 recorded, bytes32 content);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when `payer` pays the batch `batchId` (content commitment `content`) of
    /// `recipients` payees: `paid` reached them, `skipped` went back to `payer`.
    event BatchDisbursed(
        bytes32 indexed batchId,
        address indexed payer,
        bytes32 content,
        uint256 recipients,
        uint256 paid,
        uint256 skipped
    );

    /// @notice Emitted when `payer` sends again the batch `batchId` it already paid with the
    /// same `content`: nothing is paid a second time.
    event BatchAlreadyPaid(bytes32 indexed batchId, address indexed payer, bytes32 content);

    /// @notice Emitted when the frozen payee at `index` of `batchId` is skipped; `amount`
    /// goes back to the payer.
    event PayeeSkipped(bytes32 indexed batchId, uint256 index, address indexed payee, uint256 amount);

    // ---------------------------------------------------------------- storage

    /// @notice The token paid out (KGST).
    IERC20 public immutable token;

    mapping(address payer => mapping(bytes32 batchId => bytes32 content)) private _batches;

    // ---------------------------------------------------------------- constructor

    /// @notice Deploys a disperser for `token_`.
    /// @param token_ The token paid out; it must answer `isFrozen(address)`.
    constructor(IERC20 token_) {
        if (address(token_) == address(0)) revert PayrollZeroToken();
        token = token_;
    }

    // ---------------------------------------------------------------- external writes

    /// @notice Pays `amounts[i]` of the caller's tokens to `recipients[i]`, exactly once per
    /// (caller, `batchId`).
    /// @dev Pulls the total with one `transferFrom` (the caller approves this contract for at
    /// least the total), pays each payee that is not frozen, and returns the skipped part.
    /// A retry of a paid batch is a no-op that returns zeros.
    /// @param batchId Non-zero id of the batch (e.g. hash of the payroll file and chunk index).
    /// @param recipients Payees, none the zero address.
    /// @param amounts Amounts in the token's smallest unit, one per payee, none zero.
    /// @return paid Total that reached payees.
    /// @return skipped Total returned to the caller because its payee was frozen.
    function disburse(
        bytes32 batchId,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) external nonReentrant returns (uint256 paid, uint256 skipped) {
        if (batchId == bytes32(0)) revert PayrollBatchIdZero();
        if (recipients.length == 0) revert PayrollBatchEmpty();
        if (recipients.length != amounts.length) {
            revert PayrollBatchLengthMismatch(recipients.length, amounts.length);
        }
        bytes32 content = keccak256(abi.encode(recipients, amounts));
        bytes32 recorded = _batches[msg.sender][batchId];
        if (recorded == content) {
            emit BatchAlreadyPaid(batchId, msg.sender, content);
            return (0, 0);
        }
        if (recorded != bytes32(0)) revert PayrollBatchContentMismatch(batchId, recorded, content);
        _batches[msg.sender][batchId] = content;

        uint256 total;
        for (uint256 i; i < amounts.length; ++i) {
            if (recipients[i] == address(0)) revert PayrollZeroAddress(i);
            if (amounts[i] == 0) revert PayrollZeroAmount(i);
            total += amounts[i];
        }
        IERC20 t = token;
        t.safeTransferFrom(msg.sender, address(this), total);
        IFreezeQuery frozen = IFreezeQuery(address(t));
        for (uint256 i; i < recipients.length; ++i) {
            if (frozen.isFrozen(recipients[i])) {
                skipped += amounts[i];
                emit PayeeSkipped(batchId, i, recipients[i], amounts[i]);
            } else {
                t.safeTransfer(recipients[i], amounts[i]);
            }
        }
        if (skipped != 0) t.safeTransfer(msg.sender, skipped);
        paid = total - skipped;
        emit BatchDisbursed(batchId, msg.sender, content, recipients.length, paid, skipped);
    }

    // ---------------------------------------------------------------- external reads

    /// @notice What `payer` paid under `batchId`: the content commitment
    /// `keccak256(abi.encode(recipients, amounts))`, zero while the batch is unpaid.
    /// @param payer The payer that owns the batch id.
    /// @param batchId A batch id.
    /// @return The batch's content commitment, or zero.
    function batchContent(address payer, bytes32 batchId) external view returns (bytes32) {
        return _batches[payer][batchId];
    }
}
