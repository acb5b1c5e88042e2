namespace Thalamus.Chain.Tests.Node;

/// <summary>A tiny EVM assembler with labels (2-byte jump targets), for hand-written test contracts.</summary>
internal sealed class Assembler
{
    private readonly List<byte> _code = [];
    private readonly Dictionary<string, int> _labels = [];
    private readonly List<(int Position, string Label)> _fixups = [];

    public Assembler Op(byte opcode)
    {
        _code.Add(opcode);
        return this;
    }

    public Assembler Push(int value)
    {
        if (value is < 0 or > 255) throw new ArgumentOutOfRangeException(nameof(value));
        _code.Add(0x60);
        _code.Add((byte)value);
        return this;
    }

    public Assembler Push4(uint value)
    {
        _code.Add(0x63);
        _code.Add((byte)(value >> 24));
        _code.Add((byte)(value >> 16));
        _code.Add((byte)(value >> 8));
        _code.Add((byte)value);
        return this;
    }

    public Assembler Push32(ReadOnlySpan<byte> word)
    {
        if (word.Length != 32) throw new ArgumentException("32 bytes expected");
        _code.Add(0x7f);
        _code.AddRange(word.ToArray());
        return this;
    }

    public Assembler PushLabel(string label)
    {
        _code.Add(0x61); // PUSH2
        _fixups.Add((_code.Count, label));
        _code.Add(0);
        _code.Add(0);
        return this;
    }

    public Assembler Label(string label)
    {
        _labels[label] = _code.Count;
        _code.Add(0x5b); // JUMPDEST
        return this;
    }

    public byte[] Build()
    {
        var code = _code.ToArray();
        foreach (var (position, label) in _fixups)
        {
            var target = _labels[label];
            code[position] = (byte)(target >> 8);
            code[position + 1] = (byte)target;
        }
        return code;
    }
}
