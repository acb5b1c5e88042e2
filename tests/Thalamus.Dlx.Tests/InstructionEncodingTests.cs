using FsCheck;
using FsCheck.Fluent;

namespace Thalamus.Dlx.Tests;

public class InstructionEncodingTests
{
    /// <summary>The instruction map exactly as SPEC.md section 7 lists it: name → (opcode, func or -1).</summary>
    private static readonly Dictionary<string, (int Opcode, int Func)> Spec = new()
    {
        ["sll"] = (0, 0x04), ["srl"] = (0, 0x06), ["sra"] = (0, 0x07), ["add"] = (0, 0x20), ["addu"] = (0, 0x21),
        ["sub"] = (0, 0x22), ["subu"] = (0, 0x23), ["and"] = (0, 0x24), ["or"] = (0, 0x25), ["xor"] = (0, 0x26),
        ["seq"] = (0, 0x28), ["sne"] = (0, 0x29), ["slt"] = (0, 0x2A), ["sgt"] = (0, 0x2B), ["sle"] = (0, 0x2C),
        ["sge"] = (0, 0x2D), ["movi2s"] = (0, 0x30), ["movs2i"] = (0, 0x31), ["movf"] = (0, 0x32), ["movd"] = (0, 0x33),
        ["movfp2i"] = (0, 0x34), ["movi2fp"] = (0, 0x35), ["nop"] = (0, 0x00),
        ["addf"] = (1, 0x00), ["subf"] = (1, 0x01), ["multf"] = (1, 0x02), ["divf"] = (1, 0x03),
        ["addd"] = (1, 0x04), ["subd"] = (1, 0x05), ["multd"] = (1, 0x06), ["divd"] = (1, 0x07),
        ["cvtf2d"] = (1, 0x08), ["cvtf2i"] = (1, 0x09), ["cvtd2f"] = (1, 0x0A), ["cvtd2i"] = (1, 0x0B),
        ["cvti2f"] = (1, 0x0C), ["cvti2d"] = (1, 0x0D), ["mult"] = (1, 0x0E), ["div"] = (1, 0x0F),
        ["eqf"] = (1, 0x10), ["nef"] = (1, 0x11), ["ltf"] = (1, 0x12), ["gtf"] = (1, 0x13), ["lef"] = (1, 0x14), ["gef"] = (1, 0x15),
        ["multu"] = (1, 0x16), ["divu"] = (1, 0x17),
        ["eqd"] = (1, 0x18), ["ned"] = (1, 0x19), ["ltd"] = (1, 0x1A), ["gtd"] = (1, 0x1B), ["led"] = (1, 0x1C), ["ged"] = (1, 0x1D),
        ["j"] = (0x02, -1), ["jal"] = (0x03, -1), ["beqz"] = (0x04, -1), ["bnez"] = (0x05, -1), ["bfpt"] = (0x06, -1), ["bfpf"] = (0x07, -1),
        ["addi"] = (0x08, -1), ["addui"] = (0x09, -1), ["subi"] = (0x0A, -1), ["subui"] = (0x0B, -1), ["andi"] = (0x0C, -1),
        ["ori"] = (0x0D, -1), ["xori"] = (0x0E, -1), ["lhi"] = (0x0F, -1), ["rfe"] = (0x10, -1), ["trap"] = (0x11, -1),
        ["jr"] = (0x12, -1), ["jalr"] = (0x13, -1), ["slli"] = (0x14, -1), ["srli"] = (0x16, -1), ["srai"] = (0x17, -1),
        ["seqi"] = (0x18, -1), ["snei"] = (0x19, -1), ["slti"] = (0x1A, -1), ["sgti"] = (0x1B, -1), ["slei"] = (0x1C, -1), ["sgei"] = (0x1D, -1),
        ["lb"] = (0x20, -1), ["lh"] = (0x21, -1), ["lw"] = (0x23, -1), ["lbu"] = (0x24, -1), ["lhu"] = (0x25, -1), ["lf"] = (0x26, -1),
        ["ld"] = (0x27, -1), ["sb"] = (0x28, -1), ["sh"] = (0x29, -1), ["sw"] = (0x2B, -1), ["sf"] = (0x2E, -1), ["sd"] = (0x2F, -1),
    };

    public static TheoryData<string> AllNames() => new(Spec.Keys.Order());

    [Fact]
    public void The_instruction_set_is_exactly_the_spec_map()
    {
        Assert.Equal(Spec.Keys.Order(), DlxInstructionSet.All.Select(i => i.Name).Order());
        foreach (var info in DlxInstructionSet.All)
        {
            var (opcode, func) = Spec[info.Name];
            Assert.Equal(opcode, info.Opcode);
            Assert.Equal(func, info.Func);
        }
    }

    /// <summary>A representative instance with distinct, in-range values in every field the shape uses.</summary>
    private static DlxInstruction Sample(DlxInstructionInfo info)
    {
        var fields = info.Shape;
        return fields switch
        {
            DlxOperandShape.None => new(info.Mnemonic),
            DlxOperandShape.GprGprGpr => new(info.Mnemonic, Rd: 3, Rs1: 17, Rs2: 30),
            DlxOperandShape.GprGprSigned => new(info.Mnemonic, Rd: 5, Rs1: 9, Immediate: -12345),
            DlxOperandShape.GprGprUnsigned => new(info.Mnemonic, Rd: 5, Rs1: 9, Immediate: 0xBEEF),
            DlxOperandShape.GprGprShift => new(info.Mnemonic, Rd: 31, Rs1: 1, Immediate: 29),
            DlxOperandShape.GprUnsigned => new(info.Mnemonic, Rd: 7, Immediate: 0x8001),
            DlxOperandShape.LoadGpr or DlxOperandShape.StoreGpr or DlxOperandShape.LoadSingle or DlxOperandShape.StoreSingle
                => new(info.Mnemonic, Rd: 11, Rs1: 29, Immediate: -8),
            DlxOperandShape.LoadDouble or DlxOperandShape.StoreDouble => new(info.Mnemonic, Rd: 12, Rs1: 29, Immediate: 32760),
            DlxOperandShape.BranchGpr => new(info.Mnemonic, Rs1: 4, Immediate: -32768),
            DlxOperandShape.BranchFp => new(info.Mnemonic, Immediate: 32764),
            DlxOperandShape.Jump => new(info.Mnemonic, Immediate: -(1 << 25)),
            DlxOperandShape.JumpGpr => new(info.Mnemonic, Rs1: 31),
            DlxOperandShape.Trap => new(info.Mnemonic, Immediate: (1 << 26) - 1),
            DlxOperandShape.SingleSingleSingle => new(info.Mnemonic, Rd: 1, Rs1: 2, Rs2: 31),
            DlxOperandShape.DoubleDoubleDouble => new(info.Mnemonic, Rd: 30, Rs1: 2, Rs2: 16),
            DlxOperandShape.SingleSingle or DlxOperandShape.GprSingle or DlxOperandShape.SingleGpr => new(info.Mnemonic, Rd: 13, Rs1: 27),
            DlxOperandShape.DoubleDouble => new(info.Mnemonic, Rd: 14, Rs1: 28),
            DlxOperandShape.DoubleSingle => new(info.Mnemonic, Rd: 18, Rs1: 27),
            DlxOperandShape.SingleDouble => new(info.Mnemonic, Rd: 19, Rs1: 26),
            DlxOperandShape.CompareSingle => new(info.Mnemonic, Rs1: 3, Rs2: 25),
            DlxOperandShape.CompareDouble => new(info.Mnemonic, Rs1: 4, Rs2: 24),
            DlxOperandShape.SpecialGpr => new(info.Mnemonic, Rd: 1, Rs1: 23),
            DlxOperandShape.GprSpecial => new(info.Mnemonic, Rd: 23, Rs1: 1),
            _ => throw new InvalidOperationException(fields.ToString()),
        };
    }

    /// <summary>The encoding, composed by hand from the field layout of SPEC.md section 7.</summary>
    private static uint Compose(string name, DlxInstruction i)
    {
        var (opcode, func) = Spec[name];
        uint op = (uint)opcode << 26;
        if (func >= 0) return op | (uint)i.Rs1 << 21 | (uint)i.Rs2 << 16 | (uint)i.Rd << 11 | (uint)func;
        if (name is "j" or "jal" or "trap" or "rfe") return op | ((uint)i.Immediate & 0x03FF_FFFF);
        return op | (uint)i.Rs1 << 21 | (uint)i.Rd << 16 | ((uint)i.Immediate & 0xFFFF);
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void Every_instruction_encodes_to_its_spec_fields_and_decodes_back(string name)
    {
        Assert.True(DlxInstructionSet.TryGetByName(name, out var info));
        var instruction = Sample(info);
        uint word = instruction.Encode();
        Assert.Equal(Compose(name, instruction), word);
        Assert.True(DlxInstruction.TryDecode(word, out var decoded));
        Assert.Equal(instruction, decoded);
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void Every_instruction_assembles_from_its_disassembly(string name)
    {
        Assert.True(DlxInstructionSet.TryGetByName(name, out var info));
        var instruction = Sample(info);
        uint word = instruction.Encode();
        const uint address = 0x0400_0000;
        string text = DlxDisassembler.Format(instruction, address);
        Assert.StartsWith(name, text);
        Assert.Equal(word, DlxAssembler.AssembleInstruction(text, address));
    }

    [Fact]
    public void Nop_is_the_all_zero_word() => Assert.Equal(0u, DlxAssembler.AssembleInstruction("nop"));

    [Fact]
    public void Known_encodings_from_hand_assembly()
    {
        // add r3, r1, r2: op 0, rs1 1, rs2 2, rd 3, func 0x20
        Assert.Equal(0x00221820u, DlxAssembler.AssembleInstruction("add r3, r1, r2"));
        // addi r1, r0, -1: op 8, rs1 0, rd 1, imm 0xffff
        Assert.Equal(0x2001FFFFu, DlxAssembler.AssembleInstruction("addi r1, r0, -1"));
        // lw r1, 8(r2): op 0x23, rs1 2, rd 1, imm 8;  sw 8(r2), r1: op 0x2b
        Assert.Equal(0x8C410008u, DlxAssembler.AssembleInstruction("lw r1,8(r2)"));
        Assert.Equal(0xAC410008u, DlxAssembler.AssembleInstruction("sw 8(r2),r1"));
        // j to itself: offset -4
        Assert.Equal(0x0BFFFFFCu, DlxAssembler.AssembleInstruction("j 0x100", 0x100));
        // trap 6
        Assert.Equal(0x44000006u, DlxAssembler.AssembleInstruction("trap 6"));
        // addd f2, f4, f6: op 1, rs1 4, rs2 6, rd 2, func 4
        Assert.Equal(0x04861004u, DlxAssembler.AssembleInstruction("addd f2, f4, f6"));
    }

    [Fact]
    public void Out_of_range_fields_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new DlxInstruction(DlxMnemonic.Addd, Rd: 1, Rs1: 2, Rs2: 4).Encode());
        Assert.Throws<ArgumentException>(() => new DlxInstruction(DlxMnemonic.Slli, Rd: 1, Rs1: 2, Immediate: 32).Encode());
        Assert.Throws<ArgumentException>(() => new DlxInstruction(DlxMnemonic.Addi, Rd: 1, Immediate: 40000).Encode());
        Assert.Throws<ArgumentException>(() => new DlxInstruction(DlxMnemonic.Ori, Rd: 1, Immediate: -1).Encode());
        Assert.Throws<ArgumentException>(() => new DlxInstruction(DlxMnemonic.Add, Rd: 32).Encode());
        Assert.Throws<ArgumentException>(() => new DlxInstruction(DlxMnemonic.Jr, Rs1: 1, Immediate: 4).Encode());
        Assert.Throws<ArgumentException>(() => new DlxInstruction(DlxMnemonic.Movi2s, Rd: 2, Rs1: 1).Encode());
    }

    [Fact]
    public void Every_word_that_decodes_encodes_back_and_round_trips_through_text()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<uint>(), word =>
        {
            if (!DlxInstruction.TryDecode(word, out var instruction)) return true;
            if (instruction.Encode() != word) return false;
            const uint address = 0x0200_0000;
            if (DlxDisassembler.HasTarget(instruction) && DlxDisassembler.TargetOf(instruction, address) % 4 != 0) return true;
            return DlxAssembler.AssembleInstruction(DlxDisassembler.Format(instruction, address), address) == word;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Canonical_words_of_every_opcode_round_trip()
    {
        // Random fields under every opcode/func, so the property above is not left to luck.
        var random = new Random(6);
        int decoded = 0;
        foreach (var info in DlxInstructionSet.All)
            for (int k = 0; k < 200; k++)
            {
                uint fields = (uint)random.NextInt64(0, 1L << 26);
                uint word = info.Format == DlxFormat.R ? (uint)info.Opcode << 26 | (fields & ~0x7FFu) | (uint)info.Func : (uint)info.Opcode << 26 | fields;
                if (!DlxInstruction.TryDecode(word, out var instruction)) continue;
                decoded++;
                Assert.Equal(info.Mnemonic, instruction.Mnemonic);
                Assert.Equal(word, instruction.Encode());
            }
        Assert.True(decoded > 1000);
    }
}
