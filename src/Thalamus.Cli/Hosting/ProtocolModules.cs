using Thalamus.Cli.Configuration;
using Thalamus.Modules;

namespace Thalamus.Cli.Hosting;

/// <summary>
/// The protocol modules a cluster started from the command line runs, after the built-in ones
/// (messenger, synchronous calls, cluster RPC), in this order. Each protocol is a project beside
/// Thalamus.Cluster that depends only on the seam (<see cref="IClusterModule"/>); adding one is a row here.
/// </summary>
internal static class ProtocolModules
{
    public static IReadOnlyList<IClusterModule> Create(ClusterLaunchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return
        [
            new Thalamus.Multicast.MulticastModule(),
        ];
    }
}
