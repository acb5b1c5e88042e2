using Thalamus.Core;

namespace Thalamus.Cluster;

/// <summary>A synchronous call a chain made, with the result it got: what a re-execution of the chain alone feeds back.</summary>
public sealed record OutboundCall(ulong DestinationChainId, Address Target, byte[] Data, bool Ok, byte[] Output, long GasUsed);
