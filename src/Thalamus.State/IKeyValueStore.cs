namespace Thalamus.State;

/// <summary>
/// A byte-keyed store for trie nodes (keyed by node hash) and contract code (keyed by code hash).
/// Implementations copy what they are given; values returned are the caller's to keep.
/// </summary>
public interface IKeyValueStore
{
    /// <summary>The value under <paramref name="key"/>, or null if absent.</summary>
    byte[]? Get(ReadOnlySpan<byte> key);

    void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    void Delete(ReadOnlySpan<byte> key);
}
