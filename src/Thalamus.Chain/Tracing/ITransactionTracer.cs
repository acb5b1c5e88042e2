using System.Text.Json;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain.Tracing;

/// <summary>
/// A tracer of one transaction (debug_traceTransaction, debug_traceCall, one transaction of
/// debug_traceBlock*): it sees the transaction start, may wrap the state the transaction runs on,
/// receives the EVM's hooks, and writes its result in geth's JSON shape.
/// </summary>
public interface ITransactionTracer : IExecutionTracer
{
    /// <summary>Before the transaction is validated and executed.</summary>
    void OnTransactionStart(Transaction tx, in Address sender, BlockContext block) { }

    /// <summary>The state the transaction runs on; the prestate tracer records what it touches.</summary>
    IWorldState Wrap(IWorldState state) => state;

    /// <summary>Writes the trace as one JSON value.</summary>
    void WriteResult(Utf8JsonWriter writer);
}
