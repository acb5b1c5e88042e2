using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// Fork mode: the remote chain a member chain starts from, pinned at one block. The chain's first
/// block takes the pinned block's number, parent hash, timestamp and base fee (history continues
/// from the remote's numbering); its state reads through to <see cref="State"/> for everything it
/// does not hold itself.
/// </summary>
public sealed class ChainFork
{
    /// <summary>Where the remote answers (for messages).</summary>
    public required Uri Url { get; init; }

    /// <summary>The remote's state at the pinned block (cached: see <see cref="CachingRemoteStateSource"/>).</summary>
    public required IRemoteStateSource State { get; init; }

    public required ulong ChainId { get; init; }
    public required ulong Number { get; init; }
    public required Hash256 Hash { get; init; }
    public required Hash256 ParentHash { get; init; }
    public required ulong Timestamp { get; init; }
    public required UInt256 BaseFeePerGas { get; init; }

    public override string ToString() => $"{Url} at block {Number}";
}
