using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Cluster;

/// <summary>
/// Where synchronous cross-chain calls run: on the chains' live states, recorded for their next
/// blocks (<see cref="LiveCrossCallScope"/>), or on throwaway copies of their head states for
/// eth_call and eth_estimateGas (<see cref="SimulationCrossCallScope"/>).
/// </summary>
internal abstract class CrossCallScope(NodeCluster cluster)
{
    /// <summary>The chains with a call in progress (the origin included): re-entering one is refused.</summary>
    public HashSet<ulong> Stack { get; } = [];

    public NodeCluster Cluster { get; } = cluster;

    public abstract WorldState StateOf(ClusterMember member);

    public abstract VirtualMachine MachineOf(ClusterMember member);

    public abstract ICrossChainCallHandler HandlerOf(ClusterMember member);

    /// <summary>The context the destination's next block executes in (the live scope pins its timestamp).</summary>
    public abstract BlockContext ContextOf(ClusterMember member);

    /// <summary>Opens the destination's transaction scope for the current origin transaction, once.</summary>
    public abstract void EnterTransaction(ClusterMember member);

    /// <summary>The origin transaction ended: close every scope it opened.</summary>
    public abstract void EndTransaction();

    /// <summary>
    /// Where the destination's records stand before a call runs; <see cref="Forget"/> goes back there
    /// (the call and every call it made were undone).
    /// </summary>
    public abstract (int Inbound, int Outbound) Mark(ClusterMember destination);

    public abstract void Forget(ClusterMember destination, (int Inbound, int Outbound) mark);

    /// <summary>
    /// Records a call (live only): the destination's inbound entry, and the origin's outbound one. The
    /// origin keeps its entry even if the call is undone later: its code saw that result, and a
    /// re-execution of the origin must see it again.
    /// </summary>
    public abstract void Record(ClusterMember origin, ClusterMember? destination, InboundCall? inbound, OutboundCall outbound);
}
