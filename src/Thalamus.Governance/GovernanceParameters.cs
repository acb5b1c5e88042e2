using Thalamus.Core;

namespace Thalamus.Governance;

/// <summary>
/// The security-relevant parameters the cluster applies (<c>ClusterDecisions.setParameter(key, value, salt)</c>; the key is
/// the Keccak-256 of the UTF-8 name): the block gas limits and Delta. Other keys are recorded in the index only.
/// </summary>
public static class GovernanceParameters
{
    /// <summary>
    /// <c>keccak256("delta")</c>: the cluster's delivery bound Delta, in milliseconds. The cluster takes it from the slot after
    /// the decision for the messages sent from then on (those admitted before keep their bound) and refuses one shorter than a
    /// member chain's block time (<c>IClusterHost.RequestDeltaChange</c>).
    /// </summary>
    public static readonly Hash256 Delta = Keccak256.Compute("delta"u8);

    /// <summary>A Delta value (milliseconds) as a duration; null when it is no duration at all (beyond <see cref="TimeSpan.MaxValue"/>).</summary>
    internal static TimeSpan? DeltaOf(UInt256 milliseconds) =>
        milliseconds.IsUInt64 && (ulong)milliseconds <= (ulong)TimeSpan.MaxValue.TotalMilliseconds
            ? TimeSpan.FromMilliseconds((long)(ulong)milliseconds)
            : null;

    /// <summary><c>keccak256("gasLimit")</c>: the block gas limit of every member chain (a chain's own key wins).</summary>
    public static readonly Hash256 GasLimit = Keccak256.Compute("gasLimit"u8);

    /// <summary>The smallest and largest gas limit a decision may set (the smallest is what <c>admitChain</c> requires).</summary>
    public const ulong MinGasLimit = 1_000_000, MaxGasLimit = 1_000_000_000;

    /// <summary><c>keccak256("gasLimit:" + chainId)</c> (decimal): the block gas limit of chain <paramref name="chainId"/> only.</summary>
    public static Hash256 GasLimitOf(ulong chainId) => Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes($"gasLimit:{chainId}"));

    /// <summary>Null when <paramref name="value"/> is a gas limit the cluster can take, else why not.</summary>
    internal static string? CheckGasLimit(UInt256 value) =>
        value < new UInt256(MinGasLimit) || value > new UInt256(MaxGasLimit)
            ? $"a block gas limit of {value} is outside {MinGasLimit}..{MaxGasLimit}"
            : null;
}
