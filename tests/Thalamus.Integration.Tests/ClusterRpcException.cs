namespace Thalamus.Integration.Tests;

/// <summary>A JSON-RPC error answer from a devnet endpoint.</summary>
internal sealed class ClusterRpcException(string message) : Exception(message);
