using Thalamus.Chain;
using Thalamus.Chain.Tracing;
using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Rpc;

/// <summary>Serves a <see cref="MemberChain"/> over JSON-RPC.</summary>
public sealed class MemberChainBackend : IEthereumBackend
{
    private readonly MemberChain _chain;

    public MemberChainBackend(MemberChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _chain = chain;
    }

    public MemberChain Chain => _chain;

    public ulong ChainId => _chain.ChainId;

    public BlockHeader Head => _chain.Head;

    public bool Automine => _chain.Automine;

    public event Action<Block, IReadOnlyList<TransactionReceipt>>? BlockSealed
    {
        add => _chain.BlockSealed += value;
        remove => _chain.BlockSealed -= value;
    }

    public event Action<Hash256>? PendingTransactionAdded
    {
        add => _chain.PendingTransactionAdded += value;
        remove => _chain.PendingTransactionAdded -= value;
    }

    public Hash256 SendRawTransaction(ReadOnlySpan<byte> raw) => _chain.SendRawTransaction(raw);

    public Hash256 SendTransaction(Transaction signedTransaction) => _chain.SendTransaction(signedTransaction);

    public Transaction? PrepareRawTransaction(ReadOnlySpan<byte> raw) => _chain.TryPrepareRawTransaction(raw);

    public UInt256 NextBaseFee() => _chain.NextBaseFee();

    public CallResult Call(CallRequest request, BlockSelector block) => _chain.Call(request, block);

    public ulong EstimateGas(CallRequest request, BlockSelector block) => _chain.EstimateGas(request, block);

    public AccessListResult CreateAccessList(CallRequest request, BlockSelector block) => _chain.CreateAccessList(request, block);

    public AccountProof GetProof(Address address, IReadOnlyList<UInt256> slots, BlockSelector block) => _chain.GetProof(address, slots, block);

    public bool TraceTransaction(Hash256 hash, ITransactionTracer tracer) => _chain.TraceTransaction(hash, tracer);

    public IReadOnlyList<(Hash256 Hash, ITransactionTracer Tracer)>? TraceBlock(BlockSelector block, Func<ITransactionTracer> create) =>
        _chain.TraceBlock(block, create);

    public void TraceCall(CallRequest request, BlockSelector block, ITransactionTracer tracer) => _chain.TraceCall(request, block, tracer);

    public (IReadOnlyDictionary<Address, IReadOnlyList<PooledTransaction>> Pending, IReadOnlyDictionary<Address, IReadOnlyList<PooledTransaction>> Queued) GetPoolContent() =>
        _chain.WithPool(pool => (pool.GetPending(), pool.GetQueued()));

    public bool DropTransaction(Hash256 hash) => _chain.DropTransaction(hash);

    public void SetCoinbase(Address coinbase) => _chain.SetCoinbase(coinbase);

    public void SetNextBlockBaseFeePerGas(UInt256 baseFee) => _chain.SetNextBlockBaseFeePerGas(baseFee);

    public void SetBlockTimestampInterval(ulong seconds) => _chain.SetBlockTimestampInterval(seconds);

    public bool RemoveBlockTimestampInterval() => _chain.RemoveBlockTimestampInterval();

    public void SetBlockGasLimit(ulong gasLimit) => _chain.SetBlockGasLimit(gasLimit);

    public void Reset() => _chain.Reset();

    public IReadOnlyList<SimulatedBlock> Simulate(SimulationRequest request, BlockSelector block) => _chain.Simulate(request, block);

    public void SetChainId(ulong chainId) => _chain.SetChainId(chainId);

    public ulong NextBlockGasLimit => _chain.BlockGasLimit;

    public UInt256 GetBalance(Address address, BlockSelector block) => _chain.GetBalance(address, block);

    public ulong GetTransactionCount(Address address, BlockSelector block) => _chain.GetTransactionCount(address, block);

    public byte[] GetCode(Address address, BlockSelector block) => _chain.GetCode(address, block);

    public UInt256 GetStorageAt(Address address, UInt256 slot, BlockSelector block) => _chain.GetStorageAt(address, slot, block);

    public BlockHeader? GetHeader(BlockSelector block) => _chain.ResolveHeader(block);

    public Block? GetBlock(BlockSelector block) => _chain.GetBlock(block);

    public (Transaction Transaction, TransactionLocation? Location)? GetTransaction(Hash256 hash) => _chain.GetTransaction(hash);

    public TransactionReceipt? GetReceipt(Hash256 hash) => _chain.GetReceipt(hash);

    public IReadOnlyList<TransactionReceipt> GetBlockReceipts(Hash256 blockHash) => _chain.Store.GetReceipts(blockHash);

    // The store's enumeration is lazy, so the RPC result limit stops a huge query early.
    public IEnumerable<LogRecord> GetLogs(LogFilter filter) => _chain.GetLogs(filter);

    public IReadOnlyList<LogRecord> GetSectionLogs(Block block) => _chain.SectionLogRecords(block);

    public UInt256 GasPrice() => _chain.GasPrice();

    public UInt256 MaxPriorityFeePerGas() => _chain.MaxPriorityFeePerGas();

    public FeeHistory GetFeeHistory(int blockCount, BlockSelector newest, double[] percentiles) =>
        _chain.GetFeeHistory(blockCount, newest, percentiles);

    public IReadOnlyList<Block> Mine(int blocks, ulong? timestamp) => _chain.Mine(blocks, timestamp);

    public void SetAutomine(bool enabled) => _chain.SetAutomine(enabled);

    public void SetIntervalMining(TimeSpan interval) => _chain.SetIntervalMining(interval);

    public ulong Snapshot() => _chain.Snapshot();

    public bool Revert(ulong snapshotId) => _chain.Revert(snapshotId);

    public ulong IncreaseTime(ulong seconds) => _chain.IncreaseTime(seconds);

    public void SetNextBlockTimestamp(ulong timestamp) => _chain.SetNextBlockTimestamp(timestamp);

    public void SetBalance(Address address, UInt256 balance) => _chain.SetBalance(address, balance);

    public void SetCode(Address address, byte[] code) => _chain.SetCode(address, code);

    public void SetNonce(Address address, ulong nonce) => _chain.SetNonce(address, nonce);

    public void SetStorageAt(Address address, UInt256 slot, UInt256 value) => _chain.SetStorageAt(address, slot, value);

    public ChainStateDump DumpState() => _chain.DumpState();

    public void LoadState(IReadOnlyCollection<DumpedAccount> accounts) => _chain.LoadState(accounts);
}
