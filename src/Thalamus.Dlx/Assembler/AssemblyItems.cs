namespace Thalamus.Dlx;

/// <summary>One thing a source line asks for, in source order; layout fills in <see cref="Address"/> (and padding).</summary>
internal abstract class AssemblyItem(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public DlxSectionKind Section { get; set; }

    /// <summary>Where the item's own bytes start (after alignment padding).</summary>
    public uint Address { get; set; }

    /// <summary>Where alignment padding in front of the item starts (= Address when none).</summary>
    public uint PadStart { get; set; }
}

internal sealed class LabelItem(int line, int column, string name) : AssemblyItem(line, column)
{
    public string Name { get; } = name;
}

internal sealed class SectionItem(int line, int column, DlxSectionKind kind, Expr? address) : AssemblyItem(line, column)
{
    public DlxSectionKind Kind { get; } = kind;

    public Expr? AddressExpr { get; } = address;
}

internal sealed class AlignItem(int line, int column, int power) : AssemblyItem(line, column)
{
    public int Power { get; } = power;
}

internal sealed class SpaceItem(int line, int column, long size) : AssemblyItem(line, column)
{
    public long Size { get; } = size;
}

/// <summary>.word/.half/.byte (expressions) and .float/.double (numbers): element size doubles as alignment.</summary>
internal sealed class ValuesItem(int line, int column, string directive, int elementSize, IReadOnlyList<Expr> values, IReadOnlyList<double> floats)
    : AssemblyItem(line, column)
{
    public string Directive { get; } = directive;

    public int ElementSize { get; } = elementSize;

    public IReadOnlyList<Expr> Values { get; } = values;

    public IReadOnlyList<double> Floats { get; } = floats;

    public int Count => Values.Count + Floats.Count;
}

/// <summary>.ascii/.asciiz: literal bytes.</summary>
internal sealed class BytesItem(int line, int column, byte[] bytes) : AssemblyItem(line, column)
{
    public byte[] Bytes { get; } = bytes;
}

/// <summary>An instruction with its registers resolved; the immediate (if any) is evaluated after layout.</summary>
internal sealed class InstructionItem(int line, int column, DlxInstructionInfo info) : AssemblyItem(line, column)
{
    public DlxInstructionInfo Info { get; } = info;

    public int Rd { get; set; }

    public int Rs1 { get; set; }

    public int Rs2 { get; set; }

    public Expr? Immediate { get; set; }
}

internal sealed class SegmentItem(int line, int column, Expr entry) : AssemblyItem(line, column)
{
    public Expr Entry { get; } = entry;
}

internal sealed class GlobalItem(int line, int column, string name) : AssemblyItem(line, column)
{
    public string Name { get; } = name;
}
