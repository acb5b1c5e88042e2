using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>One genesis allocation.</summary>
public sealed class GenesisAccount
{
    public UInt256 Balance { get; init; }
    public ulong Nonce { get; init; }
    public byte[]? Code { get; init; }
    public IReadOnlyDictionary<UInt256, UInt256>? Storage { get; init; }
}
