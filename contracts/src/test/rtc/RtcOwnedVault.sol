// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title RtcOwnedVault: an Ownable contract for the address book tests (its deployer owns it).
contract RtcOwnedVault is Ownable {
    uint256 public pings;

    constructor() Ownable(msg.sender) {}

    function ping() external returns (uint256) {
        return ++pings;
    }
}
