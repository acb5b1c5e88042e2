// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IERC7802} from "../cluster/IERC7802.sol";
import {ThalamusBase} from "./ThalamusBase.sol";
import {ThalamusExecutor} from "./ThalamusExecutor.sol";
import {ThalamusExternal} from "./ThalamusExternal.sol";

/// @title Thalamus: the cluster's ERC-7786 gateway and remote transaction calls (RTCs).
/// @notice Predeployed (runtime code only: no constructor, no immutables) at
/// 0x4200000000000000000000000000000000000030 on every member chain. It runs the RTC hot paths (send, the
/// atomic and async runs, settleRtc, custody and adapters); every other function is its companion's,
/// ThalamusExternal (0x…34: ERC-7786 messages, quotes and preferences, calls by name, the external-chain paths,
/// expiry), which the fallback delegatecalls, so callers see one gateway (EIP-170: 24,576 bytes each). sendMessage carries an ERC-7786
/// message as a ClusterMessenger message to the gateway at the same address on the destination chain,
/// whose deliverMessage calls the recipient's receiveMessage. sendRtc runs an RTC: atomically over
/// synchronous cross-chain calls, or asynchronously over cluster messages with an ACK/NACK coming
/// back. The gateway trusts only itself on other chains: a call that claims to come from a peer
/// gateway must come from the messenger (a delivery or a crossCall) with this address as its sender.
contract Thalamus is ThalamusBase {
    using SafeERC20 for IERC20;
    using Strings for uint256;
    using Strings for address;

    /// @dev A deployment outside the cluster (constructor run): the executor it created. Zero in the predeploy's
    /// runtime code (a predeploy runs no constructor), which uses EXECUTOR.
    address private immutable _ownExecutor;
    /// @dev A deployment outside the cluster: the companion (ThalamusExternal) it created; zero in the predeploy, which uses EXTENSION.
    address private immutable _ownExtension;

    /// @notice A gateway outside the cluster (e.g. on an external chain): trusts `relayers` to deliver RTCs from the
    /// cluster and creates its own executor. The predeploy's runtime code runs no constructor.
    constructor(address[] memory relayers) {
        for (uint256 i = 0; i < relayers.length; ++i) _relayers[relayers[i]] = true;
        _ownExecutor = address(new ThalamusExecutor());
        _ownExtension = address(new ThalamusExternal());
    }

    // ---------------------------------------------------------------- RTCs

    /// @notice IThalamus.sendRtc.
    function sendRtc(Rtc calldata rtc) external payable returns (bytes32 id) {
        return _send(rtc, bytes32(0));
    }

    /// @notice IThalamus.sendRtcVia.
    function sendRtcVia(Rtc calldata rtc, bytes32 preference) external payable returns (bytes32 id) {
        return _send(rtc, preference);
    }

    /// @notice Self only (sendRtcNamed): sends the resolved RTC for its sender.
    function sendRtcFor(Rtc calldata rtc, bytes32 preference) external payable returns (bytes32 id) {
        require(msg.sender == address(this) && _namedSender != address(0), "Thalamus: internal");
        return _send(rtc, preference);
    }

    function _send(Rtc calldata rtc, bytes32 preference) private returns (bytes32 id) {
        require(!_inCall, "Thalamus: an RTC's call cannot send an RTC");
        _validate(rtc);
        // A member chain has one provider (the cluster's messaging); a name it does not have is refused here too.
        if (preference != bytes32(0) && isMember(rtc.calls[0].chainId)) {
            _delegate(abi.encodeCall(ThalamusExternal.providersOf, (rtc.calls[0].chainId, preference)));
        }
        id = _newId();
        Record storage record = _rtcs[id];
        record.sender = _sender();
        record.status = Status.Pending;
        record.sentAt = uint64(block.timestamp);
        record.deadline = rtc.deadline;
        record.callCount = uint32(rtc.calls.length);
        if (rtc.atomic) {
            emit RtcSent(id, _sender(), 0, true, rtc.deadline, _chainsOf(rtc.calls));
            try this.runAtomic(_sender(), rtc) returns (bytes[] memory results) {
                record.status = Status.Ack;
                emit RtcAcked(id, results);
            } catch (bytes memory failure) {
                (uint256 index, bytes memory reason) = _decodeFailure(failure);
                record.status = Status.Nack;
                if (msg.value > 0) _sendValue(_sender(), msg.value);
                emit RtcNacked(id, index, reason);
            }
        } else {
            uint256 destination = rtc.calls[0].chainId;
            record.destinationChainId = uint64(destination);
            bool outside = !isMember(destination);
            bool[] memory minted = new bool[](rtc.calls.length);
            Reserve[] storage reserves = _reserves[id];
            for (uint256 i = 0; i < rtc.calls.length; ++i) {
                Call calldata c = rtc.calls[i];
                minted[i] = _take(_sender(), c.adapter, c.asset, c.amount, !outside);
                reserves.push(Reserve(c.adapter, c.asset, c.amount, minted[i]));
            }
            if (outside) {
                _delegate(abi.encodeCall(ThalamusExternal.outbound, (id, destination, rtc, preference)));
            } else {
                MESSENGER.sendMessage(destination, address(this), abi.encodeCall(this.deliverRtc, (id, _sender(), rtc, minted)));
            }
            emit RtcSent(id, _sender(), destination, false, rtc.deadline, _chainsOf(rtc.calls));
        }
    }

    /// @notice Self only: runs an atomic RTC's calls in order; reverts RtcCallFailed(i, reason) at the first
    /// failure, which unwinds every chain the RTC touched.
    function runAtomic(address sender, Rtc calldata rtc) external returns (bytes[] memory results) {
        require(msg.sender == address(this), "Thalamus: internal");
        results = new bytes[](rtc.calls.length);
        for (uint256 i = 0; i < rtc.calls.length; ++i) {
            Call memory c = rtc.calls[i];
            _applyPipes(rtc.pipes, results, c.data, i);
            if (c.chainId == block.chainid) {
                _take(sender, c.adapter, c.asset, c.amount, false);
                (bool ok, bytes memory ret, uint256 leftover) = _run(sender, block.chainid, c);
                if (!ok) revert RtcCallFailed(i, ret);
                if (leftover > 0) _give(sender, c.adapter, c.asset, _quantity(c.adapter, c.amount, leftover), false);
                results[i] = ret;
            } else {
                bool minted = _take(sender, c.adapter, c.asset, c.amount, true);
                (bool ok, bytes memory ret) =
                    CROSS.crossCall(c.chainId, address(this), abi.encodeCall(this.executeRemote, (sender, c, minted)));
                if (!ok) revert RtcCallFailed(i, ret);
                (bytes memory result, uint256 back) = abi.decode(ret, (bytes, uint256));
                if (back > 0) _give(sender, c.adapter, c.asset, _quantity(c.adapter, c.amount, back), minted);
                results[i] = result;
            }
        }
    }

    /// @notice Peer gateway only (a crossCall of an atomic RTC): runs one call here with the assets it carries.
    /// @return result The target's return data.
    /// @return back What the call left of the carried asset and bridges back to the origin (bridgeBack), else 0.
    function executeRemote(address sender, Call memory c, bool minted) external returns (bytes memory result, uint256 back) {
        _onlyPeer();
        _release(c, minted);
        (bool ok, bytes memory ret, uint256 leftover) = _run(sender, MESSENGER.messageSourceChainId(), c);
        if (!ok) _bubble(ret);
        return (ret, _dispose(sender, c, leftover, minted));
    }

    /// @notice Peer gateway only (a messenger delivery): runs an async RTC here and sends its ACK or NACK back.
    function deliverRtc(bytes32 id, address sender, Rtc calldata rtc, bool[] calldata minted) external {
        _onlyPeer();
        uint256 source = MESSENGER.messageSourceChainId();
        bytes memory answer = _execute(id, sender, source, rtc, minted);
        MESSENGER.sendMessage(source, address(this), abi.encodePacked(this.settleRtc.selector, answer));
    }

    /// @notice Self only: an async RTC's calls on the destination; reverts RtcCallFailed(i, reason) at the first failure.
    function runAsync(address sender, uint256 source, Rtc calldata rtc, bool[] calldata minted)
        external
        returns (bytes[] memory results, uint256[] memory back)
    {
        require(msg.sender == address(this), "Thalamus: internal");
        results = new bytes[](rtc.calls.length);
        back = new uint256[](rtc.calls.length);
        for (uint256 i = 0; i < rtc.calls.length; ++i) {
            Call memory c = rtc.calls[i];
            _applyPipes(rtc.pipes, results, c.data, i);
            (bool released, bytes memory why) = _tryRelease(c, minted[i]);
            if (!released) revert RtcCallFailed(i, why);
            (bool ok, bytes memory ret, uint256 leftover) = _run(sender, source, c);
            if (!ok) revert RtcCallFailed(i, ret);
            back[i] = _dispose(sender, c, leftover, minted[i]);
            results[i] = ret;
        }
    }

    /// @notice Peer gateway only (the answer to an async RTC): ACK releases what calls bridged back; NACK returns every reserved asset.
    function settleRtc(bytes32 id, bool ok, uint256 failedCall, bytes calldata reason, bytes[] calldata results, uint256[] calldata back)
        external
    {
        _onlyPeer();
        Record storage record = _rtcs[id];
        // An answer after EXPIRED changes nothing (the assets went back already; see docs/rtc.md, trust).
        if (record.status != Status.Pending) return;
        require(MESSENGER.messageSourceChainId() == record.destinationChainId, "Thalamus: answer from the wrong chain");
        _settle(record, id, ok, failedCall, reason, results, back);
    }

    /// @notice IThalamus.rtcOf.
    function rtcOf(bytes32 id) external view returns (Record memory) {
        return _rtcs[id];
    }

    /// @notice IThalamus.rtcContext.
    function rtcContext() external view returns (address sender, uint256 sourceChainId) {
        return (_ctxSender, _ctxSource);
    }

    /// @notice Gas-free: the next id sendMessage or sendRtc will use.
    function nextId() external view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), _nonce));
    }

    receive() external payable {}

    // ---------------------------------------------------------------- internals




    /// @notice Whether an external chain (outside the cluster) has a relayer: the node's oracle, asked (chainId, 0).
    /// A deployment outside the cluster reaches every other chain (its relayers carry RTCs to the cluster's chains).
    function reaches(uint256 chainId) public view returns (bool) {
        if (_outsideCluster()) return chainId != block.chainid;
        return _ask(chainId, address(0));
    }

    function _executor() private view returns (address) {
        return _ownExecutor == address(0) ? EXECUTOR : _ownExecutor;
    }

    /// @dev Bad input reverts here, before anything is reserved. msg.value of an RTC to an external chain also pays
    /// its provider's fee: the companion checks it with the quote (outbound).
    function _validate(Rtc calldata rtc) private view {
        uint256 n = rtc.calls.length;
        require(n > 0 && n <= 64, "Thalamus: an RTC has 1 to 64 calls");
        require(
            rtc.deadline == 0 || rtc.deadline > block.timestamp,
            string.concat(
                "Thalamus: deadline ", uint256(rtc.deadline).toString(), " has passed (block time ", block.timestamp.toString(), ")"
            )
        );
        uint256 nativeTotal;
        bool external_;
        for (uint256 i = 0; i < n; ++i) {
            Call calldata c = rtc.calls[i];
            if (!isMember(c.chainId)) {
                string memory chain = c.chainId.toString();
                require(reaches(c.chainId), string.concat("Thalamus: chain ", chain, " is not a member of this cluster"));
                require(!rtc.atomic, string.concat("Thalamus: chain ", chain, " is outside the cluster: an RTC to it is async"));
                require(rtc.deadline != 0, string.concat("Thalamus: an RTC to chain ", chain, " (outside the cluster) needs a deadline"));
                external_ = true;
            }
            require(c.target != address(0), string.concat("Thalamus: call ", i.toString(), " has no target"));
            if (!rtc.atomic) {
                require(
                    c.chainId != block.chainid && c.chainId == rtc.calls[0].chainId,
                    "Thalamus: an async RTC's calls run on one destination chain, not this one"
                );
            }
            if (c.adapter == Adapter.Native) nativeTotal += c.amount;
            else if (c.adapter != Adapter.None) _checkHeld(rtc.calls, i);
        }
        require(
            external_ || msg.value == nativeTotal,
            string.concat("Thalamus: msg.value ", msg.value.toString(), " differs from the RTC's native amounts ", nativeTotal.toString())
        );
        for (uint256 k = 0; k < rtc.pipes.length; ++k) {
            Pipe calldata p = rtc.pipes[k];
            require(
                p.fromCall < p.toCall && p.toCall < n && uint256(p.offset) + 32 <= rtc.calls[p.toCall].data.length,
                string.concat("Thalamus: pipe ", k.toString(), " is out of range")
            );
        }
    }

    /// @dev The sender holds, and has let the gateway take, what calls 0..i carry of call i's asset.
    function _checkHeld(Call[] calldata calls, uint256 i) private view {
        Call calldata c = calls[i];
        string memory asset = c.asset.toHexString();
        require(c.asset.code.length > 0, string.concat("Thalamus: asset ", asset, " is not a contract on this chain"));
        if (c.adapter == Adapter.ERC721) {
            require(
                IERC721(c.asset).ownerOf(c.amount) == _sender(),
                string.concat("Thalamus: the sender does not own token ", c.amount.toString(), " of ", asset)
            );
            return;
        }
        uint256 total;
        for (uint256 j = 0; j <= i; ++j) {
            if (calls[j].adapter == Adapter.ERC20 && calls[j].asset == c.asset) total += calls[j].amount;
        }
        uint256 held = IERC20(c.asset).balanceOf(_sender());
        require(
            held >= total,
            string.concat("Thalamus: the sender holds ", held.toString(), " of ", asset, ", the RTC carries ", total.toString())
        );
        uint256 allowed = IERC20(c.asset).allowance(_sender(), address(this));
        require(
            allowed >= total,
            string.concat("Thalamus: the sender approved ", allowed.toString(), " of ", asset, " to the gateway, the RTC carries ", total.toString())
        );
    }

    function _chainsOf(Call[] calldata calls) private pure returns (uint256[] memory chains) {
        chains = new uint256[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) chains[i] = calls[i].chainId;
    }

    /// @dev Takes a call's asset from the sender into the gateway's custody; for a call on another chain an
    /// ERC-7802 token is then burnt (and minted there). Native value is already here (msg.value).
    function _take(address from, Adapter adapter, address asset, uint256 amount, bool remote) private returns (bool minted) {
        if (adapter == Adapter.ERC20) {
            IERC20(asset).safeTransferFrom(from, address(this), amount);
            if (remote && _isERC7802(asset)) {
                IERC7802(asset).crosschainBurn(address(this), amount);
                minted = true;
            }
        } else if (adapter == Adapter.ERC721) {
            IERC721(asset).transferFrom(from, address(this), amount);
        }
    }

    /// @dev On the destination: the carried asset becomes the gateway's here (minted, or out of its custody).
    function _release(Call memory c, bool minted) private {
        (bool ok, bytes memory why) = _tryRelease(c, minted);
        if (!ok) _bubble(why);
    }

    function _tryRelease(Call memory c, bool minted) private returns (bool, bytes memory) {
        if (c.adapter == Adapter.None) return (true, "");
        if (minted) {
            IERC7802(c.asset).crosschainMint(address(this), c.amount);
            return (true, "");
        }
        if (c.adapter == Adapter.ERC721) {
            if (c.asset.code.length > 0 && IERC721(c.asset).ownerOf(c.amount) == address(this)) return (true, "");
            return (false, _error(string.concat("Thalamus: the gateway on chain ", block.chainid.toString(), " holds no token ", c.amount.toString(), " of ", c.asset.toHexString())));
        }
        uint256 held = c.adapter == Adapter.Native ? address(this).balance : (c.asset.code.length > 0 ? IERC20(c.asset).balanceOf(address(this)) : 0);
        if (held >= c.amount) return (true, "");
        return (false, _error(string.concat(
            "Thalamus: the gateway on chain ", block.chainid.toString(), " holds ", held.toString(), " of ",
            c.adapter == Adapter.Native ? "native value" : c.asset.toHexString(), ", a call carries ", c.amount.toString()
        )));
    }

    /// @dev On the destination, after the call: what it left of the carried asset goes back to the origin
    /// (bridgeBack: kept in custody or burnt here, released there) or to the sender here.
    function _dispose(address sender, Call memory c, uint256 leftover, bool minted) private returns (uint256 back) {
        if (leftover == 0) return 0;
        if (c.bridgeBack) {
            if (minted) IERC7802(c.asset).crosschainBurn(address(this), leftover);
            return leftover;
        }
        _give(sender, c.adapter, c.asset, _quantity(c.adapter, c.amount, leftover), false);
        return 0;
    }

    /// @dev Runs one call with the carried asset (in the gateway's custody here) from the executor: the asset
    /// moves to the executor, which approves the beneficiary and makes the call with the RTC's context set,
    /// then the approval is revoked and what the executor holds of the asset comes back (the leftover).
    function _run(address sender, uint256 source, Call memory c) private returns (bool ok, bytes memory ret, uint256 leftover) {
        address executorAddress = _executor();
        ThalamusExecutor executor = ThalamusExecutor(payable(executorAddress));
        address beneficiary = c.beneficiary == address(0) ? c.target : c.beneficiary;
        uint256 value;
        if (c.adapter == Adapter.Native) {
            value = c.amount;
        } else if (c.adapter == Adapter.ERC20) {
            IERC20(c.asset).safeTransfer(executorAddress, c.amount);
            if (c.approvalAmount > 0) executor.approve(c.asset, beneficiary, c.approvalAmount, false);
        } else if (c.adapter == Adapter.ERC721) {
            IERC721(c.asset).transferFrom(address(this), executorAddress, c.amount);
            executor.approve(c.asset, beneficiary, c.amount, true);
        }
        (address outerSender, uint256 outerSource) = (_ctxSender, _ctxSource);
        (_ctxSender, _ctxSource, _inCall) = (sender, source, true);
        (ok, ret) = executor.execute{value: value}(c.target, c.data, c.gasLimit);
        (_ctxSender, _ctxSource, _inCall) = (outerSender, outerSource, false);
        if (!ok) return (false, ret, 0);
        if (c.adapter == Adapter.Native) {
            leftover = executor.sweep(address(0), 0, false);
        } else if (c.adapter == Adapter.ERC20) {
            if (c.approvalAmount > 0) executor.approve(c.asset, beneficiary, 0, false);
            leftover = executor.sweep(c.asset, 0, false);
        } else if (c.adapter == Adapter.ERC721) {
            leftover = executor.sweep(c.asset, c.amount, true); // a transfer clears the approval
        }
    }

    /// @dev Writes word `word` of an earlier call's result at byte `offset` of this call's data.
    function _applyPipes(Pipe[] calldata pipes, bytes[] memory results, bytes memory data, uint256 i) private pure {
        for (uint256 k = 0; k < pipes.length; ++k) {
            Pipe calldata p = pipes[k];
            if (p.toCall != i) continue;
            bytes memory source = results[p.fromCall];
            uint256 position = uint256(p.word) * 32;
            if (position + 32 > source.length) {
                revert RtcCallFailed(i, _error(string.concat(
                    "Thalamus: pipe ", k.toString(), " reads word ", uint256(p.word).toString(), " of call ",
                    uint256(p.fromCall).toString(), "'s ", source.length.toString(), "-byte result"
                )));
            }
            uint256 offset = p.offset;
            assembly ("memory-safe") {
                mstore(add(add(data, 32), offset), mload(add(add(source, 32), position)))
            }
        }
    }

    function _isERC7802(address token) private view returns (bool) {
        if (token.code.length == 0) return false;
        try IERC165(token).supportsInterface(type(IERC7802).interfaceId) returns (bool supported) {
            return supported;
        } catch {
            return false;
        }
    }

    /// @notice Every other function (quoteRtc, sendRtcNamed, deliverExternal, delivered, settleExternal, expireRtc,
    /// providersOf) is the companion's, run as the gateway (a delegatecall: same storage, sender and value).
    fallback() external payable {
        address extension = _extension();
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), extension, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }

    function _extension() private view returns (address) {
        return _ownExtension == address(0) ? EXTENSION : _ownExtension;
    }

    /// @dev Runs a companion function as the gateway, marked as the gateway's own (its internal entry points accept only that).
    function _delegate(bytes memory data) private returns (bytes memory ret) {
        _delegated = true;
        bool ok;
        (ok, ret) = _extension().delegatecall(data);
        _delegated = false;
        if (!ok) _bubble(ret);
    }
}
