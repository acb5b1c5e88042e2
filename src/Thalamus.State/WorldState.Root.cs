using Thalamus.Core;

namespace Thalamus.State;

public sealed partial class WorldState
{
    /// <summary>Storage tries changed since the last <see cref="Commit"/>.</summary>
    private readonly HashSet<SecureTrie> _uncommittedStorageTries = [];

    public Hash256 ComputeStateRoot()
    {
        MaterializeOverlay();
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
            // Forked: a zero stays as an encoded zero, or the slot would read through to the remote again.
            if (current.IsZero && _remote is null) trie.Delete(key);
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
        if (encoded is null) return _remote is null ? null : LoadRemoteAccount(address);
        var account = AccountEncoding.Decode(encoded);
        // The code loads on first use: a call whose code is in the analysis cache (by code hash) never reads it.
        if (!account.CodeHash.Equals(Keccak256.OfEmpty)) account.Code = null;
        // Forked: a slot the local trie lacks may be the remote's.
        account.HasPersistedStorage = _remote is not null || !account.StorageRoot.Equals(Keccak256.OfEmptyList);
        return account;
    }

    /// <summary>An account the local trie does not hold, as the remote chain has it (not dirty: reading changes nothing).</summary>
    private Account? LoadRemoteAccount(in Address address)
    {
        if (_remote!.GetAccount(address) is not { } remote) return null;
        var account = new Account { Nonce = remote.Nonce, Balance = remote.Balance, NeedsPreimage = true, HasPersistedStorage = true };
        if (remote.Code.Length > 0)
        {
            account.Code = remote.Code;
            account.CodeHash = Keccak256.Compute(remote.Code);
            // Committed with the account if it changes, so the local trie never names code the store lacks.
            _pendingCode[account.CodeHash] = remote.Code;
        }
        return account;
    }

    private byte[] LoadCode(in Hash256 codeHash, in Address address)
    {
        if (_pendingCode.TryGetValue(codeHash, out var code)) return code;
        if (_overlay?.FindCode(codeHash) is { } shared) return shared;
        if (_store.Get(codeHash.Bytes) is { } stored)
        {
            _overlay?.AddCode(codeHash, stored);
            return stored;
        }
        if (_remote?.GetAccount(address) is { } remote && Keccak256.Compute(remote.Code).Equals(codeHash)) return remote.Code;
        throw new InvalidOperationException($"code {codeHash} of account {address} is missing from the store");
    }

    private UInt256 LoadSlot(Account account, in Address address, in UInt256 key)
    {
        Span<byte> keyBytes = stackalloc byte[32];
        key.WriteBigEndian(keyBytes);
        byte[]? encoded = null;
        if (!account.StorageRoot.Equals(Keccak256.OfEmptyList) || account.StorageTrie is not null)
        {
            var trie = account.StorageTrie ??= new SecureTrie(_store, account.StorageRoot);
            encoded = trie.Get(keyBytes);
        }
        if (encoded is not null) return AccountEncoding.DecodeSlotValue(encoded);
        // Forked: only an account with code at the remote has storage there.
        return _remote is not null && _remote.GetAccount(address) is { Code.Length: > 0 } ? _remote.GetStorage(address, key) : UInt256.Zero;
    }
}
