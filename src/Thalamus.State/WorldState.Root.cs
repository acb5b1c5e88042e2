using Thalamus.Core;

namespace Thalamus.State;

public sealed partial class WorldState
{
    /// <summary>Storage tries changed since the last <see cref="Commit"/>.</summary>
    private readonly HashSet<SecureTrie> _uncommittedStorageTries = [];

    public Hash256 ComputeStateRoot()
    {
        Span<byte> encoded = stackalloc byte[AccountEncoding.MaxLength];
        foreach (var address in _dirtyAccounts)
        {
            if (_accounts.TryGetValue(address, out var account) && account is not null)
            {
                UpdateStorageRoot(account);
                account.Dirty = false;
                if (account.NeedsPreimage)
                {
                    StatePreimages.Record(_store, address.Bytes);
                    account.NeedsPreimage = false;
                }
                var length = AccountEncoding.Encode(account.Nonce, account.Balance, account.StorageRoot, account.CodeHash, encoded);
                _accountTrie.Set(address.Bytes, encoded[..length]);
            }
            else
            {
                _accountTrie.Delete(address.Bytes);
            }
        }
        _dirtyAccounts.Clear();
        return _accountTrie.RootHash;
    }

    /// <summary>Computes the root and writes the changed trie nodes and new code to the store; returns the root.</summary>
    public Hash256 Commit()
    {
        var root = ComputeStateRoot();
        foreach (var trie in _uncommittedStorageTries) trie.Commit();
        _uncommittedStorageTries.Clear();
        foreach (var (hash, code) in _pendingCode) _store.Put(hash.Bytes, code);
        _pendingCode.Clear();
        _accountTrie.Commit();
        return root;
    }

    /// <summary>The storage root of an account as of now (empty-trie root for a missing account).</summary>
    public Hash256 GetStorageRoot(in Address address)
    {
        if (Find(address) is not { } account) return Keccak256.OfEmptyList;
        UpdateStorageRoot(account);
        return account.StorageRoot;
    }

    private void UpdateStorageRoot(Account account)
    {
        var dirty = account.DirtySlots;
        if (dirty is null || dirty.Count == 0) return;
        var trie = account.StorageTrie ??= new SecureTrie(_store, account.StorageRoot);
        Span<byte> key = stackalloc byte[32];
        Span<byte> value = stackalloc byte[33];
        foreach (var slot in dirty)
        {
            slot.WriteBigEndian(key);
            var current = account.Storage[slot];
            if (current.IsZero) trie.Delete(key);
            else trie.Set(key, value[..AccountEncoding.EncodeSlotValue(current, value)]);
        }
        dirty.Clear();
        if (account.NewSlots is { Count: > 0 } added)
        {
            foreach (var slot in added)
            {
                if (account.Storage.GetValueOrDefault(slot).IsZero) continue;
                slot.WriteBigEndian(key);
                StatePreimages.Record(_store, key);
            }
            added.Clear();
        }
        account.StorageRoot = trie.RootHash;
        _uncommittedStorageTries.Add(trie);
    }

    private Account? LoadAccount(in Address address)
    {
        var encoded = _accountTrie.Get(address.Bytes);
        if (encoded is null) return null;
        var account = AccountEncoding.Decode(encoded);
        // The code loads on first use: a call whose code is in the analysis cache (by code hash) never reads it.
        if (!account.CodeHash.Equals(Keccak256.OfEmpty)) account.Code = null;
        account.HasPersistedStorage = !account.StorageRoot.Equals(Keccak256.OfEmptyList);
        return account;
    }

    private byte[] LoadCode(in Hash256 codeHash, in Address address) =>
        _pendingCode.TryGetValue(codeHash, out var code)
            ? code
            : _store.Get(codeHash.Bytes) ?? throw new InvalidOperationException($"code {codeHash} of account {address} is missing from the store");

    private UInt256 LoadSlot(Account account, in UInt256 key)
    {
        var trie = account.StorageTrie ??= new SecureTrie(_store, account.StorageRoot);
        Span<byte> keyBytes = stackalloc byte[32];
        key.WriteBigEndian(keyBytes);
        var encoded = trie.Get(keyBytes);
        return encoded is null ? UInt256.Zero : AccountEncoding.DecodeSlotValue(encoded);
    }
}
