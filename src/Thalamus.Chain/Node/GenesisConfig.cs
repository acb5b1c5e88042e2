using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>What block 0 holds: header fields and the initial accounts.</summary>
public sealed class GenesisConfig
{
    public ulong ChainId { get; init; } = 31337;
    public ulong Timestamp { get; init; }
    public ulong GasLimit { get; init; } = 30_000_000;

    /// <summary>Base fee of block 0 (anvil and geth's dev mode use 1 gwei).</summary>
    public UInt256 BaseFeePerGas { get; init; } = 1_000_000_000UL;

    public byte[] ExtraData { get; init; } = [];
    public Address Coinbase { get; init; } = Address.Zero;
    public Hash256 PrevRandao { get; init; }
    public IReadOnlyDictionary<Address, GenesisAccount> Alloc { get; init; } = new Dictionary<Address, GenesisAccount>();
}
