using BenchmarkDotNet.Attributes;
using Thalamus.Dlx;

namespace Thalamus.Benchmarks;

/// <summary>
/// DLX interpreter speed. <see cref="Interpreter"/> runs a compute-heavy loop (xorshift32 random numbers folded into a
/// table in memory: shifts, logic, a load, a store, adds, a branch; the program of samples/dlx/bench.s) with
/// OperationsPerInvoke set to the number of DLX instructions, so the reported mean is the time of one DLX
/// instruction: MIPS = 1000 / mean in ns. The other benchmarks cost the machinery around it.
/// </summary>
[MemoryDiagnoser]
public class DlxBenchmarks
{
    private const int Iterations = 1_000_000;

    /// <summary>14 instructions per iteration plus a fixed prologue/epilogue (checked in <see cref="Setup"/>).</summary>
    private const int InstructionsPerRun = 14 * Iterations + Overhead;
    private const int Overhead = 11;

    private const string Source = """
                .data
        table:  .space  1024
                .text
        main:   lhi     r4, 1000000 >> 16
                ori     r4, r4, 1000000 & 0xffff
                lhi     r5, 0x92d6              ; seed 2463534242
                ori     r5, r5, 0x8ca2
                addi    r6, r0, table
                add     r7, r0, r0
        loop:   slli    r8, r5, 13
                xor     r5, r5, r8
                srli    r8, r5, 17
                xor     r5, r5, r8
                slli    r8, r5, 5
                xor     r5, r5, r8
                andi    r9, r5, 1020
                add     r9, r9, r6
                lw      r10, 0(r9)
                addu    r10, r10, r5
                sw      0(r9), r10
                addu    r7, r7, r10
                subi    r4, r4, 1
                bnez    r4, loop
                add     r1, r7, r0
                trap    7
                addi    r1, r0, 10
                trap    9
                trap    0
        """;

    private DlxProgramImage _image = null!;
    private byte[] _state = [];

    [GlobalSetup]
    public void Setup()
    {
        _image = DlxAssembler.Assemble(Source, "bench.s");
        var machine = DlxMachine.Load(_image);
        machine.Run();
        if (machine.Status != DlxStatus.Halted || machine.Instructions != InstructionsPerRun)
            throw new InvalidOperationException($"the benchmark program ran {machine.Instructions} instructions, expected {InstructionsPerRun}");
        var paused = DlxMachine.Load(_image);
        paused.Run(new DlxRunLimits(MaxInstructions: 1000));
        _state = paused.SaveState();
    }

    [Benchmark(OperationsPerInvoke = InstructionsPerRun)]
    public long Interpreter()
    {
        var machine = DlxMachine.Load(_image);
        machine.Run();
        return machine.GasUsed;
    }

    [Benchmark]
    public DlxProgramImage Assemble() => DlxAssembler.Assemble(Source, "bench.s");

    [Benchmark]
    public byte[] SaveAndHashState() => DlxMachine.Restore(_state).ComputeStateHash();
}
