// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICrossChainCall: synchronous calls into another member chain of a Thalamus cluster.
/// @notice Native at 0x4200000000000000000000000000000000000024 (the node implements it; there is no code).
/// On the destination chain msg.sender is the ClusterMessenger, whose messageSender() and
/// messageSourceChainId() return the calling contract and the origin chain. A static call runs the
/// destination call static too. The node refuses re-entry into a chain already on the call path.
interface ICrossChainCall {
    /// @notice Runs target.call(data) on chain destinationChainId inside the calling transaction and returns its result.
    /// @return ok Whether the destination call succeeded.
    /// @return result Its return data, or its revert data when it failed.
    function crossCall(uint256 destinationChainId, address target, bytes calldata data) external returns (bool ok, bytes memory result);

    /// @notice The messenger's admission check: reserves room for message id in a block of
    /// destinationChainId within Delta (released if the calling frame reverts).
    /// @return admitted Whether there was room.
    /// @return reason Error(string) revert data saying why not.
    function admitMessage(uint256 destinationChainId, bytes32 id) external returns (bool admitted, bytes memory reason);
}
