// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IClusterMessenger} from "../../cluster/IClusterMessenger.sol";
import {IClusterMessageReturn} from "../../cluster/IClusterMessageReturn.sol";
import {ClusterPredeploys} from "../../cluster/ClusterPredeploys.sol";

/// @notice Test sender: sends messages and counts the returns it gets; with `burning` set its hook burns all the gas it is given.
contract ReturnedSender is IClusterMessageReturn {
    bool public burning;
    uint256 public returns_;
    bytes public lastReason;

    function setBurning(bool value) external {
        burning = value;
    }

    function send(uint256 destinationChainId, address target, bytes calldata data) external returns (bytes32) {
        return IClusterMessenger(ClusterPredeploys.MESSENGER).sendMessage(destinationChainId, target, data);
    }

    function onClusterMessageReturned(bytes32, uint256, address, bytes calldata, bytes calldata reason) external {
        require(msg.sender == ClusterPredeploys.MESSENGER, "ReturnedSender: only messenger");
        if (burning) {
            while (true) {}
        }
        returns_ += 1;
        lastReason = reason;
    }
}
