// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title Athena: ChainsAtlas's governance token (seed 001), a fixed supply of 100,000,000 minted once to
/// the genesis holders; voting power is what is staked (AthenaStaking), so this token only moves.
contract Athena is ERC20, ERC20Permit, ERC20Votes {
    uint256 public constant SUPPLY = 100_000_000 ether;

    error AthenaBadDistribution();

    constructor(address[] memory holders) ERC20("Athena", "ATH") ERC20Permit("Athena") {
        if (holders.length == 0) revert AthenaBadDistribution();
        uint256 share = SUPPLY / holders.length;
        for (uint256 i = 0; i < holders.length; i++) {
            _mint(holders[i], i == holders.length - 1 ? SUPPLY - share * (holders.length - 1) : share);
        }
    }

    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
