// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC7802} from "../cluster/IERC7802.sol";
import {ClusterPredeploys} from "../cluster/ClusterPredeploys.sol";

/// @title ThalamusToken: a cluster token (ERC-7802) that RTCs carry by burn and mint.
/// @notice Like ClusterToken, but it also accepts the Thalamus gateway (0x…30) as a bridge, so an RTC's
/// ERC20 adapter burns it on the origin and mints it on the destination instead of escrowing it.
/// Deploy the same init code with CREATE2 on every member chain (same address); the supply is minted on homeChainId.
contract ThalamusToken is ERC20, IERC7802 {
    address internal constant THALAMUS = 0x4200000000000000000000000000000000000030;

    constructor(string memory name_, string memory symbol_, address initialHolder, uint256 initialSupply, uint256 homeChainId)
        ERC20(name_, symbol_)
    {
        if (block.chainid == homeChainId) _mint(initialHolder, initialSupply);
    }

    modifier onlyBridge() {
        require(msg.sender == THALAMUS || msg.sender == ClusterPredeploys.TOKEN_BRIDGE, "ThalamusToken: only a bridge");
        _;
    }

    /// @inheritdoc IERC7802
    function crosschainMint(address to, uint256 amount) external onlyBridge {
        _mint(to, amount);
        emit CrosschainMint(to, amount, msg.sender);
    }

    /// @inheritdoc IERC7802
    function crosschainBurn(address from, uint256 amount) external onlyBridge {
        _burn(from, amount);
        emit CrosschainBurn(from, amount, msg.sender);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC7802).interfaceId || interfaceId == type(IERC20).interfaceId
            || interfaceId == type(IERC165).interfaceId;
    }
}
