// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC7802} from "./IERC7802.sol";
import {ClusterPredeploys} from "./ClusterPredeploys.sol";

/// @title ClusterToken: an ERC-20 that moves between member chains through the ClusterTokenBridge (ERC-7802).
/// @notice Deploy the same init code with CREATE2 on every member chain to get the same address
/// everywhere; the initial supply is minted only on homeChainId, so it exists on one chain.
contract ClusterToken is ERC20, IERC7802 {
    constructor(string memory name_, string memory symbol_, address initialHolder, uint256 initialSupply, uint256 homeChainId)
        ERC20(name_, symbol_)
    {
        if (block.chainid == homeChainId) _mint(initialHolder, initialSupply);
    }

    modifier onlyBridge() {
        require(msg.sender == ClusterPredeploys.TOKEN_BRIDGE, "ClusterToken: only bridge");
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
