// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC7786GatewaySource, IERC7786Recipient} from "@openzeppelin/contracts/interfaces/draft-IERC7786.sol";
import {InteroperableAddress} from "@openzeppelin/contracts/utils/draft-InteroperableAddress.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {ThalamusBase, IAddressBook, IThalamusSelf} from "./ThalamusBase.sol";

/// @title ThalamusExternal: the Thalamus gateway's cold paths, run as the gateway.
/// @notice Predeployed (runtime code only) at 0x4200000000000000000000000000000000000034 on every member chain;
/// a gateway deployed outside the cluster creates its own. The gateway's fallback delegatecalls it, so its
/// functions are the gateway's (same address, storage, msg.sender and msg.value): the ERC-7786 sendMessage and
/// deliverMessage, quoteRtc, sendRtcNamed, deliverExternal, delivered, settleExternal, expireRtc, and the RtcOutbound
/// of a send to an external chain. Called at its own address it has no RTCs, relayers or custody, and what it would
/// send comes from its own address, which nothing trusts (recipients and peers trust the gateway's).
contract ThalamusExternal is IERC7786GatewaySource, ThalamusBase {
    using Strings for uint256;

    /// @notice An ERC-7786 message reached its recipient on this chain.
    event MessageDelivered(bytes32 indexed receiveId, address indexed recipient, uint256 indexed sourceChainId);

    bytes32 private constant CLUSTER = "cluster";
    bytes32 private constant CHEAPEST = "cheapest";
    bytes32 private constant FASTEST = "fastest";
    bytes32 private constant RELAYERS = "relayers";

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

    function _requireMember(uint256 chainId) private view {
        require(isMember(chainId), string.concat("Thalamus: chain ", chainId.toString(), " is not a member of this cluster"));
    }

    /// @notice The gateway's own delegation only (its _send): emits RtcOutbound for an RTC to a chain outside the
    /// cluster, with the relayers in the sender's order; a provider the chain does not have is refused. msg.value
    /// must be the RTC's native amounts plus the fee of the provider first in that order, which the gateway holds
    /// until the answer settles (paid to the relayer that delivered it) or the RTC expires (refunded).
    /// Payable because it runs inside a payable send (a delegatecall keeps msg.value).
    function outbound(bytes32 id, uint256 destination, Rtc calldata rtc, bytes32 preference) external payable {
        require(_delegated, "Thalamus: internal");
        (address[] memory providers, Quote memory first) = _providers(destination, preference);
        uint256 nativeTotal;
        for (uint256 i = 0; i < rtc.calls.length; ++i) {
            if (rtc.calls[i].adapter == Adapter.Native) nativeTotal += rtc.calls[i].amount;
        }
        require(
            msg.value == nativeTotal + first.fee,
            string.concat(
                "Thalamus: msg.value ", msg.value.toString(), " differs from the RTC's native amounts ", nativeTotal.toString(),
                " plus the fee ", first.fee.toString(), " of provider ", _text(first.provider)
            )
        );
        if (first.fee > 0) _fees[id] = first.fee;
        emit RtcOutbound(id, destination, providers, abi.encodeCall(this.deliverExternal, (block.chainid, id, _sender(), rtc)));
    }

    /// @notice The relayers an RTC to chainId goes through with this preference (see sendRtcVia), in order;
    /// refuses a provider the chain does not have. A member chain has one, the cluster's messaging (relayer zero).
    /// Changes nothing; payable (not view) because the gateway's payable send delegates to it (msg.value kept).
    function providersOf(uint256 chainId, bytes32 preference) external payable returns (address[] memory order) {
        (order,) = _providers(chainId, preference);
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
        id = IThalamusSelf(address(this)).sendRtcFor{value: msg.value}(resolved, preference);
        _namedSender = address(0);
    }

    /// @notice IThalamus.quoteRtc. A deployment outside the cluster has one provider for every other chain, its
    /// relayers ("relayers", relayer zero: whichever of them carries it), without a fee.
    function quoteRtc(uint256 chainId) public view returns (Quote[] memory quotes) {
        if (isMember(chainId) || (_outsideCluster() && chainId != block.chainid)) {
            quotes = new Quote[](1);
            quotes[0] = Quote(isMember(chainId) ? CLUSTER : RELAYERS, address(0), 0, 0);
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

    /// @dev The relayers of an RTC to chainId in the sender's order (see sendRtcVia), and the quote of the first;
    /// for a member chain only the cluster's messaging, which "cheapest", "fastest" and "cluster" name.
    function _providers(uint256 chainId, bytes32 preference) private view returns (address[] memory order, Quote memory first) {
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
        first = quotes[0];
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

    /// @notice A trusted relayer only (a gateway outside the cluster, or the cluster's gateway for an RTC from an
    /// external chain): runs an RTC that came from chain `source` and emits its answer (RtcAnswered: settleExternal
    /// with this relayer as deliveredBy) for the relayers to carry back. Each id is delivered once: a second
    /// relayer's delivery is refused.
    function deliverExternal(uint256 source, bytes32 id, address sender, Rtc calldata rtc) external {
        require(_trusted(source, msg.sender), "Thalamus: only a trusted relayer");
        require(!_delivered[id], "Thalamus: the RTC was delivered already");
        _delivered[id] = true;
        bytes memory answer = _execute(id, sender, source, rtc, new bool[](rtc.calls.length));
        emit RtcAnswered(id, source, _answerBy(answer, msg.sender));
    }

    /// @dev The settleExternal call data of an answer (id, ok, failedCall, reason, results, back) delivered by `by`.
    function _answerBy(bytes memory answer, address by) private view returns (bytes memory) {
        (bytes32 id, bool ok, uint256 failedCall, bytes memory reason, bytes[] memory results, uint256[] memory back) =
            abi.decode(answer, (bytes32, bool, uint256, bytes, bytes[], uint256[]));
        return abi.encodeCall(this.settleExternal, (id, ok, failedCall, reason, results, back, by));
    }

    /// @notice Whether RTC id was delivered here by a relayer.
    function delivered(bytes32 id) external view returns (bool) {
        return _delivered[id];
    }

    /// @notice A trusted relayer of the RTC's destination chain (outside the cluster) only: the answer it carried
    /// back (RtcAnswered there). A second relayer's copy of an answer already applied changes nothing. The fee the
    /// sender paid goes to `deliveredBy`, the relayer the destination saw deliver the RTC (the carrier of the answer
    /// when that is not one of the chain's relayers).
    function settleExternal(
        bytes32 id,
        bool ok,
        uint256 failedCall,
        bytes calldata reason,
        bytes[] calldata results,
        uint256[] calldata back,
        address deliveredBy
    ) external {
        Record storage record = _rtcs[id];
        uint256 destination = record.destinationChainId;
        require(destination != 0 && _trusted(destination, msg.sender), "Thalamus: only a trusted relayer of the RTC's destination chain");
        if (record.status != Status.Pending) return;
        _settle(record, id, ok, failedCall, reason, results, back);
        uint256 fee = _fees[id];
        if (fee > 0) {
            delete _fees[id];
            address relayer = _trusted(destination, deliveredBy) ? deliveredBy : msg.sender;
            _sendValue(relayer, fee);
            emit RtcFeePaid(id, relayer, fee);
        }
    }

    /// @notice IThalamus.expireRtc.
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
        uint256 fee = _fees[id];
        if (fee > 0) {
            delete _fees[id];
            _sendValue(record.sender, fee);
        }
        emit RtcExpired(id);
    }

    /// @dev A relayer this gateway trusts for chain chainId: one given to the constructor (a deployment outside the
    /// cluster), or one the node's oracle names for that external chain (the predeploy).
    function _trusted(uint256 chainId, address relayer) private view returns (bool) {
        return relayer != address(0) && (_relayers[relayer] || _ask(chainId, relayer));
    }
}
