using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Chain;

/// <summary>What executing a block's transactions produced (see <see cref="BlockExecution"/>): the header's commitments and the receipts.</summary>
public sealed class ExecutedBlock
{
    public required IReadOnlyList<Transaction> Transactions { get; init; }
    public required IReadOnlyList<Address> Senders { get; init; }
    public required IReadOnlyList<TransactionResult> Results { get; init; }
    public required IReadOnlyList<Receipt> Receipts { get; init; }
    public required Hash256 StateRoot { get; init; }
    public required Hash256 TransactionsRoot { get; init; }
    public required Hash256 ReceiptsRoot { get; init; }
    public required Bloom Bloom { get; init; }
    public required ulong GasUsed { get; init; }
    public required ulong BlobGasUsed { get; init; }
    public required BlockContext Context { get; init; }

    /// <summary>The header of the child of <paramref name="parent"/> these results belong to (Cancun fields).</summary>
    public BlockHeader CreateHeader(BlockHeader parent, ulong gasLimit, byte[] extraData)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return new BlockHeader
        {
            ParentHash = parent.Hash,
            Coinbase = Context.Coinbase,
            StateRoot = StateRoot,
            TransactionsRoot = TransactionsRoot,
            ReceiptsRoot = ReceiptsRoot,
            LogsBloom = Bloom,
            Number = Context.Number,
            GasLimit = gasLimit,
            GasUsed = GasUsed,
            Timestamp = Context.Timestamp,
            ExtraData = extraData,
            PrevRandao = Context.PrevRandao,
            BaseFeePerGas = Context.BaseFee,
            BlobGasUsed = BlobGasUsed,
            ExcessBlobGas = BlobGas.NextExcessBlobGas(parent.ExcessBlobGas, parent.BlobGasUsed),
            ParentBeaconBlockRoot = Hash256.Zero,
        };
    }

    /// <summary>How <paramref name="header"/>'s commitments differ from these results (empty when they agree): what a verifier reports.</summary>
    public IReadOnlyList<string> Differences(BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var differences = new List<string>();
        if (StateRoot != header.StateRoot) differences.Add($"state root {header.StateRoot} differs from the replayed {StateRoot}");
        if (ReceiptsRoot != header.ReceiptsRoot) differences.Add($"receipts root {header.ReceiptsRoot} differs from the replayed {ReceiptsRoot}");
        if (GasUsed != header.GasUsed) differences.Add($"gas used {header.GasUsed} differs from the replayed {GasUsed}");
        if (BlobGasUsed != header.BlobGasUsed) differences.Add($"blob gas used {header.BlobGasUsed} differs from the replayed {BlobGasUsed}");
        if (!Bloom.Equals(header.LogsBloom)) differences.Add("the logs bloom differs from the replayed one");
        if (TransactionsRoot != header.TransactionsRoot) differences.Add($"transactions root {header.TransactionsRoot} differs from the body's {TransactionsRoot}");
        return differences;
    }

    /// <summary>The full receipts of the sealed <paramref name="block"/> (positions, senders, prices, log indexes).</summary>
    public TransactionReceipt[] CreateReceipts(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var receipts = new TransactionReceipt[Receipts.Count];
        var logIndex = 0;
        for (var i = 0; i < receipts.Length; i++)
        {
            var tx = Transactions[i];
            var result = Results[i];
            receipts[i] = new TransactionReceipt
            {
                Receipt = Receipts[i],
                TransactionHash = tx.Hash,
                TransactionIndex = i,
                BlockHash = block.Hash,
                BlockNumber = block.Number,
                From = Senders[i],
                To = tx.To,
                ContractAddress = tx.IsContractCreation ? result.ContractAddress : null,
                GasUsed = (ulong)result.GasUsed,
                EffectiveGasPrice = TransactionProcessor.EffectiveGasPrice(tx, Context.BaseFee),
                BlobGasUsed = result.BlobGasUsed,
                BlobGasPrice = tx.Type == TxType.Blob ? Context.BlobBaseFee : null,
                FirstLogIndex = logIndex,
            };
            logIndex += Receipts[i].Logs.Count;
        }
        return receipts;
    }
}
