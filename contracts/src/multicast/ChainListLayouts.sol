// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PackedChainIds} from "./PackedChainIds.sol";

/// @title ChainListLayouts: a channel's list of subscriber chains kept three ways, to measure what packing pays.
/// @notice Measurement only (tests/Thalamus.Multicast.Tests ChainIdLayoutTests). The registry itself keeps no
/// chain list: a subscription's chain id shares the storage slot of its target and selector. A list of the
/// chains a channel has subscribers on is what an on-chain fan-out (or a per-chain subscriber count) would add:
/// pushed when a chain gets its first subscriber, removed when it loses its last, read on every publish.
/// Word: uint256[] (one slot per chain id). U64: uint64[] (Solidity packs 4 per slot). Packed: PackedChainIds (16 × uint16 per slot).
contract ChainListLayouts {
    using PackedChainIds for PackedChainIds.List;

    mapping(bytes32 => uint256[]) private _word;
    mapping(bytes32 => uint64[]) private _u64;
    mapping(bytes32 => PackedChainIds.List) private _packed;

    /// @notice What a readAll* summed (an event, so the read is a transaction whose gas is measured, the same for every layout).
    event Summed(uint256 sum);

    function pushWord(bytes32 channel, uint64 chainId) external {
        _word[channel].push(chainId);
    }

    function pushU64(bytes32 channel, uint64 chainId) external {
        _u64[channel].push(chainId);
    }

    function pushPacked(bytes32 channel, uint64 chainId) external {
        _packed[channel].push(chainId);
    }

    function removeWord(bytes32 channel, uint256 index) external {
        uint256[] storage l = _word[channel];
        l[index] = l[l.length - 1];
        l.pop();
    }

    function removeU64(bytes32 channel, uint256 index) external {
        uint64[] storage l = _u64[channel];
        l[index] = l[l.length - 1];
        l.pop();
    }

    function removePacked(bytes32 channel, uint256 index) external {
        _packed[channel].removeAt(index);
    }

    /// @notice A publish's bookkeeping: read every chain id of the channel.
    function readAllWord(bytes32 channel) external {
        uint256[] storage l = _word[channel];
        uint256 sum;
        for (uint256 i = 0; i < l.length; i++) sum += l[i];
        emit Summed(sum);
    }

    function readAllU64(bytes32 channel) external {
        uint64[] storage l = _u64[channel];
        uint256 sum;
        for (uint256 i = 0; i < l.length; i++) sum += l[i];
        emit Summed(sum);
    }

    function readAllPacked(bytes32 channel) external {
        uint256[] memory ids = _packed[channel].all();
        uint256 sum;
        for (uint256 i = 0; i < ids.length; i++) sum += ids[i];
        emit Summed(sum);
    }

    function listWord(bytes32 channel) external view returns (uint256[] memory) {
        return _word[channel];
    }

    function listU64(bytes32 channel) external view returns (uint256[] memory ids) {
        uint64[] storage l = _u64[channel];
        ids = new uint256[](l.length);
        for (uint256 i = 0; i < l.length; i++) ids[i] = l[i];
    }

    function listPacked(bytes32 channel) external view returns (uint256[] memory) {
        return _packed[channel].all();
    }

    /// @notice Storage slots the list occupies (length slots included).
    function slotsWord(bytes32 channel) external view returns (uint256) {
        return 1 + _word[channel].length;
    }

    function slotsU64(bytes32 channel) external view returns (uint256) {
        return 1 + (_u64[channel].length + 3) / 4;
    }

    function slotsPacked(bytes32 channel) external view returns (uint256) {
        return 2 + _packed[channel].words.length;
    }
}
