// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title RtcGreedySender: an RTC sender (a contract) whose receive needs much gas, for the node's expireRtc retries.
/// @notice forward() sends an RTC through the gateway with this contract as its sender; receive() (a refund on
/// EXPIRED) writes six fresh storage slots (~133,000 gas), more than the node's first expireRtc gives.
contract RtcGreedySender {
    uint256[6] public marks;
    uint256 public refunded;

    function forward(address gateway, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = gateway.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable {
        for (uint256 i = 0; i < marks.length; ++i) marks[i] = block.number;
        refunded += msg.value;
    }
}
