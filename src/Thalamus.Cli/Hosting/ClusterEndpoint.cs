using Thalamus.Chain;

namespace Thalamus.Cli.Hosting;

/// <summary>Where one member chain of a running cluster is served.</summary>
public sealed record ClusterEndpoint(MemberChain Chain, int Port, Uri HttpUrl, Uri WebSocketUrl);
