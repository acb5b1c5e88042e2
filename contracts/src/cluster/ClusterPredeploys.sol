// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ClusterPredeploys: the fixed addresses every member chain of a Thalamus cluster shares.
/// @notice Predeploys run no constructor and hold no immutables, so contracts refer to each other
/// through these constants.
library ClusterPredeploys {
    /// @notice ClusterMessenger: asynchronous messages between member chains.
    address internal constant MESSENGER = 0x4200000000000000000000000000000000000023;
    /// @notice CrossChainCall: synchronous calls into another member chain; native (implemented by the node, no code).
    address internal constant CROSS_CHAIN_CALL = 0x4200000000000000000000000000000000000024;
    /// @notice ClusterTokenBridge: moves ERC-7802 tokens between member chains over the messenger.
    address internal constant TOKEN_BRIDGE = 0x4200000000000000000000000000000000000028;
    /// @notice Arachnid's deterministic-deployment-proxy, for same-address CREATE2 deployments on every chain.
    address internal constant CREATE2_DEPLOYER = 0x4e59b44847b379578588920cA78FbF26c0B4956C;
    /// @notice The node's relayer account, the only one allowed to deliver messages.
    address internal constant RELAYER = 0xC89279A122660a9fF537390a50b7be030AAc2797;
}
