// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title MockAggregator
/// @notice Test-only Chainlink-compatible feed whose answer and timestamp are set freely,
/// including values a real feed must never report (negative, zero, stale, future).
contract MockAggregator is AggregatorV3Interface {
    /// @notice Emitted when the answer is set.
    event AnswerSet(uint80 indexed roundId, int256 answer, uint256 updatedAt);

    uint8 private immutable _decimals;
    string private _description;
    uint80 private _roundId;
    int256 private _answer;
    uint256 private _updatedAt;

    constructor(uint8 decimals_, string memory description_, int256 answer_) {
        _decimals = decimals_;
        _description = description_;
        _set(answer_, block.timestamp);
    }

    /// @notice Sets the answer, dated now.
    function setAnswer(int256 answer_) external {
        _set(answer_, block.timestamp);
    }

    /// @notice Sets the answer with an explicit timestamp.
    function setAnswerAt(int256 answer_, uint256 updatedAt_) external {
        _set(answer_, updatedAt_);
    }

    function decimals() external view returns (uint8) {
        return _decimals;
    }

    function description() external view returns (string memory) {
        return _description;
    }

    function version() external pure returns (uint256) {
        return 1;
    }

    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        return (roundId, _answer, _updatedAt, _updatedAt, roundId);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (_roundId, _answer, _updatedAt, _updatedAt, _roundId);
    }

    function _set(int256 answer_, uint256 updatedAt_) private {
        _roundId += 1;
        _answer = answer_;
        _updatedAt = updatedAt_;
        emit AnswerSet(_roundId, answer_, updatedAt_);
    }
}
