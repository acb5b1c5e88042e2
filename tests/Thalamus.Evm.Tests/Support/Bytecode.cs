using Thalamus.Core;

namespace Thalamus.Evm.Tests;

/// <summary>A tiny assembler for test programs: opcodes and minimal-width pushes.</summary>
public sealed class Bytecode
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public Bytecode Op(params byte[] opcodes)
    {
        _bytes.AddRange(opcodes);
        return this;
    }

    /// <summary>PUSHn with the smallest n that holds the value (PUSH1 for zero, so gas stays 3).</summary>
    public Bytecode Push(UInt256 value)
    {
        var length = Math.Max(1, value.ByteLength);
        var bytes = value.ToBigEndian();
        _bytes.Add((byte)(0x5f + length));
        _bytes.AddRange(bytes[(32 - length)..]);
        return this;
    }

    public Bytecode Push(ulong value) => Push(new UInt256(value));

    public Bytecode Push(Address address)
    {
        _bytes.Add(0x73); // PUSH20
        _bytes.AddRange(address.ToArray());
        return this;
    }

    /// <summary>PUSH(data.Length) data.</summary>
    public Bytecode PushBytes(params byte[] data)
    {
        if (data.Length is 0 or > 32) throw new ArgumentOutOfRangeException(nameof(data));
        _bytes.Add((byte)(0x5f + data.Length));
        _bytes.AddRange(data);
        return this;
    }

    /// <summary>MSTORE the top of the stack at 0 and RETURN those 32 bytes.</summary>
    public Bytecode ReturnTop() => Push(0).Op(Tests.Op.MSTORE).Push(32).Push(0).Op(Tests.Op.RETURN);

    /// <summary>Writes <paramref name="code"/> into memory from offset 0, one MSTORE8 per byte.</summary>
    public Bytecode StoreInMemory(byte[] code)
    {
        for (var i = 0; i < code.Length; i++) Push(code[i]).Push((ulong)i).Op(Tests.Op.MSTORE8);
        return this;
    }

    public byte[] Build() => [.. _bytes];

    public static implicit operator byte[](Bytecode code) => code.Build();
}
