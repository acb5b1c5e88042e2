// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IDdpnManagement: the management unit of a Thalamus member chain (docs/ddpn.md, "Management units").
/// @notice Native (Thalamus.Ddpn.ManagementUnit) at 0x4200000000000000000000000000000000000051 on every member
/// chain, the same state everywhere: order book, Pythia validators, payouts, chain profiles. Calls only queue an
/// operation (applied by the node in one global order on every chain); postOffer and stake go through the escrow
/// (DdpnEscrow, 0x…52), which collects the payment token. Refusals revert with Error("DDPN: ...").
interface IDdpnManagement {
    event OperationQueued(uint256 indexed seq, uint256 kind, address sender);
    event OperationRejected(bytes32 indexed id, uint256 kind, string reason);
    event OfferPosted(bytes32 indexed offer, address client, uint256 maxCost);
    event StrategyAccepted(bytes32 indexed offer, address strategist, uint256 blocks, uint256 cost, bool best);
    event PythiaStaked(bytes32 indexed id, address pythia, uint256 amount, uint256 total);
    event PythiasDrawn(bytes32 indexed offer, address[] drawn);
    event Voted(bytes32 indexed offer, address pythia, bool valid);
    /// @param verdict 1 valid, 2 invalid, 0 no 51% majority
    event VerdictReached(bytes32 indexed offer, uint256 verdict, uint256 yes, uint256 no);
    event PayoutQueued(bytes32 indexed id, uint256 index, uint256 chainId, address payee, uint256 amount);
    event OfferClosed(bytes32 indexed offer, address paidStrategist, uint256 paid, uint256 refunded);
    /// @notice A chain's part of an offer's payment: the chain that ran segments, its payee, the DLX gas placed on it, the amount.
    event ChainPaid(bytes32 indexed offer, uint256 chainId, address payee, uint256 dlxGas, uint256 amount);
    /// @notice The vote timeout of an offer under verification: the drawn Pythias that did not vote, and how many did.
    event VoteTimedOut(bytes32 indexed offer, address[] silent, uint256 voted);

    function proposeStrategy(bytes32 offer, uint256[] calldata chainOfSegment) external returns (uint256 seq);
    function closeOffer(bytes32 offer) external returns (uint256 seq);
    function vote(bytes32 offer, bool valid) external returns (uint256 seq);

    /// @notice A Pythia's stake in payment-token units (0 if not registered).
    function stakeOf(address pythia) external view returns (uint256);
    /// @notice A Pythia's reliability in millionths (500000 = 0.5 at registration; +/- 50000 per verdict).
    function reliabilityOf(address pythia) external view returns (uint256);
    function pythiaCount() external view returns (uint256);
    function drawnOf(bytes32 offer) external view returns (address[] memory);
    function getOffer(bytes32 offer)
        external
        view
        returns (
            uint256 status,
            address client,
            uint256 maxCost,
            uint256 alphaPpm,
            address bestStrategist,
            uint256 bestBlocks,
            uint256 bestCost,
            uint256 validStrategies,
            uint256 paymentChainId,
            uint256 votes
        );
    /// @return paid what was paid out to the address in total; held what its open offers hold now
    function balanceOf(address account) external view returns (uint256 paid, uint256 held);
    function payoutLength() external view returns (uint256);
    function getPayout(uint256 index) external view returns (uint256 chainId, address payee, uint256 amount);
    /// @notice The chain each segment of the offer's best strategy runs on (empty before a valid strategy).
    function placementOf(bytes32 offer) external view returns (uint256[] memory);
    /// @notice What a chain has earned in total from offers' payments (its payee's payouts, in payment-token units).
    function earningsOf(uint256 chainId) external view returns (uint256);
    function getProfile(uint256 chainId) external view returns (uint256 dlxGasPerBlock, uint256 price, uint256 memoryLimit, uint256 updates);
    function digest() external view returns (uint256 applied, bytes32 hashChain);
}
