namespace Thalamus.Dlx;

/// <summary>
/// Assembles dlxsim-syntax source into a <see cref="DlxProgramImage"/> (docs/dlx.md, "Assembly"):
/// labels, ';' comments, .text/.data [address], .align, .word, .half, .byte, .ascii, .asciiz, .space,
/// .float, .double, .global, and Thalamus's .segment. Errors carry line and column; all of them are
/// reported at once in a <see cref="DlxAssemblyException"/>.
/// </summary>
public static class DlxAssembler
{
    public static DlxProgramImage Assemble(string source, string fileName = "<source>") =>
        new AssemblerSession(fileName).Assemble(source);

    /// <summary>Assembles a single instruction at <paramref name="address"/> (labels cannot be used; targets are absolute addresses).</summary>
    public static uint AssembleInstruction(string line, uint address = 0)
    {
        var image = Assemble($".text 0x{address:x8}\n{line}\n");
        var text = image.Sections.Single(s => s.Kind == DlxSectionKind.Text);
        if (text.Data.Length != 4) throw new DlxAssemblyException([new DlxAssemblyError("<source>", 1, 1, "expected exactly one instruction")]);
        return (uint)(text.Data[0] << 24 | text.Data[1] << 16 | text.Data[2] << 8 | text.Data[3]);
    }
}
