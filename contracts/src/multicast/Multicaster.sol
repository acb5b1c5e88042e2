// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {MulticastHeader} from "./MulticastHeader.sol";
import {MulticastRegistry} from "./MulticastRegistry.sol";
import {IMulticastReceiver} from "./IMulticastReceiver.sol";
import {ICrossChainCall} from "../cluster/ICrossChainCall.sol";
import {IClusterMessenger} from "../cluster/IClusterMessenger.sol";

/// @title Multicaster: publish one message to every subscriber of a channel on every member chain.
/// @notice Predeployed (runtime code only) at 0x4200000000000000000000000000000000000041 on every chain.
/// publish() runs on the channel's home chain and records the publish; the node's multicast module
/// delivers it on each subscriber chain with deliver() batches (system transactions), in publish order
/// per channel: a per-channel cursor on each chain makes every subscriber get every publish exactly
/// once. The module reports each chain's outcome (delivered, failed, acknowledged: cumulative, so a
/// report is idempotent) to the home chain with recordResults, where the publish's aggregate lives.
/// A publish on another member chain is forwarded to the home chain inside the same transaction (a synchronous
/// cross-chain call to publishFrom there): it is numbered and fanned out by the home chain like any other.
contract Multicaster {
    address public constant SYSTEM = 0x9c5F8f4875FA1B8d07cE2bd769Ad281Ce3C98331;
    MulticastRegistry public constant REGISTRY = MulticastRegistry(0x4200000000000000000000000000000000000040);
    /// @notice The cluster's synchronous cross-chain calls (native) and the messenger, msg.sender of a call they make.
    ICrossChainCall public constant CROSS_CHAIN_CALL = ICrossChainCall(0x4200000000000000000000000000000000000024);
    IClusterMessenger public constant MESSENGER = IClusterMessenger(0x4200000000000000000000000000000000000023);

    /// @notice Gas per delivery the fee covers besides the subscriber's own gas and 16 per payload byte.
    uint256 public constant DELIVERY_OVERHEAD_GAS = 25_000;
    /// @notice The fee's gas price floor (the base fee when higher).
    uint256 public constant MIN_GAS_PRICE = 1 gwei;
    /// @notice Largest payload (after the header).
    uint256 public constant MAX_PAYLOAD = 24 * 1024;
    /// @notice DeliveryFailed carries at most this many bytes of revert data.
    uint256 public constant MAX_REVERT_DATA = 1024;
    /// @notice Gas a batch keeps back per subscriber call (failure record, loop).
    uint256 public constant CALL_RESERVE_GAS = 40_000;
    /// @notice Gas a batch keeps back for its end (the cursor of a shortened batch, BatchDelivered).
    uint256 public constant BATCH_END_GAS = 15_000;
    /// @notice Storage slot of the fee owner, the only account that withdraws collected publish fees (the node writes it in genesis).
    bytes32 public constant FEE_OWNER_SLOT = keccak256("thalamus.multicast.feeOwner");

    struct Publish {
        bytes32 channel;
        uint64 seq;
        address publisher;
        uint8 kind;
        uint16 flags;
        uint32 total;
        uint32 delivered;
        uint32 failed;
        uint32 acks;
    }

    /// @notice One chain's progress through a channel's publishes: the publish seq being delivered, the next index, its subscriber count here.
    struct Cursor {
        uint64 seq;
        uint32 next;
        uint32 total;
    }

    /// @notice Which publish a deliver() batch belongs to and where it starts in this chain's subscribers of it.
    struct Batch {
        bytes32 channel;
        uint64 seq;
        uint256 homeChainId;
        address publisher;
        uint32 start;
        uint32 chainTotal;
    }

    /// @notice One chain's cumulative outcome of a publish, as the module reports it to the home chain.
    struct ChainResult {
        bytes32 id;
        uint64 chainId;
        uint32 delivered;
        uint32 failed;
        uint32 acks;
    }

    struct Delivery {
        address target;
        bytes4 selector;
    }

    /// @notice Publishes made so far per channel (home chain); the next seq is publishCount + 1.
    mapping(bytes32 => uint64) public publishCount;
    mapping(bytes32 => Publish) private _publishes;
    /// @notice channel => this chain's delivery cursor.
    mapping(bytes32 => Cursor) private _cursors;
    /// @notice keccak256(abi.encode(publishId, index)) => keccak256(abi.encode(target, selector, keccak256(message))) of a failed delivery not yet retried.
    mapping(bytes32 => bytes32) public failures;
    /// @notice keccak256(abi.encode(publishId, target, selector)) => acknowledged (on the subscriber's chain).
    mapping(bytes32 => bool) public acknowledged;
    /// @notice keccak256(abi.encode(publishId, chainId)) => that chain's outcome as last reported (home chain).
    mapping(bytes32 => ChainResult) private _results;

    bytes32 private transient _ctxId;
    bytes32 private transient _ctxChannel;
    uint64 private transient _ctxSeq;
    uint256 private transient _ctxSource;
    address private transient _ctxPublisher;
    bytes32 private transient _ctxMessageHash;

    event Published(bytes32 indexed id, bytes32 indexed channel, uint64 seq, address publisher, uint32 total, bytes message);
    /// @notice On the chain a publish was made on, when that is not the channel's home chain: the publish was numbered there.
    event PublishForwarded(bytes32 indexed id, bytes32 indexed channel, uint256 homeChainId, address publisher);
    event BatchDelivered(bytes32 indexed id, bytes32 indexed channel, uint64 seq, uint32 start, uint32 count, uint32 failed, uint32 chainTotal);
    event DeliveryFailed(bytes32 indexed id, uint32 indexed index, address indexed target, bytes revertData);
    event DeliveryRetried(bytes32 indexed id, uint32 indexed index, address indexed target);
    event ResultsRecorded(bytes32 indexed id, uint256 indexed chainId, uint32 delivered, uint32 failed, uint32 acks);
    event Acknowledged(bytes32 indexed id, address indexed target, bytes4 selector, bytes message);
    event FeesWithdrawn(address indexed to, uint256 amount);
    event FeeOwnerChanged(address indexed previous, address indexed next);

    /// @notice The fee publish() takes: subscribers × (gasPerDelivery + overhead + 16 × payload bytes) × max(base fee, 1 gwei).
    function quotePublish(bytes32 channel, uint256 payloadSize) public view returns (uint256 fee) {
        MulticastRegistry.Channel memory c = _channel(channel);
        uint256 price = block.basefee > MIN_GAS_PRICE ? block.basefee : MIN_GAS_PRICE;
        fee = uint256(c.subscriberCount) * (uint256(c.gasPerDelivery) + DELIVERY_OVERHEAD_GAS + 16 * payloadSize) * price;
    }

    /// @notice The channel's owner, on any member chain: publishes message (4-byte header, then the payload) to every subscriber.
    /// Pays quotePublish of this chain (the excess is refunded; the fee stays with this chain's Multicaster). On the home chain the
    /// publish is numbered here; on another chain it is forwarded to the home chain's publishFrom in this transaction (a synchronous
    /// cross-chain call: both chains or neither), numbered there and fanned out from there, so one order per channel holds whichever
    /// chain publishes. Returns the publish id keccak256(abi.encode(channel, seq)).
    function publish(bytes32 channel, bytes calldata message) external payable returns (bytes32 id) {
        (,, uint256 payload) = _checkMessage(message);
        MulticastRegistry.Channel memory c = _channel(channel);
        uint256 fee = quotePublish(channel, payload);
        if (msg.value < fee) revert(string.concat("Multicaster: the publish fee is ", Strings.toString(fee), " wei, ", Strings.toString(msg.value), " paid"));
        id = c.homeChainId == block.chainid ? _publishHere(c, channel, message) : _forward(c.homeChainId, channel, message);
        if (msg.value > fee) {
            (bool ok,) = payable(msg.sender).call{value: msg.value - fee}("");
            require(ok, "Multicaster: refund failed");
        }
    }

    function _publishHere(MulticastRegistry.Channel memory c, bytes32 channel, bytes calldata message) private returns (bytes32) {
        if (msg.sender != c.owner) revert("Multicaster: only the channel owner publishes");
        (uint8 kind, uint16 flags,) = _checkMessage(message);
        return _record(channel, msg.sender, kind, flags, c.subscriberCount, message);
    }

    /// @dev The publish goes to the home chain's publishFrom in this transaction; its revert (not the owner, ...) or the call's
    /// refusal (home chain halted, ...) reverts this one with the same data.
    function _forward(uint256 home, bytes32 channel, bytes calldata message) private returns (bytes32 id) {
        (bool ok, bytes memory result) = CROSS_CHAIN_CALL.crossCall(home, address(this), abi.encodeCall(this.publishFrom, (msg.sender, channel, message)));
        if (!ok) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
        id = abi.decode(result, (bytes32));
        emit PublishForwarded(id, channel, home, msg.sender);
    }

    /// @notice Only the Multicaster of another member chain, through a synchronous cross-chain call, on the channel's home chain:
    /// records a publish made there by `publisher` (who must be the channel's owner here, on the home chain's own registry).
    function publishFrom(address publisher, bytes32 channel, bytes calldata message) external returns (bytes32 id) {
        require(
            msg.sender == address(MESSENGER) && MESSENGER.messageSender() == address(this) && MESSENGER.messageSourceChainId() != block.chainid,
            "Multicaster: publishFrom is only for the Multicaster of another member chain (a forwarded publish)"
        );
        (uint8 kind, uint16 flags,) = _checkMessage(message);
        MulticastRegistry.Channel memory c = _channel(channel);
        if (c.homeChainId != block.chainid) revert(string.concat("Multicaster: the channel publishes on its home chain ", Strings.toString(c.homeChainId)));
        if (publisher != c.owner) revert("Multicaster: only the channel owner publishes");
        id = _record(channel, publisher, kind, flags, c.subscriberCount, message);
    }

    /// @dev The header (PLAIN or CALL only) and the payload size.
    function _checkMessage(bytes calldata message) private pure returns (uint8 kind, uint16 flags, uint256 payload) {
        (, kind, flags) = MulticastHeader.decode(message);
        if (kind != MulticastHeader.PLAIN && kind != MulticastHeader.CALL) {
            revert(string.concat("Multicaster: a ", kind == MulticastHeader.SYN ? "SYN" : "ACK", " message is not published (PLAIN or CALL only)"));
        }
        payload = message.length - 4;
        if (payload > MAX_PAYLOAD) revert(string.concat("Multicaster: payload of ", Strings.toString(payload), " bytes exceeds ", Strings.toString(MAX_PAYLOAD)));
    }

    /// @dev Numbers the publish on the home chain and emits Published, which the node's module fans out.
    function _record(bytes32 channel, address publisher, uint8 kind, uint16 flags, uint32 total, bytes calldata message) private returns (bytes32 id) {
        uint64 seq = ++publishCount[channel];
        id = keccak256(abi.encode(channel, seq));
        _publishes[id] = Publish(channel, seq, publisher, kind, flags, total, 0, 0, 0);
        emit Published(id, channel, seq, publisher, total, message);
    }

    /// @notice The account that withdraws collected publish fees (zero: none set, nothing can be withdrawn).
    function feeOwner() public view returns (address owner) {
        bytes32 slot = FEE_OWNER_SLOT;
        assembly {
            owner := sload(slot)
        }
    }

    /// @notice Fee owner only: sends amount wei of the collected publish fees (this contract's balance) to `to`.
    function withdrawFees(address payable to, uint256 amount) external {
        _requireFeeOwner();
        require(to != address(0), "Multicaster: withdrawal to the zero address");
        uint256 collected = address(this).balance;
        if (amount > collected) {
            revert(string.concat("Multicaster: withdrawal of ", Strings.toString(amount), " wei exceeds the ", Strings.toString(collected), " wei collected"));
        }
        emit FeesWithdrawn(to, amount);
        (bool ok,) = to.call{value: amount}("");
        require(ok, "Multicaster: the fee transfer failed");
    }

    /// @notice Fee owner only: hands the fees over to another account.
    function setFeeOwner(address next) external {
        address previous = _requireFeeOwner();
        require(next != address(0), "Multicaster: the fee owner cannot be the zero address");
        bytes32 slot = FEE_OWNER_SLOT;
        assembly {
            sstore(slot, next)
        }
        emit FeeOwnerChanged(previous, next);
    }

    function _requireFeeOwner() private view returns (address owner) {
        owner = feeOwner();
        require(owner != address(0), "Multicaster: no fee owner is set (the node's multicast fee owner)");
        require(msg.sender == owner, "Multicaster: only the fee owner withdraws");
    }

    /// @notice System only: delivers publish b.seq of b.channel to subs (this chain's subscribers b.start.., of b.chainTotal), in order.
    /// Reverts (delivering nothing) unless the batch continues exactly where this chain's cursor stands. The batch stops early,
    /// before a subscriber it can no longer give its full gasPerDelivery (the node sized it by measured gas): those delivered
    /// are counted in BatchDelivered and the cursor stops after them, so the rest goes in the next batch. A batch whose
    /// gas does not cover its first subscriber reverts (Multicaster: batch out of gas).
    function deliver(Batch calldata b, Delivery[] calldata subs, bytes calldata message) external {
        require(msg.sender == SYSTEM, "Multicaster: only the multicast system account delivers");
        require(subs.length > 0 && uint256(b.start) + subs.length <= b.chainTotal, "Multicaster: batch out of range");
        _advance(b, uint32(subs.length));
        bytes32 id = keccak256(abi.encode(b.channel, b.seq));
        _enter(id, b.channel, b.seq, b.homeChainId, b.publisher);
        (uint32 count, uint32 failed) = _deliverAll(b.start, subs, message);
        _leave();
        if (count < subs.length) _cursors[b.channel].next = b.start + count;
        emit BatchDelivered(id, b.channel, b.seq, b.start, count, failed, b.chainTotal);
    }

    /// @dev Moves this chain's cursor of b.channel past the batch, or reverts if the batch is not the next one.
    function _advance(Batch calldata b, uint32 count) private {
        Cursor memory cursor = _cursors[b.channel];
        if (cursor.seq == b.seq) {
            require(b.start == cursor.next && cursor.next < cursor.total, "Multicaster: batch out of order");
        } else {
            require(b.seq > cursor.seq && cursor.next == cursor.total && b.start == 0, "Multicaster: publish out of order");
        }
        _cursors[b.channel] = Cursor(b.seq, b.start + count, b.chainTotal);
    }

    /// @notice Anyone: delivers a failed delivery again (all gas but a reserve); reverts with the subscriber's revert data if it fails again.
    function retry(bytes32 channel, uint64 seq, uint256 homeChainId, address publisher, uint32 index, Delivery calldata sub, bytes calldata message) external {
        bytes32 id = keccak256(abi.encode(channel, seq));
        bytes32 key = keccak256(abi.encode(id, index));
        require(failures[key] != 0 && failures[key] == keccak256(abi.encode(sub.target, sub.selector, keccak256(message))),
            "Multicaster: no such failed delivery");
        delete failures[key];
        _enter(id, channel, seq, homeChainId, publisher);
        bytes memory data = _plainData(message);
        if (uint8(message[1]) == MulticastHeader.CALL && sub.selector != bytes4(0)) {
            data = abi.encodePacked(sub.selector, message[4:]);
        }
        (bool ok, bytes memory revertData) = _call(sub.target, gasleft() - CALL_RESERVE_GAS, data);
        if (!ok) {
            assembly {
                revert(add(revertData, 32), mload(revertData))
            }
        }
        _leave();
        emit DeliveryRetried(id, index, sub.target);
    }

    /// @notice A subscriber of this chain acknowledges publish id with an ACK message (4-byte header of type ACK, then any payload),
    /// once per subscription; the module counts it into the home chain's aggregate.
    function ack(bytes32 id, bytes32 channel, bytes4 selector, bytes calldata message) external {
        (, uint8 kind,) = MulticastHeader.decode(message);
        require(kind == MulticastHeader.ACK, "Multicaster: an acknowledgement is an ACK message");
        require(REGISTRY.isSubscribed(channel, msg.sender, block.chainid, selector), "Multicaster: only a subscriber acknowledges");
        bytes32 key = keccak256(abi.encode(id, msg.sender, selector));
        require(!acknowledged[key], "Multicaster: already acknowledged");
        acknowledged[key] = true;
        emit Acknowledged(id, msg.sender, selector, message);
    }

    /// @notice System only, on the home chain: sets each chain's cumulative outcome of a publish (idempotent) and updates the aggregate.
    function recordResults(ChainResult[] calldata results) external {
        require(msg.sender == SYSTEM, "Multicaster: only the multicast system account records");
        for (uint256 i = 0; i < results.length; i++) {
            ChainResult calldata r = results[i];
            Publish storage p = _publishes[r.id];
            require(p.seq != 0, "Multicaster: unknown publish");
            ChainResult storage old = _results[keccak256(abi.encode(r.id, uint256(r.chainId)))];
            p.delivered = p.delivered - old.delivered + r.delivered;
            p.failed = p.failed - old.failed + r.failed;
            p.acks = p.acks - old.acks + r.acks;
            old.id = r.id;
            old.chainId = r.chainId;
            old.delivered = r.delivered;
            old.failed = r.failed;
            old.acks = r.acks;
            emit ResultsRecorded(r.id, r.chainId, r.delivered, r.failed, r.acks);
        }
    }

    /// @notice Chain chainId's outcome of publish id as last reported (home chain).
    function resultOf(bytes32 id, uint256 chainId) external view returns (ChainResult memory) {
        return _results[keccak256(abi.encode(id, chainId))];
    }

    function getPublish(bytes32 id) external view returns (Publish memory) {
        return _publishes[id];
    }

    function cursorOf(bytes32 channel) external view returns (Cursor memory) {
        return _cursors[channel];
    }

    /// @notice During a delivery: the publish being delivered; reverts otherwise.
    function context() external view returns (bytes32 id, bytes32 channel, uint64 seq, uint256 sourceChainId, address publisher) {
        require(_ctxId != 0, "Multicaster: no delivery in progress");
        return (_ctxId, _ctxChannel, _ctxSeq, _ctxSource, _ctxPublisher);
    }

    /// @notice The header codec (MulticastHeader.decode): reverts with the reason for a malformed header.
    function decodeHeader(bytes calldata message) external pure returns (uint8 version, uint8 kind, uint16 flags) {
        return MulticastHeader.decode(message);
    }

    function _enter(bytes32 id, bytes32 channel, uint64 seq, uint256 homeChainId, address publisher) private {
        _ctxId = id;
        _ctxChannel = channel;
        _ctxSeq = seq;
        _ctxSource = homeChainId;
        _ctxPublisher = publisher;
    }

    function _leave() private {
        _ctxId = 0;
        _ctxChannel = 0;
        _ctxSeq = 0;
        _ctxSource = 0;
        _ctxPublisher = address(0);
    }

    /// @dev onMulticast(...) of the publish _enter() set.
    function _plainData(bytes calldata message) private view returns (bytes memory) {
        return abi.encodeCall(IMulticastReceiver.onMulticast, (_ctxId, _ctxChannel, _ctxSeq, _ctxSource, _ctxPublisher, message[4:]));
    }

    function _deliverAll(uint32 start, Delivery[] calldata subs, bytes calldata message) private returns (uint32 count, uint32 failed) {
        bool isCall = uint8(message[1]) == MulticastHeader.CALL;
        // PLAIN (and CALL to a subscription without a selector): onMulticast(...). CALL: one buffer for every
        // subscriber, its first 4 bytes the subscriber's selector (no memory growth per call).
        bytes memory plain = _plainData(message);
        bytes memory call = isCall ? abi.encodePacked(bytes4(0), message[4:]) : plain;
        uint256 gasPerDelivery = REGISTRY.getChannel(_ctxChannel).gasPerDelivery;
        _ctxMessageHash = keccak256(message);
        uint256 needed = gasPerDelivery + gasPerDelivery / 63 + CALL_RESERVE_GAS + BATCH_END_GAS;
        for (; count < subs.length; count++) {
            if (gasleft() <= needed) {
                require(count > 0, "Multicaster: batch out of gas");
                break;
            }
            (bool ok, bytes memory revertData) = _deliverOne(subs[count], plain, call, isCall, gasPerDelivery);
            if (!ok) {
                failed++;
                _recordFailure(start + count, subs[count], revertData);
            }
        }
    }

    function _deliverOne(Delivery calldata d, bytes memory plain, bytes memory call, bool isCall, uint256 gasPerDelivery)
        private
        returns (bool ok, bytes memory revertData)
    {
        bool viaSelector = isCall && d.selector != bytes4(0);
        if (viaSelector) _setSelector(call, d.selector);
        return _call(d.target, gasPerDelivery, viaSelector ? call : plain);
    }

    function _setSelector(bytes memory data, bytes4 selector) private pure {
        assembly {
            let p := add(data, 32)
            mstore(p, or(and(mload(p), 0x00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff), selector))
        }
    }

    function _recordFailure(uint32 index, Delivery calldata d, bytes memory revertData) private {
        failures[keccak256(abi.encode(_ctxId, index))] = keccak256(abi.encode(d.target, d.selector, _ctxMessageHash));
        emit DeliveryFailed(_ctxId, index, d.target, revertData);
    }

    function _channel(bytes32 channel) private view returns (MulticastRegistry.Channel memory c) {
        c = REGISTRY.getChannel(channel);
        if (c.homeChainId == 0) revert(string.concat("Multicaster: channel ", Strings.toHexString(uint256(channel), 32), " does not exist"));
    }

    /// @dev target.call{gas}(data), copying at most MAX_REVERT_DATA bytes of what it returns.
    function _call(address target, uint256 gasLimit, bytes memory data) private returns (bool ok, bytes memory revertData) {
        assembly {
            ok := call(gasLimit, target, 0, add(data, 32), mload(data), 0, 0)
        }
        if (ok) return (true, "");
        uint256 size;
        assembly {
            size := returndatasize()
        }
        if (size > MAX_REVERT_DATA) size = MAX_REVERT_DATA;
        revertData = new bytes(size);
        assembly {
            returndatacopy(add(revertData, 32), 0, size)
        }
    }
}
