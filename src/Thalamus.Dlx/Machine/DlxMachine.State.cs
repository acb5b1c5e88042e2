using System.Security.Cryptography;

namespace Thalamus.Dlx;

public sealed unsafe partial class DlxMachine
{
    private static ReadOnlySpan<byte> StateMagic => "DLXS"u8;
    private const byte StateVersion = 1;

    /// <summary>
    /// The machine state in its compact canonical form (docs/dlx.md, "Machine state"): equal machines give
    /// equal bytes, whatever their history (pages that hold only zeros and registers that are zero are
    /// left out). Enough to resume on another machine instance with <see cref="Restore"/>.
    /// </summary>
    public byte[] SaveState()
    {
        if (_status == Running) throw new InvalidOperationException("cannot save the state while running");
        var w = new StateWriter();
        w.Raw(StateMagic);
        w.U8(StateVersion);
        w.U8((byte)_status);
        w.U8((byte)_fault);
        w.U8(_fpsr ? (byte)1 : (byte)0);
        w.U32(Pc);
        w.U32(_iar);
        w.U32(_memory.Limit);
        w.U32(_codeStart);
        w.U32(_codeEnd);
        w.VarUInt((ulong)_gasLimit);
        w.VarUInt((ulong)_gasUsed);
        w.VarUInt((ulong)_instructions);

        uint mask = 0;
        for (int i = 1; i < 32; i++) if (_r[i] != 0) mask |= 1u << i;
        w.U32(mask);
        for (int i = 1; i < 32; i++) if (_r[i] != 0) w.U32((uint)_r[i]);
        mask = 0;
        for (int i = 0; i < 32; i++) if (_f[i] != 0) mask |= 1u << i;
        w.U32(mask);
        for (int i = 0; i < 32; i++) if (_f[i] != 0) w.U32(_f[i]);

        w.VarUInt((ulong)_inputs.Length);
        foreach (var input in _inputs) w.LengthPrefixed(input);
        w.LengthPrefixed(Output);

        w.VarUInt((ulong)_storage.Count);
        foreach (var (key, value) in _storage)
        {
            w.U32(key);
            w.LengthPrefixed(value);
        }

        var pages = _memory.Pages;
        int pageCount = 0;
        for (int i = 0; i < pages.Length; i++) if (pages[i] is { } p && p.AsSpan().ContainsAnyExcept((byte)0)) pageCount++;
        w.VarUInt((ulong)pageCount);
        for (int i = 0; i < pages.Length; i++)
        {
            if (pages[i] is not { } page) continue;
            int first = page.AsSpan().IndexOfAnyExcept((byte)0);
            if (first < 0) continue;
            int last = page.AsSpan().LastIndexOfAnyExcept((byte)0);
            w.VarUInt((ulong)i);
            w.VarUInt((ulong)first);
            w.LengthPrefixed(page.AsSpan(first, last - first + 1));
        }
        return w.ToArray();
    }

    /// <summary>SHA-256 of <see cref="SaveState"/>: what a virtualization unit's logger records.</summary>
    public byte[] ComputeStateHash() => SHA256.HashData(SaveState());

    /// <summary>
    /// Rebuilds a machine from <see cref="SaveState"/> output. Anything malformed or non-canonical gives
    /// <see cref="DlxStateException"/>; a restored machine saves to exactly the same bytes.
    /// </summary>
    public static DlxMachine Restore(ReadOnlySpan<byte> state)
    {
        var r = new StateReader(state);
        if (!r.Raw(4, "magic").SequenceEqual(StateMagic)) throw new DlxStateException("not a DLX machine state (missing 'DLXS' header)");
        byte version = r.U8("version");
        if (version != StateVersion) throw new DlxStateException($"unsupported state version {version}");
        byte status = r.U8("status");
        if (status > (byte)DlxStatus.OutOfGas) throw new DlxStateException($"unknown status {status}");
        byte fault = r.U8("fault");
        if (fault > (byte)DlxFault.ResourceLimit) throw new DlxStateException($"unknown fault {fault}");
        if ((fault != 0) != (status == (byte)DlxStatus.Faulted)) throw new DlxStateException("fault code does not match the status");
        byte fpsr = r.U8("fpsr");
        if (fpsr > 1) throw new DlxStateException($"FP status must be 0 or 1, got {fpsr}");
        uint pc = r.U32("pc"), iar = r.U32("iar"), limit = r.U32("memory limit");
        uint codeStart = r.U32("code start"), codeEnd = r.U32("code end");
        try { new DlxMachineOptions { MemoryLimit = limit }.Validate(); }
        catch (ArgumentException e) { throw new DlxStateException(e.Message); }
        if (codeStart % 4 != 0 || codeEnd % 4 != 0 || codeStart >= codeEnd || codeEnd > limit)
            throw new DlxStateException($"bad code region [0x{codeStart:x8}, 0x{codeEnd:x8})");
        if (pc < codeStart || pc > codeEnd || pc % 4 != 0) throw new DlxStateException($"PC 0x{pc:x8} is outside the code region");
        ulong gasLimit = r.VarUInt("gas limit"), gasUsed = r.VarUInt("gas used"), instructions = r.VarUInt("instructions");
        if (gasLimit > DlxGasSchedule.MaxGasLimit || gasUsed > gasLimit) throw new DlxStateException("gas used exceeds the gas limit");
        if (instructions > long.MaxValue) throw new DlxStateException("instruction count out of range");

        uint mask = r.U32("register mask");
        if ((mask & 1) != 0) throw new DlxStateException("r0 cannot hold a value");
        var gpr = new int[32];
        for (int i = 1; i < 32; i++)
            if ((mask & (1u << i)) != 0 && (gpr[i] = (int)r.U32($"r{i}")) == 0) throw new DlxStateException($"r{i} is listed but zero");
        uint fmask = r.U32("float register mask");
        var fpr = new uint[32];
        for (int i = 0; i < 32; i++)
            if ((fmask & (1u << i)) != 0 && (fpr[i] = r.U32($"f{i}")) == 0) throw new DlxStateException($"f{i} is listed but zero");

        int inputCount = r.Length("input count", limit);
        var inputs = new byte[inputCount][];
        for (int i = 0; i < inputCount; i++) inputs[i] = r.Raw(r.Length($"input {i} length", state.Length), $"input {i}").ToArray();
        var output = r.Raw(r.Length("output length", limit), "output");

        var machine = new DlxMachine(limit, codeStart, codeEnd, inputs);
        int storageCount = r.Length("storage count", limit);
        long storageBytes = 0;
        long previousKey = -1;
        for (int i = 0; i < storageCount; i++)
        {
            uint key = r.U32("storage key");
            if (key <= previousKey) throw new DlxStateException("storage keys must be strictly increasing");
            previousKey = key;
            int length = r.Length("storage value length", limit);
            if (length == 0) throw new DlxStateException($"storage key {key} has an empty value");
            machine._storage[key] = r.Raw(length, "storage value").ToArray();
            storageBytes += length;
        }
        if (storageBytes > limit) throw new DlxStateException("storage is larger than the memory limit");

        int pageCount = r.Length("page count", limit / DlxMemory.PageSize);
        long previousPage = -1;
        for (int i = 0; i < pageCount; i++)
        {
            int index = r.Length("page index", limit / DlxMemory.PageSize - 1);
            if (index <= previousPage) throw new DlxStateException("page indices must be strictly increasing");
            previousPage = index;
            int start = r.Length("page start", DlxMemory.PageSize - 1);
            int length = r.Length("page length", DlxMemory.PageSize - start);
            var bytes = r.Raw(length, "page bytes");
            if (length == 0 || bytes[0] == 0 || bytes[^1] == 0) throw new DlxStateException($"page {index} is not trimmed to its non-zero bytes");
            bytes.CopyTo(machine._memory.AllocatePage((uint)index).AsSpan(start));
        }
        if (!r.AtEnd) throw new DlxStateException($"{state.Length - r.Position} trailing bytes after the state");

        gpr.CopyTo(machine._r, 0);
        fpr.CopyTo(machine._f, 0);
        machine._fpsr = fpsr == 1;
        machine._iar = iar;
        machine._pcIndex = (int)((pc - codeStart) / 4);
        machine._gasLimit = (long)gasLimit;
        machine._gasUsed = (long)gasUsed;
        machine._instructions = (long)instructions;
        machine._status = (DlxStatus)status;
        machine._fault = (DlxFault)fault;
        machine._output = output.ToArray();
        machine._outputLength = output.Length;
        machine._storageBytes = storageBytes;
        machine.DecodeCode();
        return machine;
    }
}
