using System.Collections.Concurrent;
using Thalamus.Core;

namespace Thalamus.State;

/// <summary>
/// One state root with changes laid over it, shared by every <see cref="WorldState"/> opened with
/// it: a chain's head with its pending dev edits (anvil_setCode and the like, not yet in a block),
/// read by every eth_call until the head or the edits change. It holds the changed accounts,
/// captured once from a state that made the changes (<see cref="Capture"/>), and a cache of the
/// accounts and code read from the root, so that a state opened with it neither replays the
/// changes nor walks the trie again for an account an earlier state read.
/// Thread-safe: what it holds never changes (the read cache only grows); a state copies an account
/// when it first reads it and changes only its copy.
/// </summary>
public sealed class StateOverlay
{
    /// <summary>The read cache stops growing here (a head read by calls over a huge state stays bounded until the next block).</summary>
    internal const int MaxCachedAccounts = 65_536;

    /// <summary>The code cache stops growing at this many bytes.</summary>
    internal const long MaxCachedCodeBytes = 64L << 20;

    private long _cachedCodeBytes;

    /// <summary>The changed accounts as the capturing state left them; null: the account was removed.</summary>
    private readonly Dictionary<Address, Account?> _changed;

    /// <summary>Code the changes wrote, by hash.</summary>
    private readonly Dictionary<Hash256, byte[]> _changedCode;

    /// <summary>Accounts read from the root by the states opened with this overlay (never handed out: copied).</summary>
    private readonly ConcurrentDictionary<Address, Account?>? _read;

    /// <summary>Code read from the store by hash (code arrays are never changed, so they are shared).</summary>
    private readonly ConcurrentDictionary<Hash256, byte[]>? _readCode;

    private StateOverlay(Hash256 root, Dictionary<Address, Account?> changed, Dictionary<Hash256, byte[]> changedCode, bool cacheReads)
    {
        Root = root;
        _changed = changed;
        _changedCode = changedCode;
        if (cacheReads)
        {
            _read = new ConcurrentDictionary<Address, Account?>();
            _readCode = new ConcurrentDictionary<Hash256, byte[]>();
        }
    }

    /// <summary>The state root the changes are laid over.</summary>
    public Hash256 Root { get; }

    /// <summary>The number of accounts the changes touched (removed ones included).</summary>
    public int ChangedAccountCount => _changed.Count;

    /// <summary>
    /// The changes <paramref name="state"/> made since it was opened at <paramref name="root"/>
    /// (nothing committed, no transaction open), as an overlay for states opened later at the same
    /// root; null when they cannot be shared (a storage root brought up to date in memory only).
    /// With <paramref name="cacheReads"/> the overlay also keeps what those states read from the
    /// root (not for a forked state, whose reads may go to the remote chain).
    /// </summary>
    public static StateOverlay? Capture(WorldState state, Hash256 root, bool cacheReads)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.TryCaptureChanges(out var changed, out var code)) return null;
        return new StateOverlay(root, changed, code, cacheReads);
    }

    /// <summary>The addresses the changes touched.</summary>
    internal IEnumerable<Address> ChangedAddresses => _changed.Keys;

    /// <summary>Code the changes wrote.</summary>
    internal IReadOnlyDictionary<Hash256, byte[]> ChangedCode => _changedCode;

    /// <summary>A changed account: found (true) with a private copy, or null when the changes removed it.</summary>
    internal bool TryGetChanged(in Address address, out Account? copy)
    {
        if (!_changed.TryGetValue(address, out var account))
        {
            copy = null;
            return false;
        }
        copy = account?.Copy();
        return true;
    }

    /// <summary>An account an earlier state read from the root: a private copy, or null when it does not exist.</summary>
    internal bool TryGetRead(in Address address, out Account? copy)
    {
        if (_read is null || !_read.TryGetValue(address, out var account))
        {
            copy = null;
            return false;
        }
        copy = account?.Copy();
        return true;
    }

    /// <summary>Remembers an account as read from the root (a copy; before the reading state changes it).</summary>
    internal void AddRead(in Address address, Account? loaded)
    {
        if (_read is null || _read.Count >= MaxCachedAccounts) return;
        _read.TryAdd(address, loaded?.Copy());
    }

    internal byte[]? FindCode(in Hash256 codeHash)
    {
        if (_changedCode.TryGetValue(codeHash, out var code)) return code;
        return _readCode is not null && _readCode.TryGetValue(codeHash, out code) ? code : null;
    }

    internal void AddCode(in Hash256 codeHash, byte[] code)
    {
        if (_readCode is null || Interlocked.Read(ref _cachedCodeBytes) + code.Length > MaxCachedCodeBytes) return;
        if (_readCode.TryAdd(codeHash, code)) Interlocked.Add(ref _cachedCodeBytes, code.Length);
    }
}
