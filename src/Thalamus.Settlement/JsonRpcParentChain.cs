using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Settlement;

/// <summary>
/// A parent chain behind any Ethereum JSON-RPC endpoint (anvil, geth, a testnet): transactions are signed
/// here (EIP-1559, fee cap twice the latest base fee plus a 1 gwei tip), sent raw, and their receipts polled.
/// Blocking calls: settlement uses it from its own background thread, never under the cluster's lock.
/// </summary>
public sealed class JsonRpcParentChain : IParentChain, IDisposable
{
    private static readonly TimeSpan ReceiptPoll = TimeSpan.FromMilliseconds(50);
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly TimeSpan _receiptTimeout;
    private long _id;
    private ulong? _chainId;

    public JsonRpcParentChain(Uri url, TimeSpan? receiptTimeout = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        _url = url;
        _receiptTimeout = receiptTimeout ?? TimeSpan.FromSeconds(60);
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(30);
    }

    public Uri Url => _url;

    public ulong ChainId => _chainId ??= Quantity(Request("eth_chainId", "[]"));

    public ulong BlockNumber() => Quantity(Request("eth_blockNumber", "[]"));

    public ulong LatestTimestamp()
    {
        var block = Request("eth_getBlockByNumber", "[\"latest\",false]");
        return Quantity(block.GetProperty("timestamp"));
    }

    public void IncreaseTime(ulong seconds) => Request("evm_increaseTime", $"[{seconds}]");

    public UInt256 BalanceOf(Address account) => UInt256.Parse(Request("eth_getBalance", $"[\"{account}\",\"latest\"]").GetString()!);

    public ParentReceipt Send(ParentAccount from, Address? to, byte[] data, UInt256 value = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(data);
        var call = CallObject(from.Address, to, data, value);
        var gas = Quantity(Request("eth_estimateGas", $"[{call}]"));
        var block = Request("eth_getBlockByNumber", "[\"latest\",false]");
        var baseFee = block.TryGetProperty("baseFeePerGas", out var fee) ? UInt256.Parse(fee.GetString()!) : UInt256.Zero;
        var nonce = Quantity(Request("eth_getTransactionCount", $"[\"{from.Address}\",\"pending\"]"));
        var tip = new UInt256(1_000_000_000);
        var tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = tip,
            MaxFeePerGas = baseFee * new UInt256(2) + tip,
            GasLimit = gas + gas / 5 + 10_000,
            To = to,
            Value = value,
            Data = data,
        }, from.PrivateKey);
        var hash = Hash256.Parse(Request("eth_sendRawTransaction", $"[\"{Core.Hex.Encode(tx.Encode())}\"]").GetString()!);
        var deadline = DateTime.UtcNow + _receiptTimeout;
        while (true)
        {
            var receipt = Request("eth_getTransactionReceipt", $"[\"{hash}\"]");
            if (receipt.ValueKind == JsonValueKind.Object)
            {
                Address? created = receipt.TryGetProperty("contractAddress", out var c) && c.ValueKind == JsonValueKind.String ? Address.Parse(c.GetString()!) : null;
                return new ParentReceipt(hash, Quantity(receipt.GetProperty("status")) == 1, Quantity(receipt.GetProperty("gasUsed")),
                    Quantity(receipt.GetProperty("blockNumber")), created);
            }
            if (DateTime.UtcNow > deadline) throw new ParentChainException($"transaction {hash} was not mined within {_receiptTimeout.TotalSeconds:0} s");
            Thread.Sleep(ReceiptPoll);
        }
    }

    public byte[] Call(Address to, byte[] data) =>
        Core.Hex.Decode(Request("eth_call", $"[{CallObject(null, to, data, default)},\"latest\"]").GetString()!);

    public IReadOnlyList<LogRecord> GetLogs(Address address, Hash256 topic0, ulong fromBlock, ulong toBlock)
    {
        var filter = $"[{{\"address\":\"{address}\",\"topics\":[\"{topic0}\"],\"fromBlock\":\"{HexQuantity(fromBlock)}\",\"toBlock\":\"{HexQuantity(toBlock)}\"}}]";
        var logs = new List<LogRecord>();
        foreach (var log in Request("eth_getLogs", filter).EnumerateArray())
        {
            var topics = log.GetProperty("topics").EnumerateArray().Select(t => Hash256.Parse(t.GetString()!)).ToArray();
            logs.Add(new LogRecord(Address.Parse(log.GetProperty("address").GetString()!), topics, Core.Hex.Decode(log.GetProperty("data").GetString()!),
                Quantity(log.GetProperty("blockNumber")), Hash256.Parse(log.GetProperty("blockHash").GetString()!),
                Hash256.Parse(log.GetProperty("transactionHash").GetString()!), (int)Quantity(log.GetProperty("transactionIndex")),
                (int)Quantity(log.GetProperty("logIndex"))));
        }
        return logs;
    }

    public byte[] TransactionInput(Hash256 transaction)
    {
        var tx = Request("eth_getTransactionByHash", $"[\"{transaction}\"]");
        if (tx.ValueKind != JsonValueKind.Object) throw new ParentChainException($"transaction {transaction} is unknown to the parent chain");
        return Core.Hex.Decode((tx.TryGetProperty("input", out var input) ? input : tx.GetProperty("data")).GetString()!);
    }

    public void Dispose() => _http.Dispose();

    private static string HexQuantity(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string CallObject(Address? from, Address? to, byte[] data, UInt256 value)
    {
        var text = new StringBuilder("{");
        if (from is { } f) text.Append($"\"from\":\"{f}\",");
        if (to is { } t) text.Append($"\"to\":\"{t}\",");
        if (!value.IsZero) text.Append($"\"value\":\"{value.ToHexString()}\",");
        text.Append($"\"data\":\"{Core.Hex.Encode(data)}\"}}");
        return text.ToString();
    }

    private static ulong Quantity(JsonElement element) =>
        ulong.Parse(element.GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>One JSON-RPC request; a JSON-RPC error becomes a <see cref="ParentChainException"/> with the revert reason when there is one.</summary>
    private JsonElement Request(string method, string parameters)
    {
        var body = $"{{\"jsonrpc\":\"2.0\",\"id\":{Interlocked.Increment(ref _id)},\"method\":\"{method}\",\"params\":{parameters}}}";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = content };
        string text;
        try
        {
            using var response = _http.Send(request);
            using var reader = new StreamReader(response.Content.ReadAsStream());
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            throw new ParentChainException($"the parent chain at {_url} did not answer {method}: {e.Message}", null, e);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ParentChainException($"the parent chain at {_url} answered {method} with something that is not JSON: {e.Message}", null, e);
        }
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : error.ToString();
            string? reason = null;
            if (error.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String && Core.Hex.TryDecode(data.GetString(), out var revert))
                reason = Abi.DecodeRevertReason(revert);
            reason ??= message.StartsWith("execution reverted: ", StringComparison.Ordinal) ? message["execution reverted: ".Length..] : null;
            throw new ParentChainException($"{method} failed on the parent chain: {message}", reason);
        }
        return root.GetProperty("result").Clone();
    }
}
