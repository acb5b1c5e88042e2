using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Chain.Tracing;

/// <summary>One call of geth's callTracer tree.</summary>
public sealed class CallFrame
{
    public required string Type { get; init; }
    public required Address From { get; init; }
    public Address? To { get; set; }
    public required byte[] Input { get; init; }
    public byte[]? Output { get; set; }
    public long Gas { get; set; }
    public long GasUsed { get; set; }
    /// <summary>Null for STATICCALL and DELEGATECALL (geth omits it).</summary>
    public UInt256? Value { get; init; }
    public string? Error { get; set; }
    public string? RevertReason { get; set; }
    /// <summary>Set on the call a synchronous cross-chain call made on another chain of the cluster.</summary>
    public ulong? ChainId { get; init; }
    public List<CallFrame> Calls { get; } = [];
    /// <summary>withLog: the frame's logs, each with its position among the frame's calls.</summary>
    public List<(LogEntry Log, int Position)> Logs { get; } = [];
}
