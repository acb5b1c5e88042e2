// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IClusterMessenger} from "./IClusterMessenger.sol";
import {IERC7802} from "./IERC7802.sol";
import {ClusterPredeploys} from "./ClusterPredeploys.sol";
import {IClusterMessageReturn} from "./IClusterMessageReturn.sol";

/// @title ClusterTokenBridge: moves ERC-7802 tokens between member chains over the ClusterMessenger.
/// @notice Predeployed (runtime code only: no constructor, no immutables, no state) at
/// 0x4200000000000000000000000000000000000028 on every member chain. sendERC20 burns on the source
/// chain and sends a message to the bridge at the same address on the destination chain, whose
/// relayERC20 mints there. The token must exist at the same address on both chains (CREATE2).
/// A transfer whose destination leaves the cluster before delivery comes back: the messenger calls
/// onClusterMessageReturned on the source chain, which mints the amount back to the sender.
contract ClusterTokenBridge is IClusterMessageReturn {
    event SentERC20(address indexed token, address indexed from, address indexed to, uint256 amount, uint256 destination);
    event RelayedERC20(address indexed token, address indexed from, address indexed to, uint256 amount, uint256 source);
    event ReturnedERC20(address indexed token, address indexed from, address indexed to, uint256 amount, uint256 destination);

    /// @notice Burns amount of token from the caller and sends it to `to` on destinationChainId.
    /// @return msgId The ClusterMessenger message id.
    function sendERC20(address token, address to, uint256 amount, uint256 destinationChainId) external returns (bytes32 msgId) {
        require(to != address(0), "ClusterTokenBridge: zero recipient");
        require(_isERC7802(token), "ClusterTokenBridge: not an ERC-7802 token");
        IERC7802(token).crosschainBurn(msg.sender, amount);
        msgId = IClusterMessenger(ClusterPredeploys.MESSENGER).sendMessage(
            destinationChainId, address(this), abi.encodeCall(this.relayERC20, (token, msg.sender, to, amount))
        );
        emit SentERC20(token, msg.sender, to, amount, destinationChainId);
    }

    /// @notice Mints a transfer sent by the bridge on another chain; only the messenger delivering the bridge's own message may call it.
    function relayERC20(address token, address from, address to, uint256 amount) external {
        IClusterMessenger messenger = IClusterMessenger(ClusterPredeploys.MESSENGER);
        require(msg.sender == address(messenger), "ClusterTokenBridge: only messenger");
        require(messenger.messageSender() == address(this), "ClusterTokenBridge: invalid sender");
        uint256 source = messenger.messageSourceChainId();
        IERC7802(token).crosschainMint(to, amount);
        emit RelayedERC20(token, from, to, amount, source);
    }

    /// @notice Mints a returned transfer back to its sender; only the messenger may call it, and only for a relayERC20
    /// message (the messenger calls only the message's sender, so the bridge sent it).
    function onClusterMessageReturned(bytes32, uint256 destinationChainId, address target, bytes calldata data, bytes calldata)
        external
    {
        require(msg.sender == ClusterPredeploys.MESSENGER, "ClusterTokenBridge: only messenger");
        require(target == address(this) && data.length >= 4 && bytes4(data[:4]) == this.relayERC20.selector, "ClusterTokenBridge: not a transfer");
        (address token, address from, address to, uint256 amount) = abi.decode(data[4:], (address, address, address, uint256));
        IERC7802(token).crosschainMint(from, amount);
        emit ReturnedERC20(token, from, to, amount, destinationChainId);
    }

    /// @dev ERC-165 probe that treats a reverting or code-less token as unsupported.
    function _isERC7802(address token) private view returns (bool) {
        if (token.code.length == 0) return false;
        try IERC165(token).supportsInterface(type(IERC7802).interfaceId) returns (bool supported) {
            return supported;
        } catch {
            return false;
        }
    }
}
