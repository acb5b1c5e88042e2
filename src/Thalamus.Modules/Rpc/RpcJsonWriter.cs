using System.Buffers;
using System.Text.Json;
using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>Writes Ethereum JSON-RPC values (quantities, data, hashes, addresses) as UTF-8 without intermediate strings.</summary>
public static class RpcJsonWriter
{
    public static void WriteQuantity(this Utf8JsonWriter writer, ulong value)
    {
        Span<byte> text = stackalloc byte[18];
        writer.WriteStringValue(text[..RpcHex.FormatQuantity(value, text)]);
    }

    public static void WriteQuantity(this Utf8JsonWriter writer, in UInt256 value)
    {
        Span<byte> text = stackalloc byte[RpcHex.MaxQuantityLength];
        writer.WriteStringValue(text[..RpcHex.FormatQuantity(value, text)]);
    }

    public static void WriteQuantity(this Utf8JsonWriter writer, JsonEncodedText name, ulong value)
    {
        Span<byte> text = stackalloc byte[18];
        writer.WriteString(name, text[..RpcHex.FormatQuantity(value, text)]);
    }

    public static void WriteQuantity(this Utf8JsonWriter writer, JsonEncodedText name, in UInt256 value)
    {
        Span<byte> text = stackalloc byte[RpcHex.MaxQuantityLength];
        writer.WriteString(name, text[..RpcHex.FormatQuantity(value, text)]);
    }

    public static void WriteData(this Utf8JsonWriter writer, ReadOnlySpan<byte> data)
    {
        var length = 2 + 2 * data.Length;
        if (length <= 512)
        {
            Span<byte> text = stackalloc byte[length];
            RpcHex.FormatData(data, text);
            writer.WriteStringValue(text);
            return;
        }
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            RpcHex.FormatData(data, rented);
            writer.WriteStringValue(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static void WriteData(this Utf8JsonWriter writer, JsonEncodedText name, ReadOnlySpan<byte> data)
    {
        writer.WritePropertyName(name);
        writer.WriteData(data);
    }

    public static void WriteHash(this Utf8JsonWriter writer, in Hash256 hash) => writer.WriteData(hash.Bytes);

    public static void WriteHash(this Utf8JsonWriter writer, JsonEncodedText name, in Hash256 hash)
    {
        writer.WritePropertyName(name);
        writer.WriteData(hash.Bytes);
    }

    public static void WriteAddress(this Utf8JsonWriter writer, in Address address) => writer.WriteData(address.Bytes);

    public static void WriteAddress(this Utf8JsonWriter writer, JsonEncodedText name, in Address address)
    {
        writer.WritePropertyName(name);
        writer.WriteData(address.Bytes);
    }

    /// <summary>An address, or JSON null.</summary>
    public static void WriteAddressOrNull(this Utf8JsonWriter writer, JsonEncodedText name, Address? address)
    {
        if (address is { } a) writer.WriteAddress(name, a);
        else writer.WriteNull(name);
    }

    /// <summary>A 32-byte word as 0x-data (storage values are DATA, not quantities).</summary>
    public static void WriteWord(this Utf8JsonWriter writer, in UInt256 value)
    {
        Span<byte> word = stackalloc byte[32];
        value.WriteBigEndian(word);
        writer.WriteData(word);
    }
}
