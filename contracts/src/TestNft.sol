// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title TestNft: a plain OpenZeppelin ERC-721 with an open mint, for client tests.
contract TestNft is ERC721 {
    uint256 public nextTokenId = 1;

    constructor() ERC721("Test NFT", "TNFT") {}

    /// @notice Mints the next token id to `to` and returns it (emits Transfer from the zero address).
    function mint(address to) external returns (uint256 tokenId) {
        tokenId = nextTokenId++;
        _safeMint(to, tokenId);
    }
}
