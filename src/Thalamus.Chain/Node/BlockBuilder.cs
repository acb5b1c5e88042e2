using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// Builds blocks on a world state: executes pending transactions in price-and-nonce order while
/// gas lasts through a <see cref="BlockExecution"/>, which derives receipts, roots, bloom and gas
/// (committing the state's trie nodes to its store), and fills the Cancun header fields (EIP-1559
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
        Coinbase = profile.Coinbase;
        GasLimit = profile.BlockGasLimit;
        ChainId = profile.ChainId;
    }

    /// <summary>The chain id of the blocks built from now on (the profile's until anvil_setChainId changes it).</summary>
    public ulong ChainId { get; set; }

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
            ParentHash = genesis.ParentHash,
            Coinbase = genesis.Coinbase,
            StateRoot = stateRoot,
            Number = genesis.Number,
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

    /// <summary>The coinbase of the blocks built from now on (the profile's until anvil_setCoinbase changes it).</summary>
    public Address Coinbase { get; set; }

    /// <summary>The gas limit of the blocks built from now on (the profile's until evm_setBlockGasLimit changes it).</summary>
    public ulong GasLimit { get; set; }

    /// <summary>
    /// anvil_setNextBlockBaseFeePerGas: the base fee of the child of the block with hash
    /// <c>Parent</c> only; later blocks follow the EIP-1559 rule again.
    /// </summary>
    public (Hash256 Parent, UInt256 BaseFee)? BaseFeeOverride { get; set; }

    /// <summary>The header fields of the child of <paramref name="parent"/> that follow from the rules.</summary>
    public UInt256 NextBaseFee(BlockHeader parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return BaseFeeOverride is { } forced && forced.Parent == parent.Hash ? forced.BaseFee : BaseFeeCalculator.Next(parent, _profile);
    }

    /// <summary>The execution context of the child of <paramref name="parent"/> at <paramref name="timestamp"/>.</summary>
    public BlockContext CreateContext(BlockHeader parent, ulong timestamp, Func<ulong, Hash256>? blockHashes = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var excessBlobGas = BlobGas.NextExcessBlobGas(parent.ExcessBlobGas, parent.BlobGasUsed);
        return new BlockContext
        {
            Coinbase = Coinbase,
            Number = parent.Number + 1,
            Timestamp = timestamp,
            GasLimit = (long)Math.Min(GasLimit, long.MaxValue),
            BaseFee = NextBaseFee(parent),
            PrevRandao = Keccak256.Compute(parent.Hash.Bytes),
            BlobBaseFee = BlobGas.BaseFee(excessBlobGas),
            ChainId = ChainId,
            BlockHashProvider = blockHashes,
            NativeContracts = NativeContracts,
        };
    }

    /// <summary>
    /// The execution context a stored block ran in, read from its own header (coinbase, gas limit,
    /// base fee, randomness, blob base fee), not from this builder's settings: re-execution (tracing,
    /// the cluster replayer) must agree with blocks sealed after anvil_setCoinbase, evm_setBlockGasLimit
    /// or anvil_setNextBlockBaseFeePerGas.
    /// </summary>
    public BlockContext ContextOf(BlockHeader header, Func<ulong, Hash256>? blockHashes = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new BlockContext
        {
            Coinbase = header.Coinbase,
            Number = header.Number,
            Timestamp = header.Timestamp,
            GasLimit = (long)Math.Min(header.GasLimit, long.MaxValue),
            BaseFee = header.BaseFeePerGas,
            PrevRandao = header.PrevRandao,
            BlobBaseFee = header.BlobBaseFee,
            ChainId = ChainId,
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
        var execution = new BlockExecution(_processor, state, context);

        var included = new List<PooledTransaction>();
        var invalid = new List<(PooledTransaction, string)>();
        var deferred = 0;
        if (preparation is not null)
        {
            // The cluster's deliveries come first and must all be valid: they were built for this block.
            foreach (var leading in preparation.Leading) RunLeading(leading);
            if (preparation.NextLeading is { } next)
                while (next(execution.GasUsed) is { } leading) RunLeading(leading);
            // The pool's transactions are admitted by what they did; the deliveries above are not.
            context.Admission = preparation.Admission;
        }

        void RunLeading(PooledTransaction leading)
        {
            var result = execution.Apply(leading.Transaction, leading.Sender);
            if (!result.IsValid) throw new InvalidOperationException($"a cluster delivery transaction is invalid: {result.Error}");
            included.Add(leading);
        }
        var leadingCount = included.Count;
        while (pending is not null && included.Count - leadingCount < maxTransactions && execution.HasRoomForATransfer)
        {
            var next = pending.Peek();
            if (next is null) break;
            if (!execution.Fits(next.Transaction))
            {
                pending.Pop(); // does not fit: neither do the sender's later nonces
                continue;
            }
            var result = execution.Apply(next.Transaction, next.Sender);
            if (result.Deferred)
            {
                deferred++;
                pending.Pop(); // waits in the pool for a later block, and so do the sender's later nonces
                continue;
            }
            if (!result.IsValid)
            {
                invalid.Add((next, result.Error ?? "invalid transaction"));
                pending.Pop();
                continue;
            }
            included.Add(next);
            pending.Shift();
        }

        var executed = execution.Finish();
        var section = preparation?.Section?.Invoke();
        var header = executed.CreateHeader(parent, GasLimit, section is null ? [] : Keccak256.Compute(section).Bytes.ToArray());
        var block = new Block(header, executed.Transactions, null, section);
        var txReceipts = executed.CreateReceipts(block);

        return new BuiltBlock { Block = block, Receipts = txReceipts, Included = included, Invalid = invalid, Deferred = deferred };
    }
}
