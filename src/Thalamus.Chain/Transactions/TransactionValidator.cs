using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Evm.Precompiles;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// The one place a Cancun transaction's validity rules live, each with geth's wording, for the pool
/// (<see cref="TxPool.Add"/>), the processor (<see cref="TransactionProcessor"/>) and the conformance
/// runner alike. <see cref="CheckStateless"/>: chain id, nonce and fee bounds, intrinsic gas, init code
/// size, the EIP-4844 blob rules and the block gas limit. <see cref="CheckAccount"/>: the sender's nonce
/// and code (EIP-3607). <see cref="CheckFunds"/>: base fee, blob base fee and balance. Signature rules live
/// in <see cref="Transaction.RecoverSender"/>; what only a pool refuses (size, price floor, replacement,
/// limits) lives in the pool.
/// </summary>
public static class TransactionValidator
{
    /// <summary>Cancun's MAX_BLOB_GAS_PER_BLOCK / GAS_PER_BLOB: a transaction with more blobs fits no block.</summary>
    public const int MaxBlobsPerTransaction = (int)(BlobGas.MaxPerBlock / BlobGas.GasPerBlob);

    /// <exception cref="InvalidTransactionException">a stateless rule is broken; the message says which.</exception>
    public static void Validate(Transaction tx, ulong chainId)
    {
        if (CheckStateless(tx, chainId) is { } rejection) throw new InvalidTransactionException(rejection.Message);
    }

    /// <summary>The first stateless rule <paramref name="tx"/> breaks on chain <paramref name="chainId"/>, or null.</summary>
    /// <param name="sender">Named in the messages when known.</param>
    /// <param name="blockGasLimit">The block gas limit the transaction must fit in; null: not checked.</param>
    public static TransactionRejection? CheckStateless(Transaction tx, ulong chainId, Address? sender = null, ulong? blockGasLimit = null) =>
        CheckStateless(tx, chainId, sender, blockGasLimit, out _);

    /// <inheritdoc cref="CheckStateless(Transaction, ulong, Address?, ulong?)"/>
    /// <param name="intrinsicGas">The transaction's intrinsic gas once that rule was reached (0 before).</param>
    public static TransactionRejection? CheckStateless(Transaction tx, ulong chainId, Address? sender, ulong? blockGasLimit, out ulong intrinsicGas)
    {
        ArgumentNullException.ThrowIfNull(tx);
        intrinsicGas = 0;
        // A legacy transaction without chain id (pre-EIP-155) is still valid on any chain.
        if (tx.ChainId is { } txChainId && txChainId != chainId)
            return Reject(TransactionRule.InvalidChainId, $"invalid chain id for signer: have {txChainId} want {chainId}");
        if (tx.Type != TxType.Legacy && tx.ChainId is null)
            return Reject(TransactionRule.InvalidChainId, $"invalid chain id for signer: have none want {chainId}");

        // EIP-2681: the nonce stays below 2^64-1 so that it can always be incremented.
        if (tx.Nonce == ulong.MaxValue)
            return Reject(TransactionRule.NonceMax, $"nonce has max value: {Who(sender)}nonce: {tx.Nonce}");

        var feeCap = tx.FeeCap;
        var tipCap = tx.TipCap;
        if (feeCap < tipCap)
            return Reject(TransactionRule.TipAboveFeeCap,
                $"max priority fee per gas higher than max fee per gas: {Who(sender)}maxPriorityFeePerGas: {tipCap}, maxFeePerGas: {feeCap}");

        // The gas at the fee cap must be a 256-bit number, or no balance can ever pay for it.
        if (UInt256.MultiplyOverflow(new UInt256(tx.GasLimit), feeCap, out _))
            return Reject(TransactionRule.InsufficientFunds,
                $"insufficient funds for gas * price + value: {Who(sender)}gas {tx.GasLimit} * price {feeCap} overflows 256 bits");

        if (blockGasLimit is { } limit && tx.GasLimit > limit)
            return Reject(TransactionRule.ExceedsBlockGasLimit, $"exceeds block gas limit: gas {tx.GasLimit}, block gas limit {limit}");

        intrinsicGas = IntrinsicGas.Calculate(tx);
        if (tx.GasLimit < intrinsicGas)
            return Reject(TransactionRule.IntrinsicGasTooLow, $"intrinsic gas too low: have {tx.GasLimit}, want {intrinsicGas}");

        if (tx.IsContractCreation && tx.Data.Length > GasCosts.MaxInitCodeSize)
            return Reject(TransactionRule.MaxInitCodeSizeExceeded,
                $"max initcode size exceeded: code size {tx.Data.Length} limit {GasCosts.MaxInitCodeSize}");

        return tx.Type == TxType.Blob ? CheckBlobs(tx) : null;
    }

    /// <summary>The sender's nonce must be the transaction's (<paramref name="expectedNonce"/>: the state's, or the pool's next) and the sender must have no code (EIP-3607), unless it is impersonated (<see cref="Transaction.HasImpersonationSignature"/>).</summary>
    public static TransactionRejection? CheckAccount(Transaction tx, in Address sender, ulong expectedNonce, in Hash256 senderCodeHash)
    {
        if (tx.Nonce > expectedNonce)
            return Reject(TransactionRule.NonceTooHigh, $"nonce too high: address {sender}, tx: {tx.Nonce} state: {expectedNonce}");
        if (tx.Nonce < expectedNonce)
            return Reject(TransactionRule.NonceTooLow, $"nonce too low: address {sender}, tx: {tx.Nonce} state: {expectedNonce}");
        // An impersonated sender may be a contract (anvil disables EIP-3607 for them): the marker
        // never comes from the wire (the pool refuses it), only from a dev node's impersonation.
        if (senderCodeHash != Hash256.Zero && senderCodeHash != Keccak256.OfEmpty && !tx.HasImpersonationSignature)
            return Reject(TransactionRule.SenderNotEoa, $"sender not an eoa: address {sender}, codehash: {senderCodeHash}");
        return null;
    }

    /// <summary>The fee caps must reach the block's base fees and the balance must cover the worst case (<paramref name="required"/>, which defaults to this transaction's).</summary>
    public static TransactionRejection? CheckFunds(Transaction tx, in Address sender, in UInt256 balance, in UInt256 baseFee, in UInt256 blobBaseFee,
        UInt256? required = null)
    {
        var feeCap = tx.FeeCap;
        if (feeCap < baseFee)
            return Reject(TransactionRule.FeeCapBelowBaseFee,
                $"max fee per gas less than block base fee: address {sender}, maxFeePerGas: {feeCap}, baseFee: {baseFee}");
        if (tx.BlobGas > 0 && tx.MaxFeePerBlobGas < blobBaseFee)
            return Reject(TransactionRule.BlobFeeCapBelowBlobBaseFee,
                $"max fee per blob gas less than block blob gas fee: address {sender} blobGasFeeCap: {tx.MaxFeePerBlobGas}, blobBaseFee: {blobBaseFee}");
        return CheckBalance(tx, sender, balance, required);
    }

    /// <summary>The balance must cover <paramref name="required"/> (default: the transaction's worst-case cost).</summary>
    public static TransactionRejection? CheckBalance(Transaction tx, in Address sender, in UInt256 balance, UInt256? required = null)
    {
        if (required is null && !TryGetMaxCost(tx, out _))
            return Reject(TransactionRule.InsufficientFunds, $"insufficient funds for gas * price + value: address {sender} have {balance} want {ExactMaxCost(tx)}");
        var want = required ?? (TryGetMaxCost(tx, out var cost) ? cost : UInt256.MaxValue);
        return balance < want
            ? Reject(TransactionRule.InsufficientFunds, $"insufficient funds for gas * price + value: address {sender} have {balance} want {want}")
            : null;
    }

    /// <summary>
    /// The most the sender can pay: the whole gas limit at the fee cap, the value and the blob gas at
    /// the blob fee cap. False when that does not fit in 256 bits.
    /// </summary>
    public static bool TryGetMaxCost(Transaction tx, out UInt256 cost)
    {
        cost = UInt256.Zero;
        if (UInt256.MultiplyOverflow(new UInt256(tx.GasLimit), tx.FeeCap, out var gas) || UInt256.AddOverflow(gas, tx.Value, out cost)) return false;
        if (tx.BlobGas == 0) return true;
        return !UInt256.MultiplyOverflow(new UInt256(tx.BlobGas), tx.MaxFeePerBlobGas, out var blobs) && !UInt256.AddOverflow(cost, blobs, out cost);
    }

    /// <summary>The worst-case cost beyond 256 bits (for the message only: no balance covers it).</summary>
    private static System.Numerics.BigInteger ExactMaxCost(Transaction tx) =>
        new System.Numerics.BigInteger(tx.GasLimit) * tx.FeeCap.ToBigInteger() + tx.Value.ToBigInteger()
        + new System.Numerics.BigInteger(tx.BlobGas) * tx.MaxFeePerBlobGas.ToBigInteger();

    /// <summary>The processor's checks, in order: stateless, account (unless <paramref name="skipAccountChecks"/>, as for eth_call), funds.</summary>
    public static TransactionRejection? CheckForBlock(IWorldState state, BlockContext block, Transaction tx, in Address sender, bool skipAccountChecks,
        out ulong intrinsicGas)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(block);
        var blockGasLimit = block.GasLimit < 0 ? 0UL : (ulong)block.GasLimit;
        if (CheckStateless(tx, block.ChainId, sender, blockGasLimit, out intrinsicGas) is { } invalid) return invalid;
        if (!skipAccountChecks && CheckAccount(tx, sender, state.GetNonce(sender), state.GetCodeHash(sender)) is { } account) return account;
        return CheckFunds(tx, sender, state.GetBalance(sender), block.BaseFee, block.BlobBaseFee);
    }

    private static TransactionRejection? CheckBlobs(Transaction tx)
    {
        if (tx.To is null) return Reject(TransactionRule.BlobTransactionCreate, "blob transaction of type create");
        var hashes = tx.BlobVersionedHashes;
        if (hashes.Count == 0) return Reject(TransactionRule.MissingBlobHashes, "blob transaction missing blob hashes");
        if (hashes.Count > MaxBlobsPerTransaction)
            return Reject(TransactionRule.TooManyBlobs, $"too many blobs in transaction: have {hashes.Count}, permitted {MaxBlobsPerTransaction}");
        for (var i = 0; i < hashes.Count; i++)
            if (hashes[i].Bytes[0] != PrecompileRegistry.KzgVersionedHashVersion)
                return Reject(TransactionRule.InvalidBlobHashVersion, $"blob {i} has invalid hash version");
        return null;
    }

    private static string Who(Address? sender) => sender is { } known ? $"address {known}, " : "";

    private static TransactionRejection Reject(TransactionRule rule, string message) => new(rule, message);
}
