using System.Net;
using System.Numerics;
using Thalamus.Core;

namespace Thalamus.Cli.Hosting;

/// <summary>What one hosted chain is: its id, profile values, genesis funding and endpoint.</summary>
public sealed class ChainHostSettings
{
    public ulong ChainId { get; init; } = 31337;
    public string? Name { get; init; }
    public IPAddress Host { get; init; } = IPAddress.Loopback;
    public int Port { get; init; } = 8545;
    public TimeSpan BlockTime { get; init; } = TimeSpan.Zero;
    public ulong GasLimit { get; init; } = 30_000_000;
    /// <summary>Most gas one eth_call, eth_estimateGas or eth_createAccessList may use; 0 = the block gas limit.</summary>
    public ulong RpcGasCap { get; init; } = Chain.ChainProfile.DefaultRpcGasCap;
    public UInt256 AccountBalanceWei { get; init; } = UInt256.FromBigInteger(BigInteger.Pow(10, 22));
    /// <summary>Only used for a new genesis; a resumed chain keeps its own.</summary>
    public ulong GenesisTimestamp { get; init; } = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    /// <summary>Accounts of a state dump (<c>--load-state</c>) a new genesis holds over the dev accounts; null: none.</summary>
    public IReadOnlyDictionary<Address, Chain.GenesisAccount>? LoadedState { get; init; }
}
