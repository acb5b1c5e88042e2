using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Rpc;

/// <summary>
/// The one JSON-RPC client of fork mode: reads a remote chain's accounts and slots at the pinned
/// block (eth_getBalance, eth_getTransactionCount and eth_getCode in one batch; eth_getStorageAt)
/// over HTTP. Synchronous (the state layer asks from inside execution), each request bounded by
/// <see cref="Timeout"/>; every failure is a <see cref="RemoteStateException"/> naming the
/// request, the remote and the reason.
/// </summary>
public sealed class RemoteChainClient : IRemoteStateSource, IDisposable
{
    /// <summary>Longest wait for one remote answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly string _blockTag;
    private long _nextId;

    private RemoteChainClient(Uri url, ulong block)
    {
        Url = url;
        Block = block;
        _blockTag = "0x" + block.ToString("x", CultureInfo.InvariantCulture);
        _http = new HttpClient { Timeout = Timeout };
    }

    public Uri Url { get; }

    /// <summary>The pinned block every read is made at.</summary>
    public ulong Block { get; }

    /// <summary>
    /// Connects to <paramref name="url"/>: checks that it answers and is chain
    /// <paramref name="expectedChainId"/>, and pins <paramref name="block"/> (null: its latest block).
    /// </summary>
    /// <exception cref="RemoteStateException">the remote does not answer, is another chain, or lacks the block.</exception>
    public static ChainFork Connect(Uri url, ulong? block, ulong expectedChainId)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme is not ("http" or "https")) throw new RemoteStateException($"fork URL {url} is not http:// or https://");
        using var probe = new RemoteChainClient(url, 0);
        var chainId = ParseQuantity(probe.Call("eth_chainId", "[]"), "eth_chainId");
        if (chainId != expectedChainId)
            throw new RemoteStateException($"fork {url} is chain {chainId}, not {expectedChainId}: a forked member takes the remote's chain id (use --fork {chainId}={url})");
        var tag = block is { } n ? "\"0x" + n.ToString("x", CultureInfo.InvariantCulture) + "\"" : "\"latest\"";
        var header = probe.Call("eth_getBlockByNumber", $"[{tag},false]");
        if (header.ValueKind != JsonValueKind.Object)
            throw new RemoteStateException($"fork {url} has no block {(block is { } b ? b.ToString(CultureInfo.InvariantCulture) : "latest")}");
        var number = ParseQuantity(header.GetProperty("number"), "block number");
        var client = new RemoteChainClient(url, number);
        return new ChainFork
        {
            Url = url,
            State = new CachingRemoteStateSource(client),
            ChainId = chainId,
            Number = number,
            Hash = ParseHash(header, "hash"),
            ParentHash = ParseHash(header, "parentHash"),
            Timestamp = ParseQuantity(header.GetProperty("timestamp"), "timestamp"),
            BaseFeePerGas = header.TryGetProperty("baseFeePerGas", out var fee) ? ParseWord(fee, "baseFeePerGas") : UInt256.Zero,
        };
    }

    public RemoteAccount? GetAccount(in Address address)
    {
        var hex = Hex.Encode(address.Bytes);
        var results = CallBatch(
            [("eth_getBalance", $"[\"{hex}\",\"{_blockTag}\"]"), ("eth_getTransactionCount", $"[\"{hex}\",\"{_blockTag}\"]"), ("eth_getCode", $"[\"{hex}\",\"{_blockTag}\"]")],
            $"account {hex}");
        var balance = ParseWord(results[0], "eth_getBalance");
        var nonce = ParseQuantity(results[1], "eth_getTransactionCount");
        var code = results[2].ValueKind == JsonValueKind.String && Hex.TryDecode(results[2].GetString(), out var bytes)
            ? bytes : throw new RemoteStateException($"fork {Url}: eth_getCode of {hex} returned {results[2].GetRawText()}, not hex bytes");
        return nonce == 0 && balance.IsZero && code.Length == 0 ? null : new RemoteAccount(nonce, balance, code);
    }

    public UInt256 GetStorage(in Address address, in UInt256 slot)
    {
        var hex = Hex.Encode(address.Bytes);
        var key = Hex.Encode(slot.ToBigEndian());
        return ParseWord(Call("eth_getStorageAt", $"[\"{hex}\",\"{key}\",\"{_blockTag}\"]"), "eth_getStorageAt");
    }

    public void Dispose() => _http.Dispose();

    private JsonElement Call(string method, string parameters) => CallBatch([(method, parameters)], method)[0];

    /// <summary>Sends the requests as one JSON-RPC batch (one when alone) and returns the results in order.</summary>
    private JsonElement[] CallBatch(IReadOnlyList<(string Method, string Params)> requests, string what)
    {
        var body = new StringBuilder();
        var firstId = Interlocked.Add(ref _nextId, requests.Count) - requests.Count + 1;
        if (requests.Count > 1) body.Append('[');
        for (var i = 0; i < requests.Count; i++)
        {
            if (i > 0) body.Append(',');
            body.Append(CultureInfo.InvariantCulture, $"{{\"jsonrpc\":\"2.0\",\"id\":{firstId + i},\"method\":\"{requests[i].Method}\",\"params\":{requests[i].Params}}}");
        }
        if (requests.Count > 1) body.Append(']');
        string text;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(body.ToString(), Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = _http.Send(request);
            using var reader = new StreamReader(response.Content.ReadAsStream(), Encoding.UTF8);
            text = reader.ReadToEnd();
            if (!response.IsSuccessStatusCode && text.Length == 0)
                throw new RemoteStateException($"fork {Url}: {what}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or OperationCanceledException)
        {
            var reason = e is TaskCanceledException or OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message;
            throw new RemoteStateException($"fork {Url} is unreachable: {what}: {reason}", e);
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var results = new JsonElement[requests.Count];
            var responses = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToArray() : [root];
            foreach (var response in responses)
            {
                if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty("id", out var idElement) || !idElement.TryGetInt64(out var id)
                    || id < firstId || id >= firstId + requests.Count)
                    throw new RemoteStateException($"fork {Url}: {what}: unexpected reply {Shorten(text)}");
                var index = (int)(id - firstId);
                if (response.TryGetProperty("error", out var error))
                    throw new RemoteStateException($"fork {Url}: {requests[index].Method} for {what} failed: {Shorten(error.GetRawText())}");
                results[index] = response.GetProperty("result").Clone();
            }
            for (var i = 0; i < results.Length; i++)
                if (results[i].ValueKind == JsonValueKind.Undefined) throw new RemoteStateException($"fork {Url}: {what}: no answer to {requests[i].Method}");
            return results;
        }
        catch (JsonException e)
        {
            throw new RemoteStateException($"fork {Url}: {what}: the reply is not JSON-RPC: {Shorten(text)}", e);
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static ulong ParseQuantity(JsonElement value, string what)
    {
        var word = ParseWord(value, what);
        return word.IsUInt64 ? (ulong)word : throw new RemoteStateException($"fork: {what} {value.GetRawText()} does not fit in 64 bits");
    }

    private static UInt256 ParseWord(JsonElement value, string what)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && text.Length is > 2 and <= 66)
            {
                var digits = text[2..];
                if (Hex.TryDecode((digits.Length % 2 == 1 ? "0" : "") + digits, out var bytes)) return UInt256.FromBigEndian(bytes);
            }
        }
        throw new RemoteStateException($"fork: {what} {value.GetRawText()} is not a hex quantity");
    }

    private static Hash256 ParseHash(JsonElement header, string name) =>
        header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && Hex.TryDecode(value.GetString(), out var bytes) && bytes.Length == 32
            ? new Hash256(bytes)
            : throw new RemoteStateException($"fork: the block's {name} is missing or malformed");
}
