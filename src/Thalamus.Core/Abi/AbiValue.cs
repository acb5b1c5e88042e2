namespace Thalamus.Core;

/// <summary>
/// One argument for <see cref="Abi.Encode"/>: a static 32-byte word (<c>uint256</c>, <c>uint64</c>,
/// <c>address</c>, <c>bool</c>, <c>bytes32</c>, converted implicitly), dynamic <c>bytes</c> or
/// <c>string</c>, a dynamic array <c>T[]</c> or a tuple.
/// </summary>
public readonly struct AbiValue
{
    private readonly UInt256 _word;
    private readonly byte[]? _bytes;
    private readonly AbiValue[]? _items;

    private AbiValue(AbiValueKind kind, in UInt256 word, byte[]? bytes, AbiValue[]? items)
    {
        Kind = kind;
        _word = word;
        _bytes = bytes;
        _items = items;
    }

    public AbiValueKind Kind { get; }

    /// <summary>A value whose encoding lives in the tail (its head is an offset).</summary>
    public bool IsDynamic => Kind switch
    {
        AbiValueKind.Word => false,
        AbiValueKind.Tuple => System.Array.Exists(_items!, item => item.IsDynamic),
        _ => true,
    };

    internal UInt256 WordValue => _word;

    internal byte[] ByteValue => _bytes!;

    internal AbiValue[] Items => _items!;

    public static AbiValue FromWord(in UInt256 word) => new(AbiValueKind.Word, word, null, null);

    /// <summary>Solidity <c>bytes</c>.</summary>
    public static AbiValue Bytes(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new(AbiValueKind.Bytes, default, data, null);
    }

    /// <summary>Solidity <c>string</c> (UTF-8).</summary>
    public static AbiValue String(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(AbiValueKind.Bytes, default, System.Text.Encoding.UTF8.GetBytes(text), null);
    }

    /// <summary>A dynamic array <c>T[]</c> of <paramref name="items"/> (all of one type).</summary>
    public static AbiValue Array(params AbiValue[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(AbiValueKind.Array, default, null, items);
    }

    /// <summary>A tuple (a struct): its fields encoded in place, or behind an offset when any is dynamic.</summary>
    public static AbiValue Tuple(params AbiValue[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new(AbiValueKind.Tuple, default, null, fields);
    }

    public static implicit operator AbiValue(UInt256 value) => FromWord(value);

    public static implicit operator AbiValue(ulong value) => FromWord(new UInt256(value));

    public static implicit operator AbiValue(Address value) => FromWord(value.ToUInt256());

    public static implicit operator AbiValue(Hash256 value) => FromWord(value.ToUInt256());

    public static implicit operator AbiValue(bool value) => FromWord(value ? UInt256.One : UInt256.Zero);
}

public enum AbiValueKind : byte
{
    Word,
    Bytes,
    Array,
    Tuple,
}
