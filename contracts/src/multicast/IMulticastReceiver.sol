// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IMulticastReceiver: what a PLAIN message is delivered to.
/// @notice A CALL message calls the subscription's selector with the payload instead (selector ++ payload).
/// In both cases msg.sender is the Multicaster (0x4200…0041), whose context() names the publish.
interface IMulticastReceiver {
    function onMulticast(bytes32 publishId, bytes32 channel, uint64 seq, uint256 sourceChainId, address publisher, bytes calldata payload) external;
}
