using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>The header fields a simulated block may set (geth's blockOverrides).</summary>
public sealed class SimulationBlockOverrides
{
    public ulong? Number { get; init; }
    public ulong? Time { get; init; }
    public ulong? GasLimit { get; init; }
    public Address? FeeRecipient { get; init; }
    public Hash256? PrevRandao { get; init; }
    public UInt256? BaseFeePerGas { get; init; }
}
