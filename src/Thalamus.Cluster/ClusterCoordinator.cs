using Thalamus.Chain;
using Thalamus.Evm;

namespace Thalamus.Cluster;

/// <summary>The member chains' view of their cluster (kept off <see cref="NodeCluster"/>'s public surface).</summary>
internal sealed class ClusterCoordinator(NodeCluster cluster) : IChainCoordinator
{
    public bool CanSeal(MemberChain chain) => cluster.CanSealMember(cluster.MemberOf(chain));

    public T RunInSlot<T>(MemberChain chain, Func<T> seal) => cluster.RunInSlot(seal);

    public BlockPreparation PrepareBlock(MemberChain chain, BlockHeader parent) => cluster.PrepareBlock(cluster.MemberOf(chain), parent);

    public void BlockSealed(MemberChain chain, BuiltBlock built) => cluster.OnBlockSealed(cluster.MemberOf(chain), built);

    public void BlockFailed(MemberChain chain) => cluster.OnBlockFailed(cluster.MemberOf(chain));

    public IReadOnlyList<LogEntry> SectionLogs(Block block) =>
        block.ClusterSection is { } encoded ? ClusterSection.Decode(encoded).Inbound.SelectMany(c => c.Logs).ToList() : [];

    public BlockReplay? PrepareReplay(MemberChain chain, Block block) => Replay.ClusterReplayer.PrepareReplay(block);

    public ICrossChainCallHandler? CreateSimulationHandler(MemberChain chain) =>
        new SimulationCrossCallScope(cluster).HandlerOf(cluster.MemberOf(chain));

    public ITransactionAdmission? CreateSimulationAdmission(MemberChain chain) =>
        new NodeCluster.Admission(cluster, cluster.MemberOf(chain), simulation: true);
}
