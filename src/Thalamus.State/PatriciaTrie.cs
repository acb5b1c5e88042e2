using Thalamus.Core;
using Thalamus.State.Trie;

namespace Thalamus.State;

/// <summary>
/// Ethereum's Merkle Patricia Trie over an <see cref="IKeyValueStore"/>. Nodes load lazily from
/// the store by hash and stay in memory once touched; <see cref="RootHash"/> re-hashes only the
/// nodes changed since the last computation; <see cref="Commit"/> writes the changed nodes
/// (keyed by hash; nodes under 32 bytes live inside their parents). Not thread-safe.
/// </summary>
public sealed partial class PatriciaTrie
{
    private readonly IKeyValueStore _store;
    private readonly RlpWriter _writer = new(1024);
    private TrieNode? _root;

    /// <summary>An empty trie over a private in-memory store.</summary>
    public PatriciaTrie()
        : this(new MemoryKeyValueStore())
    {
    }

    /// <summary>An empty trie over <paramref name="store"/>.</summary>
    public PatriciaTrie(IKeyValueStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Reopens the trie whose root is <paramref name="root"/> in <paramref name="store"/> (loaded lazily).</summary>
    public PatriciaTrie(IKeyValueStore store, Hash256 root)
        : this(store)
    {
        _root = root == Keccak256.OfEmptyList ? null : new HashNode(root);
    }

    public IKeyValueStore Store => _store;

    public bool IsEmpty => _root is null;

    /// <summary>The value under <paramref name="key"/>, or null. The array is a fresh copy.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        var value = Find(key);
        return value?.ToArray();
    }

    /// <summary>True when <paramref name="key"/> has a value.</summary>
    public bool Contains(ReadOnlySpan<byte> key) => Find(key) is not null;

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>; an empty value deletes the key.</summary>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            Delete(key);
            return;
        }
        var existing = Find(key);
        if (existing is not null && value.SequenceEqual(existing)) return;
        Span<byte> nibbles = key.Length <= 128 ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        HexPrefix.ToNibbles(key, nibbles);
        _root = Insert(_root, nibbles, value.ToArray());
    }

    /// <summary>Removes <paramref name="key"/> if present.</summary>
    public void Delete(ReadOnlySpan<byte> key)
    {
        if (Find(key) is null) return;
        Span<byte> nibbles = key.Length <= 128 ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        HexPrefix.ToNibbles(key, nibbles);
        _root = Remove(_root!, nibbles);
    }

    /// <summary>The root hash (Keccak of the root node's RLP; the empty-trie root when empty).</summary>
    public Hash256 RootHash
    {
        get
        {
            if (_root is null) return Keccak256.OfEmptyList;
            EnsureReference(_root);
            return _root.InlineRlp is not null ? Keccak256.Compute(_root.InlineRlp) : _root.Hash;
        }
    }

    /// <summary>Writes every node changed since the last commit to the store; returns the root hash.</summary>
    public Hash256 Commit()
    {
        var root = RootHash;
        if (_root is null) return root;
        CommitNode(_root);
        // The root is stored by hash even when short enough to be embedded elsewhere, so it can be reopened.
        if (_root.InlineRlp is not null) _store.Put(root.Bytes, _root.InlineRlp);
        return root;
    }
}
