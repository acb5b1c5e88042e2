// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IClusterMessenger: asynchronous messages between the member chains of a Thalamus cluster.
/// @notice Predeployed at 0x4200000000000000000000000000000000000023 on every member chain. The node's
/// relayer delivers each sent message to its destination chain exactly once through relayMessage.
interface IClusterMessenger {
    /// @notice A message left this chain; id = keccak256(abi.encode(block.chainid, destinationChainId, nonce, sender, target, data)).
    event MessageSent(
        bytes32 indexed id, uint256 indexed destinationChainId, address indexed target, address sender, uint256 nonce, bytes data
    );
    /// @notice A message reached its target successfully (on relay or on a later retry).
    event MessageRelayed(bytes32 indexed id, uint256 indexed sourceChainId, address indexed target);
    /// @notice A message's target reverted; the message can be retried with retryMessage.
    event MessageFailed(bytes32 indexed id, uint256 indexed sourceChainId, address indexed target, bytes revertData);

    /// @notice A message that could not be delivered (its destination left the cluster) was returned on this, its
    /// source chain; ok: the sender's IClusterMessageReturn hook ran without reverting (false without a hook).
    event MessageReturned(bytes32 indexed id, uint256 indexed destinationChainId, address indexed sender, bool ok);

    /// @notice Sends data to target on destinationChainId and returns the message id.
    /// A send the destination's blocks within Delta cannot carry makes the node leave the whole
    /// transaction in the pool for a later block (see docs/cluster.md, admission control).
    function sendMessage(uint256 destinationChainId, address target, bytes calldata data) external returns (bytes32 id);

    /// @notice Like sendMessage, but when the destination's blocks within Delta are full it reverts with
    /// "ClusterMessenger: destination <id> inbox full for slot <n>" instead of waiting for a later block.
    function sendMessageOrRevert(uint256 destinationChainId, address target, bytes calldata data) external returns (bytes32 id);

    /// @notice Relayer only: delivers a message exactly once; never reverts because of the target.
    function relayMessage(bytes32 id, uint256 sourceChainId, address sender, address target, bytes calldata data) external;

    /// @notice Relayer only, on the message's source chain: returns a message that can no longer be delivered, exactly
    /// once, calling IClusterMessageReturn(sender).onClusterMessageReturned; never reverts because of the sender.
    function returnMessage(
        bytes32 id, uint256 destinationChainId, uint256 nonce, address sender, address target, bytes calldata data, bytes calldata reason
    ) external;

    /// @notice Anyone: delivers a failed message again; reverts with the target's revert data when it fails again.
    function retryMessage(bytes32 id, uint256 sourceChainId, address sender, address target, bytes calldata data) external;

    /// @notice The sender on the source chain of the message being delivered; reverts outside a delivery.
    function messageSender() external view returns (address);

    /// @notice The source chain of the message being delivered; reverts outside a delivery.
    function messageSourceChainId() external view returns (uint256);

    /// @notice The nonce the next sendMessage will use.
    function messageNonce() external view returns (uint256);

    /// @notice Whether the relayer has delivered message id (successfully or not).
    function relayed(bytes32 id) external view returns (bool);

    /// @notice Whether message id, sent from this chain, was returned to its sender.
    function returned(bytes32 id) external view returns (bool);

    /// @notice keccak256(abi.encode(sourceChainId, sender, target, data)) of a failed, not yet retried message; zero otherwise.
    function failedMessages(bytes32 id) external view returns (bytes32);
}
