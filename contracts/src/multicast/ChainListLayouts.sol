// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedChainIds} from "./PackedChainIds.sol";

/// @title ChainListLayouts: a channel's list of subscriber chains kept two ways, to measure what packing pays.
/// @notice Measurement only (tests/Thalamus.Multicast.Tests ChainIdLayoutTests). The registry itself keeps no
/// chain list: a subscription's chain id shares the storage slot of its target and selector. A list of the
/// chains a channel has subscribers on is what an on-chain fan-out (or a per-chain subscriber count) would add:
/// pushed when a chain gets its first subscriber, removed when it loses its last, read on every publish.
/// Plain: uint64[] (one slot per chain id). Packed: PackedChainIds (16 × uint16 per slot).
contract ChainListLayouts {
    using PackedChainIds for PackedChainIds.List;

    mapping(bytes32 => uint64[]) private _plain;
    mapping(bytes32 => PackedChainIds.List) private _packed;
    /// @notice What the last readAll* summed (written so the read is a transaction whose gas is measured).
    uint256 public lastSum;

    function pushPlain(bytes32 channel, uint64 chainId) external {
        _plain[channel].push(chainId);
    }

    function pushPacked(bytes32 channel, uint64 chainId) external {
        _packed[channel].push(chainId);
    }

    function removePlain(bytes32 channel, uint256 index) external {
        uint64[] storage l = _plain[channel];
        l[index] = l[l.length - 1];
        l.pop();
    }

    function removePacked(bytes32 channel, uint256 index) external {
        _packed[channel].removeAt(index);
    }

    /// @notice A publish's bookkeeping: read every chain id of the channel.
    function readAllPlain(bytes32 channel) external {
        uint64[] storage l = _plain[channel];
        uint256 sum;
        for (uint256 i = 0; i < l.length; i++) sum += l[i];
        lastSum = sum;
    }

    function readAllPacked(bytes32 channel) external {
        uint256[] memory ids = _packed[channel].all();
        uint256 sum;
        for (uint256 i = 0; i < ids.length; i++) sum += ids[i];
        lastSum = sum;
    }

    function plainList(bytes32 channel) external view returns (uint64[] memory) {
        return _plain[channel];
    }

    function packedList(bytes32 channel) external view returns (uint256[] memory) {
        return _packed[channel].all();
    }

    /// @notice Storage slots the list occupies (length slot included).
    function slotsPlain(bytes32 channel) external view returns (uint256) {
        return 1 + _plain[channel].length;
    }

    function slotsPacked(bytes32 channel) external view returns (uint256) {
        return 2 + _packed[channel].words.length;
    }
}
