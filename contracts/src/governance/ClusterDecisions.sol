// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IGerousiaApproval {
    function approved(bytes32 change) external view returns (bool);
}

/// @title ClusterDecisions: the sink of the decisions the node-cluster carries out (seed 002, issue 16).
/// Membership and profile scores: only the Agora's timelock (profile scores also from an election).
/// Upgrades and security-relevant parameters: the timelock, and only once the Gerousia approved the
/// change's id. The node reads the events on the home chain at each committed slot and carries them out
/// between slots; being state of the home chain, settlement commits them to the parent.
contract ClusterDecisions {
    address public immutable agora;
    address public immutable gerousia;
    address public immutable elections;

    uint256 public memberCount;
    mapping(uint64 chainId => bool) public isMember;
    mapping(uint64 chainId => mapping(bytes32 key => uint256)) public profileScore;
    mapping(bytes32 key => uint256) public parameter;
    mapping(bytes32 change => bool) public carried;

    event ChainAdmitted(uint64 indexed chainId, uint64 blockTimeMs, uint64 gasLimit, string name);
    event ChainRemoved(uint64 indexed chainId);
    event ProfileScoreSet(uint64 indexed chainId, bytes32 indexed key, uint256 value);
    event ParameterChanged(bytes32 indexed key, uint256 value, bytes32 change);
    /// @dev `code` is the new runtime code: the node sets it at `target` on every chain where `target` has code.
    event UpgradeApproved(address indexed target, bytes32 indexed codeHash, bytes32 change, bytes code);

    error DecisionsNotAgora(address caller);
    error DecisionsNotAgoraOrElections(address caller);
    error DecisionsAlreadyMember(uint64 chainId);
    error DecisionsNotMember(uint64 chainId);
    error DecisionsLastChain(uint64 chainId);
    error DecisionsBadChain(uint64 chainId, uint64 gasLimit);
    error DecisionsNeedsGerousia(bytes32 change);
    error DecisionsAlreadyCarried(bytes32 change);
    error DecisionsBadCode(address target, uint256 length);

    constructor(address agora_, address gerousia_, address elections_, uint64[] memory initialChains) {
        agora = agora_;
        gerousia = gerousia_;
        elections = elections_;
        for (uint256 i = 0; i < initialChains.length; i++) {
            isMember[initialChains[i]] = true;
        }
        memberCount = initialChains.length;
    }

    modifier onlyAgora() {
        if (msg.sender != agora) revert DecisionsNotAgora(msg.sender);
        _;
    }

    /// @notice Admits chain `chainId`: every node starts it (genesis from this profile) at the next slot boundary.
    function admitChain(uint64 chainId, uint64 blockTimeMs, uint64 gasLimit, string calldata name) external onlyAgora {
        if (isMember[chainId]) revert DecisionsAlreadyMember(chainId);
        if (chainId == 0 || gasLimit < 1_000_000) revert DecisionsBadChain(chainId, gasLimit);
        isMember[chainId] = true;
        memberCount++;
        emit ChainAdmitted(chainId, blockTimeMs, gasLimit, name);
    }

    /// @notice Removes chain `chainId`: the nodes drain it (queued messages fail back) at the next slot boundary.
    function removeChain(uint64 chainId) external onlyAgora {
        if (!isMember[chainId]) revert DecisionsNotMember(chainId);
        if (memberCount == 1) revert DecisionsLastChain(chainId);
        isMember[chainId] = false;
        memberCount--;
        emit ChainRemoved(chainId);
    }

    /// @notice A non-measurable score of a chain's profile (e.g. decentralisation), by a vote or an election.
    function setProfileScore(uint64 chainId, bytes32 key, uint256 value) external {
        if (msg.sender != agora && msg.sender != elections) revert DecisionsNotAgoraOrElections(msg.sender);
        if (!isMember[chainId]) revert DecisionsNotMember(chainId);
        profileScore[chainId][key] = value;
        emit ProfileScoreSet(chainId, key, value);
    }

    /// @notice The id the Gerousia approves for a parameter change.
    function parameterChangeId(bytes32 key, uint256 value, uint256 salt) public pure returns (bytes32) {
        return keccak256(abi.encode("parameter", key, value, salt));
    }

    /// @notice The id the Gerousia approves for an upgrade of `target` to code with hash `codeHash`.
    function upgradeChangeId(address target, bytes32 codeHash, uint256 salt) public pure returns (bytes32) {
        return keccak256(abi.encode("upgrade", target, codeHash, salt));
    }

    /// @notice A security-relevant parameter (Delta, gas limits, ...): Agora vote + Gerousia approval + timelock.
    function setParameter(bytes32 key, uint256 value, uint256 salt) external onlyAgora {
        bytes32 change = parameterChangeId(key, value, salt);
        _carry(change);
        parameter[key] = value;
        emit ParameterChanged(key, value, change);
    }

    /// @notice An upgrade of a predeploy to runtime code `code` (1 to 24576 bytes, EIP-170): Agora vote + Gerousia approval (of
    /// upgradeChangeId(target, keccak256(code), salt)) + timelock. The node applies it at the next slot on
    /// every chain where `target` has code, through a system transaction to the native GovernanceUpgrader.
    function approveUpgrade(address target, bytes calldata code, uint256 salt) external onlyAgora {
        if (code.length == 0 || code.length > 24576) revert DecisionsBadCode(target, code.length);
        bytes32 codeHash = keccak256(code);
        bytes32 change = upgradeChangeId(target, codeHash, salt);
        _carry(change);
        emit UpgradeApproved(target, codeHash, change, code);
    }

    function _carry(bytes32 change) private {
        if (!IGerousiaApproval(gerousia).approved(change)) revert DecisionsNeedsGerousia(change);
        if (carried[change]) revert DecisionsAlreadyCarried(change);
        carried[change] = true;
    }
}
