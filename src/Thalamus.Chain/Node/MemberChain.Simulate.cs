using Thalamus.Chain.Tracing;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain;

// eth_simulateV1: blocks of calls built in order on a private copy of a block's state, as geth builds them.
public sealed partial class MemberChain
{
    /// <summary>geth's default time between simulated blocks.</summary>
    public const ulong SimulationTimestampIncrement = 12;

    /// <summary>
    /// eth_simulateV1: builds <paramref name="request"/>'s blocks on top of <paramref name="baseBlock"/>
    /// on a private copy of its state (nothing reaches the chain): for each block its state overrides
    /// are applied, then its calls run as transactions from their <c>from</c> (no signature: they
    /// carry the impersonation marker), each seeing the earlier ones. Without validation the base fee is
    /// 0 unless overridden and nonces and EOA rules are not checked; with it, calls are checked as
    /// transactions. A call that reverts or runs out of gas is a failed result, not an error.
    /// </summary>
    /// <exception cref="ChainException">unknown base block, bad block order (geth's -38020/-38021), too many blocks (-38026), or an invalid call (-38014 …).</exception>
    public IReadOnlyList<SimulatedBlock> Simulate(SimulationRequest request, BlockSelector baseBlock)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parent = ResolveHeader(baseBlock) ?? throw HeaderNotFound(baseBlock);
        if (request.Blocks.Count > SimulationRequest.MaxBlocks)
            throw new ChainException($"too many blocks: {request.Blocks.Count} (at most {SimulationRequest.MaxBlocks})", -38026);

        DevStateEdit[] edits;
        lock (_lock) edits = parent.Hash == _head.Hash ? _pendingEdits : [];
        var state = new WorldState(new RecordingKeyValueStore(Store.StateNodes), parent.StateRoot);
        foreach (var edit in edits) Apply(state, edit);

        var processor = new TransactionProcessor { SkipAccountChecks = !request.Validation };
        // The whole simulation spends at most the RPC gas cap, as geth budgets it (eth_simulateV1 is a public method).
        var budget = RpcGasCapFor(parent);
        var simulated = new List<BlockHeader>();
        var results = new List<SimulatedBlock>(request.Blocks.Count);
        Hash256 HashAt(ulong number) =>
            number > parent.Number && number - parent.Number - 1 < (ulong)simulated.Count ? simulated[(int)(number - parent.Number - 1)].Hash : BlockHashAt(number);

        foreach (var blockRequest in request.Blocks)
        {
            var overrides = blockRequest.BlockOverrides;
            var number = overrides?.Number ?? parent.Number + 1;
            if (number <= parent.Number)
                throw new ChainException($"block numbers must be in order: {number} <= {parent.Number}", -38020);
            if (number != parent.Number + 1)
                throw new ChainException($"block number {number} skips blocks after {parent.Number}: simulated blocks here follow each other (set no number, or the next one)", ChainException.InvalidParamsCode);
            var timestamp = overrides?.Time ?? parent.Timestamp + SimulationTimestampIncrement;
            if (timestamp <= parent.Timestamp)
                throw new ChainException($"block timestamps must be in order: {timestamp} <= {parent.Timestamp}", -38021);

            foreach (var account in blockRequest.StateOverrides) ApplyOverride(state, account);

            var gasLimit = overrides?.GasLimit ?? _builder.GasLimit;
            var context = _builder.CreateContext(parent, timestamp, HashAt);
            context.Coinbase = overrides?.FeeRecipient ?? context.Coinbase;
            context.GasLimit = (long)Math.Min(gasLimit, long.MaxValue);
            context.BaseFee = overrides?.BaseFeePerGas ?? (request.Validation ? context.BaseFee : UInt256.Zero);
            if (overrides?.PrevRandao is { } randao) context.PrevRandao = randao;
            context.CrossChainCalls = _coordinator?.CreateSimulationHandler(this);
            context.Admission = _coordinator?.CreateSimulationAdmission(this);

            var execution = new BlockExecution(processor, state, context);
            var traced = request.TraceTransfers ? new List<IReadOnlyList<LogEntry>>() : null;
            for (var i = 0; i < blockRequest.Calls.Count; i++)
            {
                var call = blockRequest.Calls[i];
                var from = call.From ?? Address.Zero;
                var remaining = gasLimit - execution.GasUsed;
                var gas = call.Gas ?? Math.Min(remaining, budget);
                if (gas > remaining)
                    throw new ChainException($"block gas limit reached: call {i} of block {number} asks for {gas} gas, {remaining} left", -38015);
                if (gas > budget)
                    throw new ChainException($"the simulation's gas budget is exhausted: call {i} of block {number} asks for {gas} gas, {budget} left of the RPC gas cap", -38015);
                var tx = TransactionSigner.Impersonate(BuildCallTransaction(call, call.Nonce ?? state.GetNonce(from), gas), from);
                var tracer = traced is null ? null : new TransferLogTracer();
                var result = execution.Apply(tx, from, tracer is null ? null : new TransactionProcessor(tracer) { SkipAccountChecks = !request.Validation });
                if (!result.IsValid) throw InvalidSimulatedCall(i, number, result.Error ?? "invalid transaction");
                traced?.Add(result.Success ? [.. tracer!.Logs] : []);
                budget -= Math.Min(budget, (ulong)result.GasUsed);
            }
            var executed = execution.Finish();
            var header = executed.CreateHeader(parent, gasLimit, []);
            var block = new Block(header, executed.Transactions);
            results.Add(new SimulatedBlock(block, executed.CreateReceipts(block), executed.Results, traced));
            simulated.Add(header);
            parent = header;
        }
        return results;
    }

    /// <summary>An invalid call fails the whole simulation, with geth's code for the rule it broke.</summary>
    private static ChainException InvalidSimulatedCall(int index, ulong number, string error)
    {
        var code = error.StartsWith("nonce too low", StringComparison.Ordinal) ? -38010
            : error.StartsWith("nonce too high", StringComparison.Ordinal) ? -38011
            : error.StartsWith("max fee per gas less than block base fee", StringComparison.Ordinal) ? -38012
            : error.StartsWith("intrinsic gas too low", StringComparison.Ordinal) ? -38013
            : error.StartsWith("insufficient funds", StringComparison.Ordinal) ? -38014
            : ChainException.ServerErrorCode;
        return new ChainException($"call {index} of block {number} is invalid: {error}", code);
    }

    /// <summary>One stateOverrides entry: balance, nonce, code, then the storage (replaced by <c>state</c>, edited by <c>stateDiff</c>).</summary>
    private static void ApplyOverride(WorldState state, AccountOverride account)
    {
        var address = account.Address;
        if (account.State is not null && account.StateDiff is not null)
            throw new ChainException($"account {address}: state and stateDiff cannot both be set", ChainException.InvalidParamsCode);
        if (account.State is { } replacement)
        {
            // Storage replaced: the account is recreated with its balance, nonce and code, then the given slots.
            var balance = state.GetBalance(address);
            var nonce = state.GetNonce(address);
            var code = state.GetCode(address);
            state.DeleteAccount(address);
            state.EndTransaction();
            state.SetBalance(address, balance);
            state.SetNonce(address, nonce);
            if (code.Length > 0) state.SetCode(address, code);
            foreach (var (slot, value) in replacement) state.SetStorage(address, slot, value);
        }
        if (account.StateDiff is { } diff)
            foreach (var (slot, value) in diff) state.SetStorage(address, slot, value);
        if (account.Balance is { } newBalance) state.SetBalance(address, newBalance);
        if (account.Nonce is { } newNonce) state.SetNonce(address, newNonce);
        if (account.Code is { } newCode) state.SetCode(address, newCode);
        // Overrides are not part of any transaction: no journal or EIP-2200 originals survive them.
        state.BeginTransaction();
    }
}
