// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

interface IPythiaRegistry {
    struct Pythia {
        bool registered;
        uint32 uptimeSeconds;
        uint16 reliabilityBps;
        uint64 registeredAt;
    }

    function pythias() external view returns (address[] memory);
    function pythia(address operator) external view returns (Pythia memory);
    function balanceOf(address account) external view returns (uint256);
}

/// @title Olympus: the treasury (seed 001). It holds the Hermes it collects; every 28 days anyone may
/// trigger the payout of its whole balance: 75% to the Pythians by stake x reliability, 15% to the grant
/// fund, 10% to the Agora. Every share is rounded down and the rounding dust goes to the last Pythian
/// paid and to the Agora, so the three parts add up to the balance exactly, to the wei.
contract Olympus {
    using SafeERC20 for IERC20;

    uint256 public constant CYCLE = 28 days;
    uint256 public constant PYTHIANS_PERCENT = 75;
    uint256 public constant GRANTS_PERCENT = 15;

    IERC20 public immutable hermes;
    IPythiaRegistry public immutable registry;
    address public immutable grantFund;
    address public immutable agora;

    /// @notice When the next payout is due; zero before the first cycle starts.
    uint256 public nextPayout;
    uint256 public cycle;

    event CycleStarted(uint256 indexed cycle, uint256 due);
    event PythianPaid(uint256 indexed cycle, address indexed operator, uint256 amount);
    event Payout(uint256 indexed cycle, uint256 total, uint256 pythians, uint256 grants, uint256 agora);

    error OlympusNotDue(uint256 due);

    constructor(IERC20 hermes_, IPythiaRegistry registry_, address grantFund_, address agora_) {
        hermes = hermes_;
        registry = registry_;
        grantFund = grantFund_;
        agora = agora_;
    }

    /// @notice Starts the first cycle (anyone, once), then pays out once per cycle.
    function distribute() external {
        if (nextPayout == 0) {
            _startCycle();
            return;
        }
        if (block.timestamp < nextPayout) revert OlympusNotDue(nextPayout);
        uint256 total = hermes.balanceOf(address(this));
        uint256 pythianShare = total * PYTHIANS_PERCENT / 100;
        uint256 grants = total * GRANTS_PERCENT / 100;
        uint256 paid = _payPythians(pythianShare);
        uint256 toAgora = total - paid - grants;
        if (grants > 0) hermes.safeTransfer(grantFund, grants);
        if (toAgora > 0) hermes.safeTransfer(agora, toAgora);
        emit Payout(cycle, total, paid, grants, toAgora);
        _startCycle();
    }

    /// @dev Pays `share` by stake x reliability; returns what was paid (all of it unless no Pythian has weight).
    function _payPythians(uint256 share) private returns (uint256 paid) {
        address[] memory operators = registry.pythias();
        uint256[] memory weights = new uint256[](operators.length);
        uint256 totalWeight;
        uint256 last;
        for (uint256 i = 0; i < operators.length; i++) {
            weights[i] = registry.balanceOf(operators[i]) * registry.pythia(operators[i]).reliabilityBps;
            totalWeight += weights[i];
            if (weights[i] > 0) last = i;
        }
        if (totalWeight == 0 || share == 0) return 0;
        for (uint256 i = 0; i < operators.length; i++) {
            if (weights[i] == 0) continue;
            uint256 amount = i == last ? share - paid : share * weights[i] / totalWeight;
            paid += amount;
            hermes.safeTransfer(operators[i], amount);
            emit PythianPaid(cycle, operators[i], amount);
        }
    }

    function _startCycle() private {
        cycle++;
        nextPayout = block.timestamp + CYCLE;
        emit CycleStarted(cycle, nextPayout);
    }
}
