using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Conformance;

/// <summary>Runs one post-state entry: pre-state, transaction, root and logs comparison.</summary>
internal static class StateTestCaseRunner
{
    public static CaseOutcome Run(string name, StateTestFixture fixture, StateTestExpectation expected, IExecutionTracer? tracer = null)
    {
        var state = fixture.BuildState();
        var block = fixture.BuildBlock();

        string? rejection = null;
        Transaction? tx = null;
        var sender = Address.Zero;
        try
        {
            tx = TransactionDecoder.Decode(expected.TransactionBytes);
            sender = tx.RecoverSender();
        }
        catch (Exception e) when (e is InvalidTransactionException or RlpException)
        {
            rejection = e.Message;
        }

        TransactionResult? result = null;
        IReadOnlyList<LogEntry> logs = [];
        if (rejection is null)
        {
            result = new TransactionProcessor(tracer).Execute(state, block, tx!, sender);
            if (!result.IsValid) rejection = result.Error ?? "invalid transaction";
            else logs = result.Logs;
        }

        // As geth's state-test runner: a zero-value "reward" touches the coinbase, so an empty coinbase
        // is removed (EIP-161) even when the transaction was invalid or the coinbase self-destructed.
        state.AddToBalance(fixture.Coinbase, UInt256.Zero);
        state.EndTransaction();
        var root = state.ComputeStateRoot();
        var logsHash = StateTestLogs.Hash(logs);

        var problems = new List<string>(4);
        if (expected.ExpectedException is not null && rejection is null)
            problems.Add($"expected exception {expected.ExpectedException} but the transaction was accepted (gas used {result?.GasUsed}, success {result?.Success})");
        if (expected.ExpectedException is null && rejection is not null)
            problems.Add($"transaction rejected: {rejection}");
        if (root != expected.StateRoot)
            problems.Add($"root expected {expected.StateRoot} got {root}");
        if (logsHash != expected.LogsHash)
            problems.Add($"logs expected {expected.LogsHash} got {logsHash}");
        if (problems.Count == 0) return CaseOutcome.Pass(name);
        if (expected.ExpectedException is not null && rejection is not null)
            problems.Add($"(rejected as expected: {expected.ExpectedException}; ours: {rejection})");
        else if (result is not null && rejection is null)
            problems.Add($"(gas used {result.GasUsed}, success {result.Success})");
        return CaseOutcome.Fail(name, string.Join("; ", problems));
    }
}
