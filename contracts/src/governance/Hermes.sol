// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title Hermes: ChainsAtlas's utility token (seed 001), paying for DDPN execution; at
/// 0x4200000000000000000000000000000000000070 on every member chain. 1,000,000,000 initial on the home
/// chain; more is minted only by the staking contract (staking Athena mints Hermes).
contract Hermes is ERC20 {
    /// @notice The only account that may mint (AthenaStaking on the home chain; nobody elsewhere).
    address public minter;

    error HermesNotMinter(address caller);

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
}
