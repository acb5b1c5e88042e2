using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;

namespace Thalamus.Dlx.Tests;

/// <summary>What every instruction does, against C# reference semantics over random operands.</summary>
public class InstructionSemanticsTests
{
    private const int Sentinel = 0x5A5A5A5A;

    private static DlxMachine Exec(DlxProgramImage image, Action<DlxMachine> setup)
    {
        var machine = DlxMachine.Load(image);
        setup(machine);
        machine.Run();
        return machine;
    }

    /// <summary>int reference for R-type integer ops; null = the instruction traps with signed overflow.</summary>
    public static TheoryData<string> RegisterOps() => new(["add", "addu", "sub", "subu", "and", "or", "xor", "sll", "srl", "sra", "seq", "sne", "slt", "sgt", "sle", "sge"]);

    private static int? Reference(string op, int a, int b) => op switch
    {
        "add" or "addi" => (long)a + b is var s && s is < int.MinValue or > int.MaxValue ? null : a + b,
        "addu" or "addui" => a + b,
        "sub" or "subi" => (long)a - b is var d && d is < int.MinValue or > int.MaxValue ? null : a - b,
        "subu" or "subui" => a - b,
        "and" or "andi" => a & b,
        "or" or "ori" => a | b,
        "xor" or "xori" => a ^ b,
        "sll" or "slli" => a << (b & 31),
        "srl" or "srli" => (int)((uint)a >> (b & 31)),
        "sra" or "srai" => a >> (b & 31),
        "seq" or "seqi" => a == b ? 1 : 0,
        "sne" or "snei" => a != b ? 1 : 0,
        "slt" or "slti" => a < b ? 1 : 0,
        "sgt" or "sgti" => a > b ? 1 : 0,
        "sle" or "slei" => a <= b ? 1 : 0,
        "sge" or "sgei" => a >= b ? 1 : 0,
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(RegisterOps))]
    public void Integer_register_ops_match_the_reference(string op)
    {
        var image = TestPrograms.Snippet($"{op} r3, r1, r2\ntrap 0");
        Prop.ForAll(Gens.Int, Gens.Int, (a, b) =>
        {
            var m = Exec(image, m => { m.SetRegister(1, a); m.SetRegister(2, b); m.SetRegister(3, Sentinel); });
            int? expected = Reference(op, a, b);
            return expected is null
                ? m.Status == DlxStatus.Faulted && m.Fault == DlxFault.Overflow && m.GetRegister(3) == Sentinel && m.Pc == 0
                : m.Status == DlxStatus.Halted && m.GetRegister(3) == expected;
        }).QuickCheckThrowOnFailure();
    }

    public static TheoryData<string> ImmediateOps() => new(["addi", "addui", "subi", "subui", "andi", "ori", "xori", "slli", "srli", "srai", "seqi", "snei", "slti", "sgti", "slei", "sgei"]);

    [Theory]
    [MemberData(nameof(ImmediateOps))]
    public void Integer_immediate_ops_extend_and_compute_like_the_reference(string op)
    {
        bool zeroExtended = op is "addui" or "subui" or "andi" or "ori" or "xori";
        bool shift = op is "slli" or "srli" or "srai";
        var immediates = shift ? Gen.Choose(0, 31) : zeroExtended ? Gen.Choose(0, 0xFFFF) : Gen.Choose(-0x8000, 0x7FFF);
        Prop.ForAll(Gens.Int, Arb.From(immediates), (a, imm) =>
        {
            var m = Exec(TestPrograms.Snippet($"{op} r3, r1, {imm}\ntrap 0"), m => { m.SetRegister(1, a); m.SetRegister(3, Sentinel); });
            int? expected = Reference(op, a, imm);
            return expected is null
                ? m.Fault == DlxFault.Overflow && m.GetRegister(3) == Sentinel
                : m.Status == DlxStatus.Halted && m.GetRegister(3) == expected;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Lhi_loads_the_upper_half_and_clears_the_lower()
    {
        var m = TestPrograms.Run("addi r1, r0, 0x1234\nlhi r1, 0xABCD\ntrap 0");
        Assert.Equal(unchecked((int)0xABCD0000), m.GetRegister(1));
    }

    [Fact]
    public void Writes_to_r0_vanish()
    {
        var m = TestPrograms.Run("addi r0, r0, 5\nlhi r0, 1\nadd r1, r0, r0\nlw r0, 0(r29)\ntrap 0", m => m.SetRegister(29, 0x1000));
        Assert.Equal(0, m.GetRegister(0));
        Assert.Equal(0, m.GetRegister(1));
    }

    [Fact]
    public void Loads_are_big_endian_and_extend_as_named()
    {
        var m = TestPrograms.Run(
            "addi r9, r0, d\nlb r1, 0(r9)\nlbu r2, 0(r9)\nlh r3, 0(r9)\nlhu r4, 0(r9)\nlw r5, 0(r9)\nlb r6, 3(r9)\nlh r7, 2(r9)\ntrap 0",
            data: "d: .byte 0x80, 0x01, 0xFE, 0x7F");
        Assert.Equal(-128, m.GetRegister(1));
        Assert.Equal(0x80, m.GetRegister(2));
        Assert.Equal(unchecked((short)0x8001), m.GetRegister(3));
        Assert.Equal(0x8001, m.GetRegister(4));
        Assert.Equal(unchecked((int)0x8001FE7F), m.GetRegister(5));
        Assert.Equal(0x7F, m.GetRegister(6));
        Assert.Equal(unchecked((short)0xFE7F), m.GetRegister(7));
    }

    [Fact]
    public void Stores_write_big_endian_bytes_and_loads_read_them_back()
    {
        var image = TestPrograms.Snippet("sw 0(r9), r1\nsh 4(r9), r1\nsb 6(r9), r1\nlw r2, 0(r9)\nlhu r3, 4(r9)\nlbu r4, 6(r9)\ntrap 0");
        Prop.ForAll(Gens.Int, Arb.From(Gen.Choose(0x2000, 0xF000).Select(a => a & ~7)), (value, address) =>
        {
            var m = Exec(image, m => { m.SetRegister(1, value); m.SetRegister(9, address); });
            var bytes = m.Memory.Read((uint)address, 7);
            return BinaryPrimitives.ReadInt32BigEndian(bytes) == value
                && BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4)) == (ushort)value
                && bytes[6] == (byte)value
                && m.GetRegister(2) == value && m.GetRegister(3) == (ushort)value && m.GetRegister(4) == (byte)value;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Float_loads_and_stores_move_raw_bits_and_doubles_span_a_register_pair()
    {
        var m = TestPrograms.Run("addi r9, r0, d\nlf f3, 0(r9)\nld f4, 8(r9)\nsf 16(r9), f3\nsd 24(r9), f4\ntrap 0",
            data: "d: .float 1.5\n.space 4\n.double -2.25\n.space 16");
        Assert.Equal(1.5f, m.GetSingle(3));
        Assert.Equal(-2.25, m.GetDouble(4));
        ulong bits = BitConverter.DoubleToUInt64Bits(-2.25);
        Assert.Equal((uint)(bits >> 32), m.GetFloatRegister(4)); // even register: the high word
        Assert.Equal((uint)bits, m.GetFloatRegister(5));
        uint data = 0x1000; // data follows the code at the next page
        Assert.Equal(BitConverter.SingleToUInt32Bits(1.5f), BinaryPrimitives.ReadUInt32BigEndian(m.Memory.Read(data + 16, 4)));
        Assert.Equal(bits, BinaryPrimitives.ReadUInt64BigEndian(m.Memory.Read(data + 24, 8)));
    }

    private static float CanonicalF(float x) => float.IsNaN(x) ? BitConverter.UInt32BitsToSingle(0x7FC00000) : x;

    private static double CanonicalD(double x) => double.IsNaN(x) ? BitConverter.UInt64BitsToDouble(0x7FF8000000000000) : x;

    [Theory]
    [InlineData("addf")]
    [InlineData("subf")]
    [InlineData("multf")]
    [InlineData("divf")]
    public void Single_precision_arithmetic_is_ieee_with_canonical_nans(string op)
    {
        var image = TestPrograms.Snippet($"{op} f5, f1, f2\ntrap 0");
        Prop.ForAll(Gens.Float, Gens.Float, (a, b) =>
        {
            var m = Exec(image, m => { m.SetFloatRegister(1, BitConverter.SingleToUInt32Bits(a)); m.SetFloatRegister(2, BitConverter.SingleToUInt32Bits(b)); });
            float expected = CanonicalF(op switch { "addf" => a + b, "subf" => a - b, "multf" => a * b, _ => a / b });
            return m.GetFloatRegister(5) == BitConverter.SingleToUInt32Bits(expected);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("addd")]
    [InlineData("subd")]
    [InlineData("multd")]
    [InlineData("divd")]
    public void Double_precision_arithmetic_is_ieee_with_canonical_nans(string op)
    {
        var image = TestPrograms.Snippet($"{op} f6, f2, f4\ntrap 0");
        Prop.ForAll(Gens.Double, Gens.Double, (a, b) =>
        {
            var m = Exec(image, m => { m.SetDouble(2, a); m.SetDouble(4, b); });
            double expected = CanonicalD(op switch { "addd" => a + b, "subd" => a - b, "multd" => a * b, _ => a / b });
            return BitConverter.DoubleToUInt64Bits(m.GetDouble(6)) == BitConverter.DoubleToUInt64Bits(expected);
        }).QuickCheckThrowOnFailure();
    }

    private static int Truncate(double x) => double.IsNaN(x) ? 0 : x >= int.MaxValue ? int.MaxValue : x <= int.MinValue ? int.MinValue : (int)Math.Truncate(x);

    [Fact]
    public void Conversions_round_like_ieee_and_truncate_to_integers_with_saturation()
    {
        var image = TestPrograms.Snippet("cvtf2d f20, f1\ncvtf2i f3, f1\ncvtd2f f5, f8\ncvtd2i f7, f8\ncvti2f f9, f10\ncvti2d f12, f10\ntrap 0");
        Prop.ForAll(Gens.Float, Gens.Double, Gens.Int, (x, y, i) =>
        {
            var m = Exec(image, m => { m.SetFloatRegister(1, BitConverter.SingleToUInt32Bits(x)); m.SetDouble(8, y); m.SetFloatRegister(10, (uint)i); });
            return BitConverter.DoubleToUInt64Bits(m.GetDouble(20)) == BitConverter.DoubleToUInt64Bits(CanonicalD(x))
                && (int)m.GetFloatRegister(3) == Truncate(x)
                && m.GetFloatRegister(5) == BitConverter.SingleToUInt32Bits(CanonicalF((float)y))
                && (int)m.GetFloatRegister(7) == Truncate(y)
                && m.GetSingle(9) == (float)i
                && m.GetDouble(12) == i;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("eqf")]
    [InlineData("nef")]
    [InlineData("ltf")]
    [InlineData("gtf")]
    [InlineData("lef")]
    [InlineData("gef")]
    public void Single_comparisons_set_the_fp_status_that_bfpt_and_bfpf_test(string op)
    {
        var image = TestPrograms.Snippet($"{op} f1, f2\nbfpt yes\naddi r1, r0, 2\nbfpf out\nyes: addi r1, r0, 1\nout: movs2i r2, fpsr\ntrap 0");
        Prop.ForAll(Gens.Float, Gens.Float, (a, b) =>
        {
            var m = Exec(image, m => { m.SetFloatRegister(1, BitConverter.SingleToUInt32Bits(a)); m.SetFloatRegister(2, BitConverter.SingleToUInt32Bits(b)); });
            bool expected = op switch { "eqf" => a == b, "nef" => a != b, "ltf" => a < b, "gtf" => a > b, "lef" => a <= b, _ => a >= b };
            return m.GetRegister(1) == (expected ? 1 : 2) && m.GetRegister(2) == (expected ? 1 : 0) && m.FpStatus == expected;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("eqd")]
    [InlineData("ned")]
    [InlineData("ltd")]
    [InlineData("gtd")]
    [InlineData("led")]
    [InlineData("ged")]
    public void Double_comparisons_set_the_fp_status(string op)
    {
        var image = TestPrograms.Snippet($"{op} f2, f4\ntrap 0");
        Prop.ForAll(Gens.Double, Gens.Double, (a, b) =>
        {
            var m = Exec(image, m => { m.SetDouble(2, a); m.SetDouble(4, b); });
            bool expected = op switch { "eqd" => a == b, "ned" => a != b, "ltd" => a < b, "gtd" => a > b, "led" => a <= b, _ => a >= b };
            return m.FpStatus == expected;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Integer_multiply_and_divide_work_on_float_registers()
    {
        var image = TestPrograms.Snippet("mult f3, f1, f2\nmultu f4, f1, f2\ndivu f6, f1, f2\ndiv f5, f1, f2\ntrap 0");
        Prop.ForAll(Gens.Int, Gens.Int, (a, b) =>
        {
            var m = Exec(image, m => { m.SetFloatRegister(1, (uint)a); m.SetFloatRegister(2, (uint)b); });
            bool products = (int)m.GetFloatRegister(3) == unchecked(a * b) && m.GetFloatRegister(4) == unchecked((uint)a * (uint)b);
            if (b == 0) return products && m.Fault == DlxFault.DivisionByZero && m.Pc == 8;
            if (a == int.MinValue && b == -1) return products && m.GetFloatRegister(6) == 0 && m.Fault == DlxFault.Overflow && m.Pc == 12;
            return products && m.GetFloatRegister(6) == (uint)a / (uint)b && (int)m.GetFloatRegister(5) == a / b && m.Status == DlxStatus.Halted;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Moves_between_register_files_copy_bits()
    {
        var m = TestPrograms.Run("movi2fp f1, r1\nmovf f2, f1\nmovfp2i r2, f2\nmovd f6, f4\nmovi2s fpsr, r3\nmovs2i r4, fpsr\nmovi2s iar, r5\nmovs2i r6, iar\ntrap 0", m =>
        {
            m.SetRegister(1, -7);
            m.SetDouble(4, Math.PI);
            m.SetRegister(3, 3); // only bit 0 counts
            m.SetRegister(5, 0x40);
        });
        Assert.Equal(-7, m.GetRegister(2));
        Assert.Equal(Math.PI, m.GetDouble(6));
        Assert.Equal(1, m.GetRegister(4));
        Assert.True(m.FpStatus);
        Assert.Equal(0x40, m.GetRegister(6));
    }

    [Fact]
    public void Jumps_and_links()
    {
        var m = TestPrograms.Run(
            "jal sub1\naddi r10, r0, 1\naddi r9, r0, sub2\njalr r9\naddi r11, r0, 1\nj end\naddi r12, r0, 99\nsub1: add r20, r31, r0\njr r31\nsub2: add r21, r31, r0\njr r31\nend: trap 0");
        Assert.Equal(4, m.GetRegister(20));   // JAL at 0 links PC + 4 (no delay slot)
        Assert.Equal(16, m.GetRegister(21));  // JALR at 12
        Assert.Equal(1, m.GetRegister(10));
        Assert.Equal(1, m.GetRegister(11));
        Assert.Equal(0, m.GetRegister(12));   // skipped by J
        Assert.Equal(DlxStatus.Halted, m.Status);
    }

    [Fact]
    public void Jalr_reads_its_target_before_linking()
    {
        var m = TestPrograms.Run("addi r31, r0, t\njalr r31\nt: trap 0");
        Assert.Equal(8u, m.Pc);
        Assert.Equal(8, m.GetRegister(31));
    }

    [Theory]
    [InlineData("beqz", 0, true)]
    [InlineData("beqz", 5, false)]
    [InlineData("bnez", 0, false)]
    [InlineData("bnez", -5, true)]
    public void Conditional_branches_test_a_register(string op, int value, bool taken)
    {
        var m = TestPrograms.Run($"{op} r1, there\naddi r2, r0, 1\nthere: trap 0", m => m.SetRegister(1, value));
        Assert.Equal(taken ? 0 : 1, m.GetRegister(2));
    }

    [Fact]
    public void Backward_branches_loop()
    {
        var m = TestPrograms.Run("addi r1, r0, 10\nloop: addi r2, r2, 3\nsubi r1, r1, 1\nbnez r1, loop\ntrap 0");
        Assert.Equal(30, m.GetRegister(2));
        Assert.Equal(1 + 3 * 10 + 1, m.Instructions);
    }

    [Fact]
    public void Trap_sets_iar_and_rfe_returns_there()
    {
        var m = TestPrograms.Run("trap 1\naddi r5, r0, back\nmovi2s iar, r5\nrfe\naddi r6, r0, 1\nback: movs2i r7, iar\ntrap 0");
        Assert.Equal(0, m.GetRegister(6)); // RFE jumped over it
        Assert.Equal(20, m.GetRegister(7));
        Assert.Equal(28u, m.Iar);          // the halting TRAP at 24 set IAR = 28
        Assert.Equal(24u, m.Pc);
    }
}
