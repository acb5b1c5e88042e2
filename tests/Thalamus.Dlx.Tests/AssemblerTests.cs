using System.Buffers.Binary;
using System.Text;

namespace Thalamus.Dlx.Tests;

public class AssemblerTests
{
    private static DlxImageSection Data(DlxProgramImage image) => image.Sections.Single(s => s.Kind == DlxSectionKind.Data);

    private static DlxAssemblyError Error(string source)
    {
        var e = Assert.Throws<DlxAssemblyException>(() => DlxAssembler.Assemble(source, "t.s"));
        return e.Errors[0];
    }

    [Fact]
    public void Data_follows_the_code_on_the_next_page_and_labels_resolve()
    {
        var image = DlxAssembler.Assemble("""
            ; a comment line
                    .data
            x:      .word 7          ; trailing comment
                    .text
            main:   lw r1, x
                    trap 0
            """);
        Assert.Equal(0u, image.Entry);
        Assert.Equal(0x1000u, Data(image).Address);
        var m = DlxMachine.Load(image);
        m.Run();
        Assert.Equal(7, m.GetRegister(1));
    }

    [Fact]
    public void Explicit_section_addresses()
    {
        var image = DlxAssembler.Assemble(".text 0x100\nmain: trap 0\n.data 0x8000\n.byte 1");
        Assert.Equal(0x100u, image.CodeStart);
        Assert.Equal(0x8000u, Data(image).Address);
    }

    [Fact]
    public void Entry_is_main_when_defined()
    {
        var image = DlxAssembler.Assemble("nop\nmain: trap 0");
        Assert.Equal(4u, image.Entry);
        Assert.Equal(0u, DlxAssembler.Assemble("nop\nstart: trap 0").Entry);
    }

    [Fact]
    public void Word_half_byte_are_big_endian_and_self_aligning()
    {
        var bytes = Data(DlxAssembler.Assemble(".text\nmain: trap 0\n.data\n.byte 1\n.half 0x0203\n.byte 4\n.word 0x05060708, -1\n.byte -1, 255")).Data;
        Assert.Equal(new byte[] { 1, 0, 2, 3, 4, 0, 0, 0, 5, 6, 7, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, bytes);
    }

    [Fact]
    public void Labels_take_the_aligned_address_of_what_follows()
    {
        var image = DlxAssembler.Assemble(".data\n.byte 1\nw:\n.word 2\nd: .double 1.0\n.text\nmain: addi r1, r0, w\naddi r2, r0, d\ntrap 0");
        var m = DlxMachine.Load(image);
        m.Run();
        Assert.Equal(0x1004, m.GetRegister(1));
        Assert.Equal(0x1008, m.GetRegister(2));
    }

    [Fact]
    public void Align_and_space()
    {
        var bytes = Data(DlxAssembler.Assemble(".text\nmain: trap 0\n.data\n.byte 9\n.align 3\n.byte 8\n.space 3\n.byte 7")).Data;
        Assert.Equal(new byte[] { 9, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 7 }, bytes);
    }

    [Fact]
    public void Ascii_and_asciiz_with_escapes()
    {
        var bytes = Data(DlxAssembler.Assemble(".text\nmain: trap 0\n.data\n.ascii \"a\\tb\\n\", \"\\x41\\\"\"\n.asciiz \"z\"")).Data;
        Assert.Equal(Encoding.ASCII.GetBytes("a\tb\nA\"z\0"), bytes);
    }

    [Fact]
    public void Float_and_double_are_ieee_big_endian()
    {
        var bytes = Data(DlxAssembler.Assemble(".text\nmain: trap 0\n.data\n.float 1.5, -2\n.double 6.02e23, inf")).Data;
        Assert.Equal(BitConverter.SingleToUInt32Bits(1.5f), BinaryPrimitives.ReadUInt32BigEndian(bytes));
        Assert.Equal(BitConverter.SingleToUInt32Bits(-2f), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4)));
        Assert.Equal(6.02e23, BinaryPrimitives.ReadDoubleBigEndian(bytes.AsSpan(8)));
        Assert.Equal(double.PositiveInfinity, BinaryPrimitives.ReadDoubleBigEndian(bytes.AsSpan(16)));
    }

    [Fact]
    public void Expressions_chars_and_case_insensitive_mnemonics()
    {
        var m = DlxMachine.Load(DlxAssembler.Assemble("""
            main:   ADDI R1, r0, (3 + 4) * 2 - 1
                    addi r2, r0, 'A' | 0x20
                    lhi  r3, (0x12345678 >> 16) & 0xffff
                    ori  r3, r3, 0x12345678 & 0xffff
                    addi r4, r0, -(1 << 4) % 7
                    addi r5, r0, ~0
                    trap 0
            """));
        m.Run();
        Assert.Equal(13, m.GetRegister(1));
        Assert.Equal('a', m.GetRegister(2));
        Assert.Equal(0x12345678, m.GetRegister(3));
        Assert.Equal(-16 % 7, m.GetRegister(4));
        Assert.Equal(-1, m.GetRegister(5));
    }

    [Fact]
    public void Memory_operand_forms()
    {
        Assert.Equal(DlxAssembler.AssembleInstruction("lw r1, 0(r2)"), DlxAssembler.AssembleInstruction("lw r1,(r2)"));
        Assert.Equal(DlxAssembler.AssembleInstruction("lw r1, 16(r0)"), DlxAssembler.AssembleInstruction("lw r1, 16"));
        Assert.Equal(DlxAssembler.AssembleInstruction("sw -4(r29), r31"), DlxAssembler.AssembleInstruction("sw (2-6)(r29),r31"));
    }

    [Fact]
    public void Global_and_segment_directives()
    {
        var image = DlxAssembler.Assemble(".global main, worker\n.segment worker\nmain: trap 0\nworker: trap 0");
        Assert.Equal([4u], image.SegmentEntries);
    }

    [Fact]
    public void Errors_carry_file_line_and_column()
    {
        var e = Error("main: nop\n   addx r1, r2, r3\n");
        Assert.Equal(("t.s", 2, 4), (e.File, e.Line, e.Column));
        Assert.Contains("unknown instruction 'addx'", e.Message);
        Assert.Contains("did you mean", e.Message);
        Assert.Equal("t.s:2:4: error: " + e.Message, e.ToString());
    }

    [Theory]
    [InlineData("add r1, r2", 1, "add takes 3 operands (rd, rs1, rs2), got 2")]
    [InlineData("add r1, r2, f3", 13, "expected an integer register (r0..r31), got 'f3'")]
    [InlineData("addi r1, r2, 40000", 14, "immediate 40000 out of range -32768..32767")]
    [InlineData("ori r1, r2, -1", 13, "out of range 0..65535 (ori zero-extends")]
    [InlineData("slli r1, r2, 32", 14, "shift amount 32 out of range 0..31")]
    [InlineData("addd f1, f2, f4", 6, "'f1' cannot hold a double")]
    [InlineData("j nowhere", 3, "undefined label 'nowhere'")]
    [InlineData("lw r1, 40000(r2)", 8, "offset 40000 does not fit in 16 signed bits")]
    [InlineData("lw r1, 0x9000", 8, "not reachable from r0")]
    [InlineData("lw r1, r2", 8, "expected a memory operand such as 0(r2)")]
    [InlineData("trap -1", 6, "trap number -1 out of range")]
    [InlineData(".wrod 1", 1, "unknown directive '.wrod' (did you mean '.word'?)")]
    [InlineData(".byte 256", 7, ".byte value 256 out of range -128..255")]
    [InlineData(".ascii \"abc", 8, "unterminated string")]
    [InlineData(".align 13", 8, "the power must be between 0 and 12")]
    [InlineData(".space x", 8, ".space must be a constant")]
    [InlineData("addi r1, r0, 1 +", 17, "expression ends too early")]
    [InlineData("nop # comment", 5, "unexpected character '#'")]
    [InlineData("r5: nop", 1, "'r5' is a register name")]
    [InlineData(".global nothing", 9, ".global names 'nothing', which is never defined")]
    public void Errors_say_what_is_wrong_and_where(string line, int column, string message)
    {
        var e = Error("main: nop\n" + line + "\n");
        Assert.Equal(2, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Branch_out_of_range()
    {
        var e = Error("main: beqz r1, far\n.space 40000\nfar: trap 0");
        Assert.Equal(1, e.Line);
        Assert.Contains("too far", e.Message);
    }

    [Fact]
    public void Duplicate_labels_name_the_first_definition()
    {
        var e = Error("main: nop\nx: nop\nx: nop");
        Assert.Equal(3, e.Line);
        Assert.Contains("already defined on line 2", e.Message);
    }

    [Fact]
    public void Instructions_in_data_are_refused() =>
        Assert.Contains("instructions belong in .text", Error("main: nop\n.data\nadd r1, r2, r3").Message);

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var e = Assert.Throws<DlxAssemblyException>(() => DlxAssembler.Assemble("main: foo\nbar r1\naddi r1, r0\n"));
        Assert.Equal([1, 2, 3], e.Errors.Select(x => x.Line));
    }

    [Fact]
    public void A_program_without_code_is_refused() =>
        Assert.Contains("no instructions", Error(".data\n.word 1").Message);

    [Fact]
    public void Overlapping_sections_are_refused()
    {
        Assert.Contains("overlap", Error("main: nop\nnop\n.data 4\n.word 1").Message);
        Assert.Contains("overlap", Error(".text 0\nmain: nop\n.text 0\nnop").Message);
    }
}
