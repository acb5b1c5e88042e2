using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>The EIP-1559 base fee update rule, with the elasticity and change denominator of a chain profile.</summary>
public static class BaseFeeCalculator
{
    public const ulong DefaultElasticityMultiplier = 2;
    public const ulong DefaultChangeDenominator = 8;

    /// <summary>
    /// The base fee of the child of a block that used <paramref name="parentGasUsed"/> of
    /// <paramref name="parentGasLimit"/> at <paramref name="parentBaseFee"/>: unchanged at the target
    /// (limit / elasticity), up by at least 1 wei above it, down below it, at most by 1/denominator.
    /// </summary>
    public static UInt256 Next(in UInt256 parentBaseFee, ulong parentGasUsed, ulong parentGasLimit,
        ulong elasticityMultiplier = DefaultElasticityMultiplier, ulong changeDenominator = DefaultChangeDenominator)
    {
        if (elasticityMultiplier == 0) throw new ArgumentOutOfRangeException(nameof(elasticityMultiplier), "must be at least 1");
        if (changeDenominator == 0) throw new ArgumentOutOfRangeException(nameof(changeDenominator), "must be at least 1");
        var target = parentGasLimit / elasticityMultiplier;
        if (target == 0 || parentGasUsed == target) return parentBaseFee;
        if (parentGasUsed > target)
        {
            var delta = parentBaseFee * new UInt256(parentGasUsed - target) / new UInt256(target) / new UInt256(changeDenominator);
            if (delta.IsZero) delta = UInt256.One;
            return UInt256.AddOverflow(parentBaseFee, delta, out var up) ? UInt256.MaxValue : up;
        }
        var decrease = parentBaseFee * new UInt256(target - parentGasUsed) / new UInt256(target) / new UInt256(changeDenominator);
        return decrease > parentBaseFee ? UInt256.Zero : parentBaseFee - decrease;
    }

    /// <summary>The child's base fee under <paramref name="profile"/>'s rules (never below its floor).</summary>
    public static UInt256 Next(BlockHeader parent, ChainProfile profile)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(profile);
        var next = Next(parent.BaseFeePerGas, parent.GasUsed, parent.GasLimit, profile.ElasticityMultiplier, profile.BaseFeeChangeDenominator);
        return next < profile.MinBaseFee ? profile.MinBaseFee : next;
    }
}
