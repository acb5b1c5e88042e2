// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

interface IHermesMint {
    function mint(address to, uint256 amount) external;
}

/// @dev The DDPN management unit's reliability view (contracts/src/ddpn/IDdpnManagement.sol).
interface IDdpnReliability {
    function reliabilityOf(address pythia) external view returns (uint256);
}

/// @title AthenaStaking: staked Athena (sATH, not transferable) is the Agora's voting power, and the
/// Pythia registry (seed 001): a staker may register a Pythia whose 7-day uptime and reliability the
/// governance system account reports. Reliability comes from the DDPN validators: where the DDPN management
/// unit answers at 0x…51 (the DDPN module runs), `pythia()` gives the unit's reliability at call time
/// (millionths, converted to basis points, rounded down); elsewhere the reported value. Staking mints Hermes.
contract AthenaStaking is ERC20, EIP712, ERC20Votes {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;

    /// @notice Hermes minted per Athena staked (once, at stake time).
    uint256 public constant HERMES_PER_ATHENA = 10;
    uint32 public constant UPTIME_WINDOW = 7 days;
    uint16 public constant FULL_RELIABILITY = 10_000;
    /// @notice The DDPN management unit (native, Thalamus.Ddpn), whose reliabilityOf is in millionths.
    address public constant DDPN_MANAGEMENT = 0x4200000000000000000000000000000000000051;

    struct Pythia {
        bool registered;
        uint32 uptimeSeconds;
        uint16 reliabilityBps;
        uint64 registeredAt;
    }

    IERC20 public immutable athena;
    address public immutable hermes;
    /// @notice The governance system account: reports uptime and reliability.
    address public immutable registrar;

    Checkpoints.Trace208 private _strategists;
    mapping(address => Pythia) private _pythias;
    address[] private _pythiaList;

    event Staked(address indexed strategist, uint256 amount, uint256 hermesMinted);
    event Unstaked(address indexed strategist, uint256 amount);
    event PythiaRegistered(address indexed operator);
    event PythiaReported(address indexed operator, uint32 uptimeSeconds, uint16 reliabilityBps);

    error StakeNotTransferable();
    error StakeZero();
    error StakeNotRegistrar(address caller);
    error PythiaNeedsStake(address operator);
    error PythiaAlreadyRegistered(address operator);
    error PythiaUnknown(address operator);
    error PythiaBadReport(uint32 uptimeSeconds, uint16 reliabilityBps);

    constructor(IERC20 athena_, address hermes_, address registrar_) ERC20("Staked Athena", "sATH") EIP712("Staked Athena", "1") {
        athena = athena_;
        hermes = hermes_;
        registrar = registrar_;
    }

    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function stake(uint256 amount) external {
        if (amount == 0) revert StakeZero();
        athena.safeTransferFrom(msg.sender, address(this), amount);
        if (balanceOf(msg.sender) == 0) _strategists.push(clock(), uint208(_strategists.latest() + 1));
        _mint(msg.sender, amount);
        if (delegates(msg.sender) == address(0)) _delegate(msg.sender, msg.sender);
        uint256 minted = amount * HERMES_PER_ATHENA;
        IHermesMint(hermes).mint(msg.sender, minted);
        emit Staked(msg.sender, amount, minted);
    }

    function unstake(uint256 amount) external {
        if (amount == 0) revert StakeZero();
        _burn(msg.sender, amount);
        if (balanceOf(msg.sender) == 0) _strategists.push(clock(), uint208(_strategists.latest() - 1));
        athena.safeTransfer(msg.sender, amount);
        emit Unstaked(msg.sender, amount);
    }

    /// @notice Strategists (accounts with a stake) at `timepoint`.
    function strategistsAt(uint256 timepoint) external view returns (uint256) {
        return _strategists.upperLookupRecent(uint48(timepoint));
    }

    function strategists() external view returns (uint256) {
        return _strategists.latest();
    }

    function registerPythia() external {
        if (balanceOf(msg.sender) == 0) revert PythiaNeedsStake(msg.sender);
        if (_pythias[msg.sender].registered) revert PythiaAlreadyRegistered(msg.sender);
        _pythias[msg.sender] = Pythia(true, 0, 0, uint64(block.timestamp));
        _pythiaList.push(msg.sender);
        emit PythiaRegistered(msg.sender);
    }

    /// @notice The registrar reports a Pythia's uptime over the last 7 days and its reliability (basis points).
    function report(address operator, uint32 uptimeSeconds, uint16 reliabilityBps) external {
        if (msg.sender != registrar) revert StakeNotRegistrar(msg.sender);
        if (!_pythias[operator].registered) revert PythiaUnknown(operator);
        if (uptimeSeconds > UPTIME_WINDOW || reliabilityBps > FULL_RELIABILITY) revert PythiaBadReport(uptimeSeconds, reliabilityBps);
        _pythias[operator].uptimeSeconds = uptimeSeconds;
        _pythias[operator].reliabilityBps = reliabilityBps;
        emit PythiaReported(operator, uptimeSeconds, reliabilityBps);
    }

    /// @notice A Pythia as elections and OLYMPUS weigh it: reliability from the DDPN when it runs (see reliabilityOf).
    function pythia(address operator) external view returns (Pythia memory p) {
        p = _pythias[operator];
        if (p.registered) (p.reliabilityBps, ) = reliabilityOf(operator);
    }

    /// @notice A Pythia's reliability in basis points and where it comes from: the DDPN management unit's
    /// reliabilityOf (millionths / 100, at most 10000) when the unit answers (the DDPN runs on this chain; a
    /// Pythia it does not know has 0), else the value the governance account reported.
    function reliabilityOf(address operator) public view returns (uint16 bps, bool fromDdpn) {
        (bool ok, bytes memory answer) =
            DDPN_MANAGEMENT.staticcall(abi.encodeCall(IDdpnReliability.reliabilityOf, (operator)));
        if (ok && answer.length == 32) {
            uint256 millionths = abi.decode(answer, (uint256));
            return (millionths >= 1_000_000 ? FULL_RELIABILITY : uint16(millionths / 100), true);
        }
        return (_pythias[operator].reliabilityBps, false);
    }

    function pythias() external view returns (address[] memory) {
        return _pythiaList;
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        if (from != address(0) && to != address(0)) revert StakeNotTransferable();
        super._update(from, to, value);
    }
}
