using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>A store that keeps nothing: for tries that are only hashed, never persisted or reopened.</summary>
internal sealed class NullKeyValueStore : IKeyValueStore
{
    public static readonly NullKeyValueStore Instance = new();

    public byte[]? Get(ReadOnlySpan<byte> key) => null;
    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) { }
    public void Delete(ReadOnlySpan<byte> key) { }
}
