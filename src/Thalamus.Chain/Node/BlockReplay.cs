using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// What re-executing a stored block needs from its cluster (tracing): the synchronous calls the
/// block received, applied to the parent state before its transactions, and a handler that answers
/// the block's own cross-chain calls with the results its cluster section recorded.
/// </summary>
public sealed class BlockReplay
{
    public ICrossChainCallHandler? CrossChainCalls { get; init; }

    public Action<WorldState, BlockContext>? ApplyInbound { get; init; }
}
