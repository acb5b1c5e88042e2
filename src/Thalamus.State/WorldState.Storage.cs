using System.Runtime.InteropServices;
using Thalamus.Core;

namespace Thalamus.State;

public sealed partial class WorldState
{
    /// <summary>Slot values at the start of the transaction, recorded on the first change of each slot (EIP-2200).</summary>
    private readonly Dictionary<StorageCell, UInt256> _originals = [];

    /// <summary>EIP-1153 transient storage; only non-zero values are kept.</summary>
    private readonly Dictionary<StorageCell, UInt256> _transient = [];

    public UInt256 GetStorage(in Address address, in UInt256 key) =>
        Find(address) is { } account ? ReadSlot(account, address, key) : UInt256.Zero;

    public void SetStorage(in Address address, in UInt256 key, in UInt256 value)
    {
        var account = GetOrCreate(address);
        // One dictionary lookup for read and write; nothing else touches account.Storage while the ref lives.
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(account.Storage, key, out var known);
        if (!known && account.HasPersistedStorage) slot = LoadSlot(account, address, key);
        var current = slot;
        // Like geth, writing the value already there is no change at all (no journal entry, no touch).
        if (current == value) return;
        slot = value;
        _originals.TryAdd(new StorageCell(address, key), current);
        _journal.Add(new JournalEntry(JournalEntryKind.Storage, address, key, current));
        account.MarkSlotDirty(key);
        if (current.IsZero) (account.NewSlots ??= []).Add(key);
        Modified(address, account);
    }

    public UInt256 GetOriginalStorage(in Address address, in UInt256 key) =>
        _originals.TryGetValue(new StorageCell(address, key), out var original) ? original : GetStorage(address, key);

    public bool HasNonEmptyStorage(in Address address)
    {
        if (Find(address) is not { } account) return false;
        foreach (var value in account.Storage.Values)
            if (!value.IsZero) return true;
        if (!account.HasPersistedStorage) return false;
        // Persisted slots may exist that were never read: the trie decides.
        UpdateStorageRoot(account);
        return !account.StorageRoot.Equals(Keccak256.OfEmptyList);
    }

    public UInt256 GetTransientStorage(in Address address, in UInt256 key) =>
        _transient.TryGetValue(new StorageCell(address, key), out var value) ? value : UInt256.Zero;

    public void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value)
    {
        var cell = new StorageCell(address, key);
        _transient.TryGetValue(cell, out var current);
        if (current == value) return;
        _journal.Add(new JournalEntry(JournalEntryKind.TransientStorage, address, key, current));
        SetTransient(cell, value);
    }

    private void SetTransient(in StorageCell cell, in UInt256 value)
    {
        if (value.IsZero) _transient.Remove(cell);
        else _transient[cell] = value;
    }

    private UInt256 ReadSlot(Account account, in Address address, in UInt256 key)
    {
        if (account.Storage.TryGetValue(key, out var value)) return value;
        if (!account.HasPersistedStorage) return UInt256.Zero;
        value = LoadSlot(account, address, key);
        account.Storage[key] = value;
        return value;
    }
}
