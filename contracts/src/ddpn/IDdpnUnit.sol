// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IDdpnUnit: the DLX virtualization unit of a Thalamus member chain (docs/ddpn.md).
/// @notice Native (implemented by the node, Thalamus.Ddpn.VirtualizationUnit) at
/// 0x4200000000000000000000000000000000000050 on every member chain: manager (chained submission,
/// program registry, jobs, execution transfer, join), simulator (DLX runs metered at 4 DLX gas per EVM
/// gas) and logger (hashes of program, input, state before/after, output; the events below).
/// Call it without value. Refusals revert with Error("DDPN: ...").
interface IDdpnUnit {
    event ChunkAccepted(bytes32 indexed submission, uint256 index, uint256 count, bytes32 chunkHash);
    event SubmissionComplete(bytes32 indexed submission, bytes32 dataHash, uint256 size);
    event ProgramRegistered(bytes32 indexed submission, bytes32 programHash);
    event JobCreated(bytes32 indexed job, bytes32 programHash, bytes32 inputHash, bytes32 stateHash, uint256 kind);
    event Executed(bytes32 indexed job, bytes32 stateBefore, bytes32 stateAfter, uint256 dlxGas, uint256 instructions, uint256 evmGas, uint256 status);
    event JobFinished(bytes32 indexed job, uint256 status, uint256 fault, bytes32 outputHash);
    event StateExported(bytes32 indexed job, uint256 destinationChainId, bytes32 stateHash);
    event StateImported(bytes32 indexed job, uint256 sourceChainId, bytes32 stateHash);

    /// @notice The first chunk of a DlxChunker submission ("DLXC" header); the id is its SHA-256.
    function beginSubmission(bytes calldata firstChunk) external returns (bytes32 id);
    /// @notice The next chunk; it must hash to the link at the end of the previous chunk.
    function continueSubmission(bytes32 id, bytes calldata chunk) external returns (uint256 index);
    function getSubmission(bytes32 id)
        external view returns (uint256 count, uint256 received, uint256 limit, uint256 size, bytes32 dataHash, bool complete);

    /// @notice Registers a complete submission as a DLX program (it must parse as a program image).
    function registerProgram(bytes32 submission) external returns (bytes32 programHash);
    /// @notice A machine for the program on these inputs (segment 0: the whole program; k: independent segment k).
    function createJob(bytes32 program, bytes32[] calldata inputs, uint256 dlxGasLimit, uint256 segment) external returns (bytes32 job);
    /// @notice Runs the job for at most maxDlxGas (and what the call's gas buys).
    function run(bytes32 job, uint256 maxDlxGas) external returns (uint256 status, uint256 dlxGas, uint256 instructions);
    /// @notice Moves the job's machine state to the unit of another member chain (a synchronous cross-chain call).
    function transfer(bytes32 job, uint256 destinationChainId) external returns (bytes32 stateHash);
    /// @notice Only the unit of another member chain, through crossCall.
    function importJob(bytes32 job, bytes calldata state, bytes calldata meta) external returns (bytes32 stateHash);
    /// @notice The join of the program's halted independent segments, all present on this chain.
    function createJoin(bytes32 program, bytes32[] calldata inputs, bytes32[] calldata segmentJobs, uint256 dlxGasLimit)
        external returns (bytes32 job);

    function getJob(bytes32 job)
        external view returns (
            uint256 location, uint256 status, uint256 fault, bytes32 programHash, bytes32 inputHash, bytes32 stateHash,
            bytes32 outputHash, uint256 dlxGasUsed, uint256 instructions, uint256 runs, uint256 transferredTo, uint256 kind, uint256 segment);
    function getExecution(bytes32 job, uint256 run) external view returns (bytes32 stateBefore, bytes32 stateAfter);
    function getOutput(bytes32 job) external view returns (bytes memory);
    function getState(bytes32 job) external view returns (bytes memory);
    function memoryLimit() external view returns (uint256);
}
