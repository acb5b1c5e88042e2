using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Cluster;

/// <summary>
/// How a call that arrives from another chain runs on its destination, the one rule the live
/// <see cref="CrossChainCallHandler"/> and the <see cref="Replay.ClusterReplayer"/> share: the
/// ClusterMessenger is msg.sender and tx.origin, its delivery context (transient slots 0 and 1:
/// the calling contract and the origin chain) holds the caller, the messenger and the target start
/// warm; on success the previous context is restored and self-destructed accounts go, on failure
/// everything the call did is reverted.
/// </summary>
internal static class InboundDelivery
{
    private static readonly Address Messenger = ClusterPredeploys.Messenger;

    /// <summary>Runs <c>target.call(data)</c> on <paramref name="state"/>; <paramref name="snapshot"/> is the state's snapshot from before the call.</summary>
    public static ExecutionResult Run(IWorldState state, BlockContext context, VirtualMachine machine, in Address caller, ulong sourceChainId,
        in Address target, byte[] data, long gas, bool isStatic, out int snapshot)
    {
        snapshot = state.TakeSnapshot();
        var previousSender = state.GetTransientStorage(Messenger, UInt256.Zero);
        var previousSource = state.GetTransientStorage(Messenger, UInt256.One);
        state.SetTransientStorage(Messenger, UInt256.Zero, caller.ToUInt256());
        state.SetTransientStorage(Messenger, UInt256.One, new UInt256(sourceChainId));
        state.WarmAddress(Messenger);
        state.WarmAddress(target);
        var result = machine.Call(state, context, new TransactionContext { Origin = Messenger }, Messenger, target, UInt256.Zero, data, gas, isStatic);
        if (result.Success)
        {
            state.SetTransientStorage(Messenger, UInt256.Zero, previousSender);
            state.SetTransientStorage(Messenger, UInt256.One, previousSource);
            foreach (var destroyed in result.DestroyedAccounts) state.DeleteAccount(destroyed);
        }
        else
        {
            state.Revert(snapshot);
        }
        return result;
    }
}
