using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// The rules and limits of one member chain (SPEC §1): block time, gas limit, transaction size,
/// base fee rules, pool limits, and the descriptive scores the strategist reads.
/// </summary>
public sealed class ChainProfile
{
    public ulong ChainId { get; init; } = 31337;
    public string Name { get; init; } = "thalamus";

    /// <summary>Zero seals a block per transaction (automine); otherwise the sealing interval.</summary>
    public TimeSpan BlockTime { get; init; } = TimeSpan.Zero;

    public ulong BlockGasLimit { get; init; } = 30_000_000;

    /// <summary>geth's default <c>--rpc.gascap</c>: the most gas one eth_call, eth_estimateGas or eth_createAccessList may use.</summary>
    public const ulong DefaultRpcGasCap = 50_000_000;

    /// <summary>
    /// The most gas one eth_call, eth_estimateGas or eth_createAccessList execution may use
    /// (geth's <c>--rpc.gascap</c>); a request asking for more runs with the cap. Zero means the
    /// block gas limit of the block the call runs on.
    /// </summary>
    public ulong RpcGasCap { get; init; } = DefaultRpcGasCap;

    /// <summary>Why <paramref name="cap"/> cannot be an RPC gas cap, or null: it must be 0 (the block gas limit) or at least a plain transfer's gas.</summary>
    public static string? RpcGasCapProblem(ulong cap) =>
        cap is > 0 and < IntrinsicGas.Transaction ? $"{cap} is below a plain transfer's {IntrinsicGas.Transaction} gas (0 means the block gas limit)" : null;

    /// <summary>Largest accepted encoded transaction (geth's txMaxSize: 128 KiB).</summary>
    public int MaxTransactionSize { get; init; } = 128 * 1024;

    /// <summary>EIP-1559 elasticity multiplier (target = gas limit / this).</summary>
    public ulong ElasticityMultiplier { get; init; } = BaseFeeCalculator.DefaultElasticityMultiplier;

    /// <summary>EIP-1559 base fee max change denominator.</summary>
    public ulong BaseFeeChangeDenominator { get; init; } = BaseFeeCalculator.DefaultChangeDenominator;

    /// <summary>The base fee never drops below this.</summary>
    public UInt256 MinBaseFee { get; init; } = UInt256.Zero;

    /// <summary>The pool rejects transactions whose fee cap is below this ("transaction underpriced").</summary>
    public UInt256 MinGasPrice { get; init; } = UInt256.Zero;

    /// <summary>The coinbase of sealed blocks.</summary>
    public Address Coinbase { get; init; } = Address.Zero;

    /// <summary>Most transactions the pool holds (pending and queued); the cheapest go first.</summary>
    public int MaxPoolTransactions { get; init; } = 16_384;

    /// <summary>Most transactions one sender may have in the pool.</summary>
    public int MaxPoolTransactionsPerAccount { get; init; } = 4_096;

    /// <summary>Most queued (nonce-gapped) transactions one sender may have.</summary>
    public int MaxQueuedPerAccount { get; init; } = 64;

    /// <summary>Percent by which a replacement must raise both fee caps (geth: 10).</summary>
    public int PriceBumpPercent { get; init; } = 10;

    /// <summary>
    /// False (the default, Ethereum's rule) makes each block's timestamp exceed its parent's, so
    /// fast automining runs ahead of the clock; true lets blocks share a second, like anvil.
    /// </summary>
    public bool AllowEqualTimestamps { get; init; }

    /// <summary>Seconds to finality (descriptive, for the strategist).</summary>
    public double FinalitySeconds { get; init; }

    /// <summary>0..1, descriptive.</summary>
    public double DecentralizationScore { get; init; }

    /// <summary>0..1, descriptive.</summary>
    public double PrivacyScore { get; init; }

    public int ValidatorCount { get; init; } = 1;

    public bool Automine => BlockTime == TimeSpan.Zero;
}
