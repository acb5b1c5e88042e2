using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Chain.Tracing;

/// <summary>
/// eth_simulateV1's <c>traceTransfers</c>, as geth's log tracer does it: every ether transfer of a
/// call (the transaction's own value and each CALL, CALLCODE, CREATE or CREATE2 with value; not a
/// DELEGATECALL) becomes an ERC-20 style <c>Transfer(from, to, value)</c> log of the pseudo-address
/// <see cref="TransferAddress"/>, in execution order among the contracts' logs; a failed frame's
/// logs and transfers vanish with it. Frames only: it runs on the untraced interpreter loop.
/// </summary>
public sealed class TransferLogTracer : IExecutionTracer
{
    /// <summary>The address geth's transfer logs carry (ERC-7528's native-asset address).</summary>
    public static readonly Address TransferAddress = Address.Parse("0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE");

    private static readonly Hash256 TransferTopic = Abi.EventTopic("Transfer(address,address,uint256)");

    private const byte DelegateCall = 0xf4;

    private readonly List<LogEntry> _logs = [];
    private readonly Stack<int> _frameStarts = new();

    /// <summary>The logs of the transaction so far, transfers included, in order.</summary>
    public IReadOnlyList<LogEntry> Logs => _logs;

    public bool TracesSteps => false;

    public void OnStep(in ExecutionStep step) { }

    public void OnStepEnd(long gasRemaining, string? error) { }

    public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error)
    {
        // A failed transaction keeps no logs (its receipt has none).
        if (error is not null) _logs.Clear();
    }

    public void OnEnter(int depth, byte opcode, in Address from, in Address to, ReadOnlySpan<byte> input, long gas, in UInt256 value)
    {
        _frameStarts.Push(_logs.Count);
        if (opcode == DelegateCall || value.IsZero) return;
        var data = new byte[32];
        value.WriteBigEndian(data);
        _logs.Add(new LogEntry(TransferAddress, [TransferTopic, Hash256.FromUInt256(from.ToUInt256()), Hash256.FromUInt256(to.ToUInt256())], data));
    }

    public void OnExit(int depth, ReadOnlySpan<byte> output, long gasLeft, string? error)
    {
        var start = _frameStarts.Count > 0 ? _frameStarts.Pop() : 0;
        if (error is not null) _logs.RemoveRange(start, _logs.Count - start);
    }

    public void OnLog(in LogEntry log) => _logs.Add(log);
}
