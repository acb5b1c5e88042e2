// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMulticasterContext} from "./MulticastSubscriber.sol";

interface IMulticastRegistrySubscribe {
    function subscribe(bytes32 channel, address target, bytes4 selector) external payable;
}

/// @title MulticastCounter: many subscriptions in one contract (one per selector, for fan-out tests and benchmarks).
/// @notice Every CALL delivery lands in the fallback, which counts it per selector and checks the per-channel order.
contract MulticastCounter {
    address public constant MULTICASTER = 0x4200000000000000000000000000000000000041;
    address public constant REGISTRY = 0x4200000000000000000000000000000000000040;

    mapping(bytes4 => uint256) public countOf;
    mapping(bytes4 => uint64) public lastSeqOf;
    uint256 public total;
    uint256 public duplicates;
    uint256 public outOfOrder;
    /// @notice Extra work per delivery (keccak rounds), to make deliveries cost more than the node measured.
    uint256 public burn;
    bytes32 public sink;

    function setBurn(uint256 rounds) external {
        burn = rounds;
    }

    /// @notice Subscribes this contract to channel under selectors first, first + 1, …, first + count - 1.
    function subscribeMany(bytes32 channel, uint32 first, uint32 count) external {
        for (uint32 i = 0; i < count; i++) {
            IMulticastRegistrySubscribe(REGISTRY).subscribe(channel, address(this), bytes4(first + i));
        }
    }

    fallback() external {
        require(msg.sender == MULTICASTER, "MulticastCounter: not the Multicaster");
        (,, uint64 seq,,) = IMulticasterContext(MULTICASTER).context();
        bytes4 selector = msg.sig;
        uint64 last = lastSeqOf[selector];
        if (seq == last) duplicates++;
        else if (seq < last) outOfOrder++;
        lastSeqOf[selector] = seq;
        countOf[selector]++;
        total++;
        uint256 rounds = burn;
        if (rounds > 0) {
            bytes32 h = sink;
            for (uint256 i = rounds; i > 0; i--) {
                assembly {
                    mstore(0, h)
                    mstore(32, i)
                    h := keccak256(0, 64)
                }
            }
            sink = h;
        }
    }
}
