using System.Text;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>
/// Strict readers for Ethereum JSON-RPC values on a <see cref="Utf8JsonReader"/> positioned
/// on the value's first token. Each returns null on success or the reason it failed, and
/// leaves the reader on the value's last token.
/// </summary>
public static class RpcJsonReader
{
    public const int MaxTopics = 4;

    public static string? Quantity(ref Utf8JsonReader r, out ulong value)
    {
        value = 0;
        if (r.TokenType != JsonTokenType.String) return Expected("a 0x-prefixed hex quantity", r.TokenType);
        return RpcHex.TryParseQuantity(Text(ref r), out value);
    }

    public static string? Quantity(ref Utf8JsonReader r, out UInt256 value)
    {
        value = UInt256.Zero;
        if (r.TokenType != JsonTokenType.String) return Expected("a 0x-prefixed hex quantity", r.TokenType);
        return RpcHex.TryParseQuantity(Text(ref r), out value);
    }

    /// <summary>A storage slot: hex of up to 32 bytes, leading zeros and odd length allowed (geth's decodeHash).</summary>
    public static string? StorageSlot(ref Utf8JsonReader r, out UInt256 value)
    {
        value = UInt256.Zero;
        if (r.TokenType != JsonTokenType.String) return Expected("a 0x-prefixed storage slot", r.TokenType);
        var text = Text(ref r);
        if (text.Length >= 2 && text[0] == (byte)'0' && (text[1] | 0x20) == (byte)'x') text = text[2..];
        while (text.Length > 1 && text[0] == (byte)'0') text = text[1..];
        if (text.IsEmpty) return RpcHex.ErrEmptyNumber;
        if (text.Length > 64) return "hex string too long, want at most 32 bytes";
        Span<byte> normalized = stackalloc byte[66];
        normalized[0] = (byte)'0';
        normalized[1] = (byte)'x';
        text.CopyTo(normalized[2..]);
        return RpcHex.TryParseQuantity(normalized[..(text.Length + 2)], out value);
    }

    /// <summary>A JSON number, a 0x-hex string or a decimal string (dev methods and feeHistory accept all three, like anvil).</summary>
    public static string? FlexibleUInt64(ref Utf8JsonReader r, out ulong value)
    {
        value = 0;
        if (r.TokenType == JsonTokenType.Number)
            return r.TryGetUInt64(out value) ? null : "expected a non-negative integer that fits in 64 bits";
        if (r.TokenType != JsonTokenType.String) return Expected("a number or a hex quantity", r.TokenType);
        var text = Text(ref r);
        if (text.Length >= 2 && text[0] == (byte)'0' && (text[1] | 0x20) == (byte)'x')
        {
            // Lenient about leading zeros here: these are counts and seconds, not consensus values.
            var digits = text[2..];
            while (digits.Length > 1 && digits[0] == (byte)'0') digits = digits[1..];
            Span<byte> normalized = stackalloc byte[Math.Min(digits.Length + 2, 64)];
            if (digits.Length + 2 > normalized.Length) return RpcHex.ErrUInt64Range;
            normalized[0] = (byte)'0';
            normalized[1] = (byte)'x';
            digits.CopyTo(normalized[2..]);
            return RpcHex.TryParseQuantity(normalized[..(digits.Length + 2)], out value);
        }
        return System.Buffers.Text.Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length
            ? null
            : "expected a decimal or 0x-hex integer";
    }

    public static string? Data(ref Utf8JsonReader r, out byte[] value)
    {
        value = [];
        if (r.TokenType != JsonTokenType.String) return Expected("0x-prefixed hex data", r.TokenType);
        return RpcHex.TryParseData(Text(ref r), out value);
    }

    public static string? Address(ref Utf8JsonReader r, out Address value)
    {
        value = Core.Address.Zero;
        if (r.TokenType != JsonTokenType.String) return Expected("a 0x-prefixed 20-byte address", r.TokenType);
        return RpcHex.TryParseAddress(Text(ref r), out value);
    }

    public static string? Hash(ref Utf8JsonReader r, out Hash256 value)
    {
        value = Hash256.Zero;
        if (r.TokenType != JsonTokenType.String) return Expected("a 0x-prefixed 32-byte hash", r.TokenType);
        return RpcHex.TryParseHash(Text(ref r), out value);
    }

    public static string? Bool(ref Utf8JsonReader r, out bool value)
    {
        value = false;
        switch (r.TokenType)
        {
            case JsonTokenType.True: value = true; return null;
            case JsonTokenType.False: return null;
            default: return Expected("a boolean", r.TokenType);
        }
    }

    public static string? String(ref Utf8JsonReader r, out string value)
    {
        value = "";
        if (r.TokenType != JsonTokenType.String) return Expected("a string", r.TokenType);
        value = r.GetString() ?? "";
        return null;
    }

    /// <summary>A block tag ("latest", "earliest", "pending", "safe", "finalized") or a 0x block number.</summary>
    public static string? BlockTag(ref Utf8JsonReader r, out BlockSelector value)
    {
        value = BlockSelector.Latest;
        if (r.TokenType != JsonTokenType.String) return Expected("a block number or tag", r.TokenType);
        var text = Text(ref r);
        if (TryTag(text, out value)) return null;
        if (text.Length >= 2 && text[0] == (byte)'0' && (text[1] | 0x20) == (byte)'x')
        {
            var error = RpcHex.TryParseQuantity(text, out ulong number);
            if (error is not null) return error;
            value = BlockSelector.FromNumber(number);
            return null;
        }
        return "expected a block number (0x-hex) or one of latest, earliest, pending, safe, finalized";
    }

    /// <summary>EIP-1898: a tag, a number, a block hash string, or {"blockNumber"} / {"blockHash", "requireCanonical"}.</summary>
    public static string? BlockSelectorValue(ref Utf8JsonReader r, out BlockSelector value)
    {
        value = BlockSelector.Latest;
        if (r.TokenType == JsonTokenType.String)
        {
            var text = Text(ref r);
            if (text.Length == 66 && !TryTag(text, out _))
            {
                var error = RpcHex.TryParseHash(text, out var hash);
                if (error is not null) return error;
                value = BlockSelector.FromHash(hash);
                return null;
            }
            return BlockTag(ref r, out value);
        }
        if (r.TokenType != JsonTokenType.StartObject) return Expected("a block number, tag, hash or EIP-1898 object", r.TokenType);
        BlockSelector? byNumber = null;
        Hash256? byHash = null;
        var requireCanonical = false;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("blockNumber"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                var error = BlockTag(ref r, out var n);
                if (error is not null) return Field("blockNumber", error);
                byNumber = n;
            }
            else if (r.ValueTextEquals("blockHash"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                var error = Hash(ref r, out var h);
                if (error is not null) return Field("blockHash", error);
                byHash = h;
            }
            else if (r.ValueTextEquals("requireCanonical"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                var error = Bool(ref r, out requireCanonical);
                if (error is not null) return Field("requireCanonical", error);
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }
        if (byNumber is not null && byHash is not null) return "cannot specify both blockHash and blockNumber, choose one or the other";
        if (byHash is { } bh) value = BlockSelector.FromHash(bh, requireCanonical);
        else if (byNumber is { } bn) value = bn;
        else return "expected blockNumber or blockHash";
        return null;
    }

    /// <summary>The transaction object of eth_call, eth_estimateGas and eth_sendTransaction.</summary>
    public static string? CallRequestValue(ref Utf8JsonReader r, out CallRequest value, out ulong? chainId)
    {
        value = new CallRequest();
        chainId = null;
        if (r.TokenType != JsonTokenType.StartObject) return Expected("a transaction object", r.TokenType);
        byte[]? data = null, input = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref r);
            r.Read();
            if (r.TokenType == JsonTokenType.Null)
            {
                r.Skip();
                continue;
            }
            string? error = null;
            switch (field)
            {
                case CallField.From: { error = Address(ref r, out var a); value.From = a; break; }
                case CallField.To: { error = Address(ref r, out var a); value.To = a; break; }
                case CallField.Gas: { error = Quantity(ref r, out ulong g); value.Gas = g; break; }
                case CallField.GasPrice: { error = Quantity(ref r, out UInt256 q); value.GasPrice = q; break; }
                case CallField.MaxFeePerGas: { error = Quantity(ref r, out UInt256 q); value.MaxFeePerGas = q; break; }
                case CallField.MaxPriorityFeePerGas: { error = Quantity(ref r, out UInt256 q); value.MaxPriorityFeePerGas = q; break; }
                case CallField.Value: { error = Quantity(ref r, out UInt256 q); value.Value = q; break; }
                case CallField.Data: error = Data(ref r, out data); break;
                case CallField.Input: error = Data(ref r, out input); break;
                case CallField.Nonce: { error = Quantity(ref r, out ulong n); value.Nonce = n; break; }
                case CallField.MaxFeePerBlobGas: { error = Quantity(ref r, out UInt256 q); value.MaxFeePerBlobGas = q; break; }
                case CallField.ChainId: { error = Quantity(ref r, out ulong c); chainId = c; break; }
                case CallField.Type: error = Quantity(ref r, out ulong _); break;
                case CallField.AccessList: { error = AccessList(ref r, out var list); value.AccessList = list; break; }
                case CallField.BlobVersionedHashes: { error = HashList(ref r, out var hashes); value.BlobVersionedHashes = hashes; break; }
                default: r.Skip(); break;
            }
            if (error is not null) return Field(CallFieldName(field), error);
        }
        if (data is not null && input is not null && !data.AsSpan().SequenceEqual(input))
            return "both \"data\" and \"input\" are set and not equal. Please use \"input\" to pass transaction call data";
        value.Data = input ?? data;
        return null;
    }

    /// <summary>The filter object of eth_getLogs, eth_newFilter and the logs subscription.</summary>
    public static string? LogFilterValue(ref Utf8JsonReader r, out LogFilterRequest value)
    {
        value = new LogFilterRequest();
        if (r.TokenType != JsonTokenType.StartObject) return Expected("a filter object", r.TokenType);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            string? error = null;
            string name;
            if (r.ValueTextEquals("fromBlock"u8))
            {
                name = "fromBlock";
                r.Read();
                if (r.TokenType != JsonTokenType.Null) { error = BlockTag(ref r, out var b); value.FromBlock = b; }
            }
            else if (r.ValueTextEquals("toBlock"u8))
            {
                name = "toBlock";
                r.Read();
                if (r.TokenType != JsonTokenType.Null) { error = BlockTag(ref r, out var b); value.ToBlock = b; }
            }
            else if (r.ValueTextEquals("blockHash"u8))
            {
                name = "blockHash";
                r.Read();
                if (r.TokenType != JsonTokenType.Null) { error = Hash(ref r, out var h); value.BlockHash = h; }
            }
            else if (r.ValueTextEquals("address"u8))
            {
                name = "address";
                r.Read();
                if (r.TokenType != JsonTokenType.Null) { error = Addresses(ref r, out var set); value.Addresses = set; }
            }
            else if (r.ValueTextEquals("topics"u8))
            {
                name = "topics";
                r.Read();
                if (r.TokenType != JsonTokenType.Null) { error = Topics(ref r, out var topics); value.Topics = topics; }
            }
            else
            {
                r.Read();
                r.Skip();
                continue;
            }
            if (error is not null) return Field(name, error);
        }
        if (value.BlockHash is not null && (value.FromBlock is not null || value.ToBlock is not null))
            return "cannot specify both blockHash and fromBlock/toBlock, choose one or the other";
        return null;
    }

    public static string? Percentiles(ref Utf8JsonReader r, out double[] value)
    {
        value = [];
        if (r.TokenType != JsonTokenType.StartArray) return Expected("an array of percentiles", r.TokenType);
        var list = new List<double>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.Number || !r.TryGetDouble(out var p)) return Expected("a number", r.TokenType);
            if (p < 0 || p > 100 || double.IsNaN(p)) return $"invalid reward percentile {p}: must be between 0 and 100";
            if (list.Count > 0 && p < list[^1]) return $"invalid reward percentile {p}: percentiles must be in ascending order";
            if (list.Count >= 100) return "too many reward percentiles (max 100)";
            list.Add(p);
        }
        value = [.. list];
        return null;
    }

    private static string? Addresses(ref Utf8JsonReader r, out HashSet<Address>? value)
    {
        value = null;
        if (r.TokenType == JsonTokenType.String)
        {
            var error = Address(ref r, out var a);
            if (error is not null) return error;
            value = [a];
            return null;
        }
        if (r.TokenType != JsonTokenType.StartArray) return Expected("an address or an array of addresses", r.TokenType);
        var set = new HashSet<Address>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            var error = Address(ref r, out var a);
            if (error is not null) return error;
            set.Add(a);
        }
        value = set.Count == 0 ? null : set;
        return null;
    }

    private static string? Topics(ref Utf8JsonReader r, out IReadOnlyList<IReadOnlyCollection<Hash256>?>? value)
    {
        value = null;
        if (r.TokenType != JsonTokenType.StartArray) return Expected("an array of topics", r.TokenType);
        var positions = new List<IReadOnlyCollection<Hash256>?>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (positions.Count == MaxTopics) return $"exceed max topics: a filter has at most {MaxTopics} topic positions";
            switch (r.TokenType)
            {
                case JsonTokenType.Null:
                    positions.Add(null);
                    break;
                case JsonTokenType.String:
                {
                    var error = Hash(ref r, out var h);
                    if (error is not null) return $"position {positions.Count}: {error}";
                    positions.Add(new HashSet<Hash256> { h });
                    break;
                }
                case JsonTokenType.StartArray:
                {
                    var set = new HashSet<Hash256>();
                    while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                    {
                        if (r.TokenType == JsonTokenType.Null) continue;
                        var error = Hash(ref r, out var h);
                        if (error is not null) return $"position {positions.Count}: {error}";
                        set.Add(h);
                    }
                    positions.Add(set.Count == 0 ? null : set);
                    break;
                }
                default:
                    return $"position {positions.Count}: " + Expected("null, a topic hash or an array of topic hashes", r.TokenType);
            }
        }
        value = positions;
        return null;
    }

    private static string? AccessList(ref Utf8JsonReader r, out IReadOnlyList<AccessListEntry> value)
    {
        value = [];
        if (r.TokenType != JsonTokenType.StartArray) return Expected("an access list array", r.TokenType);
        var entries = new List<AccessListEntry>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.StartObject) return Expected("an access list entry object", r.TokenType);
            Address? address = null;
            var keys = new List<UInt256>();
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("address"u8))
                {
                    r.Read();
                    var error = Address(ref r, out var a);
                    if (error is not null) return "address: " + error;
                    address = a;
                }
                else if (r.ValueTextEquals("storageKeys"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.Null) continue;
                    if (r.TokenType != JsonTokenType.StartArray) return "storageKeys: " + Expected("an array", r.TokenType);
                    while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                    {
                        var error = Hash(ref r, out var key);
                        if (error is not null) return "storageKeys: " + error;
                        keys.Add(key.ToUInt256());
                    }
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }
            if (address is null) return "access list entry without an address";
            entries.Add(new AccessListEntry(address.Value, keys));
        }
        value = entries;
        return null;
    }

    private static string? HashList(ref Utf8JsonReader r, out IReadOnlyList<Hash256> value)
    {
        value = [];
        if (r.TokenType != JsonTokenType.StartArray) return Expected("an array of hashes", r.TokenType);
        var list = new List<Hash256>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            var error = Hash(ref r, out var h);
            if (error is not null) return error;
            list.Add(h);
        }
        value = list;
        return null;
    }

    private static bool TryTag(ReadOnlySpan<byte> text, out BlockSelector value)
    {
        if (text.SequenceEqual("latest"u8)) { value = BlockSelector.Latest; return true; }
        if (text.SequenceEqual("pending"u8)) { value = BlockSelector.Pending; return true; }
        if (text.SequenceEqual("earliest"u8)) { value = BlockSelector.Earliest; return true; }
        if (text.SequenceEqual("safe"u8)) { value = BlockSelector.Safe; return true; }
        if (text.SequenceEqual("finalized"u8)) { value = BlockSelector.Finalized; return true; }
        value = BlockSelector.Latest;
        return false;
    }

    /// <summary>The string token's bytes, unescaped (escapes are rare: copy only then).</summary>
    private static ReadOnlySpan<byte> Text(ref Utf8JsonReader r) =>
        r.ValueIsEscaped ? Encoding.UTF8.GetBytes(r.GetString() ?? "") : r.ValueSpan;

    private static string Expected(string what, JsonTokenType got) => $"expected {what}, got {Describe(got)}";

    private static string Field(string name, string error) => $"field \"{name}\": {error}";

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };

    private enum CallField
    {
        Unknown, From, To, Gas, GasPrice, MaxFeePerGas, MaxPriorityFeePerGas, Value, Data, Input, Nonce,
        MaxFeePerBlobGas, ChainId, Type, AccessList, BlobVersionedHashes,
    }

    private static CallField FieldOf(ref Utf8JsonReader r)
    {
        if (r.ValueTextEquals("from"u8)) return CallField.From;
        if (r.ValueTextEquals("to"u8)) return CallField.To;
        if (r.ValueTextEquals("gas"u8)) return CallField.Gas;
        if (r.ValueTextEquals("gasPrice"u8)) return CallField.GasPrice;
        if (r.ValueTextEquals("maxFeePerGas"u8)) return CallField.MaxFeePerGas;
        if (r.ValueTextEquals("maxPriorityFeePerGas"u8)) return CallField.MaxPriorityFeePerGas;
        if (r.ValueTextEquals("value"u8)) return CallField.Value;
        if (r.ValueTextEquals("data"u8)) return CallField.Data;
        if (r.ValueTextEquals("input"u8)) return CallField.Input;
        if (r.ValueTextEquals("nonce"u8)) return CallField.Nonce;
        if (r.ValueTextEquals("maxFeePerBlobGas"u8)) return CallField.MaxFeePerBlobGas;
        if (r.ValueTextEquals("chainId"u8)) return CallField.ChainId;
        if (r.ValueTextEquals("type"u8)) return CallField.Type;
        if (r.ValueTextEquals("accessList"u8)) return CallField.AccessList;
        if (r.ValueTextEquals("blobVersionedHashes"u8)) return CallField.BlobVersionedHashes;
        return CallField.Unknown;
    }

    private static string CallFieldName(CallField field) => field switch
    {
        CallField.From => "from",
        CallField.To => "to",
        CallField.Gas => "gas",
        CallField.GasPrice => "gasPrice",
        CallField.MaxFeePerGas => "maxFeePerGas",
        CallField.MaxPriorityFeePerGas => "maxPriorityFeePerGas",
        CallField.Value => "value",
        CallField.Data => "data",
        CallField.Input => "input",
        CallField.Nonce => "nonce",
        CallField.MaxFeePerBlobGas => "maxFeePerBlobGas",
        CallField.ChainId => "chainId",
        CallField.Type => "type",
        CallField.AccessList => "accessList",
        CallField.BlobVersionedHashes => "blobVersionedHashes",
        _ => "?",
    };
}
