// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

interface IStrategists {
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256);
    function strategistsAt(uint256 timepoint) external view returns (uint256);
}

/// @title AgoraGovernor: the Agora DAO of Athena stakers (seed 001). OpenZeppelin's Governor over
/// staked Athena with a timelock; ChainsAtlas adds: a proposal needs 10% of the staked Athena, and it
/// passes by majority with a quorum of 20% of the staked Athena AND 20% of the strategists. The Agora
/// sits in sessions: session n (1, 2, ...) runs from `sessionsStart + (n-1) x sessionLength` for
/// `sessionLength` (28 days); proposals are admitted only in its first `proposalWindow` seconds, and a
/// proposal's vote must end inside the session it was made in.
contract AgoraGovernor is Governor, GovernorSettings, GovernorCountingSimple, GovernorVotes, GovernorTimelockControl {
    uint256 public constant PROPOSAL_THRESHOLD_PERCENT = 10;
    uint256 public constant QUORUM_STAKE_PERCENT = 20;
    uint256 public constant QUORUM_STRATEGISTS_PERCENT = 20;

    IStrategists private immutable _staking;
    mapping(uint256 proposalId => uint256) public voters;

    /// @notice When session 1 opens (the governance genesis). Storage, not an immutable: the runtime code must not
    /// depend on the genesis time, so a devnet restarted from a state dump (`--load-state`, whose genesis is later and
    /// whose predeploys get the node's code over the dumped storage) keeps the same code, storage and state root.
    uint256 public sessionsStart;
    /// @notice A session's length (one every 28 days).
    uint256 public immutable sessionLength;
    /// @notice Seconds from a session's start during which proposals are admitted.
    uint256 public immutable proposalWindow;

    /// @notice A proposal made outside a session's proposal window; the next window opens at `nextSessionStart`.
    error AgoraOutsideSession(uint256 now, uint256 nextSessionStart);
    /// @notice A proposal whose vote would end after its session ends.
    error AgoraVoteBeyondSession(uint256 voteEnd, uint256 sessionEnd);
    /// @notice Session parameters that cannot hold a vote: window + delay + period must fit the session.
    error AgoraBadSessions(uint256 sessionLength, uint256 proposalWindow, uint256 votingDelay, uint256 votingPeriod);

    constructor(
        IVotes staking,
        TimelockController timelock,
        uint48 votingDelaySeconds,
        uint32 votingPeriodSeconds,
        uint256 sessionsStart_,
        uint256 sessionLength_,
        uint256 proposalWindow_
    )
        Governor("Agora")
        GovernorSettings(votingDelaySeconds, votingPeriodSeconds, 0)
        GovernorVotes(staking)
        GovernorTimelockControl(timelock)
    {
        if (proposalWindow_ == 0 || proposalWindow_ + votingDelaySeconds + votingPeriodSeconds > sessionLength_) {
            revert AgoraBadSessions(sessionLength_, proposalWindow_, votingDelaySeconds, votingPeriodSeconds);
        }
        _staking = IStrategists(address(staking));
        sessionsStart = sessionsStart_;
        sessionLength = sessionLength_;
        proposalWindow = proposalWindow_;
    }

    /// @notice The session now: its number (1 = the first; 0 before the first), start, end of its proposal window,
    /// end, and whether proposals are admitted now.
    function currentSession()
        public
        view
        returns (uint256 number, uint256 start, uint256 proposalsUntil, uint256 end, bool open)
    {
        uint256 t = clock();
        if (t < sessionsStart) return (0, sessionsStart, sessionsStart, sessionsStart, false);
        number = (t - sessionsStart) / sessionLength + 1;
        start = sessionsStart + (number - 1) * sessionLength;
        proposalsUntil = start + proposalWindow;
        end = start + sessionLength;
        open = t < proposalsUntil;
    }

    /// @notice When the next session (and its proposal window) opens.
    function nextSessionStart() public view returns (uint256) {
        (, , , uint256 end, ) = currentSession();
        return end;
    }

    /// @notice Admitted only in a session's proposal window, with a vote that ends inside the session (then Governor's rules).
    function propose(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, string memory description)
        public
        override
        returns (uint256)
    {
        (, , , uint256 end, bool open) = currentSession();
        if (!open) revert AgoraOutsideSession(clock(), end);
        uint256 voteEnd = clock() + votingDelay() + votingPeriod();
        if (voteEnd > end) revert AgoraVoteBeyondSession(voteEnd, end);
        return super.propose(targets, values, calldatas, description);
    }

    /// @notice 10% of the Athena staked one second ago.
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        uint256 stakedTotal = _staking.getPastTotalSupply(clock() - 1);
        return (stakedTotal * PROPOSAL_THRESHOLD_PERCENT + 99) / 100;
    }

    function quorum(uint256 timepoint) public view override returns (uint256) {
        return _staking.getPastTotalSupply(timepoint) * QUORUM_STAKE_PERCENT / 100;
    }

    /// @notice Strategists whose votes a proposal needs (20% of those staking at its snapshot, rounded up).
    function strategistQuorum(uint256 timepoint) public view returns (uint256) {
        return (_staking.strategistsAt(timepoint) * QUORUM_STRATEGISTS_PERCENT + 99) / 100;
    }

    function _countVote(uint256 proposalId, address account, uint8 support, uint256 totalWeight, bytes memory params)
        internal override(Governor, GovernorCountingSimple) returns (uint256)
    {
        uint256 counted = super._countVote(proposalId, account, support, totalWeight, params);
        if (totalWeight > 0) voters[proposalId]++;
        return counted;
    }

    function _quorumReached(uint256 proposalId) internal view override(Governor, GovernorCountingSimple) returns (bool) {
        return super._quorumReached(proposalId) && voters[proposalId] >= strategistQuorum(proposalSnapshot(proposalId));
    }

    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    function proposalNeedsQueuing(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    function _queueOperations(uint256 proposalId, address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 descriptionHash)
        internal override(Governor, GovernorTimelockControl) returns (uint48)
    {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(uint256 proposalId, address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 descriptionHash)
        internal override(Governor, GovernorTimelockControl)
    {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 descriptionHash)
        internal override(Governor, GovernorTimelockControl) returns (uint256)
    {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
