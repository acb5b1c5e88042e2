// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IClusterMessenger} from "./IClusterMessenger.sol";
import {ClusterPredeploys} from "./ClusterPredeploys.sol";
import {ICrossChainCall} from "./ICrossChainCall.sol";
import {IClusterMessageReturn} from "./IClusterMessageReturn.sol";

/// @title ClusterMessenger: asynchronous messages between the member chains of a Thalamus cluster.
/// @notice Predeployed (runtime code only: no constructor, no immutables) at
/// 0x4200000000000000000000000000000000000023 on every member chain. sendMessage emits MessageSent;
/// the node's relayer delivers the message on the destination chain with relayMessage, exactly once.
/// @dev Storage: slot 0 = the next nonce, slot 1 = relayed (mapping), slot 2 = failedMessages (mapping), slot 3 = returned (mapping).
/// Transient storage: slot 0 = sender, slot 1 = source chain id of the delivery in progress. The node's
/// native CrossChainCall writes the same two transient slots, so targets check one context for both.
contract ClusterMessenger is IClusterMessenger {
    /// @notice Gas kept back from the target in relayMessage to record a failure (storage write and event).
    uint256 public constant RELAY_GAS_RESERVE = 40_000;
    /// @notice MessageFailed carries at most this many bytes of revert data, so a target cannot exhaust the reserve.
    uint256 public constant MAX_REVERT_DATA = 1024;
    /// @notice Gas kept back from the sender's return hook in returnMessage to emit MessageReturned.
    uint256 public constant RETURN_GAS_RESERVE = 20_000;

    uint256 private _nonce;
    /// @inheritdoc IClusterMessenger
    mapping(bytes32 => bool) public relayed;
    /// @inheritdoc IClusterMessenger
    mapping(bytes32 => bytes32) public failedMessages;
    /// @inheritdoc IClusterMessenger
    mapping(bytes32 => bool) public returned;

    /// @dev Transient slot 0: the delivery's sender (as uint256, like the node writes it).
    uint256 private transient _contextSender;
    /// @dev Transient slot 1: the delivery's source chain id; zero outside a delivery.
    uint256 private transient _contextSourceChainId;

    /// @inheritdoc IClusterMessenger
    function sendMessage(uint256 destinationChainId, address target, bytes calldata data) external returns (bytes32 id) {
        id = _send(destinationChainId, target, data, false);
    }

    /// @inheritdoc IClusterMessenger
    function sendMessageOrRevert(uint256 destinationChainId, address target, bytes calldata data) external returns (bytes32 id) {
        id = _send(destinationChainId, target, data, true);
    }

    function _send(uint256 destinationChainId, address target, bytes calldata data, bool revertIfFull) private returns (bytes32 id) {
        require(destinationChainId != block.chainid, "ClusterMessenger: same chain");
        require(destinationChainId != 0, "ClusterMessenger: zero chain");
        require(target != address(0), "ClusterMessenger: zero target");
        // A message to the messenger itself would let anyone act with the messenger as sender.
        require(target != address(this), "ClusterMessenger: messenger target");
        uint256 nonce = _nonce;
        _nonce = nonce + 1;
        id = keccak256(abi.encode(block.chainid, destinationChainId, nonce, msg.sender, target, data));
        if (revertIfFull) _admit(destinationChainId, id);
        emit MessageSent(id, destinationChainId, target, msg.sender, nonce, data);
    }

    /// @inheritdoc IClusterMessenger
    function relayMessage(bytes32 id, uint256 sourceChainId, address sender, address target, bytes calldata data) external {
        require(msg.sender == ClusterPredeploys.RELAYER, "ClusterMessenger: only relayer");
        require(!relayed[id], "ClusterMessenger: already relayed");
        require(sourceChainId != 0, "ClusterMessenger: zero chain");
        relayed[id] = true;
        // Hashed before the call so recording a failure fits in the reserve whatever the data's size.
        bytes32 contentHash = keccak256(abi.encode(sourceChainId, sender, target, data));

        uint256 available = gasleft();
        uint256 callGas = available > RELAY_GAS_RESERVE ? available - RELAY_GAS_RESERVE : 0;
        (uint256 previousSender, uint256 previousSourceChainId) = _enterContext(sender, sourceChainId);
        bool ok = _call(target, data, callGas);
        _restoreContext(previousSender, previousSourceChainId);

        if (ok) {
            emit MessageRelayed(id, sourceChainId, target);
        } else {
            failedMessages[id] = contentHash;
            emit MessageFailed(id, sourceChainId, target, _revertData(MAX_REVERT_DATA));
        }
    }

    /// @inheritdoc IClusterMessenger
    function returnMessage(
        bytes32 id, uint256 destinationChainId, uint256 nonce, address sender, address target, bytes calldata data, bytes calldata reason
    ) external {
        require(msg.sender == ClusterPredeploys.RELAYER, "ClusterMessenger: only relayer");
        require(!returned[id], "ClusterMessenger: already returned");
        // Only a message this chain really sent: its id commits to this chain, the nonce and the content.
        require(
            nonce < _nonce && id == keccak256(abi.encode(block.chainid, destinationChainId, nonce, sender, target, data)),
            "ClusterMessenger: not a message of this chain"
        );
        returned[id] = true;

        bool ok;
        if (sender.code.length > 0) {
            uint256 available = gasleft();
            uint256 callGas = available > RETURN_GAS_RESERVE ? available - RETURN_GAS_RESERVE : 0;
            bytes memory hook = abi.encodeCall(IClusterMessageReturn.onClusterMessageReturned, (id, destinationChainId, target, data, reason));
            assembly ("memory-safe") {
                ok := call(callGas, sender, 0, add(hook, 0x20), mload(hook), 0, 0)
            }
        }
        emit MessageReturned(id, destinationChainId, sender, ok);
    }

    /// @inheritdoc IClusterMessenger
    function retryMessage(bytes32 id, uint256 sourceChainId, address sender, address target, bytes calldata data) external {
        bytes32 recorded = failedMessages[id];
        require(
            recorded != bytes32(0) && recorded == keccak256(abi.encode(sourceChainId, sender, target, data)),
            "ClusterMessenger: not a failed message"
        );
        // Deleted before the call so the target cannot retry the same message again from inside it.
        delete failedMessages[id];

        (uint256 previousSender, uint256 previousSourceChainId) = _enterContext(sender, sourceChainId);
        bool ok = _call(target, data, gasleft());
        _restoreContext(previousSender, previousSourceChainId);

        if (!ok) {
            assembly ("memory-safe") {
                let pointer := mload(0x40)
                returndatacopy(pointer, 0, returndatasize())
                revert(pointer, returndatasize())
            }
        }
        emit MessageRelayed(id, sourceChainId, target);
    }

    /// @inheritdoc IClusterMessenger
    function messageSender() external view returns (address) {
        require(_contextSourceChainId != 0, "ClusterMessenger: no message");
        return address(uint160(_contextSender));
    }

    /// @inheritdoc IClusterMessenger
    function messageSourceChainId() external view returns (uint256 sourceChainId) {
        sourceChainId = _contextSourceChainId;
        require(sourceChainId != 0, "ClusterMessenger: no message");
    }

    /// @inheritdoc IClusterMessenger
    function messageNonce() external view returns (uint256) {
        return _nonce;
    }

    /// @dev Asks the node (native at CROSS_CHAIN_CALL) for room in the destination's blocks within Delta; reverts with its reason when there is none.
    function _admit(uint256 destinationChainId, bytes32 id) private {
        (bool ok, bytes memory result) =
            ClusterPredeploys.CROSS_CHAIN_CALL.call(abi.encodeCall(ICrossChainCall.admitMessage, (destinationChainId, id)));
        require(ok && result.length >= 64, "ClusterMessenger: admission unavailable");
        (bool admitted, bytes memory reason) = abi.decode(result, (bool, bytes));
        if (!admitted) {
            assembly ("memory-safe") {
                revert(add(reason, 0x20), mload(reason))
            }
        }
    }

    /// @dev Sets the delivery context and returns the previous one, restored after the call so nested deliveries are safe.
    function _enterContext(address sender, uint256 sourceChainId) private returns (uint256 previousSender, uint256 previousSourceChainId) {
        previousSender = _contextSender;
        previousSourceChainId = _contextSourceChainId;
        _contextSender = uint256(uint160(sender));
        _contextSourceChainId = sourceChainId;
    }

    function _restoreContext(uint256 previousSender, uint256 previousSourceChainId) private {
        _contextSender = previousSender;
        _contextSourceChainId = previousSourceChainId;
    }

    /// @dev Calls target without copying its return data, which the target could make arbitrarily large.
    function _call(address target, bytes calldata data, uint256 callGas) private returns (bool ok) {
        assembly ("memory-safe") {
            let pointer := mload(0x40)
            calldatacopy(pointer, data.offset, data.length)
            ok := call(callGas, target, 0, pointer, data.length, 0, 0)
        }
    }

    /// @dev The last call's revert data, truncated to maxLength bytes.
    function _revertData(uint256 maxLength) private pure returns (bytes memory data) {
        uint256 length;
        assembly {
            length := returndatasize()
        }
        if (length > maxLength) length = maxLength;
        data = new bytes(length);
        assembly ("memory-safe") {
            returndatacopy(add(data, 0x20), 0, length)
        }
    }
}
