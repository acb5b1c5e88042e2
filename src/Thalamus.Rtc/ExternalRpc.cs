using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rtc;

/// <summary>What a relayer needs of a chain outside the cluster, over its JSON-RPC endpoint.</summary>
internal sealed class ExternalRpc(Uri url) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private long _id;

    public Uri Url { get; } = url;

    public async Task<JsonElement> CallAsync(string method, CancellationToken cancel, params object?[] parameters)
    {
        var request = new { jsonrpc = "2.0", id = Interlocked.Increment(ref _id), method, @params = parameters };
        using var response = await _http.PostAsJsonAsync(Url, request, cancel).ConfigureAwait(false);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false));
        if (document.RootElement.TryGetProperty("error", out var error))
            throw new ExternalRpcException($"{method} on {Url} failed: {error.GetRawText()}");
        return document.RootElement.GetProperty("result").Clone();
    }

    /// <summary>The latest block's number and hash.</summary>
    public async Task<(ulong Number, Hash256 Hash)> HeadAsync(CancellationToken cancel)
    {
        var block = await CallAsync("eth_getBlockByNumber", cancel, "latest", false).ConfigureAwait(false);
        return (Quantity(block.GetProperty("number")), Hash256.Parse(block.GetProperty("hash").GetString()!));
    }

    /// <summary>The hash of block <paramref name="number"/>, or null when the chain has no such block.</summary>
    public async Task<Hash256?> BlockHashAsync(ulong number, CancellationToken cancel)
    {
        var block = await CallAsync("eth_getBlockByNumber", cancel, "0x" + number.ToString("x", CultureInfo.InvariantCulture), false).ConfigureAwait(false);
        return block.ValueKind == JsonValueKind.Object ? Hash256.Parse(block.GetProperty("hash").GetString()!) : null;
    }

    public async Task<byte[]> EthCallAsync(Address to, byte[] data, CancellationToken cancel) =>
        Hex.Decode((await CallAsync("eth_call", cancel, new { to = to.ToString(), data = Hex.Encode(data) }, "latest").ConfigureAwait(false)).GetString()!);

    /// <summary>The gateway's logs with topic0 one of <paramref name="topic0s"/> in blocks from … to.</summary>
    public async Task<List<(Hash256[] Topics, byte[] Data, ulong Block)>> LogsAsync(Address gateway, Hash256[] topic0s, ulong from, ulong to, CancellationToken cancel)
    {
        var result = await CallAsync("eth_getLogs", cancel, new
        {
            address = gateway.ToString(),
            topics = new[] { topic0s.Select(t => t.ToString()).ToArray() },
            fromBlock = "0x" + from.ToString("x", CultureInfo.InvariantCulture),
            toBlock = "0x" + to.ToString("x", CultureInfo.InvariantCulture),
        }).ConfigureAwait(false);
        var logs = new List<(Hash256[], byte[], ulong)>();
        foreach (var log in result.EnumerateArray())
        {
            var topics = log.GetProperty("topics").EnumerateArray().Select(t => Hash256.Parse(t.GetString()!)).ToArray();
            logs.Add((topics, Hex.Decode(log.GetProperty("data").GetString()!), Quantity(log.GetProperty("blockNumber"))));
        }
        return logs;
    }

    /// <summary>Signs and sends a call with <paramref name="key"/> and waits for its receipt; returns whether it succeeded.</summary>
    public async Task<(bool Ok, Hash256 Hash, ulong BlockNumber)> SendAndWaitAsync(ulong chainId, byte[] key, Address to, byte[] data, ulong gas, TimeSpan pollInterval, CancellationToken cancel)
    {
        var from = Crypto.Secp256k1.PrivateKeyToAddress(key);
        var nonce = Quantity(await CallAsync("eth_getTransactionCount", cancel, from.ToString(), "pending").ConfigureAwait(false));
        var gasPrice = Quantity(await CallAsync("eth_gasPrice", cancel).ConfigureAwait(false));
        var tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = new UInt256(1),
            MaxFeePerGas = new UInt256(gasPrice * 2 + 1),
            GasLimit = gas,
            To = to,
            Data = data,
        }, key);
        var hash = (await CallAsync("eth_sendRawTransaction", cancel, Hex.Encode(tx.Encode())).ConfigureAwait(false)).GetString();
        // anvil answers before it mines: wait for the receipt.
        while (true)
        {
            var receipt = await CallAsync("eth_getTransactionReceipt", cancel, hash).ConfigureAwait(false);
            if (receipt.ValueKind == JsonValueKind.Object)
                return (receipt.GetProperty("status").GetString() == "0x1", Hash256.Parse(hash!), Quantity(receipt.GetProperty("blockNumber")));
            await Task.Delay(pollInterval, cancel).ConfigureAwait(false);
        }
    }

    private static ulong Quantity(JsonElement value) =>
        ulong.Parse(value.GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public void Dispose() => _http.Dispose();
}

/// <summary>The external chain answered with a JSON-RPC error.</summary>
public sealed class ExternalRpcException(string message) : Exception(message);
