// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IClusterMessenger} from "../cluster/IClusterMessenger.sol";
import {ICrossChainCall} from "../cluster/ICrossChainCall.sol";
import {IERC7802} from "../cluster/IERC7802.sol";
import {ClusterPredeploys} from "../cluster/ClusterPredeploys.sol";
import {IThalamusTypes} from "./IThalamus.sol";

/// @notice What the gateway asks the cluster address book (ThalamusAddressBook).
interface IAddressBook {
    function resolve(string calldata name) external view returns (uint256 chainId, address target);
}

/// @notice The gateway's self-only entry points its companion calls back through (as the gateway: a delegatecall).
interface IThalamusSelf {
    function runAsync(address sender, uint256 source, IThalamusTypes.Rtc calldata rtc, bool[] calldata minted)
        external
        returns (bytes[] memory results, uint256[] memory back);
    function sendRtcFor(IThalamusTypes.Rtc calldata rtc, bytes32 preference) external payable returns (bytes32 id);
}

/// @title ThalamusBase: the storage and the shared internals of the Thalamus gateway and its companion.
/// @notice The gateway (Thalamus, 0x…30) runs the hot paths; its companion (ThalamusExternal, 0x…34) runs the
/// cold ones (quotes and preferences, calls by name, the external-chain delivery and answer, expiry) as the
/// gateway: the gateway's fallback delegatecalls it, so both see this one storage layout. Neither declares
/// state of its own (EIP-170: the gateway alone would be over 24,576 bytes).
abstract contract ThalamusBase is IThalamusTypes {
    using SafeERC20 for IERC20;
    using Strings for uint256;

    /// @notice The node's native membership oracle (the rtc module's): isMember(uint256) as one word in, one bool word out.
    address internal constant CHAINS = 0x4200000000000000000000000000000000000031;
    /// @notice The account RTC calls come from (ThalamusExecutor): the gateway never calls a target itself.
    address internal constant EXECUTOR = 0x4200000000000000000000000000000000000032;
    /// @notice The cluster address book (ThalamusAddressBook) calls by name are resolved in.
    address internal constant BOOK = 0x4200000000000000000000000000000000000033;
    /// @notice The gateway's own predeploy address on member chains (a deployment elsewhere is outside the cluster).
    address internal constant GATEWAY = 0x4200000000000000000000000000000000000030;
    /// @notice The gateway's companion (ThalamusExternal) on member chains.
    address internal constant EXTENSION = 0x4200000000000000000000000000000000000034;
    IClusterMessenger internal constant MESSENGER = IClusterMessenger(ClusterPredeploys.MESSENGER);
    ICrossChainCall internal constant CROSS = ICrossChainCall(ClusterPredeploys.CROSS_CHAIN_CALL);
    uint256 internal constant NO_CALL = type(uint256).max;

    /// @notice Raised inside an RTC's run (and caught by the gateway): call index failed with reason.
    error RtcCallFailed(uint256 index, bytes reason);

    /// @dev What an async RTC reserved on the origin (returned to the sender on NACK or EXPIRED).
    struct Reserve {
        Adapter adapter;
        address asset;
        uint256 amount;
        bool minted; // an ERC-7802 token burnt here and minted on the destination
    }

    uint256 internal _nonce;
    mapping(bytes32 id => Record) internal _rtcs;
    mapping(bytes32 id => Reserve[]) internal _reserves;
    /// @dev A deployment outside the cluster: the relayers it trusts (set by the constructor).
    mapping(address relayer => bool) internal _relayers;
    /// @dev External RTCs delivered here (a second relayer's delivery of the same id is refused).
    mapping(bytes32 id => bool) internal _delivered;
    /// @dev An RTC to an external chain: the provider's fee the sender paid, held until the answer settles
    /// (paid to the relayer that delivered it) or the RTC expires (refunded to the sender).
    mapping(bytes32 id => uint256) internal _fees;
    address internal transient _ctxSender;
    uint256 internal transient _ctxSource;
    bool internal transient _inCall;
    /// @dev sendRtcNamed's sender while it sends the resolved RTC through the gateway's own sendRtcFor.
    address internal transient _namedSender;
    /// @dev Set while the gateway itself delegates to its companion (its internal entry points accept only that).
    bool internal transient _delegated;

    /// @dev The RTC's sender: the caller, or sendRtcNamed's caller while it sends through sendRtcFor.
    function _sender() internal view returns (address) {
        address named = _namedSender;
        return named == address(0) ? msg.sender : named;
    }

    /// @notice Whether chainId is a member of this cluster (this chain included).
    function isMember(uint256 chainId) public view returns (bool) {
        if (chainId == block.chainid) return true;
        (bool ok, bytes memory answer) = CHAINS.staticcall(abi.encode(chainId));
        return ok && answer.length == 32 && abi.decode(answer, (bool));
    }

    /// @notice Whether this gateway is a deployment outside the cluster (an external chain's, with its own relayers):
    /// it reaches every other chain through its relayers, which carry what the node's cluster has.
    function _outsideCluster() internal view returns (bool) {
        return address(this) != GATEWAY;
    }

    function _ask(uint256 chainId, address relayer) internal view returns (bool) {
        (bool ok, bytes memory answer) = CHAINS.staticcall(abi.encode(chainId, relayer));
        return ok && answer.length == 32 && abi.decode(answer, (bool));
    }

    /// @dev Runs an async RTC here (refused after its deadline) and returns the answer's arguments
    /// (id, ok, failedCall, reason, results, back), the same for settleRtc and settleExternal.
    function _execute(bytes32 id, address sender, uint256 source, Rtc calldata rtc, bool[] memory minted)
        internal
        returns (bytes memory answer)
    {
        bool ok;
        if (rtc.deadline != 0 && block.timestamp > rtc.deadline) {
            bytes memory reason = _error(string.concat(
                "Thalamus: RTC expired at ", uint256(rtc.deadline).toString(), " (destination block time ", block.timestamp.toString(), ")"
            ));
            answer = abi.encode(id, false, NO_CALL, reason, new bytes[](0), new uint256[](0));
        } else {
            try IThalamusSelf(address(this)).runAsync(sender, source, rtc, minted) returns (bytes[] memory results, uint256[] memory back) {
                ok = true;
                answer = abi.encode(id, true, NO_CALL, "", results, back);
            } catch (bytes memory failure) {
                (uint256 index, bytes memory reason) = _decodeFailure(failure);
                answer = abi.encode(id, false, index, reason, new bytes[](0), new uint256[](0));
            }
        }
        emit RtcExecuted(id, source, ok);
    }

    function _settle(
        Record storage record,
        bytes32 id,
        bool ok,
        uint256 failedCall,
        bytes calldata reason,
        bytes[] calldata results,
        uint256[] calldata back
    ) internal {
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

    function _refund(bytes32 id, address to) internal {
        Reserve[] storage reserves = _reserves[id];
        for (uint256 i = 0; i < reserves.length; ++i) {
            Reserve storage r = reserves[i];
            if (r.adapter != Adapter.None && (r.amount > 0 || r.adapter == Adapter.ERC721)) {
                _give(to, r.adapter, r.asset, r.amount, r.minted);
            }
        }
    }

    /// @dev Pays a call's asset out of the gateway (minting an ERC-7802 token that was burnt on the other side).
    function _give(address to, Adapter adapter, address asset, uint256 amount, bool minted) internal {
        if (adapter == Adapter.Native) _sendValue(to, amount);
        else if (adapter == Adapter.ERC20) {
            if (minted) IERC7802(asset).crosschainMint(to, amount);
            else IERC20(asset).safeTransfer(to, amount);
        } else if (adapter == Adapter.ERC721) {
            IERC721(asset).transferFrom(address(this), to, amount);
        }
    }

    /// @dev What to pay out of a leftover: the token id itself for an ERC-721 (its leftover is 1), else the amount.
    function _quantity(Adapter adapter, uint256 amountOrId, uint256 leftover) internal pure returns (uint256) {
        return adapter == Adapter.ERC721 ? amountOrId : leftover;
    }

    function _sendValue(address to, uint256 amount) internal {
        (bool ok, bytes memory ret) = to.call{value: amount}("");
        if (!ok) _bubble(ret);
    }

    function _decodeFailure(bytes memory failure) internal pure returns (uint256 index, bytes memory reason) {
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

    function _error(string memory message) internal pure returns (bytes memory) {
        return abi.encodeWithSignature("Error(string)", message);
    }

    function _bubble(bytes memory ret) internal pure {
        assembly ("memory-safe") {
            revert(add(ret, 32), mload(ret))
        }
    }

    function _newId() internal returns (bytes32 id) {
        id = keccak256(abi.encode(block.chainid, address(this), _nonce));
        _nonce++;
    }

    function _onlyPeer() internal view {
        require(
            msg.sender == address(MESSENGER) && MESSENGER.messageSender() == address(this),
            "Thalamus: only the Thalamus gateway of another member chain"
        );
    }
}
