using System.Buffers.Binary;
using System.Security.Cryptography;
using Thalamus.Core;
using Thalamus.Dlx;
using Thalamus.Evm;
using Thalamus.Evm.Precompiles;
using Thalamus.State;

namespace Thalamus.Ddpn;

/// <summary>
/// The DLX virtualization unit of one chain (docs/ddpn.md), a native contract at <see cref="DdpnAddresses.Unit"/>:
/// the <b>manager</b> (chained submission of programs and inputs, the program registry, jobs, execution
/// transfer to another chain's unit through a synchronous cross-chain call, the join of independent segments),
/// the <b>simulator</b> (runs a job's DLX machine for a budget, metered at <see cref="DdpnGas.DlxGasPerEvmGas"/>
/// DLX gas per EVM gas, with the memory limit of this chain's profile) and the <b>logger</b> (stores the
/// SHA-256 of the program, the input, the machine state before and after every run and the output, and
/// emits an event for each). Everything lives in the unit's own account storage; refusals revert with
/// <c>Error("DDPN: …")</c>.
/// </summary>
public sealed class VirtualizationUnit(ulong chainId, uint memoryLimit) : NativeContract(DdpnAddresses.Unit)
{
    // Record tags (UnitStorage.Slot(tag, id)).
    private const byte SubmissionTag = 1, ChunksTag = 2, JobTag = 3, StateTag = 4, OutputTag = 5, ExecutionTag = 6, ProgramTag = 7, CounterTag = 8;

    // Submission record fields.
    private const ulong SCount = 0, SReceived = 1, SLimit = 2, STotal = 3, SNextLink = 4, SDataHash = 5, SComplete = 6, SChunkBytes = 7;

    // Job record fields.
    private const ulong JLocation = 0, JProgramId = 1, JProgramHash = 2, JInputHash = 3, JStateHash = 4, JOutputHash = 5, JStatus = 6,
        JFault = 7, JGasUsed = 8, JInstructions = 9, JRuns = 10, JTransferredTo = 11, JKind = 12, JSegment = 13;

    public ulong ChainId => chainId;

    public uint MemoryLimit => memoryLimit;

    public override bool IsPrecompile => false;

    public override bool WarmAtTransactionStart => false;

    public override PrecompileResult Run(in NativeCall call)
    {
        var meter = new Meter(call.Gas);
        var logs = new List<LogEntry>();
        try
        {
            meter.Charge(DdpnGas.Base);
            var storage = new UnitStorage(call.State, meter);
            var output = Dispatch(call, storage, logs);
            return new PrecompileResult(true, meter.Used, output) { Logs = logs };
        }
        catch (DdpnOutOfGasException)
        {
            return PrecompileResult.Failure(call.Gas);
        }
        catch (DdpnRevertException e)
        {
            return PrecompileResult.Reverted(Math.Min(meter.Used, call.Gas), Abi.EncodeError(e.Message));
        }
        catch (AbiException e)
        {
            return PrecompileResult.Reverted(Math.Min(meter.Used, call.Gas), Abi.EncodeError("DDPN: malformed call: " + e.Message));
        }
    }

    private byte[] Dispatch(in NativeCall call, UnitStorage storage, List<LogEntry> logs)
    {
        var input = call.Input;
        if (AbiReader.TryCall(input, DdpnUnitAbi.GetJobSelector, out var args)) return GetJob(storage, args.Bytes32(0));
        if (AbiReader.TryCall(input, DdpnUnitAbi.GetExecutionSelector, out args)) return GetExecution(storage, args.Bytes32(0), args.UInt64(1));
        if (AbiReader.TryCall(input, DdpnUnitAbi.GetOutputSelector, out args)) return Abi.Encode(AbiValue.Bytes(storage.ReadBlob(UnitStorage.Slot(OutputTag, args.Bytes32(0)))));
        if (AbiReader.TryCall(input, DdpnUnitAbi.GetStateSelector, out args)) return Abi.Encode(AbiValue.Bytes(storage.ReadBlob(UnitStorage.Slot(StateTag, args.Bytes32(0)))));
        if (AbiReader.TryCall(input, DdpnUnitAbi.GetSubmissionSelector, out args)) return GetSubmission(storage, args.Bytes32(0));
        if (AbiReader.TryCall(input, DdpnUnitAbi.MemoryLimitSelector, out _)) return Abi.Encode((ulong)memoryLimit);

        if (call.IsStatic) throw new DdpnRevertException("a state-changing call in a static context");
        if (AbiReader.TryCall(input, DdpnUnitAbi.BeginSubmissionSelector, out args)) return BeginSubmission(storage, logs, args.BytesSpan(0));
        if (AbiReader.TryCall(input, DdpnUnitAbi.ContinueSubmissionSelector, out args)) return ContinueSubmission(storage, logs, args.Bytes32(0), args.BytesSpan(1));
        if (AbiReader.TryCall(input, DdpnUnitAbi.RegisterProgramSelector, out args)) return RegisterProgram(storage, logs, args.Bytes32(0));
        if (AbiReader.TryCall(input, DdpnUnitAbi.CreateJobSelector, out args))
            return CreateJob(storage, logs, args.Bytes32(0), ReadIds(args, 1), args.Word(2), args.Word(3));
        if (AbiReader.TryCall(input, DdpnUnitAbi.RunSelector, out args)) return RunJob(storage, logs, args.Bytes32(0), args.Word(1));
        if (AbiReader.TryCall(input, DdpnUnitAbi.TransferSelector, out args)) return Transfer(call, storage, logs, args.Bytes32(0), args.Word(1));
        if (AbiReader.TryCall(input, DdpnUnitAbi.ImportJobSelector, out args)) return ImportJob(call, storage, logs, args.Bytes32(0), args.BytesSpan(1), args.BytesSpan(2));
        if (AbiReader.TryCall(input, DdpnUnitAbi.CreateJoinSelector, out args))
            return CreateJoin(storage, logs, args.Bytes32(0), ReadIds(args, 1), ReadIds(args, 2), args.Word(3));
        throw new DdpnRevertException(input.Length < 4 ? "no function selector" : $"unknown function selector 0x{Convert.ToHexStringLower(input.AsSpan(0, 4))}");
    }

    private static Hash256[] ReadIds(AbiReader args, int index)
    {
        var items = args.Array(index, out var count);
        if (count > 1024) throw new DdpnRevertException($"{count} ids in one call; at most 1024");
        var ids = new Hash256[count];
        for (var i = 0; i < count; i++) ids[i] = items.Bytes32(i);
        return ids;
    }

    // ---- chained submission -------------------------------------------------------------------------

    private static byte[] BeginSubmission(UnitStorage storage, List<LogEntry> logs, ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length < DlxChunker.FixedHeaderSize || !chunk[..4].SequenceEqual("DLXC"u8))
            throw new DdpnRevertException("the first chunk does not start with the 'DLXC' header (not the first chunk of a chained submission, or tampered)");
        if (chunk[4] != 1) throw new DdpnRevertException($"chunk 1: unsupported version {chunk[4]}");
        uint limit = BinaryPrimitives.ReadUInt32BigEndian(chunk[6..]);
        uint total = BinaryPrimitives.ReadUInt32BigEndian(chunk[10..]);
        uint count = BinaryPrimitives.ReadUInt32BigEndian(chunk[14..]);
        if (count == 0 || count > 1_000_000) throw new DdpnRevertException($"chunk 1 announces {count} chunks");
        if (total > 256u << 20) throw new DdpnRevertException($"chunk 1 announces {total} bytes; at most 256 MiB");
        var id = storage.Sha256(chunk);
        var record = UnitStorage.Slot(SubmissionTag, id);
        if (storage.GetUInt64(UnitStorage.At(record, SCount)) != 0) throw new DdpnRevertException($"submission {id} already exists");
        if (count > 1)
        {
            if (chunk.Length != limit)
                throw new DdpnRevertException($"chunk 1 is {chunk.Length} bytes; every chunk but the last must be exactly the limit ({limit} bytes)");
            if (limit < DlxChunker.MinimumLimit(0)) throw new DdpnRevertException($"a limit of {limit} bytes is too small");
        }
        storage.WriteBytes(UnitStorage.Slot(ChunksTag, id), 0, chunk);
        storage.Set(UnitStorage.At(record, SCount), count);
        storage.Set(UnitStorage.At(record, SReceived), 1UL);
        storage.Set(UnitStorage.At(record, SLimit), limit);
        storage.Set(UnitStorage.At(record, STotal), total);
        storage.Set(UnitStorage.At(record, SChunkBytes), (ulong)chunk.Length);
        if (count > 1) storage.Set(UnitStorage.At(record, SNextLink), new Hash256(chunk[^32..]));
        Log(storage, logs, DdpnUnitAbi.ChunkAccepted, id, Abi.Encode(1UL, (ulong)count, id));
        if (count == 1) Complete(storage, logs, id, record, 1, limit);
        return Abi.Encode(id);
    }

    private static byte[] ContinueSubmission(UnitStorage storage, List<LogEntry> logs, Hash256 id, ReadOnlySpan<byte> chunk)
    {
        var record = UnitStorage.Slot(SubmissionTag, id);
        var count = storage.GetUInt64(UnitStorage.At(record, SCount));
        if (count == 0) throw new DdpnRevertException($"unknown submission {id}: send its first chunk with beginSubmission");
        var received = storage.GetUInt64(UnitStorage.At(record, SReceived));
        if (received >= count) throw new DdpnRevertException($"submission {id} is complete: all {count} chunks were received (an extra chunk)");
        var limit = storage.GetUInt64(UnitStorage.At(record, SLimit));
        var k = received + 1;
        var last = k == count;
        if (!last && (ulong)chunk.Length != limit)
            throw new DdpnRevertException($"chunk {k} is {chunk.Length} bytes; every chunk but the last must be exactly the limit ({limit} bytes)");
        if (last && (chunk.Length == 0 || (ulong)chunk.Length > limit))
            throw new DdpnRevertException($"chunk {k} (the last) is {chunk.Length} bytes; it must be 1 to {limit}");
        var hash = storage.Sha256(chunk);
        if (hash != storage.GetHash(UnitStorage.At(record, SNextLink)))
            throw new DdpnRevertException($"chunk {k} does not match the SHA-256 link in chunk {k - 1} (tampered, reordered or missing chunk)");
        storage.WriteBytes(UnitStorage.Slot(ChunksTag, id), (long)(received * limit), chunk);
        storage.Set(UnitStorage.At(record, SReceived), k);
        storage.Set(UnitStorage.At(record, SChunkBytes), received * limit + (ulong)chunk.Length);
        if (!last) storage.Set(UnitStorage.At(record, SNextLink), new Hash256(chunk[^32..]));
        Log(storage, logs, DdpnUnitAbi.ChunkAccepted, id, Abi.Encode(k, count, hash));
        if (last) Complete(storage, logs, id, record, count, limit);
        return Abi.Encode(k);
    }

    private static void Complete(UnitStorage storage, List<LogEntry> logs, Hash256 id, UInt256 record, ulong count, ulong limit)
    {
        var data = ReassembleChunks(storage, id, record, count, limit);
        var dataHash = storage.Sha256(data);
        storage.Set(UnitStorage.At(record, SDataHash), dataHash);
        storage.Set(UnitStorage.At(record, SComplete), 1UL);
        Log(storage, logs, DdpnUnitAbi.SubmissionComplete, id, Abi.Encode(dataHash, (ulong)data.Length));
    }

    private static byte[] ReassembleChunks(UnitStorage storage, Hash256 id, UInt256 record, ulong count, ulong limit)
    {
        var length = storage.GetUInt64(UnitStorage.At(record, SChunkBytes));
        var bytes = storage.ReadBytes(UnitStorage.Slot(ChunksTag, id), 0, checked((int)length));
        var chunks = new byte[count][];
        for (ulong i = 0; i < count; i++)
        {
            var start = (int)(i * limit);
            var end = i == count - 1 ? bytes.Length : (int)((i + 1) * limit);
            chunks[i] = bytes[start..end];
        }
        storage.Meter.Charge(DdpnGas.Hash(bytes.Length));
        try
        {
            return DlxChunker.Reassemble(chunks).Program;
        }
        catch (DlxChunkException e)
        {
            throw new DdpnRevertException($"submission {id}: {e.Message}");
        }
    }

    /// <summary>The bytes of a complete submission.</summary>
    private static byte[] SubmissionData(UnitStorage storage, Hash256 id, string what)
    {
        var record = UnitStorage.Slot(SubmissionTag, id);
        var count = storage.GetUInt64(UnitStorage.At(record, SCount));
        if (count == 0) throw new DdpnRevertException($"{what} {id} is not a submission on this chain");
        if (storage.GetUInt64(UnitStorage.At(record, SComplete)) == 0)
            throw new DdpnRevertException($"{what} {id} is incomplete: {storage.GetUInt64(UnitStorage.At(record, SReceived))} of {count} chunks received");
        return ReassembleChunks(storage, id, record, count, storage.GetUInt64(UnitStorage.At(record, SLimit)));
    }

    private static byte[] GetSubmission(UnitStorage storage, Hash256 id)
    {
        var record = UnitStorage.Slot(SubmissionTag, id);
        return Abi.Encode(storage.GetUInt64(UnitStorage.At(record, SCount)), storage.GetUInt64(UnitStorage.At(record, SReceived)),
            storage.GetUInt64(UnitStorage.At(record, SLimit)), storage.GetUInt64(UnitStorage.At(record, STotal)),
            storage.GetHash(UnitStorage.At(record, SDataHash)), storage.GetUInt64(UnitStorage.At(record, SComplete)) != 0);
    }

    // ---- program registry and jobs -------------------------------------------------------------------

    private static byte[] RegisterProgram(UnitStorage storage, List<LogEntry> logs, Hash256 id)
    {
        var data = SubmissionData(storage, id, "program");
        var image = ParseProgram(id, data);
        var programHash = storage.Sha256(image.ToBytes());
        storage.Set(UnitStorage.Slot(ProgramTag, id), programHash);
        Log(storage, logs, DdpnUnitAbi.ProgramRegistered, id, Abi.Encode(programHash));
        return Abi.Encode(programHash);
    }

    private static DlxProgramImage ParseProgram(Hash256 id, byte[] data)
    {
        try
        {
            return DlxProgramImage.Parse(data);
        }
        catch (Exception e) when (e is DlxImageException or ArgumentException or FormatException)
        {
            throw new DdpnRevertException($"submission {id} is not a DLX program image: {e.Message}");
        }
    }

    private static (DlxProgramImage Image, Hash256 ProgramHash) RegisteredProgram(UnitStorage storage, Hash256 programId)
    {
        var programHash = storage.GetHash(UnitStorage.Slot(ProgramTag, programId));
        if (programHash.IsZero) throw new DdpnRevertException($"program {programId} is not registered on this chain (registerProgram)");
        return (ParseProgram(programId, SubmissionData(storage, programId, "program")), programHash);
    }

    private static (byte[][] Inputs, Hash256 InputHash) Inputs(UnitStorage storage, Hash256[] ids)
    {
        var inputs = new byte[ids.Length][];
        for (var i = 0; i < ids.Length; i++) inputs[i] = SubmissionData(storage, ids[i], $"input {i}");
        return (inputs, InputHash(storage, inputs));
    }

    /// <summary>The logger's input hash: SHA-256 of the concatenated SHA-256 of every input, in order.</summary>
    public static Hash256 InputHashOf(IReadOnlyList<byte[]> inputs)
    {
        var hashes = new byte[32 * inputs.Count];
        for (var i = 0; i < inputs.Count; i++) SHA256.HashData(inputs[i], hashes.AsSpan(32 * i));
        return new Hash256(SHA256.HashData(hashes));
    }

    private static Hash256 InputHash(UnitStorage storage, IReadOnlyList<byte[]> inputs)
    {
        foreach (var input in inputs) storage.Meter.Charge(DdpnGas.Hash(input.Length));
        storage.Meter.Charge(DdpnGas.Hash(32 * inputs.Count));
        return InputHashOf(inputs);
    }

    private static long GasLimitOf(in UInt256 gasLimit)
    {
        if (gasLimit.IsZero || !gasLimit.IsUInt64 || (ulong)gasLimit > (ulong)DlxGasSchedule.MaxGasLimit)
            throw new DdpnRevertException($"a job's DLX gas limit must be 1 to {DlxGasSchedule.MaxGasLimit}, not {gasLimit}");
        return (long)(ulong)gasLimit;
    }

    private byte[] CreateJob(UnitStorage storage, List<LogEntry> logs, Hash256 programId, Hash256[] inputIds, UInt256 gasLimit, UInt256 segment)
    {
        var limit = GasLimitOf(gasLimit);
        var (image, programHash) = RegisteredProgram(storage, programId);
        var (inputs, inputHash) = Inputs(storage, inputIds);
        uint? entry = null;
        var kind = DdpnJobKind.Main;
        if (!segment.IsZero)
        {
            if (!segment.IsUInt64 || (ulong)segment > (ulong)image.SegmentEntries.Count)
                throw new DdpnRevertException($"program {programId} has {image.SegmentEntries.Count} independent segments, not a segment {segment}");
            entry = image.SegmentEntries[(int)(ulong)segment - 1];
            kind = DdpnJobKind.Segment;
        }
        return Abi.Encode(NewJob(storage, logs, image, programId, programHash, inputs, inputHash, limit, entry, null, kind, segment.IsUInt64 ? (ulong)segment : 0));
    }

    private Hash256 NewJob(UnitStorage storage, List<LogEntry> logs, DlxProgramImage image, Hash256 programId, Hash256 programHash,
        byte[][] inputs, Hash256 inputHash, long gasLimit, uint? entry, IReadOnlyDictionary<uint, byte[]>? initialStorage, DdpnJobKind kind, ulong segment)
    {
        DlxMachine machine;
        try
        {
            machine = DlxMachine.Load(image, inputs, new DlxMachineOptions { MemoryLimit = memoryLimit, GasLimit = gasLimit }, initialStorage, entry);
        }
        catch (Exception e) when (e is DlxImageException or ArgumentException)
        {
            throw new DdpnRevertException($"program {programId} cannot be loaded on chain {chainId} (memory limit {memoryLimit} bytes): {e.Message}");
        }
        var counterSlot = UnitStorage.Slot(CounterTag, Hash256.Zero);
        var counter = storage.GetUInt64(counterSlot) + 1;
        storage.Set(counterSlot, counter);
        Span<byte> seed = stackalloc byte[8 + 8 + 8];
        "DDPN-job"u8.CopyTo(seed);
        BinaryPrimitives.WriteUInt64BigEndian(seed[8..], chainId);
        BinaryPrimitives.WriteUInt64BigEndian(seed[16..], counter);
        var job = storage.Sha256(seed);

        var state = machine.SaveState();
        var stateHash = storage.Sha256(state);
        storage.WriteBlob(UnitStorage.Slot(StateTag, job), state);
        var record = UnitStorage.Slot(JobTag, job);
        storage.Set(UnitStorage.At(record, JLocation), (ulong)DdpnJobLocation.Here);
        storage.Set(UnitStorage.At(record, JProgramId), programId);
        storage.Set(UnitStorage.At(record, JProgramHash), programHash);
        storage.Set(UnitStorage.At(record, JInputHash), inputHash);
        storage.Set(UnitStorage.At(record, JStateHash), stateHash);
        storage.Set(UnitStorage.At(record, JStatus), (ulong)machine.Status);
        storage.Set(UnitStorage.At(record, JKind), (ulong)kind);
        storage.Set(UnitStorage.At(record, JSegment), segment);
        Log(storage, logs, DdpnUnitAbi.JobCreated, job, Abi.Encode(programHash, inputHash, stateHash, (ulong)kind));
        return job;
    }

    private UInt256 RecordHere(UnitStorage storage, Hash256 job)
    {
        var record = UnitStorage.Slot(JobTag, job);
        switch ((DdpnJobLocation)storage.GetUInt64(UnitStorage.At(record, JLocation)))
        {
            case DdpnJobLocation.Here: return record;
            case DdpnJobLocation.Moved:
                throw new DdpnRevertException($"job {job} moved to chain {storage.GetUInt64(UnitStorage.At(record, JTransferredTo))}");
            default: throw new DdpnRevertException($"unknown job {job} on chain {chainId}");
        }
    }

    private static bool IsFinished(DlxStatus status) => status is DlxStatus.Halted or DlxStatus.Faulted or DlxStatus.OutOfGas;

    private byte[] RunJob(UnitStorage storage, List<LogEntry> logs, Hash256 job, UInt256 maxDlxGas)
    {
        var record = RecordHere(storage, job);
        var status = (DlxStatus)storage.GetUInt64(UnitStorage.At(record, JStatus));
        if (IsFinished(status)) throw new DdpnRevertException($"job {job} has finished ({status})");
        if (maxDlxGas.IsZero) throw new DdpnRevertException("a run needs a DLX gas budget of at least 1");
        var stateSlot = UnitStorage.Slot(StateTag, job);
        var state = storage.ReadBlob(stateSlot);
        var before = storage.GetHash(UnitStorage.At(record, JStateHash));
        var machine = DlxMachine.Restore(state);

        // Keep back what saving the state can cost (its words read, 64 KiB of growth written, hashing, the record and logs).
        var growth = 64 * 1024;
        var reserve = DdpnGas.WordRead * ((state.Length + 31) / 32) + (DdpnGas.WordRead + DdpnGas.WordWrite) * (growth / 32)
            + DdpnGas.Hash(state.Length + growth) * 2 + 60_000;
        var available = storage.Meter.Left - reserve;
        if (available <= 0) throw new DdpnRevertException($"not enough gas to run job {job}: saving its {state.Length}-byte state needs about {reserve} gas");
        var budget = available > long.MaxValue / DdpnGas.DlxGasPerEvmGas ? long.MaxValue : available * DdpnGas.DlxGasPerEvmGas;
        if (maxDlxGas.IsUInt64 && (ulong)maxDlxGas < (ulong)budget) budget = (long)(ulong)maxDlxGas;
        var result = machine.Run(new DlxRunLimits(MaxGas: budget));
        storage.Meter.Charge(DdpnGas.Dlx(result.Gas));

        var after = Save(storage, record, job, machine);
        Finish(storage, logs, record, job, machine);
        var runs = storage.GetUInt64(UnitStorage.At(record, JRuns));
        var execution = UnitStorage.Slot(ExecutionTag, job);
        storage.Set(UnitStorage.At(execution, 2 * runs), before);
        storage.Set(UnitStorage.At(execution, 2 * runs + 1), after);
        storage.Set(UnitStorage.At(record, JRuns), runs + 1);
        Log(storage, logs, DdpnUnitAbi.Executed, job,
            Abi.Encode(before, after, (ulong)result.Gas, (ulong)result.Instructions, (ulong)DdpnGas.Dlx(result.Gas), (ulong)machine.Status));
        return Abi.Encode((ulong)machine.Status, (ulong)result.Gas, (ulong)result.Instructions);
    }

    /// <summary>Stores the machine's state, status and counters (and its output once finished); returns the state hash.</summary>
    private static Hash256 Save(UnitStorage storage, UInt256 record, Hash256 job, DlxMachine machine)
    {
        var state = machine.SaveState();
        var hash = storage.Sha256(state);
        storage.WriteBlob(UnitStorage.Slot(StateTag, job), state);
        storage.Set(UnitStorage.At(record, JStateHash), hash);
        storage.Set(UnitStorage.At(record, JStatus), (ulong)machine.Status);
        storage.Set(UnitStorage.At(record, JFault), (ulong)machine.Fault);
        storage.Set(UnitStorage.At(record, JGasUsed), (ulong)machine.GasUsed);
        storage.Set(UnitStorage.At(record, JInstructions), (ulong)machine.Instructions);
        return hash;
    }

    private static void Finish(UnitStorage storage, List<LogEntry> logs, UInt256 record, Hash256 job, DlxMachine machine)
    {
        if (!IsFinished(machine.Status)) return;
        var output = machine.Output;
        var outputHash = storage.Sha256(output);
        storage.WriteBlob(UnitStorage.Slot(OutputTag, job), output);
        storage.Set(UnitStorage.At(record, JOutputHash), outputHash);
        Log(storage, logs, DdpnUnitAbi.JobFinished, job, Abi.Encode((ulong)machine.Status, (ulong)machine.Fault, outputHash));
    }

    // ---- execution transfer ----------------------------------------------------------------------------

    private byte[] Transfer(in NativeCall call, UnitStorage storage, List<LogEntry> logs, Hash256 job, UInt256 destination)
    {
        var record = RecordHere(storage, job);
        if (!destination.IsUInt64 || (ulong)destination == chainId)
            throw new DdpnRevertException($"cannot transfer job {job} to chain {destination}: not another chain of the cluster");
        var dest = (ulong)destination;
        if (call.Block.CrossChainCalls is not { } handler) throw new DdpnRevertException("this chain has no synchronous cross-chain calls (not in a cluster)");
        var state = storage.ReadBlob(UnitStorage.Slot(StateTag, job));
        var stateHash = storage.GetHash(UnitStorage.At(record, JStateHash));
        var meta = Abi.Encode(storage.GetHash(UnitStorage.At(record, JProgramId)), storage.GetHash(UnitStorage.At(record, JProgramHash)),
            storage.GetHash(UnitStorage.At(record, JInputHash)), storage.GetUInt64(UnitStorage.At(record, JKind)),
            storage.GetUInt64(UnitStorage.At(record, JSegment)), storage.GetUInt64(UnitStorage.At(record, JRuns)));
        var inner = Abi.Call(DdpnUnitAbi.ImportJob, job, AbiValue.Bytes(state), AbiValue.Bytes(meta));
        var crossCall = Abi.Call("crossCall(uint256,address,bytes)", dest, DdpnAddresses.Unit, AbiValue.Bytes(inner));
        var forward = storage.Meter.Left - DdpnGas.TransferReserve;
        if (forward < 100_000) throw new DdpnRevertException($"not enough gas to transfer job {job}");
        var result = handler.Call(call.State, DdpnAddresses.Unit, crossCall, forward, false);
        storage.Meter.Charge(result.GasUsed);
        if (!result.Success) throw new DdpnRevertException($"the transfer of job {job} to chain {dest} failed (out of gas?)");
        var answer = new AbiReader(result.Output);
        if (!answer.Bool(0))
        {
            var reason = Abi.DecodeRevertReason(answer.BytesSpan(1)) ?? "no reason given";
            throw new DdpnRevertException($"chain {dest} refused job {job}: {reason}");
        }
        storage.Set(UnitStorage.At(record, JLocation), (ulong)DdpnJobLocation.Moved);
        storage.Set(UnitStorage.At(record, JTransferredTo), dest);
        Log(storage, logs, DdpnUnitAbi.StateExported, job, Abi.Encode(dest, stateHash));
        return Abi.Encode(stateHash);
    }

    private byte[] ImportJob(in NativeCall call, UnitStorage storage, List<LogEntry> logs, Hash256 job, ReadOnlySpan<byte> state, ReadOnlySpan<byte> meta)
    {
        var sender = call.State.GetTransientStorage(DdpnAddresses.Messenger, UInt256.Zero);
        var source = call.State.GetTransientStorage(DdpnAddresses.Messenger, UInt256.One);
        if (call.Caller != DdpnAddresses.Messenger || sender != DdpnAddresses.Unit.ToUInt256() || source.IsZero || !source.IsUInt64)
            throw new DdpnRevertException("importJob is only for the virtualization unit of another member chain, through a synchronous cross-chain call");
        var record = UnitStorage.Slot(JobTag, job);
        if ((DdpnJobLocation)storage.GetUInt64(UnitStorage.At(record, JLocation)) == DdpnJobLocation.Here)
            throw new DdpnRevertException($"job {job} is already on chain {chainId}");
        DlxMachine machine;
        try
        {
            machine = DlxMachine.Restore(state);
        }
        catch (DlxStateException e)
        {
            throw new DdpnRevertException($"the machine state of job {job} is malformed: {e.Message}");
        }
        if (machine.MemoryLimit > memoryLimit)
            throw new DdpnRevertException($"job {job} needs {machine.MemoryLimit} bytes of DLX memory; chain {chainId}'s profile allows {memoryLimit}");
        var m = new AbiReader(meta);
        storage.Set(UnitStorage.At(record, JLocation), (ulong)DdpnJobLocation.Here);
        storage.Set(UnitStorage.At(record, JProgramId), m.Bytes32(0));
        storage.Set(UnitStorage.At(record, JProgramHash), m.Bytes32(1));
        storage.Set(UnitStorage.At(record, JInputHash), m.Bytes32(2));
        storage.Set(UnitStorage.At(record, JKind), m.UInt64(3));
        storage.Set(UnitStorage.At(record, JSegment), m.UInt64(4));
        storage.Set(UnitStorage.At(record, JRuns), m.UInt64(5));
        storage.Set(UnitStorage.At(record, JTransferredTo), 0UL);
        var hash = Save(storage, record, job, machine);
        Finish(storage, logs, record, job, machine);
        Log(storage, logs, DdpnUnitAbi.StateImported, job, Abi.Encode((ulong)source, hash));
        return Abi.Encode(hash);
    }

    // ---- join of independent segments ------------------------------------------------------------------

    private byte[] CreateJoin(UnitStorage storage, List<LogEntry> logs, Hash256 programId, Hash256[] inputIds, Hash256[] segmentJobs, UInt256 gasLimit)
    {
        var limit = GasLimitOf(gasLimit);
        var (image, programHash) = RegisteredProgram(storage, programId);
        if (image.SegmentEntries.Count == 0 || segmentJobs.Length != image.SegmentEntries.Count)
            throw new DdpnRevertException($"program {programId} has {image.SegmentEntries.Count} independent segments; {segmentJobs.Length} segment jobs given");
        var (inputs, inputHash) = Inputs(storage, inputIds);
        var merged = new SortedDictionary<uint, byte[]>();
        var writer = new Dictionary<uint, int>();
        var all = new List<byte[]>(inputs);
        for (var i = 0; i < segmentJobs.Length; i++)
        {
            var job = segmentJobs[i];
            var record = RecordHere(storage, job);
            if ((DdpnJobKind)storage.GetUInt64(UnitStorage.At(record, JKind)) != DdpnJobKind.Segment
                || storage.GetUInt64(UnitStorage.At(record, JSegment)) != (ulong)(i + 1)
                || storage.GetHash(UnitStorage.At(record, JProgramId)) != programId)
                throw new DdpnRevertException($"job {job} is not segment {i + 1} of program {programId}");
            if (storage.GetHash(UnitStorage.At(record, JInputHash)) != inputHash)
                throw new DdpnRevertException($"segment job {job} ran on other inputs than the join's");
            var status = (DlxStatus)storage.GetUInt64(UnitStorage.At(record, JStatus));
            if (status != DlxStatus.Halted) throw new DdpnRevertException($"segment {i + 1} (job {job}) has not halted: {status}");
            var machine = DlxMachine.Restore(storage.ReadBlob(UnitStorage.Slot(StateTag, job)));
            all.Add(machine.Output.ToArray());
            foreach (var (key, value) in machine.Storage)
            {
                if (writer.TryGetValue(key, out var other))
                    throw new DdpnRevertException($"segments {other + 1} and {i + 1} both write storage key {key}: they are not independent");
                writer[key] = i;
                merged[key] = value;
            }
        }
        var joinInputs = all.ToArray();
        return Abi.Encode(NewJob(storage, logs, image, programId, programHash, joinInputs, InputHash(storage, joinInputs), limit, null, merged,
            DdpnJobKind.Join, 0));
    }

    // ---- views -----------------------------------------------------------------------------------------

    private static byte[] GetJob(UnitStorage storage, Hash256 job)
    {
        var r = UnitStorage.Slot(JobTag, job);
        return Abi.Encode(storage.GetUInt64(UnitStorage.At(r, JLocation)), storage.GetUInt64(UnitStorage.At(r, JStatus)),
            storage.GetUInt64(UnitStorage.At(r, JFault)), storage.GetHash(UnitStorage.At(r, JProgramHash)), storage.GetHash(UnitStorage.At(r, JInputHash)),
            storage.GetHash(UnitStorage.At(r, JStateHash)), storage.GetHash(UnitStorage.At(r, JOutputHash)), storage.GetUInt64(UnitStorage.At(r, JGasUsed)),
            storage.GetUInt64(UnitStorage.At(r, JInstructions)), storage.GetUInt64(UnitStorage.At(r, JRuns)),
            storage.GetUInt64(UnitStorage.At(r, JTransferredTo)), storage.GetUInt64(UnitStorage.At(r, JKind)), storage.GetUInt64(UnitStorage.At(r, JSegment)));
    }

    private static byte[] GetExecution(UnitStorage storage, Hash256 job, ulong index)
    {
        var execution = UnitStorage.Slot(ExecutionTag, job);
        return Abi.Encode(storage.GetHash(UnitStorage.At(execution, 2 * index)), storage.GetHash(UnitStorage.At(execution, 2 * index + 1)));
    }

    private static void Log(UnitStorage storage, List<LogEntry> logs, Hash256 topic, Hash256 id, byte[] data)
    {
        storage.Meter.Charge(DdpnGas.Log + 2 * DdpnGas.LogTopic + DdpnGas.LogByte * data.Length);
        logs.Add(new LogEntry(DdpnAddresses.Unit, [topic, id], data));
    }
}
