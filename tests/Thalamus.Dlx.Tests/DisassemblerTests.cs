using FsCheck;
using FsCheck.Fluent;

namespace Thalamus.Dlx.Tests;

public class DisassemblerTests
{
    public static TheoryData<string> Samples() => new(TestPrograms.SampleNames);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Disassembling_a_sample_and_assembling_it_again_gives_the_same_bytes(string sample)
    {
        var image = TestPrograms.Sample(sample);
        string text = DlxDisassembler.Disassemble(image);
        var again = DlxAssembler.Assemble(text, sample + ".dis.s");
        Assert.Equal(image.ToBytes(), again.ToBytes());
    }

    [Fact]
    public void Disassembly_reads_like_the_source()
    {
        string text = DlxDisassembler.Disassemble(DlxAssembler.Assemble("main: addi r1, r0, 3\nloop: subi r1, r1, 1\nbnez r1, loop\nsw 8(r2), r1\ntrap 0"));
        Assert.Contains("main:", text);
        Assert.Contains("addi r1, r0, 3", text);
        Assert.Contains("L_00000004:", text);
        Assert.Contains("bnez r1, L_00000004", text);
        Assert.Contains("sw 8(r2), r1", text);
    }

    private static readonly Gen<DlxProgramImage> Images =
        from words in Gen.ArrayOf(Gens.AnyBits).Where(w => w.Length > 0)
        from text in Gen.Choose(0, 64).Select(t => (uint)t * 4)
        from data in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>())
        from gap in Gen.Choose(0, 9)
        from entryIndex in Gen.Choose(0, 1 << 20)
        from segments in Gen.ArrayOf(Gen.Choose(0, 1 << 20))
        select Build(words, text, data, gap, entryIndex, segments);

    private static DlxProgramImage Build(uint[] words, uint textStart, byte[] data, int gap, int entryIndex, int[] segments)
    {
        var code = new byte[words.Length * 4];
        for (int i = 0; i < words.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(code.AsSpan(4 * i), words[i]);
        var sections = new List<DlxImageSection> { new(DlxSectionKind.Text, textStart, code) };
        if (data.Length > 0) sections.Add(new DlxImageSection(DlxSectionKind.Data, textStart + (uint)code.Length + (uint)gap, data));
        uint At(int k) => textStart + (uint)(k % words.Length) * 4;
        return new DlxProgramImage(At(entryIndex), sections, segments.Select(At));
    }

    [Fact]
    public void Any_image_survives_disassembly_and_assembly()
    {
        // Random words: real instructions, branches into and out of the code, and words that are no instruction.
        Prop.ForAll(Arb.From(Images), image =>
        {
            var again = DlxAssembler.Assemble(DlxDisassembler.Disassemble(image));
            return again.ToBytes().AsSpan().SequenceEqual(image.ToBytes());
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Words_that_are_not_instructions_stay_words()
    {
        Assert.Equal(".word 0xfc000000", DlxDisassembler.FormatWord(0xFC000000, 0));
        Assert.Equal("nop", DlxDisassembler.FormatWord(0, 0));
        Assert.Equal("j 0x00000100", DlxDisassembler.FormatWord(DlxAssembler.AssembleInstruction("j 0x100", 0x40), 0x40));
    }
}
