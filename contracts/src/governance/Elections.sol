// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IElectorate {
    struct Pythia {
        bool registered;
        uint32 uptimeSeconds;
        uint16 reliabilityBps;
        uint64 registeredAt;
    }

    function balanceOf(address account) external view returns (uint256);
    function totalSupply() external view returns (uint256);
    function pythia(address operator) external view returns (Pythia memory);
}

interface IProfileSink {
    function setProfileScore(uint64 chainId, bytes32 key, uint256 value) external;
}

/// @title Elections: election cycles on a chain's profile score (seed 001). Strategists trigger one by
/// supporting it with 10% of the staked Athena within 12 hours; then a 3-day vote in which each
/// strategist proposes a value, weighted 45% stake, 15% 7-day uptime, 30% reliability, 10% randomness;
/// the weighted mean becomes the chain's score in ClusterDecisions.
contract Elections {
    uint256 public constant TRIGGER_PERCENT = 10;
    uint256 public constant TRIGGER_WINDOW = 12 hours;
    uint256 public constant VOTING = 3 days;
    uint256 public constant STAKE_WEIGHT = 45;
    uint256 public constant UPTIME_WEIGHT = 15;
    uint256 public constant RELIABILITY_WEIGHT = 30;
    uint256 public constant RANDOM_WEIGHT = 10;

    struct Election {
        uint64 chainId;
        bytes32 key;
        uint64 triggerStart;
        uint64 voteEnd;
        bool finalized;
        uint256 support;
        uint256 weightSum;
        uint256 weightedValues;
        uint256 result;
    }

    IElectorate public immutable staking;
    IProfileSink public immutable decisions;

    uint256 public count;
    mapping(uint256 id => Election) private _elections;
    mapping(uint256 id => mapping(address => bool)) public supported;
    mapping(uint256 id => mapping(address => bool)) public voted;
    mapping(uint64 chainId => mapping(bytes32 key => uint256 id)) public triggering;

    event ElectionSupported(uint256 indexed id, uint64 indexed chainId, bytes32 key, address strategist, uint256 support);
    event ElectionOpened(uint256 indexed id, uint64 indexed chainId, bytes32 key, uint64 voteEnd);
    event ElectionVote(uint256 indexed id, address indexed strategist, uint256 value, uint256 weight);
    event ElectionFinalized(uint256 indexed id, uint64 indexed chainId, bytes32 key, uint256 value);

    error ElectionNotStrategist(address account);
    error ElectionAlreadySupported(uint256 id, address account);
    error ElectionAlreadyVoted(uint256 id, address account);
    error ElectionNotOpen(uint256 id);
    error ElectionStillOpen(uint256 id, uint64 voteEnd);
    error ElectionAlreadyFinalized(uint256 id);

    constructor(IElectorate staking_, IProfileSink decisions_) {
        staking = staking_;
        decisions = decisions_;
    }

    function election(uint256 id) external view returns (Election memory) {
        return _elections[id];
    }

    /// @notice Supports an election on `chainId`'s score `key`; it opens once supporters hold 10% of the stake within 12 h.
    function trigger(uint64 chainId, bytes32 key) external returns (uint256 id) {
        uint256 stake = staking.balanceOf(msg.sender);
        if (stake == 0) revert ElectionNotStrategist(msg.sender);
        id = triggering[chainId][key];
        Election storage e = _elections[id];
        if (id == 0 || e.voteEnd != 0 || block.timestamp > e.triggerStart + TRIGGER_WINDOW) {
            id = ++count;
            e = _elections[id];
            e.chainId = chainId;
            e.key = key;
            e.triggerStart = uint64(block.timestamp);
            triggering[chainId][key] = id;
        }
        if (supported[id][msg.sender]) revert ElectionAlreadySupported(id, msg.sender);
        supported[id][msg.sender] = true;
        e.support += stake;
        emit ElectionSupported(id, chainId, key, msg.sender, e.support);
        if (e.support * 100 >= staking.totalSupply() * TRIGGER_PERCENT) {
            e.voteEnd = uint64(block.timestamp + VOTING);
            emit ElectionOpened(id, chainId, key, e.voteEnd);
        }
    }

    /// @notice The weight of `account`'s vote in election `id` (scaled by 1e18 per component).
    function weightOf(uint256 id, address account) public view returns (uint256) {
        uint256 total = staking.totalSupply();
        IElectorate.Pythia memory p = staking.pythia(account);
        uint256 stakeShare = total == 0 ? 0 : staking.balanceOf(account) * 1e18 / total;
        uint256 uptimeShare = uint256(p.uptimeSeconds) * 1e18 / 7 days;
        uint256 reliabilityShare = uint256(p.reliabilityBps) * 1e18 / 10_000;
        uint256 randomShare = uint256(keccak256(abi.encode(block.prevrandao, id, account))) % 1e18;
        return STAKE_WEIGHT * stakeShare + UPTIME_WEIGHT * uptimeShare + RELIABILITY_WEIGHT * reliabilityShare
            + RANDOM_WEIGHT * randomShare;
    }

    function vote(uint256 id, uint256 value) external {
        Election storage e = _elections[id];
        if (e.voteEnd == 0 || block.timestamp > e.voteEnd) revert ElectionNotOpen(id);
        if (staking.balanceOf(msg.sender) == 0) revert ElectionNotStrategist(msg.sender);
        if (voted[id][msg.sender]) revert ElectionAlreadyVoted(id, msg.sender);
        voted[id][msg.sender] = true;
        uint256 weight = weightOf(id, msg.sender);
        e.weightSum += weight;
        e.weightedValues += weight * value;
        emit ElectionVote(id, msg.sender, value, weight);
    }

    /// @notice After the vote, the weighted mean becomes the chain's profile score (no votes: unchanged).
    function finalize(uint256 id) external {
        Election storage e = _elections[id];
        if (e.voteEnd == 0) revert ElectionNotOpen(id);
        if (block.timestamp <= e.voteEnd) revert ElectionStillOpen(id, e.voteEnd);
        if (e.finalized) revert ElectionAlreadyFinalized(id);
        e.finalized = true;
        if (e.weightSum == 0) return;
        e.result = e.weightedValues / e.weightSum;
        decisions.setProfileScore(e.chainId, e.key, e.result);
        emit ElectionFinalized(id, e.chainId, e.key, e.result);
    }
}
