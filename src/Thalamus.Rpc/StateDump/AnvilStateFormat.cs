using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Rpc;

/// <summary>
/// anvil's state dump (anvil 1.x <c>SerializableState</c>): <c>{block, accounts: {address: {nonce,
/// balance, code, storage: {slot: value}}}, best_block_number, blocks, transactions,
/// historical_states}</c>, as anvil_dumpState returns it gzip-compressed and <c>--dump-state</c>
/// writes it, plus the cluster dump that holds one such object per member chain
/// (<c>{"thalamusClusterState": 1, "chains": {"901": {...}, ...}}</c>). Thalamus writes the accounts
/// only: <c>block</c> and <c>best_block_number</c> are null and <c>blocks</c>/<c>transactions</c>
/// empty, so anvil merges the accounts and keeps its own head, and a <c>thalamus</c> object records
/// where the dump was taken (chain id, block number, hash, state root). When reading, only
/// <c>accounts</c> is used: anvil's blocks and transactions are not replayed.
/// </summary>
public static class AnvilStateFormat
{
    /// <summary>Version of the cluster dump (<c>thalamusClusterState</c>).</summary>
    public const int ClusterFormatVersion = 1;

    private static readonly JsonWriterOptions Indented = new() { Indented = false };

    /// <summary>One chain's dump as anvil's JSON object.</summary>
    public static void WriteChain(Utf8JsonWriter w, ChainStateDump dump)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(dump);
        Span<byte> word = stackalloc byte[32];
        w.WriteStartObject();
        w.WriteNull("block");
        w.WriteStartObject("accounts");
        foreach (var account in dump.Accounts)
        {
            w.WriteStartObject(Hex.Encode(account.Address.Bytes));
            w.WriteNumber("nonce", account.Nonce);
            w.WritePropertyName("balance");
            w.WriteQuantity(account.Balance);
            w.WritePropertyName("code");
            w.WriteData(account.Code);
            w.WriteStartObject("storage");
            foreach (var (slot, value) in account.Storage)
            {
                slot.WriteBigEndian(word);
                w.WritePropertyName(Hex.Encode(word));
                value.WriteBigEndian(word);
                w.WriteStringValue(Hex.Encode(word));
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteNull("best_block_number");
        w.WriteStartArray("blocks");
        w.WriteEndArray();
        w.WriteStartArray("transactions");
        w.WriteEndArray();
        w.WriteNull("historical_states");
        w.WriteStartObject("thalamus");
        w.WriteNumber("chainId", dump.ChainId);
        w.WritePropertyName("number");
        w.WriteQuantity(dump.Head.Number);
        w.WritePropertyName("hash");
        w.WriteHash(dump.Head.Hash);
        w.WritePropertyName("stateRoot");
        w.WriteHash(dump.Head.StateRoot);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>anvil_dumpState's result: the JSON of <see cref="WriteChain"/>, gzip-compressed.</summary>
    public static byte[] ToGzip(ChainStateDump dump)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var w = new Utf8JsonWriter(gzip, Indented))
            WriteChain(w, dump);
        return buffer.ToArray();
    }

    /// <summary>One chain's dump as a JSON file's bytes (what <c>thalamus node --dump-state</c> writes).</summary>
    public static byte[] ToJson(ChainStateDump dump)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Indented))
            WriteChain(w, dump);
        return buffer.ToArray();
    }

    /// <summary>The cluster dump: <c>{"thalamusClusterState": 1, "chains": {"&lt;chain id&gt;": &lt;anvil state&gt;}}</c>.</summary>
    public static byte[] ClusterToJson(IEnumerable<ChainStateDump> dumps)
    {
        ArgumentNullException.ThrowIfNull(dumps);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Indented))
        {
            w.WriteStartObject();
            w.WriteNumber("thalamusClusterState", ClusterFormatVersion);
            w.WriteStartObject("chains");
            foreach (var dump in dumps)
            {
                w.WritePropertyName(dump.ChainId.ToString(CultureInfo.InvariantCulture));
                WriteChain(w, dump);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a dump file or anvil_loadState's argument: gzip-compressed or plain JSON, either one
    /// chain's anvil state (returned under the key null: it applies to every chain) or a cluster
    /// dump (one entry per chain id).
    /// </summary>
    /// <exception cref="FormatException">not a state dump; the message says what is wrong.</exception>
    public static IReadOnlyDictionary<ulong, IReadOnlyList<DumpedAccount>> Read(ReadOnlySpan<byte> bytes, out IReadOnlyList<DumpedAccount>? single)
    {
        var json = Decompress(bytes);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new FormatException("the state dump is not valid JSON: " + e.Message);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("the state dump must be a JSON object");
            var chains = new Dictionary<ulong, IReadOnlyList<DumpedAccount>>();
            if (root.TryGetProperty("thalamusClusterState", out var version))
            {
                if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != ClusterFormatVersion)
                    throw new FormatException($"unsupported cluster state version {version} (this node reads {ClusterFormatVersion})");
                if (!root.TryGetProperty("chains", out var list) || list.ValueKind != JsonValueKind.Object)
                    throw new FormatException("the cluster state has no \"chains\" object");
                foreach (var chain in list.EnumerateObject())
                {
                    if (!ulong.TryParse(chain.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id == 0)
                        throw new FormatException($"chains: \"{chain.Name}\" is not a chain id");
                    chains[id] = ReadAccounts(chain.Value, $"chain {id}: ");
                }
                single = null;
                return chains;
            }
            single = ReadAccounts(root, "");
            return chains;
        }
    }

    /// <summary>One chain's accounts from anvil's state object.</summary>
    private static List<DumpedAccount> ReadAccounts(JsonElement state, string where)
    {
        if (state.ValueKind != JsonValueKind.Object) throw new FormatException(where + "a chain's state must be a JSON object");
        if (!state.TryGetProperty("accounts", out var accounts) || accounts.ValueKind != JsonValueKind.Object)
            throw new FormatException(where + "the state dump has no \"accounts\" object");
        var result = new List<DumpedAccount>();
        foreach (var entry in accounts.EnumerateObject())
        {
            if (!Address.TryParse(entry.Name, out var address)) throw new FormatException($"{where}accounts: \"{entry.Name}\" is not an address");
            var at = $"{where}account {entry.Name}: ";
            var account = entry.Value;
            if (account.ValueKind != JsonValueKind.Object) throw new FormatException(at + "must be an object");
            var nonce = account.TryGetProperty("nonce", out var n) ? ReadNumber(n, at + "nonce") : UInt256.Zero;
            if (!nonce.IsUInt64) throw new FormatException(at + "nonce does not fit in 64 bits");
            var balance = account.TryGetProperty("balance", out var b) ? ReadNumber(b, at + "balance") : UInt256.Zero;
            var code = account.TryGetProperty("code", out var c) && c.ValueKind != JsonValueKind.Null ? ReadBytes(c, at + "code") : [];
            var storage = new List<KeyValuePair<UInt256, UInt256>>();
            if (account.TryGetProperty("storage", out var s) && s.ValueKind != JsonValueKind.Null)
            {
                if (s.ValueKind != JsonValueKind.Object) throw new FormatException(at + "storage must be an object");
                foreach (var slot in s.EnumerateObject())
                    storage.Add(new(ParseWord(slot.Name, at + "storage slot"), ReadNumber(slot.Value, at + $"storage {slot.Name}")));
            }
            result.Add(new DumpedAccount(address, (ulong)nonce, balance, code, storage));
        }
        return result;
    }

    private static UInt256 ReadNumber(JsonElement value, string what) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetUInt64(out var number) => number,
        JsonValueKind.String => ParseWord(value.GetString()!, what),
        _ => throw new FormatException(what + " must be a hex string or a non-negative integer"),
    };

    /// <summary>A 0x-prefixed hex number of at most 32 bytes (anvil writes slots padded, quantities not).</summary>
    private static UInt256 ParseWord(string text, string what)
    {
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text.AsSpan();
        if (digits.Length == 0) return UInt256.Zero;
        if (digits.Length > 64) throw new FormatException($"{what} {text} is longer than 32 bytes");
        Span<char> padded = stackalloc char[64];
        padded.Fill('0');
        digits.CopyTo(padded[(64 - digits.Length)..]);
        Span<byte> word = stackalloc byte[32];
        try
        {
            Hex.Decode(padded, word);
        }
        catch (FormatException)
        {
            throw new FormatException($"{what} {text} is not hex");
        }
        return UInt256.FromBigEndian(word);
    }

    private static byte[] ReadBytes(JsonElement value, string what)
    {
        if (value.ValueKind != JsonValueKind.String || !Hex.TryDecode(value.GetString(), out var bytes))
            throw new FormatException(what + " must be 0x-prefixed hex bytes");
        return bytes;
    }

    private static byte[] Decompress(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes.ToArray();
        try
        {
            using var input = new GZipStream(new MemoryStream(bytes.ToArray()), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new FormatException("the state dump is not valid gzip: " + e.Message);
        }
    }
}
