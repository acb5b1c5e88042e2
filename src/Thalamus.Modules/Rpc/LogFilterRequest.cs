using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>An eth_getLogs / eth_newFilter / logs-subscription filter as given, before its block tags are resolved.</summary>
public sealed class LogFilterRequest
{
    public BlockSelector? FromBlock { get; set; }
    public BlockSelector? ToBlock { get; set; }
    public Hash256? BlockHash { get; set; }
    public HashSet<Address>? Addresses { get; set; }
    public IReadOnlyList<IReadOnlyCollection<Hash256>?>? Topics { get; set; }

    /// <summary>A filter for matching logs one by one (subscriptions): the range is ignored.</summary>
    public LogFilter ToMatcher() => new() { FromBlock = 0, ToBlock = ulong.MaxValue, Addresses = Addresses, Topics = Topics };

    /// <summary>Resolves tags against <paramref name="head"/> and checks the range against the limits.</summary>
    /// <exception cref="RpcException">a reversed or too wide range.</exception>
    public LogFilter Resolve(ulong head, ulong maxRange)
    {
        if (BlockHash is { } hash)
            return new LogFilter { BlockHash = hash, Addresses = Addresses, Topics = Topics };
        var from = ResolveNumber(FromBlock, head);
        var to = ResolveNumber(ToBlock, head);
        if (from > to) throw RpcException.InvalidParams($"invalid block range params: fromBlock {from} is after toBlock {to}");
        if (to > head) to = head;
        if (from <= to && to - from >= maxRange)
            throw new RpcException(RpcErrorCodes.LimitExceeded, $"block range too large: {to - from + 1} blocks, the limit is {maxRange}");
        return new LogFilter { FromBlock = from, ToBlock = to, Addresses = Addresses, Topics = Topics };
    }

    public static ulong ResolveNumber(BlockSelector? selector, ulong head) => selector switch
    {
        null => head,
        { Kind: BlockSelectorKind.Number } s => s.Number,
        { Kind: BlockSelectorKind.Earliest } => 0,
        _ => head,
    };
}
