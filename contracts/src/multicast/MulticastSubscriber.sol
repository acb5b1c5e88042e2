// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMulticastReceiver} from "./IMulticastReceiver.sol";

interface IMulticasterContext {
    function context() external view returns (bytes32 id, bytes32 channel, uint64 seq, uint256 sourceChainId, address publisher);
    function ack(bytes32 id, bytes32 channel, bytes4 selector, bytes calldata message) external;
}

/// @title MulticastSubscriber: a test and example subscriber. Counts what it receives (PLAIN and CALL),
/// checks the per-channel order, can be told to revert, and acknowledges when asked to.
contract MulticastSubscriber is IMulticastReceiver {
    address public constant MULTICASTER = 0x4200000000000000000000000000000000000041;

    uint256 public received;
    uint64 public lastSeq;
    uint256 public outOfOrder;
    bytes public lastPayload;
    uint256 public lastValue;
    bool public reverting;
    bool public acking;
    bytes4 public ackSelector;

    event Received(bytes32 indexed id, uint64 seq, bytes payload);

    function setReverting(bool value) external {
        reverting = value;
    }

    /// @notice Acknowledge every delivery, naming the subscription by its selector.
    function setAcking(bool value, bytes4 selector) external {
        acking = value;
        ackSelector = selector;
    }

    function onMulticast(bytes32 id, bytes32 channel, uint64 seq, uint256, address, bytes calldata payload) external {
        _receive(id, channel, seq, payload);
    }

    /// @notice A CALL subscription's selector: takes one uint256.
    function store(uint256 value) external {
        (bytes32 id, bytes32 channel, uint64 seq,,) = IMulticasterContext(MULTICASTER).context();
        lastValue = value;
        _receive(id, channel, seq, msg.data[4:]);
    }

    function _receive(bytes32 id, bytes32 channel, uint64 seq, bytes calldata payload) private {
        require(msg.sender == MULTICASTER, "MulticastSubscriber: not the Multicaster");
        require(!reverting, "MulticastSubscriber: told to revert");
        if (seq <= lastSeq) outOfOrder++;
        lastSeq = seq;
        received++;
        lastPayload = payload;
        emit Received(id, seq, payload);
        if (acking) {
            IMulticasterContext(MULTICASTER).ack(id, channel, ackSelector, hex"01020000");
        }
    }
}
