// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Reverter: fails in each of the ways a client must decode (Error(string), a custom
/// error, Panic(uint256)), in calls and in transactions.
contract Reverter {
    error Unauthorized(address caller, uint256 code);

    uint256 public value;

    event ValueSet(address indexed by, uint256 value);

    /// @notice Reverts with Error("Reverter: always fails").
    function failRequire() external pure {
        require(false, "Reverter: always fails");
    }

    /// @notice Reverts with the custom error Unauthorized(msg.sender, 42).
    function failCustom() external view {
        revert Unauthorized(msg.sender, 42);
    }

    /// @notice Reverts with Panic(0x12): division by zero.
    function failPanic(uint256 divisor) external pure returns (uint256) {
        return 1 / divisor;
    }

    /// @notice A state change that reverts with a require message for zero and a custom error above 1000.
    function setValue(uint256 newValue) external {
        require(newValue != 0, "Reverter: zero value");
        if (newValue > 1000) revert Unauthorized(msg.sender, newValue);
        value = newValue;
        emit ValueSet(msg.sender, newValue);
    }
}
