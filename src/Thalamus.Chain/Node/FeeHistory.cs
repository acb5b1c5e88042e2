using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>eth_feeHistory's answer. Base fees have one more entry than blocks (the next block's).</summary>
public sealed class FeeHistory
{
    public required ulong OldestBlock { get; init; }
    public required IReadOnlyList<UInt256> BaseFeePerGas { get; init; }
    public required IReadOnlyList<double> GasUsedRatio { get; init; }
    public required IReadOnlyList<UInt256> BaseFeePerBlobGas { get; init; }
    public required IReadOnlyList<double> BlobGasUsedRatio { get; init; }

    /// <summary>Per block, the effective priority fee at each requested percentile; null when none were requested.</summary>
    public IReadOnlyList<IReadOnlyList<UInt256>>? Reward { get; init; }
}
