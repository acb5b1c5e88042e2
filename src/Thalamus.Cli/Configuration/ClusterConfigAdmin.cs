using System.Net;

namespace Thalamus.Cli.Configuration;

/// <summary>
/// The <c>admin:</c> mapping of <c>cluster.yaml</c>: the node's authenticated endpoint, the only one
/// that serves operator methods (<c>cluster_haltChain</c>, <c>cluster_resumeChain</c>) on a
/// production node. Every request needs a JWT signed with the secret in <see cref="JwtSecretPath"/>.
/// </summary>
public sealed class ClusterConfigAdmin
{
    /// <summary>Loopback unless the operator opts in to more (geth's <c>--authrpc.addr</c> default too).</summary>
    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>0: any free port (printed at start).</summary>
    public required int Port { get; init; }

    /// <summary>Absolute path of the secret file (32 bytes as hex); created with a random secret at start when missing.</summary>
    public required string JwtSecretPath { get; init; }
}
