// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IClusterMessenger} from "../../cluster/IClusterMessenger.sol";
import {ClusterPredeploys} from "../../cluster/ClusterPredeploys.sol";

/// @title RemoteCounter: the destination side of the node's synchronous cross-chain call tests.
/// @notice Records who incremented it: through the messenger context (crossCall or a message) the
/// origin contract and chain, otherwise msg.sender and this chain.
contract RemoteCounter {
    event Incremented(address indexed caller, uint256 indexed sourceChainId, uint256 by, uint256 newValue);

    uint256 public value;
    address public lastCaller;
    uint256 public lastSourceChainId;

    function increment(uint256 by) external returns (uint256 newValue) {
        return _increment(by);
    }

    function get() external view returns (uint256) {
        return value;
    }

    /// @notice Increments, then reverts with "RemoteCounter: refused", so the increment must not survive.
    function incrementAndRevert(uint256 by) external {
        _increment(by);
        revert("RemoteCounter: refused");
    }

    function _increment(uint256 by) private returns (uint256 newValue) {
        newValue = value + by;
        value = newValue;
        if (msg.sender == ClusterPredeploys.MESSENGER) {
            IClusterMessenger messenger = IClusterMessenger(ClusterPredeploys.MESSENGER);
            lastCaller = messenger.messageSender();
            lastSourceChainId = messenger.messageSourceChainId();
        } else {
            lastCaller = msg.sender;
            lastSourceChainId = block.chainid;
        }
        emit Incremented(lastCaller, lastSourceChainId, by, newValue);
    }
}
