using System.Globalization;
using System.Text;

namespace Thalamus.Dlx;

/// <summary>
/// Turns instructions and whole program images back into dlxsim assembly. The text of a disassembled
/// image assembles to the very same image: words that are not the canonical encoding of an
/// instruction come out as <c>.word</c>, every section carries its address, the entry is labelled
/// <c>main</c>, branch targets get <c>L_xxxxxxxx</c> labels.
/// </summary>
public static class DlxDisassembler
{
    /// <summary>Formats an instruction; <paramref name="target"/> replaces the branch/jump offset when given.</summary>
    public static string Format(DlxInstruction instruction, string? target)
    {
        var info = instruction.Info;
        string R(int n) => "r" + n.ToString(CultureInfo.InvariantCulture);
        string F(int n) => "f" + n.ToString(CultureInfo.InvariantCulture);
        string S(int n) => n == (int)DlxSpecialRegister.Iar ? "iar" : n == (int)DlxSpecialRegister.Fpsr ? "fpsr" : "s" + n;
        string Imm(int v) => v.ToString(CultureInfo.InvariantCulture);
        string UImm(int v) => v < 10 ? Imm(v) : "0x" + v.ToString("x", CultureInfo.InvariantCulture);
        string Mem(int off, int b) => $"{Imm(off)}({R(b)})";
        string T() => target ?? (instruction.Immediate >= 0 ? "<pc+4+" : "<pc+4") + Imm(instruction.Immediate) + ">";
        var i = instruction;
        string operands = info.Shape switch
        {
            DlxOperandShape.None => "",
            DlxOperandShape.GprGprGpr => $"{R(i.Rd)}, {R(i.Rs1)}, {R(i.Rs2)}",
            DlxOperandShape.GprGprSigned or DlxOperandShape.GprGprShift => $"{R(i.Rd)}, {R(i.Rs1)}, {Imm(i.Immediate)}",
            DlxOperandShape.GprGprUnsigned => $"{R(i.Rd)}, {R(i.Rs1)}, {UImm(i.Immediate)}",
            DlxOperandShape.GprUnsigned => $"{R(i.Rd)}, {UImm(i.Immediate)}",
            DlxOperandShape.LoadGpr => $"{R(i.Rd)}, {Mem(i.Immediate, i.Rs1)}",
            DlxOperandShape.LoadSingle or DlxOperandShape.LoadDouble => $"{F(i.Rd)}, {Mem(i.Immediate, i.Rs1)}",
            DlxOperandShape.StoreGpr => $"{Mem(i.Immediate, i.Rs1)}, {R(i.Rd)}",
            DlxOperandShape.StoreSingle or DlxOperandShape.StoreDouble => $"{Mem(i.Immediate, i.Rs1)}, {F(i.Rd)}",
            DlxOperandShape.BranchGpr => $"{R(i.Rs1)}, {T()}",
            DlxOperandShape.BranchFp or DlxOperandShape.Jump => T(),
            DlxOperandShape.JumpGpr => R(i.Rs1),
            DlxOperandShape.Trap => Imm(i.Immediate),
            DlxOperandShape.SingleSingleSingle or DlxOperandShape.DoubleDoubleDouble => $"{F(i.Rd)}, {F(i.Rs1)}, {F(i.Rs2)}",
            DlxOperandShape.SingleSingle or DlxOperandShape.DoubleDouble or DlxOperandShape.DoubleSingle or DlxOperandShape.SingleDouble => $"{F(i.Rd)}, {F(i.Rs1)}",
            DlxOperandShape.CompareSingle or DlxOperandShape.CompareDouble => $"{F(i.Rs1)}, {F(i.Rs2)}",
            DlxOperandShape.GprSingle => $"{R(i.Rd)}, {F(i.Rs1)}",
            DlxOperandShape.SingleGpr => $"{F(i.Rd)}, {R(i.Rs1)}",
            DlxOperandShape.SpecialGpr => $"{S(i.Rd)}, {R(i.Rs1)}",
            DlxOperandShape.GprSpecial => $"{R(i.Rd)}, {S(i.Rs1)}",
            _ => throw new ArgumentOutOfRangeException(nameof(instruction)),
        };
        return operands.Length == 0 ? info.Name : info.Name + " " + operands;
    }

    /// <summary>Formats the instruction at <paramref name="address"/> with its branch/jump target as an absolute address.</summary>
    public static string Format(DlxInstruction instruction, uint address) =>
        Format(instruction, HasTarget(instruction) ? "0x" + TargetOf(instruction, address).ToString("x8", CultureInfo.InvariantCulture) : null);

    /// <summary>Formats one word: the instruction, or <c>.word 0x…</c> when it is none.</summary>
    public static string FormatWord(uint word, uint address) =>
        DlxInstruction.TryDecode(word, out var instruction) ? Format(instruction, address) : $".word 0x{word:x8}";

    /// <summary>True for branches and J/JAL (whose immediate is an offset from PC + 4).</summary>
    public static bool HasTarget(DlxInstruction instruction) =>
        instruction.Info.Shape is DlxOperandShape.BranchGpr or DlxOperandShape.BranchFp or DlxOperandShape.Jump;

    public static uint TargetOf(DlxInstruction instruction, uint address) => address + 4 + (uint)instruction.Immediate;

    /// <summary>Disassembles a whole image into source that assembles back to the same image.</summary>
    public static string Disassemble(DlxProgramImage image)
    {
        // Words of text sections, to know where a label can be placed.
        var codeWords = new HashSet<uint>();
        foreach (var s in image.Sections.Where(s => s.Kind == DlxSectionKind.Text))
            for (uint a = s.Address; a < s.End; a += 4) codeWords.Add(a);

        var labels = new Dictionary<uint, string> { [image.Entry] = "main" };
        string LabelFor(uint address) => labels.TryGetValue(address, out var name) ? name : labels[address] = $"L_{address:x8}";
        foreach (var s in image.Sections.Where(s => s.Kind == DlxSectionKind.Text))
            for (int at = 0; at < s.Data.Length; at += 4)
            {
                uint address = s.Address + (uint)at;
                if (DlxInstruction.TryDecode(ReadWord(s.Data, at), out var ins) && HasTarget(ins) && codeWords.Contains(TargetOf(ins, address)))
                    LabelFor(TargetOf(ins, address));
            }
        foreach (var e in image.SegmentEntries) LabelFor(e);

        var sb = new StringBuilder();
        sb.Append("; DLX program image, disassembled (").Append(image.Sections.Count).Append(" sections, entry 0x")
          .Append(image.Entry.ToString("x8", CultureInfo.InvariantCulture)).Append(")\n");
        foreach (var s in image.Sections)
        {
            sb.Append('\n').Append(s.Kind == DlxSectionKind.Text ? ".text" : ".data").Append(" 0x")
              .Append(s.Address.ToString("x8", CultureInfo.InvariantCulture)).Append('\n');
            if (s.Kind == DlxSectionKind.Text) DisassembleText(sb, s, labels);
            else DisassembleData(sb, s);
        }
        if (image.SegmentEntries.Count > 0) sb.Append('\n');
        foreach (var e in image.SegmentEntries) sb.Append(".segment ").Append(labels[e]).Append('\n');
        return sb.ToString();
    }

    private static void DisassembleText(StringBuilder sb, DlxImageSection s, Dictionary<uint, string> labels)
    {
        for (int at = 0; at < s.Data.Length; at += 4)
        {
            uint address = s.Address + (uint)at;
            uint word = ReadWord(s.Data, at);
            if (labels.TryGetValue(address, out var label)) sb.Append(label).Append(":\n");
            string text;
            if (!DlxInstruction.TryDecode(word, out var ins)) text = $".word 0x{word:x8}";
            else if (!HasTarget(ins)) text = Format(ins, target: null);
            else
            {
                uint target = TargetOf(ins, address);
                // A target that is not a word would not assemble; keep such a (useless) branch as data.
                text = target % 4 != 0 ? $".word 0x{word:x8}"
                    : Format(ins, labels.TryGetValue(target, out var name) ? name : "0x" + target.ToString("x8", CultureInfo.InvariantCulture));
            }
            sb.Append("        ").Append(text);
            sb.Append(' ', Math.Max(1, 32 - text.Length)).Append("; ").Append(address.ToString("x8", CultureInfo.InvariantCulture))
              .Append(": ").Append(word.ToString("x8", CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void DisassembleData(StringBuilder sb, DlxImageSection s)
    {
        int at = 0, n = s.Data.Length;
        while (at < n)
        {
            uint address = s.Address + (uint)at;
            if (address % 4 == 0 && n - at >= 4)
            {
                int words = Math.Min(4, (n - at) / 4);
                sb.Append("        .word ");
                for (int k = 0; k < words; k++)
                {
                    if (k > 0) sb.Append(", ");
                    sb.Append("0x").Append(ReadWord(s.Data, at + 4 * k).ToString("x8", CultureInfo.InvariantCulture));
                }
                sb.Append('\n');
                at += 4 * words;
            }
            else
            {
                int end = Math.Min(n, at + (int)(4 - address % 4 == 4 ? 8 : 4 - address % 4));
                sb.Append("        .byte ");
                for (int k = at; k < end; k++)
                {
                    if (k > at) sb.Append(", ");
                    sb.Append("0x").Append(s.Data[k].ToString("x2", CultureInfo.InvariantCulture));
                }
                sb.Append('\n');
                at = end;
            }
        }
    }

    private static uint ReadWord(byte[] data, int at) => (uint)(data[at] << 24 | data[at + 1] << 16 | data[at + 2] << 8 | data[at + 3]);
}
