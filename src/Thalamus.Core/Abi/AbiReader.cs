namespace Thalamus.Core;

/// <summary>
/// Strict, allocation-free reads of ABI-encoded values by head index (word <c>i</c> of the region the
/// reader covers; offsets of dynamic values are relative to that region, as the ABI defines). Every
/// read checks its bounds and its type's canonical form (an address's or bool's upper bytes) and
/// throws <see cref="AbiException"/> saying what is wrong; nothing reads past the data.
/// </summary>
public readonly ref struct AbiReader
{
    private readonly ReadOnlySpan<byte> _data;

    public AbiReader(ReadOnlySpan<byte> data) => _data = data;

    /// <summary>The arguments of calldata that starts with <paramref name="selector"/>; false for any other calldata.</summary>
    public static bool TryCall(ReadOnlySpan<byte> calldata, AbiSelector selector, out AbiReader arguments)
    {
        arguments = default;
        if (!selector.Matches(calldata)) return false;
        arguments = new AbiReader(calldata[AbiSelector.Length..]);
        return true;
    }

    /// <summary>The bytes this reader covers.</summary>
    public ReadOnlySpan<byte> Data => _data;

    public UInt256 Word(int index) => UInt256.FromBigEndian(WordAt(index));

    /// <summary>A <c>uint</c> that must fit in 64 bits (a chain id, a nonce, a length).</summary>
    public ulong UInt64(int index)
    {
        var word = Word(index);
        if (!word.IsUInt64) throw new AbiException($"word {index} ({word.ToHexString()}) does not fit in 64 bits");
        return (ulong)word;
    }

    public Address Address(int index)
    {
        var word = WordAt(index);
        if (word[..12].ContainsAnyExcept((byte)0)) throw new AbiException($"word {index} is not an address: its upper 12 bytes are not zero");
        return new Address(word[12..]);
    }

    public bool Bool(int index)
    {
        var word = Word(index);
        if (word > UInt256.One) throw new AbiException($"word {index} is not a bool: {word.ToHexString()}");
        return !word.IsZero;
    }

    public Hash256 Bytes32(int index) => new(WordAt(index));

    /// <summary>The dynamic <c>bytes</c> whose offset is head word <paramref name="index"/>, without copying.</summary>
    public ReadOnlySpan<byte> BytesSpan(int index)
    {
        var start = Offset(index);
        var length = LengthAt(start, 1, $"bytes {index}");
        return _data.Slice(start + Abi.WordLength, length);
    }

    public byte[] Bytes(int index) => BytesSpan(index).ToArray();

    public string String(int index) => Abi.DecodeUtf8(BytesSpan(index));

    /// <summary>The dynamic array <c>T[]</c> whose offset is head word <paramref name="index"/>: a reader over its elements (element i at head index i).</summary>
    public AbiReader Array(int index, out int count)
    {
        var start = Offset(index);
        count = LengthAt(start, Abi.WordLength, $"array {index}");
        return new AbiReader(_data[(start + Abi.WordLength)..]);
    }

    /// <summary>The dynamic tuple whose offset is head word <paramref name="index"/>: a reader over its fields.</summary>
    public AbiReader Tuple(int index) => new(_data[Offset(index)..]);

    private ReadOnlySpan<byte> WordAt(int index)
    {
        if (index < 0 || (long)(index + 1) * Abi.WordLength > _data.Length)
            throw new AbiException($"word {index} lies past the end of the {_data.Length} bytes of data");
        return _data.Slice(index * Abi.WordLength, Abi.WordLength);
    }

    private int Offset(int index)
    {
        var offset = Word(index);
        if (!offset.IsUInt64 || (ulong)offset > (ulong)_data.Length - Abi.WordLength || _data.Length < Abi.WordLength)
            throw new AbiException($"the offset in word {index} ({offset.ToHexString()}) points outside the {_data.Length} bytes of data");
        return (int)(ulong)offset;
    }

    /// <summary>The length word at <paramref name="start"/>, checked against what follows it (<paramref name="unit"/> bytes per item).</summary>
    private int LengthAt(int start, int unit, string what)
    {
        var length = UInt256.FromBigEndian(_data.Slice(start, Abi.WordLength));
        var available = (ulong)(_data.Length - start - Abi.WordLength);
        if (!length.IsUInt64 || (ulong)length > available / (ulong)unit)
            throw new AbiException($"the length of {what} ({length.ToHexString()}) runs past the {available} bytes after it");
        return (int)(ulong)length;
    }
}
