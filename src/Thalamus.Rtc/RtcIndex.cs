using System.Globalization;
using Thalamus.Core;
using Thalamus.Rpc;

namespace Thalamus.Rtc;

/// <summary>The filters of thalamus_getRtcs (all optional) and its page.</summary>
public sealed record RtcQuery
{
    public Address? Sender { get; init; }
    public ulong? OriginChainId { get; init; }
    public ulong? DestinationChainId { get; init; }
    public RtcStatus? Status { get; init; }
    public bool? Atomic { get; init; }
    public string? Cursor { get; init; }
    public int Limit { get; init; } = 100;
}

/// <summary>Every RTC the gateway's events announced, by id and in order of arrival.</summary>
internal sealed class RtcIndex
{
    private readonly Dictionary<Hash256, RtcRecord> _byId = [];
    private readonly List<RtcRecord> _all = [];

    public int Count => _all.Count;

    public RtcRecord? Get(in Hash256 id) => _byId.GetValueOrDefault(id);

    public bool Add(RtcRecord record)
    {
        if (!_byId.TryAdd(record.Id, record)) return false;
        record.Sequence = _all.Count;
        _all.Add(record);
        return true;
    }

    public void Clear()
    {
        _byId.Clear();
        _all.Clear();
    }

    /// <summary>A page of RTCs matching the filters, from the cursor (a position in arrival order) on.</summary>
    public (List<RtcRecord> Page, string? NextCursor) Query(RtcQuery query)
    {
        var start = 0;
        if (query.Cursor is { } cursor && (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > _all.Count))
            throw new RpcException(RpcErrorCodes.InvalidParams, $"invalid cursor '{cursor}'");
        var page = new List<RtcRecord>(Math.Min(query.Limit, 256));
        for (var i = start; i < _all.Count; i++)
        {
            var r = _all[i];
            if (query.Sender is { } s && r.Sender != s) continue;
            if (query.OriginChainId is { } o && r.OriginChainId != o) continue;
            if (query.DestinationChainId is { } d && r.DestinationChainId != d && !(r.Atomic && r.ChainIds.Contains(d))) continue;
            if (query.Status is { } st && r.Status != st) continue;
            if (query.Atomic is { } a && r.Atomic != a) continue;
            if (page.Count == query.Limit) return (page, i.ToString(CultureInfo.InvariantCulture));
            page.Add(r);
        }
        return (page, null);
    }
}
