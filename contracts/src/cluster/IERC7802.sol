// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title IERC7802: crosschain mint and burn for tokens that move between chains through a bridge.
interface IERC7802 is IERC165 {
    /// @notice The bridge minted amount to `to`.
    event CrosschainMint(address indexed to, uint256 amount, address indexed sender);
    /// @notice The bridge burned amount from `from`.
    event CrosschainBurn(address indexed from, uint256 amount, address indexed sender);

    /// @notice Mints amount to `to`; bridge only.
    function crosschainMint(address to, uint256 amount) external;

    /// @notice Burns amount from `from`; bridge only.
    function crosschainBurn(address from, uint256 amount) external;
}
