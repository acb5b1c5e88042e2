// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IClusterMessenger} from "../../cluster/IClusterMessenger.sol";
import {ClusterPredeploys} from "../../cluster/ClusterPredeploys.sol";

/// @title MessageReceiver: a ClusterMessenger target for the node's message-delivery tests.
/// @notice Records the last message it received; setFailing(true) makes deliveries fail so retries can be tested.
contract MessageReceiver {
    event Received(uint256 indexed sourceChainId, address indexed sender, string text);

    string public lastText;
    address public lastSender;
    uint256 public lastSourceChainId;
    uint256 public count;
    bool public failing;

    function setFailing(bool value) external {
        failing = value;
    }

    function receiveMessage(string calldata text) external {
        IClusterMessenger messenger = IClusterMessenger(ClusterPredeploys.MESSENGER);
        require(msg.sender == address(messenger), "MessageReceiver: only messenger");
        require(!failing, "MessageReceiver: failing");
        address sender = messenger.messageSender();
        uint256 sourceChainId = messenger.messageSourceChainId();
        lastText = text;
        lastSender = sender;
        lastSourceChainId = sourceChainId;
        count++;
        emit Received(sourceChainId, sender, text);
    }
}
