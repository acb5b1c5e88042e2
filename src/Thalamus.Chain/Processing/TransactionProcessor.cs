using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// Applies one transaction to a world state under Cancun rules: validation, gas purchase
/// (EIP-1559 effective price, EIP-4844 blob fee), the call or creation, refunds (EIP-3529 cap),
/// the priority fee to the coinbase, and the end-of-transaction clean-up (EIP-6780 self-destructs,
/// EIP-161 empty accounts). Thread-safe: concurrent calls each get their own interpreter.
/// </summary>
public sealed class TransactionProcessor
{
    private readonly IExecutionTracer? _tracer;
    private VirtualMachine? _idleMachine;

    public TransactionProcessor(IExecutionTracer? tracer = null) => _tracer = tracer;

    /// <summary>
    /// Skips the nonce and EIP-3607 sender checks, as geth does for <c>eth_call</c> and
    /// <c>eth_estimateGas</c>: a simulation may come from any address, a contract included.
    /// Never set for transactions that go into a block.
    /// </summary>
    public bool SkipAccountChecks { get; init; }

    /// <summary>
    /// Validates and executes <paramref name="tx"/> sent by <paramref name="sender"/> (already
    /// recovered). An invalid transaction returns <see cref="TransactionResult.IsValid"/> false
    /// with geth's error wording and leaves the state untouched.
    /// </summary>
    public TransactionResult Execute(IWorldState state, BlockContext block, Transaction tx, Address sender)
    {
        if (TransactionValidator.CheckForBlock(state, block, tx, sender, SkipAccountChecks, out var intrinsicGas) is { } rejection)
            return TransactionResult.Invalid(rejection.Message);

        var baseFee = block.BaseFee;
        var effectiveGasPrice = EffectiveGasPrice(tx, baseFee);
        var blobGas = tx.BlobGas;

        state.BeginTransaction();
        var start = state.TakeSnapshot();

        // Buy the gas at the effective price; the blob fee is charged at the blob base fee and burnt.
        var gasCost = new UInt256(tx.GasLimit) * effectiveGasPrice;
        if (blobGas > 0) gasCost += new UInt256(blobGas) * block.BlobBaseFee;
        state.SubtractFromBalance(sender, gasCost);

        // A creation bumps the nonce inside the EVM, after deriving the address from it.
        if (!tx.IsContractCreation) state.SetNonce(sender, tx.Nonce + 1);

        WarmAccessSets(state, block, tx, sender);

        var context = new TransactionContext
        {
            Origin = sender,
            GasPrice = effectiveGasPrice,
            BlobVersionedHashes = tx.BlobVersionedHashes.Count == 0 ? [] : tx.BlobVersionedHashes.ToArray(),
        };
        var gasLimit = (long)tx.GasLimit;
        var executionGas = gasLimit - (long)intrinsicGas;

        var machine = Interlocked.Exchange(ref _idleMachine, null) ?? new VirtualMachine(_tracer);
        ExecutionResult result;
        try
        {
            result = tx.To is { } to
                ? machine.Call(state, block, context, sender, to, tx.Value, tx.Data, executionGas)
                : machine.Create(state, block, context, sender, tx.Value, tx.Data, executionGas);
        }
        finally
        {
            _idleMachine = machine;
        }

        // EIP-3529: the refund is capped at a fifth of the gas used.
        var gasUsed = gasLimit - result.GasLeft;
        gasUsed -= Math.Min(result.Refund, gasUsed / GasCosts.RefundQuotient);
        var gasLeft = gasLimit - gasUsed;
        state.AddToBalance(sender, new UInt256((ulong)gasLeft) * effectiveGasPrice);

        // The priority fee goes to the coinbase; the base fee is burnt. The coinbase is touched even when it gets nothing.
        var tip = effectiveGasPrice - baseFee;
        state.AddToBalance(block.Coinbase, new UInt256((ulong)gasUsed) * tip);

        if (block.Admission?.Admit(result.Logs) is { } deferral)
        {
            // Not admitted into this block: undo the whole transaction and let it wait.
            state.Revert(start);
            state.EndTransaction();
            block.NativeContracts.TransactionEnded(state, block);
            return TransactionResult.Defer(deferral);
        }
        foreach (var destroyed in result.DestroyedAccounts) state.DeleteAccount(destroyed);
        state.EndTransaction();
        block.NativeContracts.TransactionEnded(state, block);

        _tracer?.OnTransactionEnd(result.Output, gasUsed, result.Error);

        return new TransactionResult
        {
            IsValid = true,
            Success = result.Success,
            Status = result.Status,
            Error = result.Error,
            GasUsed = gasUsed,
            BlobGasUsed = blobGas,
            Output = result.Output,
            Logs = result.Logs,
            ContractAddress = result.ContractAddress,
        };
    }

    /// <summary>EIP-1559: min(fee cap, base fee + tip cap); a legacy price is both caps.</summary>
    public static UInt256 EffectiveGasPrice(Transaction tx, in UInt256 baseFee)
    {
        var feeCap = tx.FeeCap;
        if (UInt256.AddOverflow(baseFee, tx.TipCap, out var withTip)) return feeCap;
        return withTip < feeCap ? withTip : feeCap;
    }

    /// <summary>EIP-2929/2930/3651: sender, recipient, precompiles (the native contracts that start warm), coinbase and the access list start warm.</summary>
    private static void WarmAccessSets(IWorldState state, BlockContext block, Transaction tx, in Address sender)
    {
        state.WarmAddress(sender);
        if (tx.To is { } to) state.WarmAddress(to);
        block.NativeContracts.WarmAll(state);
        state.WarmAddress(block.Coinbase);
        foreach (var entry in tx.AccessList)
        {
            state.WarmAddress(entry.Address);
            foreach (var key in entry.StorageKeys) state.WarmStorageSlot(entry.Address, key);
        }
    }
}
