// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Gerousia: the council of 5 (seed 001) that approves code changes: an upgrade or a
/// security-relevant parameter needs an Agora vote AND this approval (3 of 5 members) before the
/// timelock can execute it. Members serve 6 months; the Agora (its timelock) elects the next council.
contract Gerousia {
    uint256 public constant SIZE = 5;
    uint256 public constant APPROVALS_NEEDED = 3;
    uint256 public constant TERM = 182 days;

    address public immutable agora;
    address[SIZE] private _members;
    uint256 public termEnd;
    uint256 public council;

    mapping(uint256 council => mapping(bytes32 change => mapping(address member => bool))) private _approvedBy;
    mapping(bytes32 change => uint256) public approvals;
    mapping(bytes32 change => bool) public approved;

    event Approval(bytes32 indexed change, address indexed member, uint256 approvals);
    event Approved(bytes32 indexed change);
    event CouncilElected(uint256 indexed council, address[5] members, uint256 termEnd);

    error GerousiaNotMember(address caller);
    error GerousiaAlreadyApproved(address member, bytes32 change);
    error GerousiaNotAgora(address caller);
    error GerousiaTermRunning(uint256 termEnd);
    error GerousiaBadCouncil();

    constructor(address agora_, address[5] memory council_) {
        agora = agora_;
        _seat(council_);
    }

    function members() external view returns (address[5] memory) {
        return _members;
    }

    function isMember(address account) public view returns (bool) {
        for (uint256 i = 0; i < SIZE; i++) if (_members[i] == account) return true;
        return false;
    }

    /// @notice A member approves the change with id `change` (ClusterDecisions.changeId of the call).
    function approve(bytes32 change) external {
        if (!isMember(msg.sender)) revert GerousiaNotMember(msg.sender);
        if (_approvedBy[council][change][msg.sender]) revert GerousiaAlreadyApproved(msg.sender, change);
        _approvedBy[council][change][msg.sender] = true;
        uint256 count = ++approvals[change];
        emit Approval(change, msg.sender, count);
        if (count == APPROVALS_NEEDED) {
            approved[change] = true;
            emit Approved(change);
        }
    }

    /// @notice The Agora elects the next council once the term is over.
    function elect(address[5] calldata next) external {
        if (msg.sender != agora) revert GerousiaNotAgora(msg.sender);
        if (block.timestamp < termEnd) revert GerousiaTermRunning(termEnd);
        _seat(next);
    }

    function _seat(address[5] memory next) private {
        for (uint256 i = 0; i < SIZE; i++) {
            if (next[i] == address(0)) revert GerousiaBadCouncil();
            for (uint256 j = 0; j < i; j++) if (next[j] == next[i]) revert GerousiaBadCouncil();
            _members[i] = next[i];
        }
        council++;
        termEnd = block.timestamp + TERM;
        emit CouncilElected(council, next, termEnd);
    }
}
