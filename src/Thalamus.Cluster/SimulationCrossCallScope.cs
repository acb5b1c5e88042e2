using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Cluster;

/// <summary>
/// eth_call and eth_estimateGas: cross-chain calls run on copies of the other chains' head states,
/// fresh for every execution, and nothing is recorded.
/// </summary>
internal sealed class SimulationCrossCallScope(NodeCluster cluster) : CrossCallScope(cluster)
{
    private readonly Dictionary<ulong, WorldState> _states = [];
    private readonly Dictionary<ulong, VirtualMachine> _machines = [];
    private readonly Dictionary<ulong, ICrossChainCallHandler> _handlers = [];
    private readonly HashSet<ulong> _entered = [];

    public override WorldState StateOf(ClusterMember member)
    {
        if (!_states.TryGetValue(member.ChainId, out var state))
        {
            var head = member.Chain.Head;
            _states[member.ChainId] = state = member.Chain.OpenStateAt(head.StateRoot);
        }
        return state;
    }

    public override VirtualMachine MachineOf(ClusterMember member)
    {
        if (!_machines.TryGetValue(member.ChainId, out var machine)) _machines[member.ChainId] = machine = new VirtualMachine();
        return machine;
    }

    public override ICrossChainCallHandler HandlerOf(ClusterMember member)
    {
        if (!_handlers.TryGetValue(member.ChainId, out var handler)) _handlers[member.ChainId] = handler = new CrossChainCallHandler(this, member);
        return handler;
    }

    public override BlockContext ContextOf(ClusterMember member)
    {
        BlockContext context;
        lock (member.Chain.SyncRoot) context = member.Chain.CreateNextBlockContext(member.Chain.PeekNextTimestamp());
        context.CrossChainCalls = HandlerOf(member);
        return context;
    }

    public override void EnterTransaction(ClusterMember member)
    {
        if (_entered.Add(member.ChainId)) StateOf(member).BeginTransaction();
    }

    /// <summary>Every execution (estimateGas runs several) starts from the heads again.</summary>
    public override void EndTransaction()
    {
        _states.Clear();
        _entered.Clear();
    }

    public override (int Inbound, int Outbound) Mark(ClusterMember destination) => default;

    public override void Forget(ClusterMember destination, (int Inbound, int Outbound) mark) { }

    public override void Record(ClusterMember origin, ClusterMember? destination, InboundCall? inbound, OutboundCall outbound) { }
}
