// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title ReserveAttestation
/// @notice An on-chain record of the audited fiat reserve behind the national stablecoin,
/// read through the Chainlink `AggregatorV3Interface`, so a Proof-of-Reserve feed can take
/// its place without any change to the token. A figure becomes the feed's answer only when
/// a quorum of independent attestors (external auditor, custodian bank, supervisor) has
/// submitted the very same figure.
/// @dev Roles: DEFAULT_ADMIN_ROLE (the board's timelock, delayed handover) grants
/// ATTESTOR_ROLE and sets the quorum `threshold` (M, at least 1). M is a constructor
/// argument, so the quorum holds before any attestor is granted the role: no single
/// attestor ever sets a figure alone while a deployment is being completed.
///
/// Quorum: the open round is `latest roundId + 1`. Each attestor has at most one vote in
/// it: a triple `(reserve, asOf, reportHash)`. Submitting another triple in the same round
/// moves that attestor's vote (the old triple loses it); submitting the same triple again
/// changes no tally but re-checks the quorum (useful after the threshold was lowered). When
/// a triple holds M votes of distinct attestors it is accepted: it becomes round
/// `latest roundId + 1` and every other vote of that round lapses. Revoking an attestor
/// withdraws its vote from the open round. The votes an accepted round held are kept
/// (`roundVotes`), so anyone can check that every figure met the quorum. If M exceeds the number of attestors no figure
/// is accepted: the feed goes stale and the token stops minting (fail-safe) until the
/// board grants attestors or lowers M.
/// Each submission is checked on its own: the reserve fits int128, `asOf` is not in the
/// future and strictly after the last accepted `asOf`.
///
/// `answer` is the reserve in fiat units with `decimals()` decimals, `updatedAt` the time
/// the audit is valid for (not the block time of posting). Storage: the latest round packed
/// in one word (`uint64 roundId | uint64 asOf | int128 answer`, the only slot
/// `latestRoundData` reads), every round by id with the hash of its audit report, each
/// attestor's vote and the tallies of the open round.
contract ReserveAttestation is AggregatorV3Interface, AccessControlDefaultAdminRules {
    // ---------------------------------------------------------------- errors

    /// @notice `asOf` lies after the current block's time.
    error AttestationFromFuture(uint256 asOf, uint256 blockTime);

    /// @notice `asOf` is not after the last accepted attestation's `previousAsOf`.
    error AttestationOutOfOrder(uint256 asOf, uint256 previousAsOf);

    /// @notice The reserve does not fit the feed's answer type (int128).
    error AttestationReserveTooLarge(uint256 reserve);

    /// @notice No round with this id was attested.
    error AttestationNoSuchRound(uint80 roundId);

    /// @notice The quorum threshold must be at least one.
    error AttestationInvalidThreshold(uint256 threshold);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when a triple reaches the quorum and becomes round `roundId`;
    /// `attestor` is the one whose submission completed the quorum.
    event ReserveAttested(
        uint80 indexed roundId,
        uint256 reserve,
        uint256 asOf,
        bytes32 indexed reportHash,
        address indexed attestor
    );

    /// @notice Emitted when `attestor` votes in the open round `roundId` for the triple
    /// (`reserve`, `asOf`, `reportHash`), which then holds `votes` votes.
    event AttestationSubmitted(
        uint80 indexed roundId,
        address indexed attestor,
        uint256 reserve,
        uint256 asOf,
        bytes32 indexed reportHash,
        uint256 votes
    );

    /// @notice Emitted when the board sets the quorum to `threshold` votes (was `previous`).
    event ThresholdChanged(uint256 previous, uint256 threshold);

    // ---------------------------------------------------------------- storage

    /// @notice Role allowed to submit attestations.
    bytes32 public constant ATTESTOR_ROLE = keccak256("ATTESTOR_ROLE");

    struct Round {
        uint64 roundId;
        uint64 asOf;
        int128 answer;
    }

    /// @dev An attestor's vote: the round it was cast in and the hash of its triple.
    struct Vote {
        uint80 roundId;
        bytes32 key;
    }

    uint8 private immutable _decimals;
    string private _description;
    Round private _latest;
    mapping(uint80 roundId => Round) private _rounds;
    mapping(uint80 roundId => bytes32) private _reportHashes;
    uint256 private _threshold;
    mapping(address attestor => Vote) private _votes;
    mapping(uint80 roundId => mapping(bytes32 key => uint256)) private _tallies;

    // ---------------------------------------------------------------- constructor

    /// @param decimals_ Decimals of the reserve figure (for example 2 for som and tyiyn).
    /// @param description_ What is attested, for example "KGS reserve for KGST".
    /// @param threshold_ The quorum M (at least 1), in force before any attestor exists.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE.
    /// @param adminTransferDelay Delay of an admin handover, in seconds.
    constructor(
        uint8 decimals_,
        string memory description_,
        uint256 threshold_,
        address admin,
        uint48 adminTransferDelay
    ) AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        if (threshold_ == 0) revert AttestationInvalidThreshold(threshold_);
        _decimals = decimals_;
        _description = description_;
        _threshold = threshold_;
        emit ThresholdChanged(0, threshold_);
    }

    // ---------------------------------------------------------------- external writes

    /// @notice Votes for the audited reserve balance in the open round; the figure becomes
    /// the feed's answer once `threshold()` attestors have submitted the same triple.
    /// @dev Replaces the caller's earlier vote of the open round, if any.
    /// @param reserve Reserve in fiat units with `decimals()` decimals.
    /// @param asOf Unix time the audit figure is valid for; not in the future, after the last accepted.
    /// @param reportHash_ Hash of the signed audit report (for example its SHA-256).
    /// @return roundId The new round's id if this submission completed the quorum, else zero.
    function attest(
        uint256 reserve,
        uint256 asOf,
        bytes32 reportHash_
    ) external onlyRole(ATTESTOR_ROLE) returns (uint80 roundId) {
        if (reserve > uint256(uint128(type(int128).max))) revert AttestationReserveTooLarge(reserve);
        if (asOf > block.timestamp) revert AttestationFromFuture(asOf, block.timestamp);
        Round memory latest = _latest;
        if (asOf <= latest.asOf) revert AttestationOutOfOrder(asOf, latest.asOf);
        uint80 open = latest.roundId + 1;
        bytes32 key = keccak256(abi.encode(reserve, asOf, reportHash_));
        Vote memory vote = _votes[msg.sender];
        mapping(bytes32 => uint256) storage tally = _tallies[open];
        if (vote.roundId != open || vote.key != key) {
            if (vote.roundId == open) tally[vote.key] -= 1;
            _votes[msg.sender] = Vote({roundId: open, key: key});
            tally[key] += 1;
        }
        uint256 votes = tally[key];
        emit AttestationSubmitted(open, msg.sender, reserve, asOf, reportHash_, votes);
        if (votes < _threshold) return 0;
        Round memory round = Round({roundId: uint64(open), asOf: uint64(asOf), answer: int128(uint128(reserve))});
        _latest = round;
        _rounds[open] = round;
        _reportHashes[open] = reportHash_;
        emit ReserveAttested(open, reserve, asOf, reportHash_, msg.sender);
        return open;
    }

    /// @notice Sets the quorum: the number of distinct attestors that must submit the same
    /// triple; board only (DEFAULT_ADMIN_ROLE, the timelock).
    /// @dev Takes effect at the next submission; votes already cast keep counting.
    /// @param threshold_ Votes needed, at least 1.
    function setThreshold(uint256 threshold_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (threshold_ == 0) revert AttestationInvalidThreshold(threshold_);
        emit ThresholdChanged(_threshold, threshold_);
        _threshold = threshold_;
    }

    // ---------------------------------------------------------------- external reads

    /// @inheritdoc AggregatorV3Interface
    function decimals() external view returns (uint8) {
        return _decimals;
    }

    /// @inheritdoc AggregatorV3Interface
    function description() external view returns (string memory) {
        return _description;
    }

    /// @inheritdoc AggregatorV3Interface
    function version() external pure returns (uint256) {
        return 1;
    }

    /// @inheritdoc AggregatorV3Interface
    /// @dev Reverts with AttestationNoSuchRound for an unknown round.
    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory round = _rounds[roundId];
        if (round.roundId == 0) revert AttestationNoSuchRound(roundId);
        return (roundId, round.answer, round.asOf, round.asOf, roundId);
    }

    /// @inheritdoc AggregatorV3Interface
    /// @dev One storage read. Before the first accepted attestation every field is zero,
    /// which the token treats as stale.
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory round = _latest;
        return (round.roundId, round.answer, round.asOf, round.asOf, round.roundId);
    }

    /// @notice Hash of the audit report behind round `roundId` (zero if unknown).
    /// @param roundId An accepted round.
    /// @return The report hash.
    function reportHash(uint80 roundId) external view returns (bytes32) {
        return _reportHashes[roundId];
    }

    /// @notice The votes of distinct attestors round `roundId` held when it was accepted.
    /// @dev The tally of an accepted triple never changes afterwards: later votes go to the
    /// next open round and a revocation withdraws a vote only from the open round.
    /// Reverts with AttestationNoSuchRound for an unknown round.
    /// @param roundId An accepted round.
    /// @return Votes that accepted it.
    function roundVotes(uint80 roundId) external view returns (uint256) {
        Round memory round = _rounds[roundId];
        if (round.roundId == 0) revert AttestationNoSuchRound(roundId);
        bytes32 key = keccak256(
            abi.encode(uint256(uint128(round.answer)), uint256(round.asOf), _reportHashes[roundId])
        );
        return _tallies[roundId][key];
    }

    /// @notice The quorum: distinct attestors needed to accept a triple.
    /// @return Votes needed.
    function threshold() external view returns (uint256) {
        return _threshold;
    }

    /// @notice Votes the triple (`reserve`, `asOf`, `reportHash`) holds in the open round.
    /// @param reserve Reserve figure.
    /// @param asOf Time the figure is valid for.
    /// @param reportHash_ Hash of the audit report.
    /// @return Votes of distinct attestors.
    function votesFor(uint256 reserve, uint256 asOf, bytes32 reportHash_) external view returns (uint256) {
        return _tallies[_latest.roundId + 1][keccak256(abi.encode(reserve, asOf, reportHash_))];
    }

    /// @notice The open round and the hash of `attestor`'s vote in it (zero if none).
    /// @param attestor Any address.
    /// @return roundId The open round.
    /// @return key `keccak256(abi.encode(reserve, asOf, reportHash))` of its vote, or zero.
    function voteOf(address attestor) external view returns (uint80 roundId, bytes32 key) {
        roundId = _latest.roundId + 1;
        Vote memory vote = _votes[attestor];
        if (vote.roundId == roundId) key = vote.key;
    }

    // ---------------------------------------------------------------- internal

    /// @dev A revoked (or renouncing) attestor's vote in the open round no longer counts.
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && role == ATTESTOR_ROLE) {
            Vote memory vote = _votes[account];
            uint80 open = _latest.roundId + 1;
            if (vote.roundId == open) {
                _tallies[open][vote.key] -= 1;
                delete _votes[account];
            }
        }
    }
}
