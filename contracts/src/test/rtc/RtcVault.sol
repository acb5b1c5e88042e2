// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IThalamus} from "../../rtc/IThalamus.sol";

/// @title RtcVault: a deposit step for the RTC tests; it records the RTC's sender and origin from the gateway's context.
contract RtcVault {
    mapping(address => uint256) public deposits;
    address public lastRtcSender;
    uint256 public lastSourceChainId;
    uint256 public received;

    event Deposited(address indexed user, uint256 amount);

    function deposit(address user, uint256 amount) external payable returns (uint256 total) {
        require(amount > 0, "RtcVault: nothing to deposit");
        (lastRtcSender, lastSourceChainId) = IThalamus(msg.sender).rtcContext();
        deposits[user] += amount;
        received += msg.value;
        emit Deposited(user, amount);
        return deposits[user];
    }

    /// @notice The same deposit without reading the RTC context: what the benchmarks call directly and through RTCs.
    function add(address user, uint256 amount) external returns (uint256 total) {
        deposits[user] += amount;
        emit Deposited(user, amount);
        return deposits[user];
    }
}
