// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ICrossChainCall} from "../../cluster/ICrossChainCall.sol";
import {ClusterPredeploys} from "../../cluster/ClusterPredeploys.sol";
import {RemoteCounter} from "./RemoteCounter.sol";

/// @title SyncCaller: the origin side of the node's synchronous cross-chain call tests.
/// @notice Each function crossCalls a RemoteCounter on another member chain and writes local state
/// too, so tests can check that both chains commit or revert together.
contract SyncCaller {
    /// @notice The last value read from or written to a remote counter.
    uint256 public mirrored;
    /// @notice Local writes made alongside cross-chain calls.
    uint256 public localWrites;
    /// @notice The outcome and result of the last pingPong.
    bool public lastOk;
    bytes public lastResult;

    ICrossChainCall private constant CROSS = ICrossChainCall(ClusterPredeploys.CROSS_CHAIN_CALL);

    /// @notice Reads counter.get() on chainId; reverts with the destination's revert data when it fails.
    function readRemote(uint256 chainId, address counter) external returns (uint256) {
        (bool ok, bytes memory result) = CROSS.crossCall(chainId, counter, abi.encodeCall(RemoteCounter.get, ()));
        if (!ok) _bubble(result);
        mirrored = abi.decode(result, (uint256));
        return mirrored;
    }

    /// @notice counter.increment(by) on chainId and one local write; reverts when the destination fails.
    function incrementRemote(uint256 chainId, address counter, uint256 by) external returns (uint256) {
        (bool ok, bytes memory result) = CROSS.crossCall(chainId, counter, abi.encodeCall(RemoteCounter.increment, (by)));
        if (!ok) _bubble(result);
        mirrored = abi.decode(result, (uint256));
        localWrites++;
        return mirrored;
    }

    /// @notice counter.incrementAndRevert(by) on chainId, a local write, then a revert with the destination's
    /// revert data: the whole transaction fails and neither chain changes.
    function incrementRemoteExpectRevert(uint256 chainId, address counter, uint256 by) external {
        (bool ok, bytes memory result) = CROSS.crossCall(chainId, counter, abi.encodeCall(RemoteCounter.incrementAndRevert, (by)));
        localWrites++;
        if (!ok) _bubble(result);
    }

    /// @notice counter.incrementAndRevert(by) on chainId and a local write kept regardless: the transaction
    /// succeeds, the destination stays unchanged, and the return value is the destination's outcome (false).
    function incrementRemoteTolerant(uint256 chainId, address counter, uint256 by) external returns (bool ok) {
        (ok,) = CROSS.crossCall(chainId, counter, abi.encodeCall(RemoteCounter.incrementAndRevert, (by)));
        localWrites++;
    }

    /// @notice A -> B -> A: asks otherSyncCaller on chainId to read a counter back on this chain. The node
    /// refuses re-entry into this chain, so lastOk must come back false. Uses this contract as the
    /// counter; pingPongWithCounter names a real one so only the re-entry refusal can make it fail.
    function pingPong(uint256 chainId, address otherSyncCaller) external returns (bool) {
        return _pingPong(chainId, otherSyncCaller, address(this));
    }

    /// @notice pingPong reading localCounter (a RemoteCounter on this chain) on the way back.
    function pingPongWithCounter(uint256 chainId, address otherSyncCaller, address localCounter) external returns (bool) {
        return _pingPong(chainId, otherSyncCaller, localCounter);
    }

    function _pingPong(uint256 chainId, address otherSyncCaller, address localCounter) private returns (bool ok) {
        bytes memory result;
        (ok, result) = CROSS.crossCall(chainId, otherSyncCaller, abi.encodeCall(SyncCaller.readRemote, (block.chainid, localCounter)));
        lastOk = ok;
        lastResult = result;
    }

    function _bubble(bytes memory revertData) private pure {
        assembly ("memory-safe") {
            revert(add(revertData, 0x20), mload(revertData))
        }
    }
}
