// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title ThalamusSettlement: joint settlement of every member chain of a Thalamus cluster on its parent chain.
/// @notice One assertion per batch of consecutive settlement slots, for all member chains at once. A batch
/// commits one leaf per block the slots sealed, keccak256(keccak256(abi.encode(slot, chainId, number,
/// blockHash, stateRoot))), under a Merkle root the contract computes itself (OpenZeppelin's commutative
/// tree), a root over the slots' cross-chain messages and synchronous calls, and the hash of the batch data
/// (every block's header, transactions and cluster section, compressed), which is calldata of the assertion:
/// the parent chain alone is enough to rebuild every member chain. Each assertion is bonded; during the
/// challenge window anyone may challenge one block of it with a bond (a Merkle opening of its leaf: the
/// per-block leaves make the bisection over (slot, chain) one move); a bonded arbiter set re-executes that
/// block off chain and rules (the step the contract cannot check itself, see docs/settlement.md). The
/// loser's bond goes to the winner; a rejected batch and every later one are void and the slots are
/// asserted again. Finalisation is in order, after the window.
contract ThalamusSettlement {
    enum Status {
        None,
        Pending,
        Challenged,
        Finalized,
        Rejected
    }

    struct Batch {
        uint64 firstSlot;
        uint64 lastSlot;
        uint64 assertedAt;
        uint32 blockCount;
        Status status;
        address asserter;
        bytes32 blocksRoot;
        bytes32 messageRoot;
        bytes32 dataHash;
    }

    struct Dispute {
        address challenger;
        uint64 openedAt;
        uint32 leafIndex;
        uint32 votesValid;
        uint32 votesInvalid;
        uint64 round;
    }

    event BatchAsserted(
        uint256 indexed index, uint64 firstSlot, uint64 lastSlot, uint32 blockCount, bytes32 blocksRoot, bytes32 messageRoot, bytes32 dataHash
    );
    event BatchChallenged(uint256 indexed index, address indexed challenger, uint32 leafIndex, uint64 slot, uint64 chainId, uint64 number);
    event ArbiterVoted(uint256 indexed index, address indexed arbiter, bool assertionValid);
    event DisputeResolved(uint256 indexed index, bool assertionValid, address winner, uint256 paid);
    event DisputeTimedOut(uint256 indexed index, address challenger);
    event BatchFinalized(uint256 indexed index, uint64 lastSlot);
    event BatchVoided(uint256 indexed index);
    event ArbiterRegistered(address indexed arbiter);

    /// @notice The only account that may assert (the node's SystemAccount "thalamus.settlement").
    address public immutable poster;
    uint256 public immutable assertionBond;
    uint256 public immutable challengeBond;
    uint256 public immutable arbiterBond;
    /// @notice Seconds (parent block timestamps) a batch can be challenged after its assertion.
    uint64 public immutable challengeWindow;
    /// @notice Seconds the arbiters have to reach a quorum once a batch is challenged.
    uint64 public immutable arbitrationTimeout;
    /// @notice Votes that decide a dispute.
    uint32 public immutable quorum;
    /// @notice keccak256 of the cluster's genesis section (every chain's profile and genesis), posted in the data of the batch starting at slot 1.
    bytes32 public immutable genesisCommitment;

    Batch[] private _batches;
    mapping(uint256 => Dispute) public disputes;
    mapping(uint256 => mapping(uint64 => mapping(address => bool))) private _voted;
    mapping(address => bool) public isArbiter;
    uint32 public arbiterCount;

    /// @notice The first slot of the next assertion (slots are numbered from 1).
    uint64 public nextSlot = 1;
    /// @notice Batches below this index are final.
    uint256 public finalizedCount;

    constructor(
        address poster_,
        uint256 assertionBond_,
        uint256 challengeBond_,
        uint256 arbiterBond_,
        uint64 challengeWindow_,
        uint64 arbitrationTimeout_,
        uint32 quorum_,
        bytes32 genesisCommitment_
    ) {
        require(poster_ != address(0), "Settlement: poster is the zero address");
        require(quorum_ > 0, "Settlement: quorum must be at least one");
        poster = poster_;
        assertionBond = assertionBond_;
        challengeBond = challengeBond_;
        arbiterBond = arbiterBond_;
        challengeWindow = challengeWindow_;
        arbitrationTimeout = arbitrationTimeout_;
        quorum = quorum_;
        genesisCommitment = genesisCommitment_;
    }

    function batchCount() external view returns (uint256) {
        return _batches.length;
    }

    function batches(uint256 index) external view returns (Batch memory) {
        if (index >= _batches.length) revert(_unknown(index));
        return _batches[index];
    }

    /// @notice Joins the arbiter set with arbiterBond (documented trust: a quorum of arbiters decides disputes).
    function registerArbiter() external payable {
        require(!isArbiter[msg.sender], "Settlement: already an arbiter");
        require(msg.value == arbiterBond, string.concat("Settlement: wrong arbiter bond, expected ", Strings.toString(arbiterBond)));
        isArbiter[msg.sender] = true;
        arbiterCount++;
        emit ArbiterRegistered(msg.sender);
    }

    /// @notice Asserts slots firstSlot..lastSlot: one leaf per block sealed in them, in (slot, seal) order.
    function assertBatch(uint64 firstSlot, uint64 lastSlot, bytes32[] calldata leaves, bytes32 messageRoot, bytes calldata data)
        external
        payable
        returns (uint256 index)
    {
        require(msg.sender == poster, "Settlement: only the poster asserts");
        if (firstSlot != nextSlot) {
            revert(
                string.concat(
                    "Settlement: batch out of order: first slot ", Strings.toString(firstSlot), ", expected ", Strings.toString(nextSlot)
                )
            );
        }
        require(lastSlot >= firstSlot, "Settlement: last slot before first slot");
        if (msg.value != assertionBond) revert(string.concat("Settlement: wrong bond, expected ", Strings.toString(assertionBond)));
        require(leaves.length > 0 && leaves.length <= type(uint32).max, "Settlement: a batch commits at least one block");
        require(data.length > 0, "Settlement: empty batch data");
        index = _batches.length;
        bytes32 root = _root(leaves);
        bytes32 dataHash = keccak256(data);
        _batches.push(
            Batch({
                firstSlot: firstSlot,
                lastSlot: lastSlot,
                assertedAt: uint64(block.timestamp),
                blockCount: uint32(leaves.length),
                status: Status.Pending,
                asserter: msg.sender,
                blocksRoot: root,
                messageRoot: messageRoot,
                dataHash: dataHash
            })
        );
        nextSlot = lastSlot + 1;
        emit BatchAsserted(index, firstSlot, lastSlot, uint32(leaves.length), root, messageRoot, dataHash);
    }

    /// @notice Disputes one block of a pending batch: the Merkle opening of the asserter's leaf for it.
    function challenge(
        uint256 index,
        uint32 leafIndex,
        uint64 slot,
        uint64 chainId,
        uint64 number,
        bytes32 blockHash,
        bytes32 stateRoot,
        bytes32[] calldata proof
    ) external payable {
        if (index >= _batches.length) revert(_unknown(index));
        Batch storage batch = _batches[index];
        require(batch.status == Status.Pending, string.concat("Settlement: batch ", Strings.toString(index), " is not pending"));
        require(
            block.timestamp < uint256(batch.assertedAt) + challengeWindow,
            string.concat("Settlement: the challenge window of batch ", Strings.toString(index), " has closed")
        );
        require(msg.value == challengeBond, string.concat("Settlement: wrong challenge bond, expected ", Strings.toString(challengeBond)));
        require(slot >= batch.firstSlot && slot <= batch.lastSlot, "Settlement: the slot is outside the batch");
        require(leafIndex < batch.blockCount, "Settlement: no such leaf in the batch");
        bytes32 leaf = leafOf(slot, chainId, number, blockHash, stateRoot);
        require(MerkleProof.verifyCalldata(proof, batch.blocksRoot, leaf), "Settlement: the disputed block is not in the batch");
        batch.status = Status.Challenged;
        Dispute storage dispute = disputes[index];
        dispute.challenger = msg.sender;
        dispute.openedAt = uint64(block.timestamp);
        dispute.leafIndex = leafIndex;
        dispute.votesValid = 0;
        dispute.votesInvalid = 0;
        dispute.round++;
        emit BatchChallenged(index, msg.sender, leafIndex, slot, chainId, number);
    }

    /// @notice An arbiter's ruling on the challenged block: did the asserter's block transition hold?
    function rule(uint256 index, bool assertionValid) external {
        require(isArbiter[msg.sender], "Settlement: not an arbiter");
        if (index >= _batches.length) revert(_unknown(index));
        Batch storage batch = _batches[index];
        require(batch.status == Status.Challenged, string.concat("Settlement: batch ", Strings.toString(index), " is not challenged"));
        Dispute storage dispute = disputes[index];
        require(block.timestamp < uint256(dispute.openedAt) + arbitrationTimeout, "Settlement: arbitration timed out");
        require(!_voted[index][dispute.round][msg.sender], "Settlement: arbiter already voted");
        _voted[index][dispute.round][msg.sender] = true;
        emit ArbiterVoted(index, msg.sender, assertionValid);
        if (assertionValid) {
            if (++dispute.votesValid < quorum) return;
            // The challenger loses: its bond goes to the asserter, and the batch is pending again.
            batch.status = Status.Pending;
            emit DisputeResolved(index, true, batch.asserter, challengeBond);
            _pay(batch.asserter, challengeBond);
        } else {
            if (++dispute.votesInvalid < quorum) return;
            // The asserter loses: both bonds go to the challenger, this batch and every later one are void.
            batch.status = Status.Rejected;
            nextSlot = batch.firstSlot;
            address winner = dispute.challenger;
            for (uint256 later = index + 1; later < _batches.length; later++) {
                Batch storage orphan = _batches[later];
                if (orphan.status == Status.Rejected) continue;
                if (orphan.status == Status.Challenged) _pay(disputes[later].challenger, challengeBond);
                orphan.status = Status.Rejected;
                emit BatchVoided(later);
                _pay(orphan.asserter, assertionBond);
            }
            emit DisputeResolved(index, false, winner, assertionBond + challengeBond);
            _pay(winner, assertionBond + challengeBond);
        }
    }

    /// @notice Anyone, once the arbiters missed their timeout: the challenger's bond returns and the batch is pending again.
    function timeoutDispute(uint256 index) external {
        if (index >= _batches.length) revert(_unknown(index));
        Batch storage batch = _batches[index];
        require(batch.status == Status.Challenged, string.concat("Settlement: batch ", Strings.toString(index), " is not challenged"));
        Dispute storage dispute = disputes[index];
        require(block.timestamp >= uint256(dispute.openedAt) + arbitrationTimeout, "Settlement: arbitration still running");
        batch.status = Status.Pending;
        emit DisputeTimedOut(index, dispute.challenger);
        _pay(dispute.challenger, challengeBond);
    }

    /// @notice Anyone: finalises the oldest unfinalised batch once its window passed unchallenged; the bond returns.
    function finalize(uint256 index) external {
        if (index >= _batches.length) revert(_unknown(index));
        while (finalizedCount < index && _batches[finalizedCount].status == Status.Rejected) finalizedCount++;
        require(index == finalizedCount, string.concat("Settlement: batch ", Strings.toString(finalizedCount), " is not final yet"));
        Batch storage batch = _batches[index];
        require(batch.status == Status.Pending, string.concat("Settlement: batch ", Strings.toString(index), " is not pending"));
        require(
            block.timestamp >= uint256(batch.assertedAt) + challengeWindow,
            string.concat("Settlement: the challenge window of batch ", Strings.toString(index), " is still open")
        );
        batch.status = Status.Finalized;
        finalizedCount = index + 1;
        emit BatchFinalized(index, batch.lastSlot);
        _pay(batch.asserter, assertionBond);
    }

    function leafOf(uint64 slot, uint64 chainId, uint64 number, bytes32 blockHash, bytes32 stateRoot) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(slot, chainId, number, blockHash, stateRoot))));
    }

    /// @dev The commutative Merkle root of MerkleProof: pairs hashed sorted, an odd node carried up.
    function _root(bytes32[] calldata leaves) private pure returns (bytes32) {
        uint256 n = leaves.length;
        bytes32[] memory level = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) level[i] = leaves[i];
        while (n > 1) {
            uint256 half = (n + 1) / 2;
            for (uint256 i = 0; i < n / 2; i++) {
                bytes32 a = level[2 * i];
                bytes32 b = level[2 * i + 1];
                level[i] = a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
            }
            if (n % 2 == 1) level[half - 1] = level[n - 1];
            n = half;
        }
        return level[0];
    }

    function _pay(address to, uint256 amount) private {
        if (amount == 0) return;
        (bool ok,) = payable(to).call{value: amount}("");
        require(ok, "Settlement: payment failed");
    }

    function _unknown(uint256 index) private pure returns (string memory) {
        return string.concat("Settlement: no batch ", Strings.toString(index));
    }
}
