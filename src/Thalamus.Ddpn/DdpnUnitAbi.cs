using Thalamus.Core;

namespace Thalamus.Ddpn;

/// <summary>The virtualization unit's ABI (contracts/src/ddpn/IDdpnUnit.sol is the Solidity view of it).</summary>
public static class DdpnUnitAbi
{
    public const string BeginSubmission = "beginSubmission(bytes)";
    public const string ContinueSubmission = "continueSubmission(bytes32,bytes)";
    public const string GetSubmission = "getSubmission(bytes32)";
    public const string RegisterProgram = "registerProgram(bytes32)";
    public const string CreateJob = "createJob(bytes32,bytes32[],uint256,uint256)";
    public const string Run = "run(bytes32,uint256)";
    public const string Transfer = "transfer(bytes32,uint256)";
    public const string ImportJob = "importJob(bytes32,bytes,bytes)";
    public const string CreateJoin = "createJoin(bytes32,bytes32[],bytes32[],uint256)";
    public const string GetJob = "getJob(bytes32)";
    public const string GetExecution = "getExecution(bytes32,uint256)";
    public const string GetOutput = "getOutput(bytes32)";
    public const string GetState = "getState(bytes32)";
    public const string MemoryLimit = "memoryLimit()";

    public static readonly AbiSelector BeginSubmissionSelector = Abi.Selector(BeginSubmission);
    public static readonly AbiSelector ContinueSubmissionSelector = Abi.Selector(ContinueSubmission);
    public static readonly AbiSelector GetSubmissionSelector = Abi.Selector(GetSubmission);
    public static readonly AbiSelector RegisterProgramSelector = Abi.Selector(RegisterProgram);
    public static readonly AbiSelector CreateJobSelector = Abi.Selector(CreateJob);
    public static readonly AbiSelector RunSelector = Abi.Selector(Run);
    public static readonly AbiSelector TransferSelector = Abi.Selector(Transfer);
    public static readonly AbiSelector ImportJobSelector = Abi.Selector(ImportJob);
    public static readonly AbiSelector CreateJoinSelector = Abi.Selector(CreateJoin);
    public static readonly AbiSelector GetJobSelector = Abi.Selector(GetJob);
    public static readonly AbiSelector GetExecutionSelector = Abi.Selector(GetExecution);
    public static readonly AbiSelector GetOutputSelector = Abi.Selector(GetOutput);
    public static readonly AbiSelector GetStateSelector = Abi.Selector(GetState);
    public static readonly AbiSelector MemoryLimitSelector = Abi.Selector(MemoryLimit);

    // The logger's events.
    public static readonly Hash256 ChunkAccepted = Abi.EventTopic("ChunkAccepted(bytes32,uint256,uint256,bytes32)");
    public static readonly Hash256 SubmissionComplete = Abi.EventTopic("SubmissionComplete(bytes32,bytes32,uint256)");
    public static readonly Hash256 ProgramRegistered = Abi.EventTopic("ProgramRegistered(bytes32,bytes32)");
    public static readonly Hash256 JobCreated = Abi.EventTopic("JobCreated(bytes32,bytes32,bytes32,bytes32,uint256)");
    public static readonly Hash256 Executed = Abi.EventTopic("Executed(bytes32,bytes32,bytes32,uint256,uint256,uint256,uint256)");
    public static readonly Hash256 JobFinished = Abi.EventTopic("JobFinished(bytes32,uint256,uint256,bytes32)");
    public static readonly Hash256 StateExported = Abi.EventTopic("StateExported(bytes32,uint256,bytes32)");
    public static readonly Hash256 StateImported = Abi.EventTopic("StateImported(bytes32,uint256,bytes32)");
}

/// <summary>Where a job is, from one unit's point of view.</summary>
public enum DdpnJobLocation
{
    Unknown = 0,
    /// <summary>Its machine state is on this chain.</summary>
    Here = 1,
    /// <summary>Its state moved to another chain (<see cref="DdpnJobInfo.TransferredTo"/>).</summary>
    Moved = 2,
}

/// <summary>What a job is: the whole program, one independent segment, or the join of segments.</summary>
public enum DdpnJobKind
{
    Main = 0,
    Segment = 1,
    Join = 2,
}

/// <summary>A job as <c>getJob</c> returns it.</summary>
public sealed record DdpnJobInfo(
    DdpnJobLocation Location, Dlx.DlxStatus Status, Dlx.DlxFault Fault, Hash256 ProgramHash, Hash256 InputHash,
    Hash256 StateHash, Hash256 OutputHash, ulong DlxGasUsed, ulong Instructions, ulong Runs, ulong TransferredTo,
    DdpnJobKind Kind, ulong Segment)
{
    public static DdpnJobInfo Decode(ReadOnlySpan<byte> data)
    {
        var r = new AbiReader(data);
        return new DdpnJobInfo((DdpnJobLocation)r.UInt64(0), (Dlx.DlxStatus)r.UInt64(1), (Dlx.DlxFault)r.UInt64(2), r.Bytes32(3),
            r.Bytes32(4), r.Bytes32(5), r.Bytes32(6), r.UInt64(7), r.UInt64(8), r.UInt64(9), r.UInt64(10), (DdpnJobKind)r.UInt64(11), r.UInt64(12));
    }
}
