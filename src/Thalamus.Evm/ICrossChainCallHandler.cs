using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Evm;

/// <summary>
/// Runs calls to the cluster's CrossChainCall address on another chain of the cluster, inside the
/// calling transaction (the cluster implements it; a lone chain has none and the address is an
/// empty account). The handler journals its effects on <paramref name="originState"/> through
/// <see cref="IWorldState.RecordExternalUndo"/>, so a revert of the calling frame, or of any frame
/// above it, unwinds the destination chain too.
/// </summary>
public interface ICrossChainCallHandler
{
    /// <param name="originState">The calling chain's state, for journaling the undo.</param>
    /// <param name="caller">The contract that called (the sender the destination sees).</param>
    /// <param name="input">ABI-encoded <c>crossCall(uint256,address,bytes)</c>.</param>
    /// <param name="gas">The gas the call frame received.</param>
    /// <param name="isStatic">A STATICCALL: the destination call runs static too.</param>
    CrossChainCallResult Call(IWorldState originState, in Address caller, byte[] input, long gas, bool isStatic);

    /// <summary>The calling transaction has ended (its state's journal is final): destination effects become final too.</summary>
    void TransactionEnded(IWorldState originState);
}
