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

    /// <summary>
    /// Fork mode: the remote chain's state at the pinned block, read for every account and slot the
    /// local state does not hold (the allocations above are written over it). Null: no fork.
    /// </summary>
    public Thalamus.State.IRemoteStateSource? RemoteState { get; init; }

    /// <summary>The first block's number: 0, or in fork mode the pinned remote block's (history continues from it).</summary>
    public ulong Number { get; init; }

    /// <summary>The first block's parent hash: zero, or in fork mode the pinned remote block's parent.</summary>
    public Hash256 ParentHash { get; init; }
}
