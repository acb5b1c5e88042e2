using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Cli.Commands;

/// <summary>A minimal JSON-RPC client for the ddpn commands: calls, signed transactions to a unit, receipts.</summary>
internal sealed class DdpnRpcClient(HttpClient http, Uri url, ulong chainId, DevAccount key) : IDisposable
{
    private int _id;

    public ulong ChainId => chainId;

    public Uri Url => url;

    public async Task<JsonNode?> Request(string method, params object?[] parameters)
    {
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = ++_id, ["method"] = method, ["params"] = JsonSerializer.SerializeToNode(parameters) };
        using var response = await http.PostAsJsonAsync(url, body).ConfigureAwait(false);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>().ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{url}: empty answer to {method}");
        if (answer["error"] is JsonObject error) throw new InvalidOperationException($"{method} on chain {chainId}: {error["message"]}");
        return answer["result"];
    }

    public async Task<byte[]> Call(Address to, byte[] data)
    {
        var result = await Request("eth_call", new { from = key.Address.ToString(), to = to.ToString(), data = Hex.Encode(data) }, "latest").ConfigureAwait(false);
        return Hex.Decode(result!.GetValue<string>());
    }

    /// <summary>Signs and sends a call to <paramref name="to"/>, waits for its receipt; a revert throws with the reason.</summary>
    public async Task<JsonObject> Send(Address to, byte[] data, ulong gas)
    {
        var nonce = Convert.ToUInt64(((await Request("eth_getTransactionCount", key.Address.ToString(), "pending").ConfigureAwait(false))!).GetValue<string>(), 16);
        var tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chainId,
            Nonce = nonce,
            MaxFeePerGas = new UInt256(100_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            GasLimit = gas,
            To = to,
            Data = data,
        }, key.PrivateKey);
        var hash = (await Request("eth_sendRawTransaction", Hex.Encode(TransactionEncoder.Encode(tx))).ConfigureAwait(false))!.GetValue<string>();
        for (var wait = 0; ; wait++)
        {
            if (await Request("eth_getTransactionReceipt", hash).ConfigureAwait(false) is JsonObject receipt)
            {
                if (receipt["status"]!.GetValue<string>() == "0x1") return receipt;
                string reason;
                try
                {
                    await Call(to, data).ConfigureAwait(false);
                    reason = "reverted";
                }
                catch (InvalidOperationException e)
                {
                    reason = e.Message;
                }
                throw new InvalidOperationException($"transaction {hash} on chain {chainId} failed: {reason}");
            }
            await Task.Delay(Math.Min(50 * (wait + 1), 500)).ConfigureAwait(false);
        }
    }

    public static IEnumerable<(Hash256 Topic0, Hash256 Topic1, byte[] Data)> Logs(JsonObject receipt)
    {
        foreach (var log in receipt["logs"]!.AsArray())
        {
            var topics = log!["topics"]!.AsArray();
            if (topics.Count < 2) continue;
            yield return (Hash256.Parse(topics[0]!.GetValue<string>()), Hash256.Parse(topics[1]!.GetValue<string>()), Hex.Decode(log["data"]!.GetValue<string>()));
        }
    }

    public void Dispose()
    {
    }
}
