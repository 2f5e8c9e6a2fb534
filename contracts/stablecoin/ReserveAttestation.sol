// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title ReserveAttestation
/// @notice An on-chain record of the audited fiat reserve behind the national stablecoin,
/// read through the Chainlink `AggregatorV3Interface`, so a Proof-of-Reserve feed can take
/// its place without any change to the token.
/// @dev Roles: DEFAULT_ADMIN_ROLE (delayed handover) grants ATTESTOR_ROLE, held by the
/// auditor or the reserve accounting desk. Each `attest` opens a new round: the answer is
/// the reserve in fiat units with `decimals()` decimals, `updatedAt` the time the audit is
/// valid for (not the block time of posting). Storage: the latest round packed in one word
/// (`uint64 roundId | uint64 asOf | int128 answer`) and every round by id, with the hash
/// of the audit report it came from.
contract ReserveAttestation is AggregatorV3Interface, AccessControlDefaultAdminRules {
    // ---------------------------------------------------------------- errors

    /// @notice `asOf` lies after the current block's time.
    error AttestationFromFuture(uint256 asOf, uint256 blockTime);

    /// @notice `asOf` lies before the previous attestation's.
    error AttestationOutOfOrder(uint256 asOf, uint256 previousAsOf);

    /// @notice The reserve does not fit the feed's answer type (int128).
    error AttestationReserveTooLarge(uint256 reserve);

    /// @notice No round with this id was attested.
    error AttestationNoSuchRound(uint80 roundId);

    // ---------------------------------------------------------------- events

    /// @notice Emitted when `attestor` posts `reserve` valid at `asOf`, backed by `reportHash`.
    event ReserveAttested(
        uint80 indexed roundId, uint256 reserve, uint256 asOf, bytes32 indexed reportHash, address indexed attestor
    );

    // ---------------------------------------------------------------- storage

    /// @notice Role allowed to post attestations.
    bytes32 public constant ATTESTOR_ROLE = keccak256("ATTESTOR_ROLE");

    struct Round {
        uint64 roundId;
        uint64 asOf;
        int128 answer;
    }

    uint8 private immutable _decimals;
    string private _description;
    Round private _latest;
    mapping(uint80 roundId => Round) private _rounds;
    mapping(uint80 roundId => bytes32) private _reportHashes;

    // ---------------------------------------------------------------- constructor

    /// @param decimals_ Decimals of the reserve figure (for example 2 for som and tyiyn).
    /// @param description_ What is attested, for example "KGS reserve for KGST".
    /// @param admin Holder of DEFAULT_ADMIN_ROLE.
    /// @param adminTransferDelay Delay of an admin handover, in seconds.
    constructor(uint8 decimals_, string memory description_, address admin, uint48 adminTransferDelay)
        AccessControlDefaultAdminRules(adminTransferDelay, admin)
    {
        _decimals = decimals_;
        _description = description_;
    }

    // ---------------------------------------------------------------- external writes

    /// @notice Posts the audited reserve balance.
    /// @param reserve Reserve in fiat units with `decimals()` decimals.
    /// @param asOf Unix time the audit figure is valid for; not in the future, not older than the last.
    /// @param reportHash Hash of the signed audit report (for example its SHA-256).
    /// @return roundId The new round's id.
    function attest(uint256 reserve, uint256 asOf, bytes32 reportHash)
        external
        onlyRole(ATTESTOR_ROLE)
        returns (uint80 roundId)
    {
        if (reserve > uint256(uint128(type(int128).max))) revert AttestationReserveTooLarge(reserve);
        if (asOf > block.timestamp) revert AttestationFromFuture(asOf, block.timestamp);
        Round memory latest = _latest;
        if (asOf < latest.asOf) revert AttestationOutOfOrder(asOf, latest.asOf);
        roundId = latest.roundId + 1;
        Round memory round = Round({roundId: uint64(roundId), asOf: uint64(asOf), answer: int128(uint128(reserve))});
        _latest = round;
        _rounds[roundId] = round;
        _reportHashes[roundId] = reportHash;
        emit ReserveAttested(roundId, reserve, asOf, reportHash, msg.sender);
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
    /// @dev Before the first attestation every field is zero, which the token treats as stale.
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory round = _latest;
        return (round.roundId, round.answer, round.asOf, round.asOf, round.roundId);
    }

    /// @notice Hash of the audit report behind round `roundId` (zero if unknown).
    function reportHash(uint80 roundId) external view returns (bytes32) {
        return _reportHashes[roundId];
    }
}
