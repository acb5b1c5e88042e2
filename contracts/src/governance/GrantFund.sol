// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title GrantFund: receives 15% of each OLYMPUS payout; spent only by an Agora vote (its timelock).
contract GrantFund {
    using SafeERC20 for IERC20;

    address public immutable agora;
    IERC20 public immutable hermes;

    event Granted(address indexed recipient, uint256 amount, string purpose);

    error GrantNotAgora(address caller);

    constructor(address agora_, IERC20 hermes_) {
        agora = agora_;
        hermes = hermes_;
    }

    function grant(address recipient, uint256 amount, string calldata purpose) external {
        if (msg.sender != agora) revert GrantNotAgora(msg.sender);
        hermes.safeTransfer(recipient, amount);
        emit Granted(recipient, amount, purpose);
    }
}
