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
/// passes by majority with a quorum of 20% of the staked Athena AND 20% of the strategists.
contract AgoraGovernor is Governor, GovernorSettings, GovernorCountingSimple, GovernorVotes, GovernorTimelockControl {
    uint256 public constant PROPOSAL_THRESHOLD_PERCENT = 10;
    uint256 public constant QUORUM_STAKE_PERCENT = 20;
    uint256 public constant QUORUM_STRATEGISTS_PERCENT = 20;

    IStrategists private immutable _staking;
    mapping(uint256 proposalId => uint256) public voters;

    constructor(IVotes staking, TimelockController timelock, uint48 votingDelaySeconds, uint32 votingPeriodSeconds)
        Governor("Agora")
        GovernorSettings(votingDelaySeconds, votingPeriodSeconds, 0)
        GovernorVotes(staking)
        GovernorTimelockControl(timelock)
    {
        _staking = IStrategists(address(staking));
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
