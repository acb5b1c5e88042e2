using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// An eth_getLogs filter with its block range already resolved to numbers (inclusive), or a
/// single block by hash. <see cref="Addresses"/> null or empty matches any emitter. Topic
/// position i matches when <c>Topics[i]</c> is null (wildcard) or contains the log's topic i;
/// a log with fewer topics than the filter has positions (wildcards included) does not match, as in geth.
/// </summary>
public sealed class LogFilter
{
    public ulong FromBlock { get; init; }
    public ulong ToBlock { get; init; } = ulong.MaxValue;

    /// <summary>When set, only this block (and the range is ignored).</summary>
    public Hash256? BlockHash { get; init; }

    public IReadOnlyCollection<Address>? Addresses { get; init; }
    public IReadOnlyList<IReadOnlyCollection<Hash256>?>? Topics { get; init; }

    public bool Matches(in Address address, IReadOnlyList<Hash256> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        if (Addresses is { Count: > 0 } addresses && !addresses.Contains(address)) return false;
        if (Topics is null) return true;
        // Like geth: a filter with more positions than the log has topics never matches (wildcards included).
        if (topics.Count < Topics.Count) return false;
        for (var i = 0; i < Topics.Count; i++)
        {
            var allowed = Topics[i];
            if (allowed is null || allowed.Count == 0) continue;
            if (i >= topics.Count || !allowed.Contains(topics[i])) return false;
        }
        return true;
    }

    public bool Matches(LogRecord log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (BlockHash is { } hash) { if (log.BlockHash != hash) return false; }
        else if (log.BlockNumber < FromBlock || log.BlockNumber > ToBlock) return false;
        return Matches(log.Address, log.Topics);
    }

    /// <summary>False when <paramref name="bloom"/> proves no log in it can match (a quick block skip).</summary>
    public bool MightMatch(Bloom bloom)
    {
        ArgumentNullException.ThrowIfNull(bloom);
        if (Addresses is { Count: > 0 } addresses)
        {
            var any = false;
            foreach (var a in addresses) if (bloom.MightContain(a.Bytes)) { any = true; break; }
            if (!any) return false;
        }
        if (Topics is null) return true;
        foreach (var position in Topics)
        {
            if (position is null || position.Count == 0) continue;
            var any = false;
            foreach (var t in position) if (bloom.MightContain(t.Bytes)) { any = true; break; }
            if (!any) return false;
        }
        return true;
    }
}
