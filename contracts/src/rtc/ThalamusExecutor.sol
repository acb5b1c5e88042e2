// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IThalamus} from "./IThalamus.sol";

/// @title ThalamusExecutor: the account an RTC's calls come from.
/// @notice Predeployed (runtime code only) at 0x4200000000000000000000000000000000000032 on every member
/// chain; only the Thalamus gateway drives it. The gateway never makes an RTC's call itself: it holds
/// the custody of every RTC in flight and is the bridge ERC-7802 tokens trust, so a call made from it
/// could move what is not the sender's. The executor holds only the assets of the call being made
/// (moved in before, swept back after) and has no privilege anywhere.
contract ThalamusExecutor {
    using SafeERC20 for IERC20;

    address internal constant GATEWAY = 0x4200000000000000000000000000000000000030;

    /// @dev The gateway that created this executor (a deployment outside the cluster); zero for the predeploy,
    /// whose gateway is GATEWAY (a predeploy runs no constructor).
    address private immutable _creator;

    constructor() {
        _creator = msg.sender;
    }

    modifier onlyGateway() {
        require(msg.sender == _gateway(), "ThalamusExecutor: only the Thalamus gateway");
        _;
    }

    function _gateway() private view returns (address) {
        return _creator == address(0) ? GATEWAY : _creator;
    }

    /// @notice Makes one call of an RTC with the value the gateway sends along.
    function execute(address target, bytes calldata data, uint64 gasLimit) external payable onlyGateway returns (bool ok, bytes memory ret) {
        if (gasLimit == 0) (ok, ret) = target.call{value: msg.value}(data);
        else (ok, ret) = target.call{value: msg.value, gas: gasLimit}(data);
    }

    /// @notice Approves spender for amount of an ERC-20, or for token id `amount` of an ERC-721 (nft).
    function approve(address token, address spender, uint256 amount, bool nft) external onlyGateway {
        if (nft) IERC721(token).approve(spender, amount);
        else IERC20(token).forceApprove(spender, amount);
    }

    /// @notice Sends back to the gateway everything it holds of an asset after a call: native value
    /// (token zero), an ERC-20's balance, or ERC-721 token id (nft); returns how much (1 for a token id).
    function sweep(address token, uint256 id, bool nft) external onlyGateway returns (uint256 swept) {
        if (token == address(0)) {
            swept = address(this).balance;
            if (swept > 0) {
                (bool ok,) = _gateway().call{value: swept}("");
                require(ok, "ThalamusExecutor: the gateway refused the value");
            }
        } else if (nft) {
            if (IERC721(token).ownerOf(id) == address(this)) {
                IERC721(token).transferFrom(address(this), _gateway(), id);
                swept = 1;
            }
        } else {
            swept = IERC20(token).balanceOf(address(this));
            if (swept > 0) IERC20(token).safeTransfer(_gateway(), swept);
        }
    }

    /// @notice During an RTC's call: its sender and origin chain (the gateway's answer).
    function rtcContext() external view returns (address sender, uint256 sourceChainId) {
        return IThalamus(_gateway()).rtcContext();
    }

    receive() external payable {}
}
