// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7786GatewaySource, IERC7786Recipient} from "@openzeppelin/contracts/interfaces/draft-IERC7786.sol";
import {InteroperableAddress} from "@openzeppelin/contracts/utils/draft-InteroperableAddress.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IClusterMessenger} from "../cluster/IClusterMessenger.sol";
import {ICrossChainCall} from "../cluster/ICrossChainCall.sol";
import {IERC7802} from "../cluster/IERC7802.sol";
import {ClusterPredeploys} from "../cluster/ClusterPredeploys.sol";
import {IThalamus} from "./IThalamus.sol";
import {ThalamusExecutor} from "./ThalamusExecutor.sol";

/// @notice What the gateway asks the cluster address book (ThalamusAddressBook).
interface IAddressBook {
    function resolve(string calldata name) external view returns (uint256 chainId, address target);
}

/// @title Thalamus: the cluster's ERC-7786 gateway and remote transaction calls (RTCs).
/// @notice Predeployed (runtime code only: no constructor, no immutables) at
/// 0x4200000000000000000000000000000000000030 on every member chain. sendMessage carries an ERC-7786
/// message as a ClusterMessenger message to the gateway at the same address on the destination chain,
/// whose deliverMessage calls the recipient's receiveMessage. sendRtc runs an RTC: atomically over
/// synchronous cross-chain calls, or asynchronously over cluster messages with an ACK/NACK coming
/// back. The gateway trusts only itself on other chains: a call that claims to come from a peer
/// gateway must come from the messenger (a delivery or a crossCall) with this address as its sender.
contract Thalamus is IERC7786GatewaySource, IThalamus {
    using SafeERC20 for IERC20;
    using Strings for uint256;
    using Strings for address;

    /// @notice The node's native membership oracle (the rtc module's): isMember(uint256) as one word in, one bool word out.
    address internal constant CHAINS = 0x4200000000000000000000000000000000000031;
    /// @notice The account RTC calls come from (ThalamusExecutor): the gateway never calls a target itself.
    address internal constant EXECUTOR = 0x4200000000000000000000000000000000000032;
    /// @notice The cluster address book (ThalamusAddressBook) calls by name are resolved in.
    address internal constant BOOK = 0x4200000000000000000000000000000000000033;
    IClusterMessenger private constant MESSENGER = IClusterMessenger(ClusterPredeploys.MESSENGER);
    ICrossChainCall private constant CROSS = ICrossChainCall(ClusterPredeploys.CROSS_CHAIN_CALL);
    uint256 private constant NO_CALL = type(uint256).max;
    bytes32 private constant CLUSTER = "cluster";
    bytes32 private constant CHEAPEST = "cheapest";
    bytes32 private constant FASTEST = "fastest";

    /// @notice Raised inside an RTC's run (and caught by the gateway): call index failed with reason.
    error RtcCallFailed(uint256 index, bytes reason);

    /// @notice An ERC-7786 message reached its recipient on this chain.
    event MessageDelivered(bytes32 indexed receiveId, address indexed recipient, uint256 indexed sourceChainId);

    /// @dev What an async RTC reserved on the origin (returned to the sender on NACK or EXPIRED).
    struct Reserve {
        Adapter adapter;
        address asset;
        uint256 amount;
        bool minted; // an ERC-7802 token burnt here and minted on the destination
    }

    /// @dev A deployment outside the cluster (constructor run): the executor it created. Zero in the predeploy's
    /// runtime code (a predeploy runs no constructor), which uses EXECUTOR.
    address private immutable _ownExecutor;

    uint256 private _nonce;
    mapping(bytes32 id => Record) private _rtcs;
    mapping(bytes32 id => Reserve[]) private _reserves;
    /// @dev A deployment outside the cluster: the relayers it trusts (set by the constructor).
    mapping(address relayer => bool) private _relayers;
    /// @dev External RTCs delivered here (a second relayer's delivery of the same id is refused).
    mapping(bytes32 id => bool) private _delivered;
    address private transient _ctxSender;
    uint256 private transient _ctxSource;
    bool private transient _inCall;
    /// @dev sendRtcNamed's sender while it sends the resolved RTC through the gateway's own sendRtcFor.
    address private transient _namedSender;

    /// @notice A gateway outside the cluster (e.g. on an external chain): trusts `relayers` to deliver RTCs from the
    /// cluster and creates its own executor. The predeploy's runtime code runs no constructor.
    constructor(address[] memory relayers) {
        for (uint256 i = 0; i < relayers.length; ++i) _relayers[relayers[i]] = true;
        _ownExecutor = address(new ThalamusExecutor());
    }

    // ---------------------------------------------------------------- ERC-7786

    /// @notice No attribute is supported yet: a message with any attribute is refused with UnsupportedAttribute.
    function supportsAttribute(bytes4) public pure returns (bool) {
        return false;
    }

    /// @inheritdoc IERC7786GatewaySource
    function sendMessage(bytes calldata recipient, bytes calldata payload, bytes[] calldata attributes)
        external
        payable
        returns (bytes32 sendId)
    {
        for (uint256 i = 0; i < attributes.length; ++i) {
            bytes4 selector = bytes4(attributes[i]);
            if (!supportsAttribute(selector)) revert UnsupportedAttribute(selector);
        }
        require(msg.value == 0, "Thalamus: sendMessage carries no value (carry value with an RTC's native adapter)");
        (uint256 chainId, address target) = InteroperableAddress.parseEvmV1Calldata(recipient);
        require(chainId != block.chainid, "Thalamus: the recipient is on this chain");
        _requireMember(chainId);
        sendId = _newId();
        MESSENGER.sendMessage(chainId, address(this), abi.encodeCall(this.deliverMessage, (sendId, msg.sender, target, payload)));
        emit MessageSent(sendId, InteroperableAddress.formatEvmV1(block.chainid, msg.sender), recipient, payload, 0, attributes);
    }

    /// @notice Peer gateway only (a messenger delivery): hands an ERC-7786 message to its recipient.
    function deliverMessage(bytes32 sendId, address sender, address recipient, bytes calldata payload) external {
        _onlyPeer();
        uint256 source = MESSENGER.messageSourceChainId();
        bytes4 magic =
            IERC7786Recipient(recipient).receiveMessage(sendId, InteroperableAddress.formatEvmV1(source, sender), payload);
        require(magic == IERC7786Recipient.receiveMessage.selector, "Thalamus: the recipient did not accept the message");
        emit MessageDelivered(sendId, recipient, source);
    }

    // ---------------------------------------------------------------- RTCs

    /// @inheritdoc IThalamus
    function sendRtc(Rtc calldata rtc) external payable returns (bytes32 id) {
        return _send(rtc, bytes32(0));
    }

    /// @inheritdoc IThalamus
    function sendRtcVia(Rtc calldata rtc, bytes32 preference) external payable returns (bytes32 id) {
        return _send(rtc, preference);
    }

    /// @notice sendRtcVia with calls by name: names[i] (the cluster address book's, ThalamusAddressBook at 0x…33)
    /// gives call i its chain id and target; "" leaves the call as it is. A name not in the book reverts with the
    /// book's reason, nothing reserved.
    function sendRtcNamed(Rtc calldata rtc, string[] calldata names, bytes32 preference) external payable returns (bytes32 id) {
        require(names.length == rtc.calls.length, "Thalamus: one name per call ('' for none)");
        require(_namedSender == address(0) && !_inCall, "Thalamus: an RTC's call cannot send an RTC");
        Rtc memory resolved = rtc;
        for (uint256 i = 0; i < names.length; ++i) {
            if (bytes(names[i]).length == 0) continue;
            (uint256 chainId, address target) = IAddressBook(BOOK).resolve(names[i]);
            (resolved.calls[i].chainId, resolved.calls[i].target) = (chainId, target);
        }
        _namedSender = msg.sender;
        id = this.sendRtcFor{value: msg.value}(resolved, preference);
        _namedSender = address(0);
    }

    /// @notice Self only (sendRtcNamed): sends the resolved RTC for its sender.
    function sendRtcFor(Rtc calldata rtc, bytes32 preference) external payable returns (bytes32 id) {
        require(msg.sender == address(this) && _namedSender != address(0), "Thalamus: internal");
        return _send(rtc, preference);
    }

    /// @dev The RTC's sender: the caller, or sendRtcNamed's caller while it sends through sendRtcFor.
    function _sender() private view returns (address) {
        address named = _namedSender;
        return named == address(0) ? msg.sender : named;
    }

    /// @inheritdoc IThalamus
    function quoteRtc(uint256 chainId) public view returns (Quote[] memory quotes) {
        if (isMember(chainId)) {
            quotes = new Quote[](1);
            quotes[0] = Quote(CLUSTER, address(0), 0, 0);
            return quotes;
        }
        uint256 n;
        while (_providerAt(chainId, n).relayer != address(0)) ++n;
        require(n > 0, string.concat("Thalamus: chain ", chainId.toString(), " is not a member of this cluster"));
        quotes = new Quote[](n);
        for (uint256 i = 0; i < n; ++i) quotes[i] = _providerAt(chainId, i);
    }

    function _providerAt(uint256 chainId, uint256 index) private view returns (Quote memory quote) {
        (bool ok, bytes memory answer) = CHAINS.staticcall(abi.encode(chainId, index, uint256(0)));
        if (ok && answer.length == 128) {
            (quote.provider, quote.relayer, quote.fee, quote.latencyMs) = abi.decode(answer, (bytes32, address, uint256, uint64));
        }
    }

    /// @dev The relayers of an RTC to chainId in the sender's order (see sendRtcVia); for a member chain only the
    /// cluster's messaging, which "cheapest", "fastest" and "cluster" name.
    function _providers(uint256 chainId, bytes32 preference) private view returns (address[] memory order) {
        Quote[] memory quotes = quoteRtc(chainId);
        uint256 n = quotes.length;
        if (preference == CHEAPEST || preference == FASTEST) {
            for (uint256 i = 1; i < n; ++i) {
                for (uint256 j = i; j > 0; --j) {
                    Quote memory a = quotes[j - 1];
                    Quote memory b = quotes[j];
                    bool later = preference == CHEAPEST ? b.fee < a.fee : b.latencyMs < a.latencyMs;
                    if (!later) break;
                    (quotes[j - 1], quotes[j]) = (b, a);
                }
            }
        } else if (preference != bytes32(0)) {
            uint256 k;
            while (k < n && quotes[k].provider != preference) ++k;
            require(
                k < n,
                string.concat("Thalamus: chain ", chainId.toString(), " has no provider named ", _text(preference))
            );
            Quote memory named = quotes[k];
            for (; k > 0; --k) quotes[k] = quotes[k - 1];
            quotes[0] = named;
        }
        order = new address[](n);
        for (uint256 i = 0; i < n; ++i) order[i] = quotes[i].relayer;
    }

    function _emitOutbound(bytes32 id, uint256 destination, Rtc calldata rtc, bytes32 preference) private {
        address[] memory providers = _providers(destination, preference);
        emit RtcOutbound(id, destination, providers, abi.encodeCall(this.deliverExternal, (block.chainid, id, _sender(), rtc)));
    }

    /// @dev A bytes32 name as text (up to its first zero byte).
    function _text(bytes32 name) private pure returns (string memory text) {
        uint256 n;
        while (n < 32 && name[n] != 0) ++n;
        text = new string(n);
        assembly ("memory-safe") {
            mstore(add(text, 32), name)
        }
    }

    function _send(Rtc calldata rtc, bytes32 preference) private returns (bytes32 id) {
        require(!_inCall, "Thalamus: an RTC's call cannot send an RTC");
        _validate(rtc);
        // A member chain has one provider (the cluster's messaging); a name it does not have is refused here too.
        if (preference != bytes32(0) && isMember(rtc.calls[0].chainId)) _providers(rtc.calls[0].chainId, preference);
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
                _emitOutbound(id, destination, rtc, preference);
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

    /// @notice A trusted relayer only (a gateway outside the cluster, or the cluster's gateway for an RTC from an
    /// external chain): runs an RTC that came from chain `source` and emits its answer (RtcAnswered) for the relayers
    /// to carry back. Each id is delivered once: a second relayer's delivery is refused.
    function deliverExternal(uint256 source, bytes32 id, address sender, Rtc calldata rtc) external {
        require(_trusted(source, msg.sender), "Thalamus: only a trusted relayer");
        require(!_delivered[id], "Thalamus: the RTC was delivered already");
        _delivered[id] = true;
        bytes memory answer = _execute(id, sender, source, rtc, new bool[](rtc.calls.length));
        emit RtcAnswered(id, source, abi.encodePacked(this.settleExternal.selector, answer));
    }

    /// @notice Whether RTC id was delivered here by a relayer.
    function delivered(bytes32 id) external view returns (bool) {
        return _delivered[id];
    }

    /// @dev Runs an async RTC here (refused after its deadline) and returns the answer's arguments
    /// (id, ok, failedCall, reason, results, back), the same for settleRtc and settleExternal.
    function _execute(bytes32 id, address sender, uint256 source, Rtc calldata rtc, bool[] memory minted)
        private
        returns (bytes memory answer)
    {
        bool ok;
        if (rtc.deadline != 0 && block.timestamp > rtc.deadline) {
            bytes memory reason = _error(string.concat(
                "Thalamus: RTC expired at ", uint256(rtc.deadline).toString(), " (destination block time ", block.timestamp.toString(), ")"
            ));
            answer = abi.encode(id, false, NO_CALL, reason, new bytes[](0), new uint256[](0));
        } else {
            try this.runAsync(sender, source, rtc, minted) returns (bytes[] memory results, uint256[] memory back) {
                ok = true;
                answer = abi.encode(id, true, NO_CALL, "", results, back);
            } catch (bytes memory failure) {
                (uint256 index, bytes memory reason) = _decodeFailure(failure);
                answer = abi.encode(id, false, index, reason, new bytes[](0), new uint256[](0));
            }
        }
        emit RtcExecuted(id, source, ok);
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

    /// @notice A trusted relayer of the RTC's destination chain (outside the cluster) only: the answer it carried
    /// back (RtcAnswered there). A second relayer's copy of an answer already applied changes nothing.
    function settleExternal(bytes32 id, bool ok, uint256 failedCall, bytes calldata reason, bytes[] calldata results, uint256[] calldata back)
        external
    {
        Record storage record = _rtcs[id];
        require(
            record.destinationChainId != 0 && _trusted(record.destinationChainId, msg.sender),
            "Thalamus: only a trusted relayer of the RTC's destination chain"
        );
        if (record.status != Status.Pending) return;
        _settle(record, id, ok, failedCall, reason, results, back);
    }

    function _settle(
        Record storage record,
        bytes32 id,
        bool ok,
        uint256 failedCall,
        bytes calldata reason,
        bytes[] calldata results,
        uint256[] calldata back
    ) private {
        Reserve[] storage reserves = _reserves[id];
        if (ok) {
            record.status = Status.Ack;
            for (uint256 i = 0; i < back.length; ++i) {
                Reserve storage r = reserves[i];
                if (back[i] > 0) _give(record.sender, r.adapter, r.asset, _quantity(r.adapter, r.amount, back[i]), r.minted);
            }
            emit RtcAcked(id, results);
        } else {
            record.status = Status.Nack;
            _refund(id, record.sender);
            emit RtcNacked(id, failedCall, reason);
        }
        delete _reserves[id];
    }

    /// @inheritdoc IThalamus
    function expireRtc(bytes32 id) external {
        Record storage record = _rtcs[id];
        require(record.status == Status.Pending, "Thalamus: the RTC is not pending");
        require(record.deadline != 0, "Thalamus: the RTC has no deadline");
        uint256 expiresAt = uint256(record.sentAt) + 3 * (uint256(record.deadline) - record.sentAt);
        require(
            block.timestamp > expiresAt,
            string.concat("Thalamus: the RTC may expire after ", expiresAt.toString(), " (3 x its deadline's span)")
        );
        record.status = Status.Expired;
        _refund(id, record.sender);
        delete _reserves[id];
        emit RtcExpired(id);
    }

    /// @inheritdoc IThalamus
    function rtcOf(bytes32 id) external view returns (Record memory) {
        return _rtcs[id];
    }

    /// @inheritdoc IThalamus
    function rtcContext() external view returns (address sender, uint256 sourceChainId) {
        return (_ctxSender, _ctxSource);
    }

    /// @notice Whether chainId is a member of this cluster (this chain included).
    function isMember(uint256 chainId) public view returns (bool) {
        if (chainId == block.chainid) return true;
        (bool ok, bytes memory answer) = CHAINS.staticcall(abi.encode(chainId));
        return ok && answer.length == 32 && abi.decode(answer, (bool));
    }

    /// @notice Gas-free: the next id sendMessage or sendRtc will use.
    function nextId() external view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), _nonce));
    }

    receive() external payable {}

    // ---------------------------------------------------------------- internals

    function _newId() private returns (bytes32 id) {
        id = keccak256(abi.encode(block.chainid, address(this), _nonce));
        _nonce++;
    }

    function _onlyPeer() private view {
        require(
            msg.sender == address(MESSENGER) && MESSENGER.messageSender() == address(this),
            "Thalamus: only the Thalamus gateway of another member chain"
        );
    }

    function _requireMember(uint256 chainId) private view {
        require(isMember(chainId), string.concat("Thalamus: chain ", chainId.toString(), " is not a member of this cluster"));
    }

    /// @notice Whether an external chain (outside the cluster) has a relayer: the node's oracle, asked (chainId, 0).
    function reaches(uint256 chainId) public view returns (bool) {
        return _ask(chainId, address(0));
    }

    /// @dev A relayer this gateway trusts for chain chainId: one given to the constructor (a deployment outside the
    /// cluster), or one the node's oracle names for that external chain (the predeploy).
    function _trusted(uint256 chainId, address relayer) private view returns (bool) {
        return relayer != address(0) && (_relayers[relayer] || _ask(chainId, relayer));
    }

    function _ask(uint256 chainId, address relayer) private view returns (bool) {
        (bool ok, bytes memory answer) = CHAINS.staticcall(abi.encode(chainId, relayer));
        return ok && answer.length == 32 && abi.decode(answer, (bool));
    }

    function _executor() private view returns (address) {
        return _ownExecutor == address(0) ? EXECUTOR : _ownExecutor;
    }

    /// @dev Bad input reverts here, before anything is reserved.
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
        for (uint256 i = 0; i < n; ++i) {
            Call calldata c = rtc.calls[i];
            if (!isMember(c.chainId)) {
                string memory chain = c.chainId.toString();
                require(reaches(c.chainId), string.concat("Thalamus: chain ", chain, " is not a member of this cluster"));
                require(!rtc.atomic, string.concat("Thalamus: chain ", chain, " is outside the cluster: an RTC to it is async"));
                require(rtc.deadline != 0, string.concat("Thalamus: an RTC to chain ", chain, " (outside the cluster) needs a deadline"));
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
            msg.value == nativeTotal,
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

    /// @dev Pays a call's asset out of the gateway (minting an ERC-7802 token that was burnt on the other side).
    function _give(address to, Adapter adapter, address asset, uint256 amount, bool minted) private {
        if (adapter == Adapter.Native) _sendValue(to, amount);
        else if (adapter == Adapter.ERC20) {
            if (minted) IERC7802(asset).crosschainMint(to, amount);
            else IERC20(asset).safeTransfer(to, amount);
        } else if (adapter == Adapter.ERC721) {
            IERC721(asset).transferFrom(address(this), to, amount);
        }
    }

    function _refund(bytes32 id, address to) private {
        Reserve[] storage reserves = _reserves[id];
        for (uint256 i = 0; i < reserves.length; ++i) {
            Reserve storage r = reserves[i];
            if (r.adapter != Adapter.None && (r.amount > 0 || r.adapter == Adapter.ERC721)) {
                _give(to, r.adapter, r.asset, r.amount, r.minted);
            }
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

    /// @dev What to pay out of a leftover: the token id itself for an ERC-721 (its leftover is 1), else the amount.
    function _quantity(Adapter adapter, uint256 amountOrId, uint256 leftover) private pure returns (uint256) {
        return adapter == Adapter.ERC721 ? amountOrId : leftover;
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

    function _sendValue(address to, uint256 amount) private {
        (bool ok, bytes memory ret) = to.call{value: amount}("");
        if (!ok) _bubble(ret);
    }

    function _decodeFailure(bytes memory failure) private pure returns (uint256 index, bytes memory reason) {
        if (failure.length >= 68 && bytes4(failure) == RtcCallFailed.selector) {
            assembly ("memory-safe") {
                let length := mload(failure)
                failure := add(failure, 4)
                mstore(failure, sub(length, 4))
            }
            return abi.decode(failure, (uint256, bytes));
        }
        return (NO_CALL, failure);
    }

    function _error(string memory message) private pure returns (bytes memory) {
        return abi.encodeWithSignature("Error(string)", message);
    }

    function _bubble(bytes memory ret) private pure {
        assembly ("memory-safe") {
            revert(add(ret, 32), mload(ret))
        }
    }
}
