using System.Buffers.Binary;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Evm.Tests;

/// <summary>
/// MLOAD, MSTORE and MSTORE8 growing memory: the quadratic expansion gas at word and buffer
/// boundaries (growth inside the frame's buffer is charged inline, growth past it reallocates),
/// out of gas on an expansion at the memory instruction itself, offsets near 2^32, 2^64 and
/// 2^256, and newly exposed words reading zero even when the buffer held an earlier run's data.
/// </summary>
public sealed class MemoryExpansionTests
{
    /// <summary>The yellow paper's C_mem: 3 per word plus words²/512, computed here independently of the EVM.</summary>
    private static long MemoryGas(ulong bytes)
    {
        var words = (long)((bytes + 31) / 32);
        return 3 * words + words * words / 512;
    }

    private sealed class LastStep : IExecutionTracer
    {
        public byte Opcode;
        public string? Error;
        public void OnStep(in ExecutionStep step) => Opcode = step.Opcode;
        public void OnStepEnd(long gasRemaining, string? error) => Error = error;
        public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error) { }
    }

    private static byte[] Offset(ulong offset)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, offset);
        return bytes;
    }

    /// <summary>MLOAD at <paramref name="first"/> (grows memory), then <paramref name="op"/> at <paramref name="second"/>; pushes are always 8 bytes wide so the static gas does not depend on the offsets.</summary>
    private static byte[] Program(ulong first, byte op, ulong second)
    {
        var code = new Bytecode().PushBytes(Offset(first)).Op(Op.MLOAD, Op.POP);
        if (op != Op.MLOAD) code.PushBytes(0xab);
        code.PushBytes(Offset(second)).Op(op);
        if (op == Op.MLOAD) code.Op(Op.POP);
        return code.Op(Op.MSIZE).ReturnTop().Build();
    }

    private static ulong Width(byte op) => op == Op.MSTORE8 ? 1UL : 32UL;

    public static TheoryData<byte> MemoryOps => new() { Op.MLOAD, Op.MSTORE, Op.MSTORE8 };

    private static readonly ulong[] Offsets =
        [0, 1, 31, 32, 33, 63, 64, 480, 991, 992, 993, 1023, 1024, 1025, 2047, 2048, 5000, 22_000, 65_536];

    [Theory]
    [MemberData(nameof(MemoryOps))]
    public void Expansion_gas_is_the_quadratic_cost_of_the_largest_word_touched_at_every_boundary(byte op)
    {
        // The same program at offsets 0 and 0 touches one word: what remains is the static gas.
        var baseline = new CodeRunner(Program(0, op, 0)).Run([], 10_000_000);
        Assert.Equal(ExecutionStatus.Success, baseline.Status);
        var staticGas = 10_000_000 - baseline.GasLeft - MemoryGas(32) - MemoryGas(32); // ReturnTop's MSTORE at 0 adds nothing
        staticGas += MemoryGas(32);
        foreach (var first in Offsets)
        foreach (var second in Offsets)
        {
            var end = Math.Max(first + 32, second + Width(op));
            var result = new CodeRunner(Program(first, op, second)).Run([], 10_000_000);
            Assert.Equal(ExecutionStatus.Success, result.Status);
            Assert.True(staticGas + MemoryGas(end) == 10_000_000 - result.GasLeft,
                $"op {op:x2} after MLOAD {first} at {second}: used {10_000_000 - result.GasLeft}, expected {staticGas + MemoryGas(end)}");
            var msize = UInt256.FromBigEndian(result.Output);
            Assert.Equal(new UInt256((end + 31) / 32 * 32), msize);
        }
    }

    [Theory]
    [MemberData(nameof(MemoryOps))]
    public void An_expansion_one_gas_short_fails_at_the_memory_instruction_and_takes_all_gas(byte op)
    {
        foreach (var (first, second) in new (ulong, ulong)[] { (0, 32), (0, 1000), (992, 1024), (0, 4096), (64, 100_000) })
        {
            var code = Program(first, op, second);
            var needed = 10_000_000 - new CodeRunner(code).Run([], 10_000_000).GasLeft;
            // After the instruction: (POP after MLOAD,) MSIZE and ReturnTop (PUSH1, MSTORE at 0 within memory, PUSH1, PUSH1, RETURN).
            var tail = (op == Op.MLOAD ? 2L : 0L) + 2 + 3 + 3 + 3 + 3;
            Assert.Equal(ExecutionStatus.Success, new CodeRunner(code).Run([], needed).Status);
            for (var shortBy = tail + 1; shortBy <= tail + 2; shortBy++)
            {
                var tracer = new LastStep();
                var traced = new CodeRunner(code, tracer).Run([], needed - shortBy);
                var untraced = new CodeRunner(code).Run([], needed - shortBy);
                Assert.Equal(ExecutionStatus.OutOfGas, traced.Status);
                Assert.Equal(ExecutionStatus.OutOfGas, untraced.Status);
                Assert.Equal(op, tracer.Opcode);
                Assert.Equal(0, traced.GasLeft);
                Assert.Equal(0, untraced.GasLeft);
            }
        }
    }

    public static TheoryData<byte, string> FarOffsets()
    {
        var data = new TheoryData<byte, string>();
        foreach (var op in new[] { Op.MLOAD, Op.MSTORE, Op.MSTORE8 })
        foreach (var offset in new[] { "0x7fff0000", "0xffffffe0", "0xffffffff", "0x100000000", "0xffffffffffffffe0",
                     "0xffffffffffffffff", "0x10000000000000000", "0x8000000000000000000000000000000000000000000000000000000000000000",
                     "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" })
            data.Add(op, offset);
        return data;
    }

    [Theory]
    [MemberData(nameof(FarOffsets))]
    public void An_offset_near_two_to_the_32_64_or_256_is_out_of_gas_at_that_instruction(byte op, string offset)
    {
        var code = new Bytecode();
        if (op != Op.MLOAD) code.Push(0xab);
        code.Push(UInt256.Parse(offset)).Op(op).Op(Op.STOP);
        var tracer = new LastStep();
        var traced = new CodeRunner(code.Build(), tracer).Run([], 1_000_000_000);
        var untraced = new CodeRunner(code.Build()).Run([], 1_000_000_000);
        Assert.Equal(ExecutionStatus.OutOfGas, traced.Status);
        Assert.Equal(ExecutionStatus.OutOfGas, untraced.Status);
        Assert.Equal(op, tracer.Opcode);
        Assert.Equal(0, untraced.GasLeft);
    }

    [Fact]
    public void Words_exposed_by_growth_read_zero_though_an_earlier_run_wrote_there()
    {
        // First run: fill 2 KiB with 0xff (the frame's buffer is reused by the next run).
        var fill = new Bytecode();
        for (ulong offset = 0; offset < 2048; offset += 32) fill.Push(UInt256.MaxValue).Push(offset).Op(Op.MSTORE);
        // Second run: grow one byte or word at a time and read each new word back.
        var read = new Bytecode().Push(1).Push(100).Op(Op.MSTORE8)                 // grows to 128
            .Push(200).Op(Op.MLOAD)                                                  // grows to 256, word at 200
            .Push(0).Op(Op.MLOAD).Op(Op.OR)                                          // word at 0 (below 100)
            .Push(1500).Op(Op.MLOAD).Op(Op.OR)                                       // grows to 1536
            .Push(1).Push(1999).Op(Op.MSTORE8).Push(1968).Op(Op.MLOAD).Op(Op.OR)     // byte 1999 is 1, the rest 0
            .ReturnTop().Build();
        var runner = new CodeRunner(fill.Build());
        Assert.Equal(ExecutionStatus.Success, runner.Run([], 10_000_000).Status);
        var result = new CodeRunner(read).Run([], 10_000_000);
        Assert.Equal(ExecutionStatus.Success, result.Status);
        Assert.Equal(new UInt256(1), UInt256.FromBigEndian(result.Output));
    }

    [Fact]
    public void Mload_and_mstore_keep_the_byte_order_big_endian_at_unaligned_offsets()
    {
        var word = UInt256.Parse("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        for (ulong offset = 0; offset < 40; offset += 3)
        {
            var code = new Bytecode().Push(word).Push(offset).Op(Op.MSTORE)
                .Push(offset).Op(Op.MLOAD)
                .Push(offset + 1).Op(Op.MLOAD)
                .Push(64).Op(Op.MSTORE).Push(32).Op(Op.MSTORE)
                .Push(96).Push(32).Op(Op.RETURN).Build();
            var result = new CodeRunner(code).Run([], 1_000_000);
            Assert.Equal(ExecutionStatus.Success, result.Status);
            Assert.Equal(word, UInt256.FromBigEndian(result.Output.AsSpan(0, 32)));
            Assert.Equal(word << 8, UInt256.FromBigEndian(result.Output.AsSpan(32, 32)));
        }
    }
}
