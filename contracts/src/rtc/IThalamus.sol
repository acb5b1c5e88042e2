// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IThalamus: remote transaction calls (RTCs) on the Thalamus ERC-7786 gateway.
/// @notice An RTC is an ordered list of calls, each on a member chain, with the assets it carries. An
/// atomic RTC runs every call in the sending transaction over synchronous cross-chain calls: all of
/// them commit, on every chain, or none does. An asynchronous RTC travels as a cluster message to its
/// one destination chain and its ACK or NACK comes back the same way. See docs/rtc.md.
interface IThalamusTypes {
    /// @notice What a call carries: nothing, native value (amount in wei), an ERC-20 amount or an ERC-721 token id.
    enum Adapter {
        None,
        Native,
        ERC20,
        ERC721
    }

    /// @notice PENDING until an async RTC's answer comes back; an atomic RTC is ACK or NACK in its own transaction.
    enum Status {
        None,
        Pending,
        Ack,
        Nack,
        Expired
    }

    /// @notice One call of an RTC.
    struct Call {
        uint256 chainId; // the member chain the call runs on
        address target; // the contract called (msg.sender there is the Thalamus gateway)
        bytes data; // its call data (pipes may overwrite words of it)
        Adapter adapter;
        address asset; // the ERC-20 or ERC-721 contract (same address on every chain); zero for None and Native
        uint256 amount; // wei, token amount or ERC-721 token id
        uint256 approvalAmount; // ERC-20 allowance given to the beneficiary for the call (revoked after it)
        address beneficiary; // who is approved (zero: the target)
        uint64 gasLimit; // gas for the target call; zero: all that is left
        bool bridgeBack; // what the call leaves of the carried asset goes back to the sender on the origin chain
    }

    /// @notice Composability: word `word` (32 bytes at word * 32) of call `fromCall`'s return data is written at
    /// byte `offset` of call `toCall`'s data before it runs (fromCall < toCall).
    struct Pipe {
        uint16 fromCall;
        uint16 word;
        uint16 toCall;
        uint32 offset;
    }

    /// @notice An RTC as its sender builds it. deadline: unix seconds after which the destination refuses
    /// it (async only; 0 = none); the origin may mark it EXPIRED after 3 x (deadline - sent time) without an answer.
    struct Rtc {
        Call[] calls;
        Pipe[] pipes;
        bool atomic;
        uint64 deadline;
    }

    /// @notice A provider's offer for an RTC to a chain: its name, the relayer address it signs with (zero for the
    /// cluster's own messaging), its fee in wei and its expected latency from sent to answered, in milliseconds.
    struct Quote {
        bytes32 provider;
        address relayer;
        uint256 fee;
        uint64 latencyMs;
    }

    /// @notice What the origin chain keeps of an RTC.
    struct Record {
        address sender;
        Status status;
        uint64 sentAt;
        uint64 deadline;
        uint64 destinationChainId; // an async RTC's destination; 0 for an atomic one
        uint32 callCount;
    }

    /// @notice An RTC was sent (status PENDING for an async one; an atomic one is settled in the same transaction).
    event RtcSent(bytes32 indexed id, address indexed sender, uint256 indexed destinationChainId, bool atomic, uint64 deadline, uint256[] chainIds);
    /// @notice ACK: every call succeeded; results[i] is call i's return data.
    event RtcAcked(bytes32 indexed id, bytes[] results);
    /// @notice NACK: call failedCall failed with reason (its revert data, or the gateway's); nothing of the RTC stayed and its assets are back with the sender.
    event RtcNacked(bytes32 indexed id, uint256 failedCall, bytes reason);
    /// @notice EXPIRED: no answer within 3 x the deadline's span; the assets are back with the sender.
    event RtcExpired(bytes32 indexed id);
    /// @notice On the destination chain: an async RTC ran (ok) or was refused/failed, and its answer was sent.
    event RtcExecuted(bytes32 indexed id, uint256 indexed sourceChainId, bool ok);
    /// @notice On the origin: an async RTC to a chain outside the cluster, for its relayers. delivery is the call data
    /// (deliverExternal) a trusted relayer sends to the gateway on destinationChainId.
    /// providers: the relayers in the order the sender preferred (the first carries it; the next take over in turn).
    event RtcOutbound(bytes32 indexed id, uint256 indexed destinationChainId, address[] providers, bytes delivery);
    /// @notice On a destination outside the cluster: the answer to RTC id, for its relayers. answer is the call data
    /// (settleExternal) a trusted relayer sends to the gateway on sourceChainId.
    event RtcAnswered(bytes32 indexed id, uint256 indexed sourceChainId, bytes answer);
    /// @notice On the origin of an RTC to a chain outside the cluster: its answer settled and the provider's fee the
    /// sender paid went to the relayer that delivered it.
    event RtcFeePaid(bytes32 indexed id, address indexed relayer, uint256 fee);
}

/// @notice The gateway's RTC functions (Thalamus at 0x…30; quoteRtc, expireRtc and the external-chain paths run in
/// its companion ThalamusExternal, which the gateway's fallback delegates to: callers see one contract).
interface IThalamus is IThalamusTypes {

    /// @notice Sends an RTC; msg.value must equal the sum of its native amounts. Reverts with the reason on bad input, reserving nothing.
    function sendRtc(Rtc calldata rtc) external payable returns (bytes32 id);

    /// @notice sendRtc with the sender's choice of provider for a chain outside the cluster: "cheapest" (lowest fee
    /// first), "fastest" (lowest latency first), a provider's name (it first, then the others), or zero (the node's
    /// order). The rest follow as fallbacks. Reverts on a provider the destination does not have.
    function sendRtcVia(Rtc calldata rtc, bytes32 preference) external payable returns (bytes32 id);

    /// @notice Every provider that carries an RTC to chainId, in the node's order (one, "cluster", for a member chain).
    function quoteRtc(uint256 chainId) external view returns (Quote[] memory quotes);

    /// @notice The record of RTC id on its origin chain (status None when unknown).
    function rtcOf(bytes32 id) external view returns (Record memory);

    /// @notice Anyone: marks a PENDING RTC whose deadline's span has passed three times EXPIRED and returns its assets.
    function expireRtc(bytes32 id) external;

    /// @notice During an RTC's call: its sender and origin chain (zero outside one).
    function rtcContext() external view returns (address sender, uint256 sourceChainId);
}
