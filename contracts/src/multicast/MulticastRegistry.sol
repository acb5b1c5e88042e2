// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title MulticastRegistry: channels and subscriptions, the same on every member chain.
/// @notice Predeployed (runtime code only) at 0x4200000000000000000000000000000000000040 on every chain.
/// Every piece of state has one writer chain: a channel's settings and allow-list are changed on its
/// home chain (where it was created), a subscription on the subscriber's chain. The writer applies the
/// change at once and emits RegistryOp(nonce, op); the node's multicast module replays the op on every
/// other chain with replicate(), in nonce order per origin chain, exactly once (appliedOps).
contract MulticastRegistry {
    /// @notice The node's multicast account (key keccak256("thalamus.multicast")): the only replicator.
    address public constant SYSTEM = 0x9c5F8f4875FA1B8d07cE2bd769Ad281Ce3C98331;
    uint256 public constant MIN_GAS_PER_DELIVERY = 5_000;
    uint256 public constant MAX_GAS_PER_DELIVERY = 500_000;

    uint8 internal constant OP_CREATE = 1;
    uint8 internal constant OP_CONFIGURE = 2;
    uint8 internal constant OP_ALLOW = 3;
    uint8 internal constant OP_SUBSCRIBE = 4;
    uint8 internal constant OP_UNSUBSCRIBE = 5;

    struct Channel {
        address owner;
        uint64 homeChainId;
        uint32 gasPerDelivery;
        bool allowListOnly;
        uint128 subscriptionFee;
        uint32 subscriberCount;
        /// XOR of keccak256(abi.encode(target, chainId, selector, subscriber)) over the subscriptions: order-independent.
        bytes32 digest;
    }

    struct Subscription {
        address target;
        uint64 chainId;
        bytes4 selector;
        address subscriber;
    }

    mapping(bytes32 => Channel) private _channels;
    mapping(bytes32 => mapping(address => bool)) public allowed;
    mapping(bytes32 => Subscription[]) private _subscriptions;
    /// channel => keccak256(abi.encode(target, chainId, selector)) => index + 1 in _subscriptions.
    mapping(bytes32 => mapping(bytes32 => uint256)) private _position;
    mapping(address => uint256) public channelNonce;
    /// @notice Ops this chain originated (the nonce of the last one).
    uint64 public opNonce;
    /// @notice Origin chain => nonce of the last of its ops applied here.
    mapping(uint256 => uint64) public appliedOps;

    event ChannelCreated(bytes32 indexed channel, address indexed owner, uint256 homeChainId, bool allowListOnly, uint256 gasPerDelivery, uint256 subscriptionFee);
    event ChannelConfigured(bytes32 indexed channel, bool allowListOnly, uint256 subscriptionFee);
    event AllowListChanged(bytes32 indexed channel, address indexed account, bool allowed);
    event Subscribed(bytes32 indexed channel, address indexed target, uint256 indexed chainId, bytes4 selector, address subscriber);
    event Unsubscribed(bytes32 indexed channel, address indexed target, uint256 indexed chainId, bytes4 selector);
    /// @notice A change this chain originated; op = abi.encode(kind, channel, a, b, chainId, s, x, y) (8 words).
    event RegistryOp(uint64 indexed nonce, bytes op);
    /// @notice Ops of originChainId up to lastNonce are applied here.
    event Replicated(uint256 indexed originChainId, uint64 lastNonce);

    /// @notice Creates a channel whose home is this chain; its id is keccak256(abi.encode(chainid, creator, creator's nonce)), unique in the cluster.
    function createChannel(bool allowListOnly, uint32 gasPerDelivery, uint128 subscriptionFee) external returns (bytes32 channel) {
        require(gasPerDelivery >= MIN_GAS_PER_DELIVERY && gasPerDelivery <= MAX_GAS_PER_DELIVERY,
            string.concat("MulticastRegistry: gasPerDelivery must be in [", Strings.toString(MIN_GAS_PER_DELIVERY), ", ", Strings.toString(MAX_GAS_PER_DELIVERY), "]"));
        channel = keccak256(abi.encode(block.chainid, msg.sender, channelNonce[msg.sender]++));
        _originate(abi.encode(OP_CREATE, channel, msg.sender, address(0), block.chainid, allowListOnly ? 1 : 0, gasPerDelivery, subscriptionFee));
    }

    /// @notice Owner, on the home chain: the allow-list switch and the subscription fee.
    function configure(bytes32 channel, bool allowListOnly, uint128 subscriptionFee) external {
        _requireOwnerAtHome(channel);
        _originate(abi.encode(OP_CONFIGURE, channel, address(0), address(0), 0, allowListOnly ? 1 : 0, 0, subscriptionFee));
    }

    /// @notice Owner, on the home chain: adds accounts to (or removes them from) the allow-list of subscribers.
    function setAllowed(bytes32 channel, address[] calldata accounts, bool isAllowed) external {
        _requireOwnerAtHome(channel);
        for (uint256 i = 0; i < accounts.length; i++) {
            _originate(abi.encode(OP_ALLOW, channel, accounts[i], address(0), 0, isAllowed ? 1 : 0, 0, 0));
        }
    }

    /// @notice Subscribes target on this chain: CALL messages call selector with the payload, PLAIN ones onMulticast.
    /// The caller pays the channel's subscription fee (to its owner) and must be allow-listed when the channel says so.
    function subscribe(bytes32 channel, address target, bytes4 selector) external payable {
        Channel storage c = _existing(channel);
        require(target != address(0), "MulticastRegistry: zero target");
        if (c.allowListOnly && !allowed[channel][msg.sender]) {
            revert(string.concat("MulticastRegistry: ", Strings.toHexString(msg.sender), " is not on the channel's allow-list"));
        }
        require(_position[channel][_key(target, block.chainid, selector)] == 0, "MulticastRegistry: already subscribed");
        if (msg.value != c.subscriptionFee) {
            revert(string.concat("MulticastRegistry: the subscription fee is ", Strings.toString(c.subscriptionFee), " wei, ", Strings.toString(msg.value), " paid"));
        }
        address owner = c.owner;
        _originate(abi.encode(OP_SUBSCRIBE, channel, target, msg.sender, block.chainid, uint256(uint32(selector)), 0, 0));
        if (msg.value > 0) {
            (bool ok,) = payable(owner).call{value: msg.value}("");
            require(ok, "MulticastRegistry: the channel owner refused the fee");
        }
    }

    /// @notice The subscriber (or the target) removes a subscription of this chain; takes effect for the next publish.
    function unsubscribe(bytes32 channel, address target, bytes4 selector) external {
        _existing(channel);
        uint256 position = _position[channel][_key(target, block.chainid, selector)];
        require(position != 0, "MulticastRegistry: not subscribed");
        Subscription storage s = _subscriptions[channel][position - 1];
        require(msg.sender == s.subscriber || msg.sender == target, "MulticastRegistry: only the subscriber or the target unsubscribes");
        _originate(abi.encode(OP_UNSUBSCRIBE, channel, target, address(0), block.chainid, uint256(uint32(selector)), 0, 0));
    }

    /// @notice System only: applies originChainId's ops firstNonce, firstNonce + 1, … (those already applied are skipped).
    function replicate(uint256 originChainId, uint64 firstNonce, bytes[] calldata ops) external {
        require(msg.sender == SYSTEM, "MulticastRegistry: only the multicast system account replicates");
        require(originChainId != block.chainid, "MulticastRegistry: an op is applied on its origin when made");
        uint64 applied = appliedOps[originChainId];
        require(firstNonce >= 1 && firstNonce <= applied + 1, "MulticastRegistry: replication gap");
        for (uint256 i = 0; i < ops.length; i++) {
            uint64 nonce = firstNonce + uint64(i);
            if (nonce <= applied) continue;
            _apply(ops[i]);
            applied = nonce;
        }
        appliedOps[originChainId] = applied;
        emit Replicated(originChainId, applied);
    }

    function getChannel(bytes32 id) external view returns (Channel memory) {
        return _channels[id];
    }

    function exists(bytes32 id) external view returns (bool) {
        return _channels[id].homeChainId != 0;
    }

    /// @notice A page of the channel's subscriptions (all chains), in this replica's order.
    function subscriptions(bytes32 id, uint256 start, uint256 count) external view returns (Subscription[] memory page) {
        Subscription[] storage all = _subscriptions[id];
        uint256 end = start + count > all.length ? all.length : start + count;
        if (start >= end) return new Subscription[](0);
        page = new Subscription[](end - start);
        for (uint256 i = start; i < end; i++) page[i - start] = all[i];
    }

    function isSubscribed(bytes32 id, address target, uint256 chainId, bytes4 selector) external view returns (bool) {
        return _position[id][_key(target, chainId, selector)] != 0;
    }

    function _existing(bytes32 id) private view returns (Channel storage c) {
        c = _channels[id];
        if (c.homeChainId == 0) revert(string.concat("MulticastRegistry: channel ", Strings.toHexString(uint256(id), 32), " does not exist"));
    }

    function _requireOwnerAtHome(bytes32 id) private view {
        Channel storage c = _existing(id);
        require(msg.sender == c.owner, "MulticastRegistry: only the channel owner");
        if (c.homeChainId != block.chainid) {
            revert(string.concat("MulticastRegistry: the channel is changed on its home chain ", Strings.toString(c.homeChainId)));
        }
    }

    function _key(address target, uint256 chainId, bytes4 selector) private pure returns (bytes32) {
        return keccak256(abi.encode(target, chainId, selector));
    }

    function _originate(bytes memory op) private {
        _apply(op);
        uint64 nonce = ++opNonce;
        emit RegistryOp(nonce, op);
    }

    function _apply(bytes memory op) private {
        (uint8 kind, bytes32 id, address a, address b, uint256 chainId, uint256 s, uint256 x, uint256 y) =
            abi.decode(op, (uint8, bytes32, address, address, uint256, uint256, uint256, uint256));
        Channel storage c = _channels[id];
        if (kind == OP_CREATE) {
            c.owner = a;
            c.homeChainId = uint64(chainId);
            c.allowListOnly = s != 0;
            c.gasPerDelivery = uint32(x);
            c.subscriptionFee = uint128(y);
            emit ChannelCreated(id, a, chainId, s != 0, x, y);
        } else if (kind == OP_CONFIGURE) {
            c.allowListOnly = s != 0;
            c.subscriptionFee = uint128(y);
            emit ChannelConfigured(id, s != 0, y);
        } else if (kind == OP_ALLOW) {
            allowed[id][a] = s != 0;
            emit AllowListChanged(id, a, s != 0);
        } else if (kind == OP_SUBSCRIBE) {
            _applySubscribe(id, a, b, chainId, bytes4(uint32(s)));
        } else if (kind == OP_UNSUBSCRIBE) {
            _applyUnsubscribe(id, a, chainId, bytes4(uint32(s)));
        }
    }

    function _applySubscribe(bytes32 id, address target, address subscriber, uint256 chainId, bytes4 selector) private {
        bytes32 key = _key(target, chainId, selector);
        if (_position[id][key] != 0) return;
        _subscriptions[id].push(Subscription(target, uint64(chainId), selector, subscriber));
        _position[id][key] = _subscriptions[id].length;
        Channel storage c = _channels[id];
        c.subscriberCount += 1;
        c.digest ^= keccak256(abi.encode(target, chainId, selector, subscriber));
        emit Subscribed(id, target, chainId, selector, subscriber);
    }

    function _applyUnsubscribe(bytes32 id, address target, uint256 chainId, bytes4 selector) private {
        bytes32 key = _key(target, chainId, selector);
        uint256 position = _position[id][key];
        if (position == 0) return;
        Subscription[] storage all = _subscriptions[id];
        Subscription memory gone = all[position - 1];
        Subscription memory last = all[all.length - 1];
        all[position - 1] = last;
        _position[id][_key(last.target, last.chainId, last.selector)] = position;
        all.pop();
        delete _position[id][key];
        Channel storage c = _channels[id];
        c.subscriberCount -= 1;
        c.digest ^= keccak256(abi.encode(gone.target, uint256(gone.chainId), gone.selector, gone.subscriber));
        emit Unsubscribed(id, target, chainId, selector);
    }
}
