using System.Collections.Concurrent;
using Thalamus.Core;

namespace Thalamus.State;

/// <summary>
/// Remembers every account and slot read through it (the pinned block never changes), so each is
/// fetched once and stays readable after the remote stops answering. Failures are not cached: a
/// later read tries the remote again. Thread-safe.
/// </summary>
public sealed class CachingRemoteStateSource : IRemoteStateSource
{
    private readonly IRemoteStateSource _inner;
    private readonly ConcurrentDictionary<Address, RemoteAccount?> _accounts = new();
    private readonly ConcurrentDictionary<StorageKey, UInt256> _slots = new();

    public CachingRemoteStateSource(IRemoteStateSource inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>Accounts and slots held so far.</summary>
    public int CachedCount => _accounts.Count + _slots.Count;

    public RemoteAccount? GetAccount(in Address address)
    {
        if (_accounts.TryGetValue(address, out var known)) return known;
        var fetched = _inner.GetAccount(address);
        _accounts.TryAdd(address, fetched);
        return fetched;
    }

    public UInt256 GetStorage(in Address address, in UInt256 slot)
    {
        var key = new StorageKey(address, slot);
        if (_slots.TryGetValue(key, out var known)) return known;
        var fetched = _inner.GetStorage(address, slot);
        _slots.TryAdd(key, fetched);
        return fetched;
    }

    private readonly record struct StorageKey(Address Address, UInt256 Slot);
}
