using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// Builds blocks on a world state: executes pending transactions in price-and-nonce order while
/// gas lasts, then derives receipts, the transactions and receipts roots, the bloom, the state
/// root (committing the state's trie nodes to its store) and the Cancun header fields (EIP-1559
/// base fee, EIP-4844 blob gas). Deterministic: the caller supplies the timestamp.
/// </summary>
public sealed class BlockBuilder
{
    private readonly ChainProfile _profile;
    private readonly TransactionProcessor _processor;

    public BlockBuilder(ChainProfile profile, TransactionProcessor? processor = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
        _processor = processor ?? new TransactionProcessor();
    }

    /// <summary>Block 0: the allocations applied to <paramref name="state"/> (which must be empty), committed.</summary>
    public static Block BuildGenesis(GenesisConfig genesis, WorldState state)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(state);
        foreach (var (address, account) in genesis.Alloc)
        {
            state.SetBalance(address, account.Balance);
            if (account.Nonce != 0) state.SetNonce(address, account.Nonce);
            if (account.Code is { Length: > 0 } code) state.SetCode(address, code);
            if (account.Storage is { } storage)
                foreach (var (slot, value) in storage)
                    if (!value.IsZero) state.SetStorage(address, slot, value);
        }
        var stateRoot = state.Commit();
        var header = new BlockHeader
        {
            ParentHash = Hash256.Zero,
            Coinbase = genesis.Coinbase,
            StateRoot = stateRoot,
            Number = 0,
            GasLimit = genesis.GasLimit,
            Timestamp = genesis.Timestamp,
            ExtraData = genesis.ExtraData,
            PrevRandao = genesis.PrevRandao,
            BaseFeePerGas = genesis.BaseFeePerGas,
        };
        return new Block(header, []);
    }

    /// <summary>The contracts implemented in C# that this chain's blocks execute with (a cluster adds its modules').</summary>
    public NativeContracts NativeContracts { get; set; } = NativeContracts.Cancun;

    /// <summary>The header fields of the child of <paramref name="parent"/> that follow from the rules.</summary>
    public UInt256 NextBaseFee(BlockHeader parent) => BaseFeeCalculator.Next(parent, _profile);

    /// <summary>The execution context of the child of <paramref name="parent"/> at <paramref name="timestamp"/>.</summary>
    public BlockContext CreateContext(BlockHeader parent, ulong timestamp, Func<ulong, Hash256>? blockHashes = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var excessBlobGas = BlobGas.NextExcessBlobGas(parent.ExcessBlobGas, parent.BlobGasUsed);
        return new BlockContext
        {
            Coinbase = _profile.Coinbase,
            Number = parent.Number + 1,
            Timestamp = timestamp,
            GasLimit = (long)Math.Min(_profile.BlockGasLimit, long.MaxValue),
            BaseFee = NextBaseFee(parent),
            PrevRandao = Keccak256.Compute(parent.Hash.Bytes),
            BlobBaseFee = BlobGas.BaseFee(excessBlobGas),
            ChainId = _profile.ChainId,
            BlockHashProvider = blockHashes,
            NativeContracts = NativeContracts,
        };
    }

    /// <summary>
    /// Executes up to <paramref name="maxTransactions"/> transactions from <paramref name="pending"/>
    /// on <paramref name="state"/> (the parent's state) and seals the block at <paramref name="timestamp"/>.
    /// The state is committed to its store; the caller persists the block.
    /// </summary>
    public BuiltBlock Build(BlockHeader parent, WorldState state, PendingTransactionIterator? pending, ulong timestamp,
        Func<ulong, Hash256>? blockHashes = null, int maxTransactions = int.MaxValue, BlockPreparation? preparation = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(state);
        var context = CreateContext(parent, timestamp, blockHashes);
        context.CrossChainCalls = preparation?.CrossChainCalls;
        var number = context.Number;
        var baseFee = context.BaseFee;
        var excessBlobGas = BlobGas.NextExcessBlobGas(parent.ExcessBlobGas, parent.BlobGasUsed);
        var blobBaseFee = context.BlobBaseFee;
        var gasLimit = _profile.BlockGasLimit;
        var prevRandao = context.PrevRandao;

        var included = new List<PooledTransaction>();
        var results = new List<TransactionResult>();
        var invalid = new List<(PooledTransaction, string)>();
        ulong gasUsed = 0, blobGasUsed = 0;
        if (preparation is not null)
        {
            // The cluster's deliveries come first and must all be valid: they were built for this block.
            foreach (var leading in preparation.Leading)
            {
                var result = _processor.Execute(state, context, leading.Transaction, leading.Sender);
                if (!result.IsValid) throw new InvalidOperationException($"a cluster delivery transaction is invalid: {result.Error}");
                gasUsed += (ulong)result.GasUsed;
                included.Add(leading);
                results.Add(result);
            }
        }
        var leadingCount = included.Count;
        while (pending is not null && included.Count - leadingCount < maxTransactions && gasLimit - gasUsed >= IntrinsicGas.Transaction)
        {
            var next = pending.Peek();
            if (next is null) break;
            var tx = next.Transaction;
            if (tx.GasLimit > gasLimit - gasUsed || blobGasUsed + tx.BlobGas > BlobGas.MaxPerBlock)
            {
                pending.Pop(); // does not fit: neither do the sender's later nonces
                continue;
            }
            var result = _processor.Execute(state, context, tx, next.Sender);
            if (!result.IsValid)
            {
                invalid.Add((next, result.Error ?? "invalid transaction"));
                pending.Pop();
                continue;
            }
            gasUsed += (ulong)result.GasUsed;
            blobGasUsed += result.BlobGasUsed;
            included.Add(next);
            results.Add(result);
            pending.Shift();
        }

        var stateRoot = state.Commit();
        var section = preparation?.Section?.Invoke();
        var receipts = new Receipt[included.Count];
        var bloom = new Bloom();
        ulong cumulative = 0;
        for (var i = 0; i < receipts.Length; i++)
        {
            cumulative += (ulong)results[i].GasUsed;
            var receipt = new Receipt(included[i].Transaction.Type, results[i].Success, cumulative, results[i].Logs);
            if (receipt.Logs.Count > 0) bloom.Accumulate(receipt.Bloom);
            receipts[i] = receipt;
        }

        var header = new BlockHeader
        {
            ParentHash = parent.Hash,
            Coinbase = _profile.Coinbase,
            StateRoot = stateRoot,
            TransactionsRoot = DerivableRoots.Transactions(included),
            ReceiptsRoot = DerivableRoots.Receipts(receipts),
            LogsBloom = bloom,
            Number = number,
            GasLimit = gasLimit,
            GasUsed = gasUsed,
            Timestamp = timestamp,
            ExtraData = section is null ? [] : Keccak256.Compute(section).Bytes.ToArray(),
            PrevRandao = prevRandao,
            BaseFeePerGas = baseFee,
            BlobGasUsed = blobGasUsed,
            ExcessBlobGas = excessBlobGas,
            ParentBeaconBlockRoot = Hash256.Zero,
        };
        var transactions = new Transaction[included.Count];
        for (var i = 0; i < transactions.Length; i++) transactions[i] = included[i].Transaction;
        var block = new Block(header, transactions, null, section);
        var blockHash = header.Hash;

        var txReceipts = new TransactionReceipt[receipts.Length];
        var logIndex = 0;
        for (var i = 0; i < receipts.Length; i++)
        {
            var tx = transactions[i];
            var result = results[i];
            txReceipts[i] = new TransactionReceipt
            {
                Receipt = receipts[i],
                TransactionHash = included[i].Hash,
                TransactionIndex = i,
                BlockHash = blockHash,
                BlockNumber = number,
                From = included[i].Sender,
                To = tx.To,
                ContractAddress = tx.IsContractCreation ? result.ContractAddress : null,
                GasUsed = (ulong)result.GasUsed,
                EffectiveGasPrice = TransactionProcessor.EffectiveGasPrice(tx, baseFee),
                BlobGasUsed = result.BlobGasUsed,
                BlobGasPrice = tx.Type == TxType.Blob ? blobBaseFee : null,
                FirstLogIndex = logIndex,
            };
            logIndex += receipts[i].Logs.Count;
        }

        return new BuiltBlock { Block = block, Receipts = txReceipts, Included = included, Invalid = invalid };
    }
}
