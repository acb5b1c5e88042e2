// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Bridgeable} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC20Bridgeable.sol";
import {ClusterPredeploys} from "../cluster/ClusterPredeploys.sol";

/// @title Hermes: ChainsAtlas's utility token (seed 001), paying for DDPN execution; at
/// 0x4200000000000000000000000000000000000070 on every member chain. 1,000,000,000 initial on the home
/// chain; more is minted only by the staking contract (staking Athena mints Hermes, home chain only).
/// @notice An ERC-7802 cluster token (OpenZeppelin's ERC20Bridgeable): it moves between member chains through
/// the ClusterTokenBridge (0x4200…0028), the only crosschain minter and burner: `sendERC20(Hermes, to, amount,
/// destination)` burns on the origin chain and the bridge on the destination mints, so the supply summed over
/// every chain only grows by staking. Same runtime code on every chain (no immutables), built at genesis by this
/// constructor and moved to the predeploy address.
contract Hermes is ERC20Bridgeable {
    /// @notice The only account that may mint new supply (AthenaStaking on the home chain; nobody elsewhere).
    address public minter;

    error HermesNotMinter(address caller);
    error HermesNotBridge(address caller);

    /// @param holders share `initialSupply` equally (the last one gets the rounding dust)
    constructor(address minter_, address[] memory holders, uint256 initialSupply) ERC20("Hermes", "HRM") {
        minter = minter_;
        if (holders.length == 0) return;
        uint256 share = initialSupply / holders.length;
        for (uint256 i = 0; i < holders.length; i++) {
            _mint(holders[i], i == holders.length - 1 ? initialSupply - share * (holders.length - 1) : share);
        }
    }

    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert HermesNotMinter(msg.sender);
        _mint(to, amount);
    }

    /// @dev Only the cluster token bridge mints and burns across chains.
    function _checkTokenBridge(address caller) internal pure override {
        if (caller != ClusterPredeploys.TOKEN_BRIDGE) revert HermesNotBridge(caller);
    }
}
