// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CrosschainRemoteExecutor} from "@openzeppelin/contracts/crosschain/CrosschainRemoteExecutor.sol";

/// @title RtcRemoteExecutor: OpenZeppelin 5.7's CrosschainRemoteExecutor, unchanged (compiled here so the tests have its artifact).
contract RtcRemoteExecutor is CrosschainRemoteExecutor {
    constructor(address gateway_, bytes memory controller_) CrosschainRemoteExecutor(gateway_, controller_) {}
}
