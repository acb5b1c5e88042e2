using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster;

// The genesis a member chain was created with, for re-executing it (ClusterReplayer).
public sealed partial class NodeCluster
{
    /// <summary>
    /// The genesis of member <paramref name="chainId"/> as <see cref="Create"/> builds it: the dev
    /// accounts funded, the predeploys and the modules' accounts. The timestamp is the stored genesis block's, since a
    /// resumed cluster keeps its own whatever the options say.
    /// </summary>
    /// <exception cref="ChainException">no such member (-32602).</exception>
    public GenesisConfig GenesisOf(ulong chainId)
    {
        var member = Member(chainId);
        return GenesisFor(Options, _modules, member.Options, member.Chain.Store.GetHeader(member.Chain.FirstBlockNumber)?.Timestamp ?? Options.GenesisTimestamp);
    }
}
