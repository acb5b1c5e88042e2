using Thalamus.Core;

namespace Thalamus.State;

/// <summary>
/// A <see cref="PatriciaTrie"/> whose keys are Keccak-256 hashes of the caller's keys, as the
/// state trie (keyed by address) and storage tries (keyed by slot) are. Not thread-safe.
/// </summary>
public sealed class SecureTrie
{
    private readonly PatriciaTrie _trie;

    public SecureTrie()
        : this(new MemoryKeyValueStore())
    {
    }

    public SecureTrie(IKeyValueStore store)
    {
        _trie = new PatriciaTrie(store);
    }

    /// <summary>Reopens the trie with root <paramref name="root"/> in <paramref name="store"/>.</summary>
    public SecureTrie(IKeyValueStore store, Hash256 root)
    {
        _trie = new PatriciaTrie(store, root);
    }

    public Hash256 RootHash => _trie.RootHash;

    public bool IsEmpty => _trie.IsEmpty;

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        var hashed = Keccak256.Compute(key);
        return _trie.Get(hashed.Bytes);
    }

    /// <summary>Sets the value; an empty value deletes the key.</summary>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var hashed = Keccak256.Compute(key);
        _trie.Set(hashed.Bytes, value);
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        var hashed = Keccak256.Compute(key);
        _trie.Delete(hashed.Bytes);
    }

    /// <summary>Reads by the already-hashed key (as found when enumerating).</summary>
    public byte[]? GetByHash(in Hash256 hashedKey) => _trie.Get(hashedKey.Bytes);

    /// <summary>Writes changed nodes to the store; returns the root hash.</summary>
    public Hash256 Commit() => _trie.Commit();

    /// <summary>Every (hashed key, value) pair in hashed-key order.</summary>
    public IEnumerable<KeyValuePair<Hash256, byte[]>> Enumerate() =>
        _trie.Enumerate().Select(pair => new KeyValuePair<Hash256, byte[]>(new Hash256(pair.Key), pair.Value));
}
