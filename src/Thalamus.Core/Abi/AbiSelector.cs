using System.Buffers.Binary;
using System.Globalization;

namespace Thalamus.Core;

/// <summary>
/// A function (or custom error) selector: the first four bytes of the Keccak-256 of its canonical
/// signature, e.g. <c>transfer(address,uint256)</c> = <c>0xa9059cbb</c>. Derive it once with
/// <see cref="Abi.Selector"/> into a static readonly field; comparing and writing it allocate nothing.
/// </summary>
public readonly struct AbiSelector : IEquatable<AbiSelector>
{
    public const int Length = 4;

    public AbiSelector(uint value) => Value = value;

    /// <summary>The four bytes read big-endian.</summary>
    public uint Value { get; }

    /// <summary>The selector that <paramref name="calldata"/> starts with; false when it is shorter than four bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> calldata, out AbiSelector selector)
    {
        selector = default;
        if (calldata.Length < Length) return false;
        selector = new AbiSelector(BinaryPrimitives.ReadUInt32BigEndian(calldata));
        return true;
    }

    /// <summary>True when <paramref name="calldata"/> starts with this selector.</summary>
    public bool Matches(ReadOnlySpan<byte> calldata) => TryRead(calldata, out var actual) && actual.Value == Value;

    public void WriteTo(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    public bool Equals(AbiSelector other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is AbiSelector other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public static bool operator ==(AbiSelector left, AbiSelector right) => left.Equals(right);

    public static bool operator !=(AbiSelector left, AbiSelector right) => !left.Equals(right);

    public override string ToString() => "0x" + Value.ToString("x8", CultureInfo.InvariantCulture);
}
