using System.Numerics;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Evm.Tests;

/// <summary>
/// The interpreter's untraced shortcuts: the fused pairs of CodeInfo.Dispatch (PUSH1 with SHL/SHR,
/// PUSH1/PUSH2 with MLOAD/MSTORE, PUSH2 with JUMP/JUMPI, DUPn with a binary operation), SWAPn+POP, a
/// jump's JUMPDEST charged at the jump, and the in-register shifts and power-of-two DIV/MOD. A
/// traced run executes every instruction on its own, so it is the reference: at every gas limit
/// both must halt the same way with the same gas left.
/// </summary>
public sealed class FusedInstructionTests
{
    private static readonly BigInteger TwoTo256 = BigInteger.One << 256;

    private static ExecutionResult Run(byte[] code, long gas) => new CodeRunner(code).Run([], gas);

    private static ExecutionResult RunTraced(byte[] code, long gas) => new CodeRunner(code, new StepRecorder()).Run([], gas);

    /// <summary>A step tracer (so the interpreter runs its traced loop, one instruction at a time) that keeps the last opcode and error.</summary>
    private sealed class StepRecorder : IExecutionTracer
    {
        public byte LastOpcode;
        public string? LastError;
        public void OnStep(in ExecutionStep step) => LastOpcode = step.Opcode;
        public void OnStepEnd(long gasRemaining, string? error) => LastError = error;
        public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error) { }
    }

    private static BigInteger ToBig(UInt256 x) => new(x.ToBigEndian(), isUnsigned: true, isBigEndian: true);

    private static BigInteger Returned(ExecutionResult result)
    {
        Assert.Equal(ExecutionStatus.Success, result.Status);
        return new BigInteger(result.Output, isUnsigned: true, isBigEndian: true);
    }

    private static Bytecode PushWord(UInt256 x) => new Bytecode().PushBytes(x.ToBigEndian());

    public static TheoryData<string> Words => new()
    {
        "0x0",
        "0x1",
        "0x8000000000000000000000000000000000000000000000000000000000000000",
        "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "0x0123456789abcdeffedcba9876543210f0e1d2c3b4a5968778695a4b3c2d1e0f",
        "0xfedcba98765432100123456789abcdef0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    };

    [Theory]
    [MemberData(nameof(Words))]
    public void Shifts_by_every_count_match_the_big_integer_result_fused_or_not(string hex)
    {
        var x = UInt256.Parse(hex);
        var big = ToBig(x);
        var signed = big >= TwoTo256 / 2 ? big - TwoTo256 : big;
        for (var shift = 0; shift <= 257; shift++)
        {
            var shl = shift >= 256 ? BigInteger.Zero : (big << shift) % TwoTo256;
            var shr = shift >= 256 ? BigInteger.Zero : big >> shift;
            var sar = ((signed >> Math.Min(shift, 256)) + TwoTo256) % TwoTo256;
            // PUSH1 count then the shift: fused (counts up to 255); PUSH2 count: the shift on its own.
            foreach (var wide in new[] { false, true })
            {
                if (!wide && shift > 255) continue;
                byte[] count = wide ? [(byte)(shift >> 8), (byte)shift] : [(byte)shift];
                Assert.True(shl == Returned(Run(PushWord(x).PushBytes(count).Op(Op.SHL).ReturnTop(), 1000)), $"SHL {shift} wide={wide}");
                Assert.True(shr == Returned(Run(PushWord(x).PushBytes(count).Op(Op.SHR).ReturnTop(), 1000)), $"SHR {shift} wide={wide}");
                Assert.True(sar == Returned(Run(PushWord(x).PushBytes(count).Op(Op.SAR).ReturnTop(), 1000)), $"SAR {shift} wide={wide}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Words))]
    public void Div_and_mod_by_every_power_of_two_match_the_big_integer_result(string hex)
    {
        var x = UInt256.Parse(hex);
        var big = ToBig(x);
        // Only the low 128 bits reach the inline 128-by-64 path; the full word takes the general one.
        foreach (var dividend in new[] { big % (BigInteger.One << 128), big % (BigInteger.One << 64), big })
        {
            var word = UInt256.FromBigEndian(dividend.ToByteArray(isUnsigned: true, isBigEndian: true).AsSpan());
            for (var k = 0; k < 64; k++)
            {
                var divisor = UInt256.One << k;
                Assert.True(dividend / (BigInteger.One << k) == Returned(Run(new Bytecode().Push(divisor).PushBytes(word.ToBigEndian()).Op(Op.DIV).ReturnTop(), 1000)), $"DIV 2^{k}");
                Assert.True(dividend % (BigInteger.One << k) == Returned(Run(new Bytecode().Push(divisor).PushBytes(word.ToBigEndian()).Op(Op.MOD).ReturnTop(), 1000)), $"MOD 2^{k}");
            }
            Assert.True(BigInteger.Zero == Returned(Run(new Bytecode().Push(0).PushBytes(word.ToBigEndian()).Op(Op.DIV).ReturnTop(), 1000)), "DIV 0");
            Assert.True(BigInteger.Zero == Returned(Run(new Bytecode().Push(0).PushBytes(word.ToBigEndian()).Op(Op.MOD).ReturnTop(), 1000)), "MOD 0");
        }
    }

    public static TheoryData<string, string> Programs => new()
    {
        // PUSH2 dest JUMP; INVALID; JUMPDEST PUSH1 1 STOP
        { "PUSH2+JUMP onto a JUMPDEST", "61000556fe5b600100" },
        // JUMPI taken: PUSH1 1 PUSH2 7 JUMPI INVALID JUMPDEST STOP
        { "PUSH2+JUMPI taken", "600161000757fe5b00" },
        // JUMPI not taken: PUSH1 0 PUSH2 7 JUMPI STOP JUMPDEST INVALID
        { "PUSH2+JUMPI not taken", "600061000757005bfe" },
        // JUMPI with only its destination on the stack
        { "PUSH2+JUMPI on an empty stack", "61000457005b00" },
        // JUMP to a STOP, not a JUMPDEST
        { "PUSH2+JUMP to a non-JUMPDEST", "610004560000" },
        // JUMP into PUSH data that holds 0x5b: PUSH2 5 JUMP PUSH1 0x5b STOP
        { "PUSH2+JUMP into PUSH data", "61000556605b00" },
        // JUMP past the end of the code
        { "PUSH2+JUMP past the end", "61ffff56" },
        // a loop: counter 3, JUMPDEST, decrement, JUMPI back while non-zero
        { "a PUSH2+JUMPI loop", "60035b600190038061000257" },
        // a JUMP through a computed destination onto a JUMPDEST (PUSH1 6 DUP1 POP JUMP INVALID JUMPDEST STOP)
        { "JUMP onto a JUMPDEST", "6006805056fe5b00" },
        // PUSH1 count then SHL/SHR, on a one-item and on an empty stack
        { "PUSH1+SHR and PUSH1+SHL", "60ff6004 1c6002 1b 00" },
        { "PUSH1+SHR on an empty stack", "60041c00" },
        // 1024 items: the PUSH1 (of PUSH1+SHR) and the PUSH2 (of PUSH2+JUMPI) overflow on their own
        { "PUSH1+SHR on a full stack", string.Concat(Enumerable.Repeat("5f", 1024)) + "60041c00" },
        { "PUSH2+JUMPI on a full stack", string.Concat(Enumerable.Repeat("5f", 1024)) + "6100005700" },
        // SWAP1+POP and SWAP3+POP: the top replaces the item and is dropped; then on a stack too short for the SWAP
        { "SWAPn+POP", "6001600260036004905092505000" },
        { "SWAP2+POP on a short stack", "60016002915000" },
        // PUSH2+MSTORE and PUSH2+MLOAD: the first MSTORE expands memory (on its own), the next ones are fused
        { "PUSH2+MSTORE and PUSH2+MLOAD", "60aa61002052" + "60bb61000052" + "61002051" + "61000051" + "01" + "61004051" + "00" },
        { "PUSH2+MSTORE on an empty stack after memory grew", "5f5f52" + "61000052" + "00" },
        // the same with PUSH1 offsets; the last MLOAD (at 0x40) expands memory, so it runs on its own
        { "PUSH1+MSTORE and PUSH1+MLOAD", "60aa602052" + "60bb600052" + "602051" + "600051" + "01" + "604051" + "00" },
        { "PUSH1+MSTORE on an empty stack after memory grew", "5f5f52" + "600052" + "00" },
        { "PUSH1+MLOAD on a full stack", "5f5f52" + string.Concat(Enumerable.Repeat("5f", 1024)) + "600051" + "00" },
        // ADD of words below 2^64 with a carry out of the low limb, and of a full word
        { "ADD small and large", "67ffffffffffffffff67ffffffffffffffff01" + "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600101" + "00" },
        // DUPn then ADD/MUL/SUB/AND/OR/XOR/SHL/SHR (one dispatch for the pair): on a deep enough stack,
        // with the DUP reaching too deep, and on a full stack (the DUP overflows on its own)
        { "DUPn+binary operations", "6003600560076009" + "8001" + "8202" + "8103" + "8316" + "8017" + "8118" + "60018f1b" + "60028f1c" + "00" },
        { "DUP3+ADD on a two-item stack", "600160028201" + "00" },
        { "DUP1+MUL on an empty stack", "8002" + "00" },
        { "DUP16+SHR on a sixteen-item stack", string.Concat(Enumerable.Repeat("6001", 16)) + "8f1c" + "00" },
        { "DUP1+AND on a full stack", string.Concat(Enumerable.Repeat("5f", 1024)) + "8016" + "00" },
        { "DUP2+XOR at the end of the code", "6001600281" + "18" },
        // a code byte in the range the analysis uses for fused pairs is still an undefined opcode
        { "an undefined opcode from the fused range", "60016002b3" + "00" },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void Fused_and_traced_runs_halt_alike_with_the_same_gas_at_every_gas_limit(string what, string hex)
    {
        var code = Hex.Decode(hex.Replace(" ", ""));
        var full = RunTraced(code, 1_000_000);
        var needed = 1_000_000 - full.GasLeft;
        // Every limit up to 200 gas and the last 40 before the program's need (the full-stack programs need 2,000 and more).
        var limits = Enumerable.Range(0, 201).Select(g => (long)g).Concat(Enumerable.Range(0, 43).Select(d => needed + 2 - d)).Where(g => g >= 0 && g <= needed + 2).Distinct();
        foreach (var gas in limits)
        {
            var traced = RunTraced(code, gas);
            var fused = Run(code, gas);
            Assert.True(traced.Status == fused.Status, $"{what}, gas {gas}: traced {traced.Status}, untraced {fused.Status}");
            Assert.True(traced.GasLeft == fused.GasLeft, $"{what}, gas {gas}: traced {traced.GasLeft} left, untraced {fused.GasLeft}");
        }
    }

    [Fact]
    public void Out_of_gas_at_the_jumpdest_after_a_fused_jump_halts_there()
    {
        // PUSH2 5 JUMP INVALID JUMPDEST: 3 + 8 reach the JUMPDEST, which needs 1 more.
        var code = Hex.Decode("61000556fe5b00");
        Assert.Equal(ExecutionStatus.OutOfGas, Run(code, 11).Status);
        Assert.Equal(0, Run(code, 11).GasLeft);
        var recorder = new StepRecorder();
        var traced = new CodeRunner(code, recorder).Run([], 11);
        Assert.Equal(ExecutionStatus.OutOfGas, traced.Status);
        Assert.Equal(Op.JUMPDEST, recorder.LastOpcode);
        Assert.Equal("out of gas", recorder.LastError);
        var ok = Run(code, 12);
        Assert.Equal(ExecutionStatus.Success, ok.Status);
        Assert.Equal(0, ok.GasLeft);
    }

    [Fact]
    public void A_fused_jumpi_without_gas_for_the_jump_fails_out_of_gas_not_on_the_push()
    {
        // PUSH1 1 PUSH2 7 JUMPI: 3 + 3 + 10; with 15 the PUSH2 runs and the JUMPI is out of gas.
        var code = Hex.Decode("600161000757fe5b00");
        var recorder = new StepRecorder();
        var traced = new CodeRunner(code, recorder).Run([], 15);
        Assert.Equal(ExecutionStatus.OutOfGas, traced.Status);
        Assert.Equal(Op.JUMPI, recorder.LastOpcode);
        Assert.Equal("out of gas", recorder.LastError);
        Assert.Equal(ExecutionStatus.OutOfGas, Run(code, 15).Status);
        Assert.Equal(ExecutionStatus.Success, Run(code, 17).Status);
    }

    [Fact]
    public void Every_dup_and_swap_reaches_its_own_depth_and_no_deeper()
    {
        for (var n = 1; n <= 16; n++)
        {
            // Items 1..17 pushed in order: the n-th from the top is 18 - n.
            var items = new Bytecode();
            for (var i = 1UL; i <= 17; i++) items.Push(i);
            Assert.Equal(new BigInteger(18 - n), Returned(Run(new Bytecode().Op(items.Build()).Op((byte)(Op.DUP1 + n - 1)).ReturnTop(), 10_000)));
            // SWAPn brings the (n+1)-th to the top; the old top is then n deep.
            Assert.Equal(new BigInteger(17 - n), Returned(Run(new Bytecode().Op(items.Build()).Op((byte)(Op.SWAP1 + n - 1)).ReturnTop(), 10_000)));
            Assert.Equal(new BigInteger(17), Returned(Run(new Bytecode().Op(items.Build()).Op((byte)(Op.SWAP1 + n - 1)).Op(Enumerable.Repeat(Op.POP, n).ToArray()).ReturnTop(), 10_000)));

            var tooFewForDup = new Bytecode();
            for (var i = 1; i < n; i++) tooFewForDup.Op(Op.PUSH0);
            Assert.Equal(ExecutionStatus.StackUnderflow, Run(tooFewForDup.Op((byte)(Op.DUP1 + n - 1)), 10_000).Status);
            var tooFewForSwap = new Bytecode();
            for (var i = 0; i < n; i++) tooFewForSwap.Op(Op.PUSH0);
            Assert.Equal(ExecutionStatus.StackUnderflow, Run(tooFewForSwap.Op((byte)(Op.SWAP1 + n - 1)), 10_000).Status);
            var full = new Bytecode();
            for (var i = 0; i < 1024; i++) full.Op(Op.PUSH0);
            Assert.Equal(ExecutionStatus.StackOverflow, Run(full.Op((byte)(Op.DUP1 + n - 1)), 100_000).Status);
        }
    }

    [Theory]
    [MemberData(nameof(Words))]
    public void Add_matches_the_big_integer_sum_for_small_and_full_words(string hex)
    {
        var x = UInt256.Parse(hex);
        foreach (var other in new[] { "0x0", "0x1", "0xffffffffffffffff", "0x10000000000000000", "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" })
        {
            var y = UInt256.Parse(other);
            var expected = (ToBig(x) + ToBig(y)) % TwoTo256;
            Assert.True(expected == Returned(Run(PushWord(x).Op(PushWord(y).Build()).Op(Op.ADD).ReturnTop(), 1000)), $"{hex} + {other}");
            // Both below 2^64 as PUSH8s: the small-operand path, with a carry out of the low limb.
            var low = x.U0;
            var expectedLow = (new BigInteger(low) + new BigInteger(y.U0)) % TwoTo256;
            Assert.True(expectedLow == Returned(Run(new Bytecode().Push(low).Push(y.U0).Op(Op.ADD).ReturnTop(), 1000)), $"{low} + {y.U0}");
        }
    }

    public static TheoryData<byte, string> DupOperations => new()
    {
        { Op.ADD, "ADD" }, { Op.MUL, "MUL" }, { Op.SUB, "SUB" }, { Op.AND, "AND" },
        { Op.OR, "OR" }, { Op.XOR, "XOR" }, { Op.SHL, "SHL" }, { Op.SHR, "SHR" },
    };

    /// <summary>a OP b with a the top of the stack, as the EVM defines it.</summary>
    private static BigInteger Expected(byte op, BigInteger a, BigInteger b) => op switch
    {
        Op.ADD => (a + b) % TwoTo256,
        Op.MUL => a * b % TwoTo256,
        Op.SUB => ((a - b) % TwoTo256 + TwoTo256) % TwoTo256,
        Op.AND => a & b,
        Op.OR => a | b,
        Op.XOR => a ^ b,
        Op.SHL => a >= 256 ? BigInteger.Zero : (b << (int)a) % TwoTo256,
        Op.SHR => a >= 256 ? BigInteger.Zero : b >> (int)a,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Words whose limbs are zero, one, all ones, all ones but one, or the top bit: every carry, borrow and ripple pattern.</summary>
    private static IEnumerable<UInt256> LimbPatterns()
    {
        ulong[] limbs = [0, 1, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63];
        foreach (var l0 in limbs)
            foreach (var l1 in limbs)
                foreach (var l2 in limbs)
                    foreach (var l3 in limbs)
                        yield return new UInt256(l0, l1, l2, l3);
    }

    [Theory]
    [MemberData(nameof(DupOperations))]
    public void A_dup_fused_with_an_operation_gives_the_big_integer_result_and_the_traced_one(byte op, string name)
    {
        var words = LimbPatterns().Where((_, i) => i % 7 == 0).ToList();
        words.AddRange([new UInt256(3), new UInt256(64), new UInt256(255), new UInt256(256), new UInt256(1, 1)]);
        foreach (var a in words)
        {
            foreach (var b in words)
            {
                // a three deep, then b on top: DUP3 copies a over b and the operation takes a as its top.
                var code = PushWord(a).Op(Op.PUSH0).Op(PushWord(b).Build()).Op((byte)(Op.DUP1 + 2), op).ReturnTop().Build();
                var expected = Expected(op, ToBig(a), ToBig(b));
                Assert.True(expected == Returned(Run(code, 10_000)), $"{name}: {a} op {b}");
                Assert.True(expected == Returned(RunTraced(code, 10_000)), $"{name} traced: {a} op {b}");
            }
        }
    }

    [Fact]
    public void Add_sub_and_mul_carry_through_every_limb_pattern()
    {
        var words = LimbPatterns().ToList();
        // 2^64+1, 2^64, 1 and 0 (limb copies), two full limbs (the two-row product), a full word.
        var multipliers = new[] { new UInt256(1, 1), new UInt256(0, 1), UInt256.One, UInt256.Zero, new UInt256(ulong.MaxValue, ulong.MaxValue), new UInt256(3, 0, 0, 1) };
        foreach (var a in words)
        {
            foreach (var b in words.Where((_, i) => i % 13 == 0))
            {
                foreach (var op in new[] { Op.ADD, Op.SUB })
                {
                    var code = PushWord(b).Op(PushWord(a).Build()).Op(op).ReturnTop().Build();
                    Assert.True(Expected(op, ToBig(a), ToBig(b)) == Returned(Run(code, 1000)), $"{op:x2}: {a}, {b}");
                }
            }
            foreach (var m in multipliers)
            {
                // The multiplier on top and underneath: both take the two-row product when it is below 2^128.
                Assert.True(Expected(Op.MUL, ToBig(m), ToBig(a)) == Returned(Run(PushWord(a).Op(PushWord(m).Build()).Op(Op.MUL).ReturnTop(), 1000)), $"{m} * {a}");
                Assert.True(Expected(Op.MUL, ToBig(a), ToBig(m)) == Returned(Run(PushWord(m).Op(PushWord(a).Build()).Op(Op.MUL).ReturnTop(), 1000)), $"{a} * {m}");
            }
        }
    }

    [Fact]
    public void Every_push_width_reads_its_own_bytes_at_the_start_and_at_the_end_of_the_code()
    {
        var data = Enumerable.Range(1, 32).Select(i => (byte)(0xe0 ^ i)).ToArray();
        for (var n = 1; n <= 32; n++)
        {
            var bytes = data[..n];
            var expected = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            // At pc 0 (the bytes before it are the code's front padding) and returned.
            Assert.True(expected == Returned(Run(new Bytecode().PushBytes(bytes).ReturnTop(), 1000)), $"PUSH{n}");
            // The last instruction with its data cut short by the end of the code: the rest reads as zeros.
            var truncated = new Bytecode().Op((byte)(0x5f + n)).Op(bytes[..(n / 2)]).Build();
            var traced = RunTraced(truncated, 1000);
            var untraced = Run(truncated, 1000);
            Assert.Equal(ExecutionStatus.Success, untraced.Status);
            Assert.Equal(traced.GasLeft, untraced.GasLeft);
        }
    }

    [Fact]
    public void Fused_memory_words_read_what_was_written()
    {
        // MSTORE 0xaa at 0x20 (expands to 64 bytes), 0xbb at 0 (fused), MLOAD both (fused) and add them.
        var code = Hex.Decode("60aa61002052" + "60bb61000052" + "61002051" + "61000051" + "01" + "5f52" + "60205ff3");
        Assert.Equal(new BigInteger(0xaa + 0xbb), Returned(Run(code, 1000)));
        Assert.Equal(new BigInteger(0xaa + 0xbb), Returned(RunTraced(code, 1000)));
    }
}
