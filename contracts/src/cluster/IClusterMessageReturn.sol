// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IClusterMessageReturn: the hook a message sender implements to learn that its message came back.
/// @notice When a message's destination chain leaves the cluster before the message is delivered, the relayer
/// returns it on its source chain: ClusterMessenger.returnMessage calls this on the sender (msg.sender is the
/// messenger), once per message. A sender without it, or one that reverts, gets MessageReturned(id, .., false).
interface IClusterMessageReturn {
    /// @param id The returned message's id.
    /// @param destinationChainId The chain it was sent to.
    /// @param target The target it was sent to.
    /// @param data The calldata it carried.
    /// @param reason Why it was returned, ABI-encoded as Error(string).
    function onClusterMessageReturned(bytes32 id, uint256 destinationChainId, address target, bytes calldata data, bytes calldata reason)
        external;
}
