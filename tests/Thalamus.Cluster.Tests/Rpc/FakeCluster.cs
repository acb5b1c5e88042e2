using System.Globalization;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Rpc;

namespace Thalamus.Cluster.Tests;

/// <summary>An <see cref="IClusterBackend"/> with settable answers that records what the dispatcher asked.</summary>
internal sealed class FakeCluster : IClusterBackend
{
    private const string CursorPrefix = "after:";

    public IReadOnlyList<ClusterChainInfo> Chains { get; set; } = [];

    public ClusterStatus Status { get; set; } = new()
    {
        LogicalTimeMs = 0, DeltaMs = 1000, Slot = 0, Live = true, PendingMessages = 0,
        Chains =
        [
            new ClusterChainStatus { ChainId = 901, HeadNumber = 0, HeadTimestamp = 0, Halted = false, PendingInbound = 0 },
            new ClusterChainStatus { ChainId = 902, HeadNumber = 0, HeadTimestamp = 0, Halted = false, PendingInbound = 0 },
        ],
    };

    /// <summary>In send order.</summary>
    public List<ClusterMessage> Messages { get; } = [];

    public Hash256? LastMessageId { get; private set; }

    public ClusterMessageQuery? LastQuery { get; private set; }

    public List<(string Method, ulong ChainId)> ChainCalls { get; } = [];

    /// <summary>A message whose every field derives from <paramref name="n"/>; delivery fields follow <paramref name="status"/>.</summary>
    public static ClusterMessage MakeMessage(int n, string status, Address? sender = null)
    {
        var seed = n.ToString(CultureInfo.InvariantCulture);
        var delivered = status != "pending";
        var message = new ClusterMessage
        {
            Id = Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes("id" + seed)),
            SourceChainId = 901,
            DestinationChainId = 902 + (ulong)(n % 3),
            Sender = sender ?? Address.FromUInt256(new UInt256(0x5e00UL + (ulong)n)),
            Target = Address.FromUInt256(new UInt256(0x7a00UL + (ulong)n)),
            Data = [(byte)n, 0xab, 0xcd],
            Nonce = new UInt256((ulong)n, n % 2 == 0 ? 0UL : 1UL),
            SentBlockNumber = 10 + (ulong)n,
            SentTransactionHash = Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes("tx" + seed)),
            SentAtMs = 1000L * n,
            SentSlot = (ulong)n,
        };
        message.Status = Enum.Parse<MessageStatus>(status, ignoreCase: true);
        message.DeliveredBlockNumber = delivered ? 11 + (ulong)n : null;
        message.DeliveryTransactionHash = delivered ? Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes("delivery" + seed)) : null;
        message.DeliveredAtMs = delivered ? 1000L * n + 500 : null;
        message.RevertData = status is "failed" or "returned" ? [0x08, 0xc3, 0x79, 0xa0, (byte)n] : null;
        if (status == "returned")
        {
            message.ReturnedBlockNumber = 20 + (ulong)n;
            message.ReturnTransactionHash = Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes("return" + seed));
            message.ReturnHookOk = n % 2 == 0;
        }
        return message;
    }

    /// <summary>The cluster_* methods over <paramref name="cluster"/>, as a cluster's endpoint serves them.</summary>
    public static RpcMethodRegistry Methods(IClusterBackend cluster)
    {
        var registry = new RpcMethodRegistry();
        ClusterRpcMethods.Register(registry, cluster);
        return registry;
    }

    public IReadOnlyList<ClusterChainInfo> GetChains() => Chains;

    public ClusterStatus GetStatus() => Status;

    public ClusterMessage? GetMessage(Hash256 id)
    {
        LastMessageId = id;
        return Messages.FirstOrDefault(m => m.Id == id);
    }

    /// <summary>Cursor "after:N" = continue after the N-th message in send order; anything else is the client's mistake.</summary>
    public ClusterMessagePage GetMessages(ClusterMessageQuery query)
    {
        LastQuery = query;
        var start = 0;
        if (query.Cursor is { } cursor)
        {
            if (!cursor.StartsWith(CursorPrefix, StringComparison.Ordinal)
                || !int.TryParse(cursor.AsSpan(CursorPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out start)
                || start > Messages.Count)
                throw new ChainException($"invalid cursor \"{cursor}\"", ChainException.InvalidParamsCode);
        }
        var page = new List<ClusterMessage>();
        var index = start;
        for (; index < Messages.Count && page.Count < query.Limit; index++)
        {
            var m = Messages[index];
            if (query.Sender is { } s && m.Sender != s) continue;
            if (query.SourceChainId is { } source && m.SourceChainId != source) continue;
            if (query.DestinationChainId is { } destination && m.DestinationChainId != destination) continue;
            if (query.Status is { } status && m.Status != status) continue;
            page.Add(m);
        }
        return new ClusterMessagePage(page, index < Messages.Count ? CursorPrefix + index.ToString(CultureInfo.InvariantCulture) : null);
    }

    public ClusterStatus HaltChain(ulong chainId) => ChainCall("cluster_haltChain", chainId);

    public ClusterStatus ResumeChain(ulong chainId) => ChainCall("cluster_resumeChain", chainId);

    public ulong IncreaseTime(ulong seconds)
    {
        ChainCalls.Add(("cluster_increaseTime", seconds));
        return seconds;
    }

    private ClusterStatus ChainCall(string method, ulong chainId)
    {
        if (Status.Chains.All(c => c.ChainId != chainId))
            throw new ChainException($"unknown chain {chainId}", ChainException.InvalidParamsCode);
        ChainCalls.Add((method, chainId));
        return Status;
    }
}
