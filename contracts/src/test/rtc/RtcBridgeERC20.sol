// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {BridgeERC20} from "@openzeppelin/contracts/crosschain/bridges/BridgeERC20.sol";
import {CrosschainLinked} from "@openzeppelin/contracts/crosschain/CrosschainLinked.sol";

/// @title RtcBridgeERC20: OpenZeppelin 5.7's BridgeERC20 (abstract) made deployable, unchanged: only its constructor.
contract RtcBridgeERC20 is BridgeERC20 {
    constructor(IERC20 token_, CrosschainLinked.Link[] memory links) BridgeERC20(token_) CrosschainLinked(links) {}
}
