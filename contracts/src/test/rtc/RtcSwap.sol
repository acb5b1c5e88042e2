// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title RtcSwap: a swap-like step for the RTC tests: takes amountIn of a token (through an allowance)
/// and credits twice as much output to `to`; reverts "RtcSwap: slippage" when that is below minOut.
contract RtcSwap {
    mapping(address => uint256) public outputs;
    uint256 public swaps;

    event Swapped(address indexed to, address indexed tokenIn, uint256 amountIn, uint256 out);

    function swap(address tokenIn, uint256 amountIn, uint256 minOut, address to) external returns (uint256 out) {
        require(IERC20(tokenIn).transferFrom(msg.sender, address(this), amountIn), "RtcSwap: transfer failed");
        out = amountIn * 2;
        require(out >= minOut, "RtcSwap: slippage");
        outputs[to] += out;
        swaps++;
        emit Swapped(to, tokenIn, amountIn, out);
    }
}
