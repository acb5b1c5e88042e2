using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Rtc;

/// <summary>The rtc module's settings: the chains outside the cluster it reaches through relayers (cluster.yaml <c>rtc.external</c>).</summary>
public sealed class RtcOptions
{
    /// <summary>Chains outside the cluster, each with its gateway and the relayers (providers) that carry RTCs to it.</summary>
    public IReadOnlyList<ExternalChainOptions> External { get; init; } = [];

    /// <summary>
    /// How long the provider ranked k waits (k × this) after it sees an RTC or an answer before it carries it
    /// itself: the preferred provider (rank 0) goes at once; the next one takes over when it did not.
    /// </summary>
    public TimeSpan FailoverAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a relayer looks at its external chain's gateway events and its work.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Start the relayers when the module is attached (false: tests start them one by one).</summary>
    public bool StartRelayers { get; init; } = true;
}

/// <summary>A chain outside the cluster reached over JSON-RPC.</summary>
public sealed class ExternalChainOptions
{
    public required ulong ChainId { get; init; }

    /// <summary>Its JSON-RPC endpoint.</summary>
    public required Uri Rpc { get; init; }

    /// <summary>The Thalamus gateway deployed there (constructed with the relayers' addresses).</summary>
    public required Address Gateway { get; init; }

    /// <summary>The relayers (providers), in the default preference order.</summary>
    public required IReadOnlyList<RelayerOptions> Relayers { get; init; }
}

/// <summary>One relayer: a key both gateways trust, with what it quotes.</summary>
public sealed class RelayerOptions
{
    /// <summary>The provider's name (what a sender names to prefer it).</summary>
    public required string Name { get; init; }

    /// <summary>The relayer's private key (32 bytes): it signs the deliveries on the external chain and the answers on the cluster's.</summary>
    public required byte[] PrivateKey { get; init; }

    /// <summary>What it charges per RTC, in wei (quoted by quoteRtc).</summary>
    public UInt256 FeeWei { get; init; }

    /// <summary>Its expected latency, sent to answered, in milliseconds (quoted by quoteRtc).</summary>
    public ulong LatencyMs { get; init; }

    public Address Address => Secp256k1.PrivateKeyToAddress(PrivateKey);
}
