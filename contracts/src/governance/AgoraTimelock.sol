// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title AgoraTimelock: OpenZeppelin's TimelockController; the Agora governor proposes, anyone executes.
/// It is the Agora's account (its 10% of each OLYMPUS payout) and the only caller ClusterDecisions accepts.
contract AgoraTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors)
        TimelockController(minDelay, proposers, executors, address(0))
    {}
}
