// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice The management unit's entry for escrowed operations (native at 0x4200…0051, docs/ddpn.md).
interface IDdpnManagementEscrowed {
    /// @notice Queues `call` (postOffer or stake) for `client`; only the escrow calls it, after collecting the amount.
    function escrowed(address client, bytes calldata call) external returns (uint256 seq);
    function payoutLength() external view returns (uint256);
}

/// @title DdpnEscrow: holds the DDPN's payments in the payment token on the chain where they were paid (docs/ddpn.md, "Payments").
/// @notice Predeployed at 0x4200000000000000000000000000000000000052 on every member chain, runtime code only;
/// its storage is set in genesis: slot 0 = the payment token (an ERC-20; Hermes when the governance issue
/// ships it, a plain ERC-20 stands in until then), slot 1 = the node's system account thalamus.ddpn.
/// A client's offer and a Pythia's stake come through here: the amount moves from the caller to this
/// contract and the operation is queued in the management unit in the same transaction (both or neither).
/// The replicated management state decides payouts (strategist, refunds, stakes back) on every chain; the
/// node pays those whose tokens are on this chain with `pay`, in the management unit's payout order, from a
/// cursor kept here, so no payout is made twice.
contract DdpnEscrow {
    using SafeERC20 for IERC20;

    address internal constant MANAGEMENT = 0x4200000000000000000000000000000000000051;

    IERC20 public token; // slot 0 (genesis)
    address public node; // slot 1 (genesis)
    uint256 public payoutCursor; // slot 2: the next payout index of the management unit's list not yet handled on this chain

    event Paid(uint256 indexed index, address indexed to, uint256 amount);

    /// @notice Posts an offer (docs/ddpn.md): collects `maxCost` of the payment token, held until the offer settles.
    function postOffer(bytes32 program, uint256[] calldata segmentDlxGas, uint256[] calldata allowedChains, uint256 maxCost, uint256 alphaPpm)
        external
        returns (uint256 seq)
    {
        _collect(maxCost);
        seq = IDdpnManagementEscrowed(MANAGEMENT).escrowed(
            msg.sender, abi.encodeWithSignature("postOffer(bytes32,uint256[],uint256[],uint256,uint256)", program, segmentDlxGas, allowedChains, maxCost, alphaPpm)
        );
    }

    /// @notice Registers the caller as a Pythia validator (or adds to its stake): collects `amount`.
    function stake(uint256 amount) external returns (uint256 seq) {
        _collect(amount);
        seq = IDdpnManagementEscrowed(MANAGEMENT).escrowed(msg.sender, abi.encodeWithSignature("stake(uint256)", amount));
    }

    /// @notice The node pays the payouts [first, next) of the management unit's list that are on this chain.
    function pay(uint256 first, uint256 next, address[] calldata to, uint256[] calldata amounts, uint256[] calldata indices) external {
        require(msg.sender == node, "DDPN: pay is only for the node's system account thalamus.ddpn");
        require(first == payoutCursor, "DDPN: payouts out of order");
        require(next >= first && to.length == amounts.length && to.length == indices.length, "DDPN: malformed payouts");
        payoutCursor = next;
        for (uint256 i = 0; i < to.length; i++) {
            token.safeTransfer(to[i], amounts[i]);
            emit Paid(indices[i], to[i], amounts[i]);
        }
    }

    function _collect(uint256 amount) private {
        require(address(token).code.length > 0, string.concat("DDPN: no payment token on chain ", Strings.toString(block.chainid)));
        require(amount > 0, "DDPN: an amount of 0");
        token.safeTransferFrom(msg.sender, address(this), amount);
    }
}
