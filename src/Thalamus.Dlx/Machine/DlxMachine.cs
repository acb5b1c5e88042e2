using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Thalamus.Dlx;

/// <summary>
/// A DLX machine with Thalamus's modifications (docs/dlx.md): 32 integer registers (r0 = 0), 32 float
/// registers, the FP status bit and IAR, sparse big-endian memory up to a limit, a read-only code region
/// decoded once, metered execution with an exact out-of-gas stop, I/O through TRAPs, and a canonical
/// serializable state for execution transfer. Not thread-safe; run independent machines in parallel.
/// </summary>
public sealed unsafe partial class DlxMachine
{
    /// <summary>Internal status while <see cref="Run"/> is executing; never visible outside.</summary>
    private const DlxStatus Running = (DlxStatus)255;

    /// <summary>r0..r31 plus slot 32, the sink that writes to r0 go to. Pinned: the interpreter uses raw pointers.</summary>
    private readonly int[] _r = GC.AllocateArray<int>(33, pinned: true);
    private readonly uint[] _f = GC.AllocateArray<uint>(32, pinned: true);
    private readonly int* _rp;
    private readonly uint* _fp;
    private bool _fpsr;
    private uint _iar;

    private readonly DlxMemory _memory;
    private readonly uint _codeStart;
    private readonly uint _codeEnd;
    private readonly DecodedInstruction[] _code;
    private readonly DecodedInstruction* _codePtr;
    private int _pcIndex;

    private long _gasLimit;
    private long _gasUsed;
    private long _instructions;
    private DlxStatus _status;
    private DlxFault _fault;

    private readonly byte[][] _inputs;
    private byte[] _output = [];
    private int _outputLength;
    private readonly SortedDictionary<uint, byte[]> _storage = [];
    private long _storageBytes;

    // Budget of the current run.
    private long _runGasEnd;
    private long _runCountEnd;
    private bool _stopAtYield;

    private DlxMachine(uint memoryLimit, uint codeStart, uint codeEnd, byte[][] inputs)
    {
        _memory = new DlxMemory(memoryLimit);
        _codeStart = codeStart;
        _codeEnd = codeEnd;
        _code = GC.AllocateArray<DecodedInstruction>((int)((codeEnd - codeStart) / 4 + 1), pinned: true);
        _codePtr = (DecodedInstruction*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_code));
        _rp = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_r));
        _fp = (uint*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_f));
        _inputs = inputs;
    }

    /// <summary>
    /// Loads a program: its sections into memory, PC at the entry point (or <paramref name="entry"/>),
    /// r29 (the stack pointer by convention) at the top of memory, every other register zero.
    /// </summary>
    public static DlxMachine Load(DlxProgramImage image, IEnumerable<byte[]>? inputs = null, DlxMachineOptions? options = null,
        IEnumerable<KeyValuePair<uint, byte[]>>? storage = null, uint? entry = null)
    {
        options ??= DlxMachineOptions.Default;
        options.Validate();
        ulong end = image.Sections.Max(s => (ulong)s.Address + (ulong)s.Data.Length);
        if (end > options.MemoryLimit)
            throw new DlxImageException($"the program occupies memory up to 0x{end:x} but the memory limit is {options.MemoryLimit} bytes");
        var machine = new DlxMachine(options.MemoryLimit, image.CodeStart, image.CodeEnd, (inputs ?? []).Select(i => i.ToArray()).ToArray());
        foreach (var section in image.Sections) machine._memory.Write(section.Address, section.Data);
        uint start = entry ?? image.Entry;
        if (start < image.CodeStart || start >= image.CodeEnd || start % 4 != 0)
            throw new DlxImageException($"entry 0x{start:x8} is not a word in the code region");
        machine._pcIndex = (int)((start - image.CodeStart) / 4);
        machine._r[29] = (int)options.MemoryLimit;
        machine._gasLimit = options.GasLimit;
        machine._status = DlxStatus.Ready;
        foreach (var (key, value) in storage ?? [])
        {
            if (value.Length == 0) continue;
            machine._storage[key] = value.ToArray();
            machine._storageBytes += value.Length;
        }
        if (machine._storageBytes > options.MemoryLimit)
            throw new ArgumentException("initial storage is larger than the memory limit");
        machine.DecodeCode();
        return machine;
    }

    public DlxStatus Status => _status;

    public DlxFault Fault => _fault;

    /// <summary>The address of the next instruction (or of the one that stopped the machine).</summary>
    public uint Pc => _codeStart + (uint)_pcIndex * 4;

    public long GasLimit => _gasLimit;

    public long GasUsed => _gasUsed;

    /// <summary>Instructions executed since the program was loaded, over all runs.</summary>
    public long Instructions => _instructions;

    public DlxMemory Memory => _memory;

    public uint MemoryLimit => _memory.Limit;

    public uint CodeStart => _codeStart;

    public uint CodeEnd => _codeEnd;

    /// <summary>The FP status bit set by the EQF…GED comparisons.</summary>
    public bool FpStatus => _fpsr;

    /// <summary>The interrupt address register.</summary>
    public uint Iar => _iar;

    public ReadOnlySpan<byte> Output => _output.AsSpan(0, _outputLength);

    public IReadOnlyList<byte[]> Inputs => _inputs;

    /// <summary>The unit's persistent storage as this machine sees it.</summary>
    public IReadOnlyDictionary<uint, byte[]> Storage => _storage;

    public int GetRegister(int index) => (uint)index < 32 ? _r[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Sets an integer register (writes to r0 are ignored, as on the machine).</summary>
    public void SetRegister(int index, int value)
    {
        if ((uint)index >= 32) throw new ArgumentOutOfRangeException(nameof(index));
        if (index != 0) _r[index] = value;
    }

    public uint GetFloatRegister(int index) => _f[index];

    public void SetFloatRegister(int index, uint bits) => _f[index] = bits;

    public float GetSingle(int index) => BitConverter.UInt32BitsToSingle(_f[index]);

    /// <summary>The double in the pair f(index):f(index+1); index must be even.</summary>
    public double GetDouble(int index)
    {
        if ((index & 1) != 0 || (uint)index >= 32) throw new ArgumentOutOfRangeException(nameof(index), "double registers are even");
        return BitConverter.UInt64BitsToDouble((ulong)_f[index] << 32 | _f[index + 1]);
    }

    public void SetDouble(int index, double value)
    {
        if ((index & 1) != 0 || (uint)index >= 32) throw new ArgumentOutOfRangeException(nameof(index), "double registers are even");
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        _f[index] = (uint)(bits >> 32);
        _f[index + 1] = (uint)bits;
    }

    /// <summary>
    /// Runs until the program halts, faults, runs out of gas, yields (when asked to stop there) or uses
    /// up this run's budget. Running a halted, faulted or out-of-gas machine does nothing.
    /// </summary>
    public DlxRunResult Run(DlxRunLimits limits)
    {
        if (_status is DlxStatus.Halted or DlxStatus.Faulted or DlxStatus.OutOfGas)
            return new DlxRunResult(_status, _fault, 0, 0);
        if (limits.MaxInstructions < 0 || limits.MaxGas < 0) throw new ArgumentOutOfRangeException(nameof(limits), "budgets must not be negative");
        long startGas = _gasUsed, startCount = _instructions;
        _runGasEnd = Math.Min(_gasLimit, limits.MaxGas >= _gasLimit - _gasUsed ? _gasLimit : _gasUsed + limits.MaxGas);
        _runCountEnd = limits.MaxInstructions >= long.MaxValue - _instructions ? long.MaxValue : _instructions + limits.MaxInstructions;
        _stopAtYield = limits.StopAtYield;
        _status = Running;
        while (_status == Running)
        {
            ref DecodedInstruction next = ref _code[_pcIndex];
            if (_gasUsed + next.BlockGas <= _runGasEnd && _instructions + next.BlockLength <= _runCountEnd)
            {
                _gasUsed += next.BlockGas;
                _instructions += next.BlockLength;
                Execute<BlockMode>();
                continue;
            }
            int cost = GasOf[(int)next.Op];
            if (_gasUsed + cost > _gasLimit) { _status = DlxStatus.OutOfGas; break; }
            if (_gasUsed + cost > _runGasEnd || _instructions >= _runCountEnd) { _status = DlxStatus.Paused; break; }
            _gasUsed += cost;
            _instructions++;
            Execute<StepMode>();
        }
        return new DlxRunResult(_status, _fault, _instructions - startCount, _gasUsed - startGas);
    }

    /// <summary>Runs to a stop with no budget other than the program's gas limit (YIELD does not stop it).</summary>
    public DlxRunResult Run() => Run(DlxRunLimits.Unlimited);

    /// <summary>Executes one instruction (if the machine can continue).</summary>
    public DlxRunResult Step() => Run(new DlxRunLimits(MaxInstructions: 1));
}
