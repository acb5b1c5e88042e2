using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Cluster;

/// <summary>The calls that count: on the live states, recorded in the blocks of the slot.</summary>
internal sealed class LiveCrossCallScope(NodeCluster cluster) : CrossCallScope(cluster)
{
    private readonly List<ClusterMember> _open = [];

    public override WorldState StateOf(ClusterMember member) => member.Chain.LiveState;

    public override VirtualMachine MachineOf(ClusterMember member) => member.Machine;

    public override ICrossChainCallHandler HandlerOf(ClusterMember member) => member.CrossCalls;

    public override BlockContext ContextOf(ClusterMember member)
    {
        member.PinnedTimestamp ??= member.Chain.PeekNextTimestamp();
        var context = member.Chain.CreateNextBlockContext(member.PinnedTimestamp.Value);
        context.CrossChainCalls = member.CrossCalls;
        return context;
    }

    public override void EnterTransaction(ClusterMember member)
    {
        if (member.ScopeOpen) return;
        member.Chain.LiveState.BeginTransaction();
        member.ScopeOpen = true;
        _open.Add(member);
    }

    public override void EndTransaction()
    {
        if (_open.Count == 0) return;
        foreach (var member in _open)
        {
            member.Chain.LiveState.EndTransaction();
            member.ScopeOpen = false;
            member.Group++;
        }
        _open.Clear();
    }

    public override (int Inbound, int Outbound) Mark(ClusterMember destination) => (destination.Inbound.Count, destination.Outbound.Count);

    public override void Forget(ClusterMember destination, (int Inbound, int Outbound) mark)
    {
        Truncate(destination.Inbound, mark.Inbound);
        Truncate(destination.Outbound, mark.Outbound);
        // Every call into it was undone: its next block is free to take its own time again.
        if (!destination.HasUnsealedEffects) destination.PinnedTimestamp = null;
    }

    public override void Record(ClusterMember origin, ClusterMember? destination, InboundCall? inbound, OutboundCall outbound)
    {
        if (destination is not null && inbound is not null) destination.Inbound.Add(inbound);
        origin.Outbound.Add(outbound);
    }

    private static void Truncate<T>(List<T> list, int count)
    {
        if (list.Count > count) list.RemoveRange(count, list.Count - count);
    }
}
