using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// One block's execution on a world state, in the one place every executor shares (the block builder,
/// the cluster's replayer, a settlement verifier): it applies transactions in order, keeps what each
/// valid one produced, and derives what the header commits to (receipts with cumulative gas, the bloom,
/// gas and blob gas used, the transactions, receipts and state roots). An invalid transaction changes
/// nothing and is not counted. Not thread-safe: one block, one caller.
/// </summary>
public sealed class BlockExecution
{
    private readonly TransactionProcessor _processor;
    private readonly WorldState _state;
    private readonly List<Transaction> _transactions = [];
    private readonly List<Address> _senders = [];
    private readonly List<TransactionResult> _results = [];
    private readonly List<Receipt> _receipts = [];
    private readonly Bloom _bloom = new();
    private bool _finished;

    public BlockExecution(TransactionProcessor processor, WorldState state, BlockContext context)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);
        _processor = processor;
        _state = state;
        Context = context;
    }

    public BlockContext Context { get; }

    public ulong GasUsed { get; private set; }

    public ulong BlobGasUsed { get; private set; }

    /// <summary>Transactions included so far.</summary>
    public int Count => _transactions.Count;

    /// <summary>True when the block still has room for <paramref name="tx"/>'s gas limit and blobs.</summary>
    public bool Fits(Transaction tx) =>
        tx.GasLimit <= (ulong)Math.Max(Context.GasLimit, 0) - GasUsed && BlobGasUsed + tx.BlobGas <= BlobGas.MaxPerBlock;

    /// <summary>True while another plain transfer fits.</summary>
    public bool HasRoomForATransfer => (ulong)Math.Max(Context.GasLimit, 0) - GasUsed >= IntrinsicGas.Transaction;

    /// <summary>Executes <paramref name="tx"/>; when it is valid, it becomes the block's next transaction.</summary>
    /// <param name="processor">Another processor for this transaction (one with a tracer), else the block's.</param>
    public TransactionResult Apply(Transaction tx, Address sender, TransactionProcessor? processor = null)
    {
        ArgumentNullException.ThrowIfNull(tx);
        if (_finished) throw new InvalidOperationException("the block's execution is finished");
        var result = (processor ?? _processor).Execute(_state, Context, tx, sender);
        if (!result.IsValid) return result;
        GasUsed += (ulong)result.GasUsed;
        BlobGasUsed += result.BlobGasUsed;
        var receipt = new Receipt(tx.Type, result.Success, GasUsed, result.Logs);
        if (receipt.Logs.Count > 0) _bloom.Accumulate(receipt.Bloom);
        _transactions.Add(tx);
        _senders.Add(sender);
        _results.Add(result);
        _receipts.Add(receipt);
        return result;
    }

    /// <summary>Commits the state (its trie nodes go to its store) and derives the roots. Call once, after the last transaction.</summary>
    public ExecutedBlock Finish()
    {
        if (_finished) throw new InvalidOperationException("the block's execution is finished");
        _finished = true;
        return new ExecutedBlock
        {
            // The lists are handed over, not copied: nothing adds to them once finished.
            Transactions = _transactions,
            Senders = _senders,
            Results = _results,
            Receipts = _receipts,
            StateRoot = _state.Commit(),
            TransactionsRoot = DerivableRoots.Transactions(_transactions),
            ReceiptsRoot = DerivableRoots.Receipts(_receipts),
            Bloom = _bloom,
            GasUsed = GasUsed,
            BlobGasUsed = BlobGasUsed,
            Context = Context,
        };
    }
}
