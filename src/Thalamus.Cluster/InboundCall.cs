using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Cluster;

/// <summary>
/// A synchronous call a chain received, as its block records it: enough to run it again on the
/// parent state and check the result. Calls with the same <see cref="Group"/> came from one origin
/// transaction and share one transaction scope (warm sets, transient storage) on this chain.
/// </summary>
public sealed record InboundCall(
    ulong SourceChainId,
    int Group,
    Address Caller,
    Address Target,
    byte[] Data,
    long Gas,
    bool IsStatic,
    bool Ok,
    byte[] Output,
    long GasUsed,
    IReadOnlyList<LogEntry> Logs);
