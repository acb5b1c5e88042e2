using System.Numerics;
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
        var error = Validate(state, block, tx, sender, SkipAccountChecks, out var intrinsicGas);
        if (error is not null) return TransactionResult.Invalid(error);

        var baseFee = block.BaseFee;
        var effectiveGasPrice = EffectiveGasPrice(tx, baseFee);
        var blobGas = tx.BlobGas;

        state.BeginTransaction();

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

    /// <summary>The checks geth makes before buying gas, in geth's order and wording; null when valid.</summary>
    private static string? Validate(IWorldState state, BlockContext block, Transaction tx, in Address sender, bool skipAccountChecks, out ulong intrinsicGas)
    {
        intrinsicGas = 0;
        if (tx.ChainId is { } chainId && chainId != block.ChainId)
            return $"invalid chain id: have {chainId}, want {block.ChainId}";

        if (tx.Type == TxType.Blob)
        {
            if (tx.To is null) return "blob transaction of type create";
            if (tx.BlobVersionedHashes.Count == 0) return "blob transaction missing blob hashes";
            if (tx.BlobVersionedHashes.Count > TransactionValidator.MaxBlobsPerTransaction) return "blob gas exceeds maximum";
            for (var i = 0; i < tx.BlobVersionedHashes.Count; i++)
                if (tx.BlobVersionedHashes[i].Bytes[0] != TransactionValidator.BlobHashVersionKzg)
                    return $"blob {i} has invalid hash version";
        }

        if (!skipAccountChecks)
        {
            var stateNonce = state.GetNonce(sender);
            if (stateNonce < tx.Nonce) return $"nonce too high: address {sender}, tx: {tx.Nonce} state: {stateNonce}";
            if (stateNonce > tx.Nonce) return $"nonce too low: address {sender}, tx: {tx.Nonce} state: {stateNonce}";
            if (stateNonce == ulong.MaxValue) return $"nonce has max value: address {sender}, nonce: {stateNonce}";

            // EIP-3607: only an account without code can send.
            var codeHash = state.GetCodeHash(sender);
            if (codeHash != Hash256.Zero && codeHash != Keccak256.OfEmpty)
                return $"sender not an eoa: address {sender}, codehash: {codeHash}";
        }

        var feeCap = tx.FeeCap;
        var tipCap = tx.TipCap;
        if (feeCap < tipCap)
            return $"max priority fee per gas higher than max fee per gas: address {sender}, maxPriorityFeePerGas: {tipCap}, maxFeePerGas: {feeCap}";
        if (feeCap < block.BaseFee)
            return $"max fee per gas less than block base fee: address {sender}, maxFeePerGas: {feeCap}, baseFee: {block.BaseFee}";

        var blobGas = tx.BlobGas;
        if (blobGas > 0 && tx.MaxFeePerBlobGas < block.BlobBaseFee)
            return $"max fee per blob gas less than block blob gas fee: address {sender} blobGasFeeCap: {tx.MaxFeePerBlobGas}, blobBaseFee: {block.BlobBaseFee}";

        // The balance must cover the worst case: the whole gas limit at the fee cap, the value and the blob fee cap.
        var required = new BigInteger(tx.GasLimit) * feeCap.ToBigInteger() + tx.Value.ToBigInteger()
            + new BigInteger(blobGas) * tx.MaxFeePerBlobGas.ToBigInteger();
        var balance = state.GetBalance(sender);
        if (balance.ToBigInteger() < required)
            return $"insufficient funds for gas * price + value: address {sender} have {balance} want {required}";

        if (block.GasLimit < 0 || tx.GasLimit > (ulong)block.GasLimit)
            return $"gas limit reached: transaction gas {tx.GasLimit} exceeds block gas limit {block.GasLimit}";

        intrinsicGas = IntrinsicGas.Calculate(tx);
        if (tx.GasLimit < intrinsicGas) return $"intrinsic gas too low: have {tx.GasLimit}, want {intrinsicGas}";

        if (tx.IsContractCreation && tx.Data.Length > GasCosts.MaxInitCodeSize)
            return $"max initcode size exceeded: code size {tx.Data.Length} limit {GasCosts.MaxInitCodeSize}";
        return null;
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
