using System.Buffers.Binary;
using System.Globalization;

namespace Thalamus.Dlx;

internal sealed partial class AssemblerSession
{
    private const ulong AddressSpace = 1UL << 32;

    /// <summary>
    /// Assigns addresses to every item and label. A label takes the address of the next thing laid out
    /// after it (after that thing's alignment), so "x: .double 1" and "x:" on the line before agree.
    /// Returns the end of the code (highest text address + 1).
    /// </summary>
    private uint Layout(uint dataBase)
    {
        _labels.Clear();
        var counters = new ulong[3];
        counters[(int)DlxSectionKind.Data] = dataBase;
        var current = DlxSectionKind.Text;
        ulong codeEnd = 0;
        var pending = new List<LabelItem>();
        void Bind(ulong address)
        {
            foreach (var label in pending) _labels[label.Name] = (long)address;
            pending.Clear();
        }

        foreach (var item in _items)
        {
            _line = item.Line;
            ref ulong counter = ref counters[(int)current];
            item.Section = current;
            ulong size = 0;
            switch (item)
            {
                case LabelItem label:
                    pending.Add(label);
                    continue;
                case SectionItem section:
                    Bind(counter);
                    current = section.Kind;
                    item.Section = current;
                    if (section.AddressExpr is { } expr)
                    {
                        long address = expr.Evaluate(_ => null);
                        if (address < 0 || (ulong)address >= AddressSpace)
                        {
                            Error(expr.Column, $"section address {address} is outside the 32-bit address space");
                            continue;
                        }
                        counters[(int)current] = (ulong)address;
                    }
                    continue;
                case AlignItem align:
                    item.PadStart = (uint)counter;
                    counter = AlignUp(counter, 1UL << align.Power);
                    item.Address = (uint)Math.Min(counter, uint.MaxValue);
                    Bind(counter);
                    break;
                case SpaceItem space:
                    size = (ulong)space.Size;
                    Place(item, ref counter, 1);
                    break;
                case ValuesItem values:
                    size = (ulong)(values.Count * values.ElementSize);
                    Place(item, ref counter, (ulong)values.ElementSize);
                    break;
                case BytesItem bytes:
                    size = (ulong)bytes.Bytes.Length;
                    Place(item, ref counter, 1);
                    break;
                case InstructionItem:
                    if (current != DlxSectionKind.Text)
                    {
                        Error(item.Column, "instructions belong in .text (this line is in .data)");
                        continue;
                    }
                    size = 4;
                    Place(item, ref counter, 4);
                    break;
                default:
                    continue; // .global, .segment take no room
            }
            counter += size;
            if (counter > AddressSpace)
            {
                Error(item.Column, "this runs past the end of the 32-bit address space");
                counter = AddressSpace;
            }
            if (current == DlxSectionKind.Text && counter > item.PadStart) codeEnd = Math.Max(codeEnd, counter);

            void Place(AssemblyItem placed, ref ulong at, ulong alignment)
            {
                placed.PadStart = (uint)Math.Min(at, uint.MaxValue);
                at = AlignUp(at, alignment);
                placed.Address = (uint)Math.Min(at, uint.MaxValue);
                Bind(at);
            }
        }
        Bind(counters[(int)current]);
        return (uint)Math.Min(codeEnd, uint.MaxValue);
    }

    private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);

    private sealed record Fragment(DlxSectionKind Kind, uint Address, byte[] Bytes, int Line, int Order);

    /// <summary>Evaluates operands and data, checks ranges and overlaps, and builds the image.</summary>
    private DlxProgramImage? Emit()
    {
        var fragments = new List<Fragment>();
        void Add(AssemblyItem item, uint address, byte[] bytes)
        {
            if (bytes.Length > 0) fragments.Add(new Fragment(item.Section, address, bytes, item.Line, fragments.Count));
        }
        var segments = new List<uint>();
        foreach (var item in _items)
        {
            _line = item.Line;
            try
            {
                if (item.Address > item.PadStart && item is not SectionItem and not LabelItem)
                    Add(item, item.PadStart, new byte[item.Address - item.PadStart]);
                switch (item)
                {
                    case InstructionItem instruction:
                        var bytes = new byte[4];
                        BinaryPrimitives.WriteUInt32BigEndian(bytes, Encode(instruction));
                        Add(item, item.Address, bytes);
                        break;
                    case ValuesItem values:
                        Add(item, item.Address, EncodeValues(values));
                        break;
                    case BytesItem literal:
                        Add(item, item.Address, literal.Bytes);
                        break;
                    case SpaceItem space:
                        Add(item, item.Address, new byte[space.Size]);
                        break;
                    case SegmentItem segment:
                        long entry = segment.Entry.Evaluate(Resolve);
                        if (entry < 0 || (ulong)entry >= AddressSpace) throw new SourceException(segment.Column, $"segment entry {entry} is outside the address space");
                        segments.Add((uint)entry);
                        break;
                    case GlobalItem global:
                        if (!_labels.ContainsKey(global.Name)) throw new SourceException(global.Column, $".global names '{global.Name}', which is never defined");
                        break;
                }
            }
            catch (SourceException e)
            {
                Error(e.Column, e.Message);
            }
        }
        if (_errors.Count > 0) return null;

        var sections = new List<DlxImageSection>();
        var lineOf = new List<int>();
        long end = -1;
        foreach (var f in fragments.OrderBy(f => f.Address).ThenBy(f => f.Order))
        {
            if (f.Address < end)
            {
                _line = f.Line;
                Error(1, $"bytes at 0x{f.Address:x8} overlap bytes placed by line {lineOf[^1]}");
                return null;
            }
            if (sections.Count > 0 && f.Address == end && sections[^1].Kind == f.Kind)
                sections[^1] = sections[^1] with { Data = [.. sections[^1].Data, .. f.Bytes] };
            else
            {
                sections.Add(new DlxImageSection(f.Kind, f.Address, f.Bytes));
                lineOf.Add(f.Line);
            }
            lineOf[^1] = f.Line;
            end = (long)f.Address + f.Bytes.Length;
        }
        // Code is executed in words: round every text section up to a whole word.
        for (int i = 0; i < sections.Count; i++)
            if (sections[i].Kind == DlxSectionKind.Text && sections[i].Data.Length % 4 != 0)
                sections[i] = sections[i] with { Data = [.. sections[i].Data, .. new byte[4 - sections[i].Data.Length % 4]] };

        _line = 1;
        var text = sections.Where(s => s.Kind == DlxSectionKind.Text).ToList();
        if (text.Count == 0)
        {
            Error(1, "the program has no instructions (.text is empty)");
            return null;
        }
        long entryPoint = Resolve("main") ?? Resolve("_main") ?? text[0].Address;
        try
        {
            return new DlxProgramImage((uint)entryPoint, sections, segments);
        }
        catch (DlxImageException e)
        {
            _line = _labelDefinitions.TryGetValue("main", out var main) ? main.Line : 1;
            Error(1, e.Message);
            return null;
        }
    }

    private uint Encode(InstructionItem item)
    {
        var info = item.Info;
        int immediate = 0;
        if (item.Immediate is { } expr)
        {
            long v = expr.Evaluate(Resolve);
            string Text(long x) => x.ToString(CultureInfo.InvariantCulture);
            switch (info.Shape)
            {
                case DlxOperandShape.BranchGpr or DlxOperandShape.BranchFp or DlxOperandShape.Jump:
                {
                    if (v < int.MinValue || v >= (long)AddressSpace) throw new SourceException(expr.Column, $"target {Text(v)} is outside the 32-bit address space");
                    uint target = (uint)v;
                    if (target % 4 != 0) throw new SourceException(expr.Column, $"target 0x{target:x8} is not word aligned");
                    immediate = (int)(target - (item.Address + 4));
                    if (info.Shape == DlxOperandShape.Jump && immediate is < -(1 << 25) or >= 1 << 25)
                        throw new SourceException(expr.Column, $"jump target 0x{target:x8} is too far: offset {immediate} does not fit in 26 signed bits");
                    if (info.Shape != DlxOperandShape.Jump && immediate is < short.MinValue or > short.MaxValue)
                        throw new SourceException(expr.Column, $"branch target 0x{target:x8} is too far: offset {immediate} does not fit in 16 signed bits (branch around a j instead)");
                    break;
                }
                case DlxOperandShape.GprGprUnsigned or DlxOperandShape.GprUnsigned:
                    if (v is < 0 or > ushort.MaxValue)
                        throw new SourceException(expr.Column, $"immediate {Text(v)} out of range 0..65535 ({info.Name} zero-extends its immediate)");
                    immediate = (int)v;
                    break;
                case DlxOperandShape.GprGprShift:
                    if (v is < 0 or > 31) throw new SourceException(expr.Column, $"shift amount {Text(v)} out of range 0..31");
                    immediate = (int)v;
                    break;
                case DlxOperandShape.Trap:
                    if (v is < 0 or >= 1 << 26) throw new SourceException(expr.Column, $"trap number {Text(v)} out of range 0..67108863");
                    immediate = (int)v;
                    break;
                case DlxOperandShape.LoadGpr or DlxOperandShape.LoadSingle or DlxOperandShape.LoadDouble
                    or DlxOperandShape.StoreGpr or DlxOperandShape.StoreSingle or DlxOperandShape.StoreDouble:
                    if (v is < short.MinValue or > short.MaxValue)
                        throw new SourceException(expr.Column, item.Rs1 == 0
                            ? $"address {Text(v)} is not reachable from r0 (offset must be -32768..32767); load it into a register with lhi/ori first"
                            : $"offset {Text(v)} does not fit in 16 signed bits (-32768..32767)");
                    immediate = (int)v;
                    break;
                default:
                    if (v is < short.MinValue or > short.MaxValue)
                        throw new SourceException(expr.Column, $"immediate {Text(v)} out of range -32768..32767 ({info.Name} sign-extends its immediate)");
                    immediate = (int)v;
                    break;
            }
        }
        var instruction = new DlxInstruction(info.Mnemonic, item.Rd, item.Rs1, item.Rs2, immediate);
        string? problem = instruction.Validate();
        if (problem is not null) throw new SourceException(item.Column, $"{info.Name}: {problem}");
        return instruction.Encode();
    }

    private byte[] EncodeValues(ValuesItem item)
    {
        var bytes = new byte[item.Count * item.ElementSize];
        var span = bytes.AsSpan();
        if (item.Floats.Count > 0)
        {
            for (int i = 0; i < item.Floats.Count; i++)
            {
                if (item.ElementSize == 4) BinaryPrimitives.WriteSingleBigEndian(span[(4 * i)..], (float)item.Floats[i]);
                else BinaryPrimitives.WriteDoubleBigEndian(span[(8 * i)..], item.Floats[i]);
            }
            return bytes;
        }
        long min = item.ElementSize switch { 4 => int.MinValue, 2 => short.MinValue, _ => sbyte.MinValue };
        long max = item.ElementSize switch { 4 => uint.MaxValue, 2 => ushort.MaxValue, _ => byte.MaxValue };
        for (int i = 0; i < item.Values.Count; i++)
        {
            long v = item.Values[i].Evaluate(Resolve);
            if (v < min || v > max)
                throw new SourceException(item.Values[i].Column, $"{item.Directive} value {v.ToString(CultureInfo.InvariantCulture)} out of range {min}..{max}");
            switch (item.ElementSize)
            {
                case 4: BinaryPrimitives.WriteUInt32BigEndian(span[(4 * i)..], (uint)v); break;
                case 2: BinaryPrimitives.WriteUInt16BigEndian(span[(2 * i)..], (ushort)v); break;
                default: span[i] = (byte)v; break;
            }
        }
        return bytes;
    }
}
