namespace Thalamus.Dlx.Tests;

public class ImageTests
{
    [Fact]
    public void Binary_form_round_trips()
    {
        foreach (var name in TestPrograms.SampleNames)
        {
            var image = TestPrograms.Sample(name);
            var bytes = image.ToBytes();
            Assert.Equal(bytes, DlxProgramImage.Parse(bytes).ToBytes());
        }
    }

    [Fact]
    public void Every_truncation_is_refused_with_an_image_error()
    {
        var bytes = TestPrograms.Sample("parallel_primes").ToBytes();
        for (int n = 0; n < bytes.Length; n++)
            Assert.Throws<DlxImageException>(() => DlxProgramImage.Parse(bytes.AsSpan(0, n)));
    }

    [Fact]
    public void Malformed_images_are_refused()
    {
        var good = TestPrograms.Sample("factorial").ToBytes();
        byte[] With(int at, byte value) { var b = good.ToArray(); b[at] = value; return b; }
        Assert.Contains("DLXI", Assert.Throws<DlxImageException>(() => DlxProgramImage.Parse(With(0, (byte)'X'))).Message);
        Assert.Contains("version", Assert.Throws<DlxImageException>(() => DlxProgramImage.Parse(With(4, 9))).Message);
        Assert.Contains("kind", Assert.Throws<DlxImageException>(() => DlxProgramImage.Parse(With(11, 7))).Message);
        Assert.Contains("entry", Assert.Throws<DlxImageException>(() => DlxProgramImage.Parse(With(8, 2))).Message);
        Assert.Throws<DlxImageException>(() => DlxProgramImage.Parse([.. good, 0]));
    }

    [Fact]
    public void Non_canonical_section_order_is_refused()
    {
        var a = new DlxProgramImage(0, [new(DlxSectionKind.Text, 0, new byte[4]), new(DlxSectionKind.Text, 4, new byte[4])]);
        Assert.Single(a.Sections); // adjacent text sections merge
        // Hand-made bytes with the two sections unmerged.
        byte[] bytes = [.. "DLXI"u8, 1, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0];
        Assert.Contains("canonical", Assert.Throws<DlxImageException>(() => DlxProgramImage.Parse(bytes)).Message);
    }

    [Fact]
    public void An_image_larger_than_memory_does_not_load()
    {
        var image = DlxAssembler.Assemble("main: trap 0\n.data 0x20000\n.byte 1");
        Assert.Throws<DlxImageException>(() => DlxMachine.Load(image, [], new DlxMachineOptions { MemoryLimit = 0x10000 }));
    }
}
