using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Thalamus.Sdk;

/// <summary>What a call carries (IThalamus.Adapter).</summary>
public enum RtcAdapter : byte
{
    None,
    Native,
    Erc20,
    Erc721,
}

/// <summary>One call of an RTC (IThalamus.Call).</summary>
public class RtcCall
{
    [Parameter("uint256", "chainId", 1)] public BigInteger ChainId { get; set; }
    [Parameter("address", "target", 2)] public string Target { get; set; } = RtcClient.ZeroAddress;
    [Parameter("bytes", "data", 3)] public byte[] Data { get; set; } = [];
    [Parameter("uint8", "adapter", 4)] public byte Adapter { get; set; }
    [Parameter("address", "asset", 5)] public string Asset { get; set; } = RtcClient.ZeroAddress;
    [Parameter("uint256", "amount", 6)] public BigInteger Amount { get; set; }
    [Parameter("uint256", "approvalAmount", 7)] public BigInteger ApprovalAmount { get; set; }
    [Parameter("address", "beneficiary", 8)] public string Beneficiary { get; set; } = RtcClient.ZeroAddress;
    [Parameter("uint64", "gasLimit", 9)] public ulong GasLimit { get; set; }
    [Parameter("bool", "bridgeBack", 10)] public bool BridgeBack { get; set; }
}

/// <summary>Word <see cref="Word"/> of call <see cref="FromCall"/>'s result goes to byte <see cref="Offset"/> of call <see cref="ToCall"/>'s data.</summary>
public class RtcPipe
{
    [Parameter("uint16", "fromCall", 1)] public ushort FromCall { get; set; }
    [Parameter("uint16", "word", 2)] public ushort Word { get; set; }
    [Parameter("uint16", "toCall", 3)] public ushort ToCall { get; set; }
    [Parameter("uint32", "offset", 4)] public uint Offset { get; set; }
}

/// <summary>An RTC as its sender builds it (IThalamus.Rtc).</summary>
public class RtcRequest
{
    [Parameter("tuple[]", "calls", 1)] public List<RtcCall> Calls { get; set; } = [];
    [Parameter("tuple[]", "pipes", 2)] public List<RtcPipe> Pipes { get; set; } = [];
    [Parameter("bool", "atomic", 3)] public bool Atomic { get; set; }
    [Parameter("uint64", "deadline", 4)] public ulong Deadline { get; set; }
}

/// <summary>A provider's quote (IThalamus.Quote) as the SDK returns it.</summary>
public sealed record RtcQuote(string Provider, string Relayer, BigInteger Fee, ulong LatencyMs);

/// <summary>An RTC as thalamus_getRtc shows it (the fields the SDK reads; <see cref="Json"/> has all).</summary>
public sealed record RtcInfo(string Id, string Status, IReadOnlyList<string> Results, string? ReasonText, Newtonsoft.Json.Linq.JObject Json);

[Function("sendRtcVia", "bytes32")]
internal sealed class SendRtcViaFunction : FunctionMessage
{
    [Parameter("tuple", "rtc", 1)] public RtcRequest Rtc { get; set; } = new();
    [Parameter("bytes32", "preference", 2)] public byte[] Preference { get; set; } = new byte[32];
}

[Function("quoteRtc", typeof(QuoteRtcOutput))]
internal sealed class QuoteRtcFunction : FunctionMessage
{
    [Parameter("uint256", "chainId", 1)] public BigInteger ChainId { get; set; }
}

internal sealed class QuoteTuple
{
    [Parameter("bytes32", "provider", 1)] public byte[] Provider { get; set; } = [];
    [Parameter("address", "relayer", 2)] public string Relayer { get; set; } = RtcClient.ZeroAddress;
    [Parameter("uint256", "fee", 3)] public BigInteger Fee { get; set; }
    [Parameter("uint64", "latencyMs", 4)] public ulong LatencyMs { get; set; }
}

[FunctionOutput]
internal sealed class QuoteRtcOutput : IFunctionOutputDTO
{
    [Parameter("tuple[]", "quotes", 1)] public List<QuoteTuple> Quotes { get; set; } = [];
}

[Event("RtcSent")]
internal sealed class RtcSentEvent : IEventDTO
{
    [Parameter("bytes32", "id", 1, true)] public byte[] Id { get; set; } = [];
    [Parameter("address", "sender", 2, true)] public string Sender { get; set; } = RtcClient.ZeroAddress;
    [Parameter("uint256", "destinationChainId", 3, true)] public BigInteger DestinationChainId { get; set; }
    [Parameter("bool", "atomic", 4, false)] public bool Atomic { get; set; }
    [Parameter("uint64", "deadline", 5, false)] public ulong Deadline { get; set; }
    [Parameter("uint256[]", "chainIds", 6, false)] public List<BigInteger> ChainIds { get; set; } = [];
}
