using System.Numerics;
using System.Text;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;
using Newtonsoft.Json.Linq;

namespace Thalamus.Sdk;

/// <summary>
/// Remote transaction calls from C# (docs/rtc.md) on one origin chain's endpoint: build calls, quote a destination's
/// providers, send an RTC with the sender's preference, and track it with thalamus_getRtc. The
/// <see cref="IWeb3"/> carries the sender's account (Nethereum's <c>new Web3(new Account(key, chainId), url)</c>).
/// </summary>
public sealed class RtcClient(IWeb3 web3)
{
    public const string Gateway = "0x4200000000000000000000000000000000000030";
    public const string AddressBook = "0x4200000000000000000000000000000000000033";
    public const string ZeroAddress = "0x0000000000000000000000000000000000000000";

    /// <summary>A call without assets.</summary>
    public static RtcCall Call(ulong chainId, string target, byte[] data) => new() { ChainId = chainId, Target = target, Data = data };

    /// <summary>A call carrying <paramref name="wei"/> of native value (the RTC's msg.value must add them up).</summary>
    public static RtcCall NativeCall(ulong chainId, string target, byte[] data, BigInteger wei) =>
        new() { ChainId = chainId, Target = target, Data = data, Adapter = (byte)RtcAdapter.Native, Amount = wei };

    /// <summary>The providers that carry an RTC to <paramref name="chainId"/> ("cluster" for a member chain).</summary>
    public async Task<IReadOnlyList<RtcQuote>> QuoteAsync(ulong chainId)
    {
        var output = await web3.Eth.GetContractQueryHandler<QuoteRtcFunction>()
            .QueryDeserializingToObjectAsync<QuoteRtcOutput>(new QuoteRtcFunction { ChainId = chainId }, Gateway).ConfigureAwait(false);
        return [.. output.Quotes.Select(q => new RtcQuote(Text(q.Provider), q.Relayer, q.Fee, q.LatencyMs))];
    }

    /// <summary>
    /// Sends <paramref name="rtc"/> (sendRtcVia) and returns its id once mined. <paramref name="preference"/>:
    /// "cheapest", "fastest", a provider's name, or null (the node's order). A refusal throws Nethereum's
    /// <see cref="SmartContractRevertException"/> with the gateway's reason, before anything is sent.
    /// </summary>
    public async Task<string> SendAsync(RtcRequest rtc, string? preference = null, BigInteger? value = null)
    {
        var message = new SendRtcViaFunction { Rtc = rtc, Preference = Bytes32(preference) };
        if (value is { } wei) message.AmountToSend = wei;
        var receipt = await web3.Eth.GetContractTransactionHandler<SendRtcViaFunction>()
            .SendRequestAndWaitForReceiptAsync(Gateway, message).ConfigureAwait(false);
        if (receipt.Status?.Value != 1) throw new InvalidOperationException($"sendRtcVia failed in transaction {receipt.TransactionHash}");
        var sent = receipt.DecodeAllEvents<RtcSentEvent>().FirstOrDefault()
            ?? throw new InvalidOperationException($"transaction {receipt.TransactionHash} has no RtcSent event");
        return sent.Event.Id.ToHex(true);
    }

    /// <summary>thalamus_getRtc: the RTC as the node's index has it, or null.</summary>
    public async Task<RtcInfo?> GetAsync(string id)
    {
        var json = await web3.Client.SendRequestAsync<JObject?>(new RpcRequest(1, "thalamus_getRtc", id)).ConfigureAwait(false);
        if (json is null) return null;
        var results = json["results"] is JArray array ? array.Select(r => (string)r!).ToList() : [];
        return new RtcInfo((string)json["id"]!, (string)json["status"]!, results, (string?)json["reasonText"], json);
    }

    /// <summary>Polls thalamus_getRtc until the RTC is ACK, NACK or EXPIRED (or <paramref name="timeout"/> passes).</summary>
    public async Task<RtcInfo> WaitAsync(string id, TimeSpan timeout, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var info = await GetAsync(id).ConfigureAwait(false);
            if (info is { Status: not "PENDING" }) return info;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"RTC {id} is still {info?.Status ?? "unknown"} after {timeout}");
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
        }
    }

    /// <summary>thalamus_resolveName: {name, chainId, address, owner, erc7828, address7828}; throws the node's error for an unknown name.</summary>
    public Task<JObject> ResolveNameAsync(string name) =>
        web3.Client.SendRequestAsync<JObject>(new RpcRequest(1, "thalamus_resolveName", name));

    private static byte[] Bytes32(string? text)
    {
        var bytes = new byte[32];
        if (text is null) return bytes;
        var encoded = Encoding.UTF8.GetBytes(text);
        if (encoded.Length > 32) throw new ArgumentException($"a preference has at most 32 bytes: '{text}'", nameof(text));
        encoded.CopyTo(bytes, 0);
        return bytes;
    }

    private static string Text(byte[] bytes32)
    {
        var length = Array.IndexOf(bytes32, (byte)0);
        return Encoding.UTF8.GetString(bytes32, 0, length < 0 ? bytes32.Length : length);
    }
}
