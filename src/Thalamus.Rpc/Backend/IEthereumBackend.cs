using Thalamus.Chain;
using Thalamus.Chain.Tracing;
using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Rpc;

/// <summary>
/// What the JSON-RPC layer needs from a chain. <see cref="MemberChainBackend"/> adapts
/// <see cref="MemberChain"/>; tests use fakes. Methods throw <see cref="ChainException"/>
/// (TxPoolException, ExecutionRevertedException, ...) or <see cref="InvalidTransactionException"/>
/// for errors a client caused; the dispatcher turns them into JSON-RPC errors.
/// Events may be raised on any thread (inside the chain's lock): handlers must not block.
/// </summary>
public interface IEthereumBackend
{
    ulong ChainId { get; }

    BlockHeader Head { get; }

    bool Automine { get; }

    Hash256 SendRawTransaction(ReadOnlySpan<byte> raw);

    /// <summary>Pools an already decoded, signed transaction (eth_sendTransaction signs for dev accounts).</summary>
    Hash256 SendTransaction(Transaction signedTransaction);

    /// <summary>
    /// Optional, thread-safe and side-effect free: decodes <paramref name="raw"/> and recovers its
    /// sender ahead of time, so that <see cref="SendTransaction"/> with the result does exactly what
    /// <see cref="SendRawTransaction"/> would. Null when the transaction is not valid enough (the
    /// caller then uses <see cref="SendRawTransaction"/>, which reports why) or not supported.
    /// </summary>
    Transaction? PrepareRawTransaction(ReadOnlySpan<byte> raw) => null;

    /// <summary>The base fee the next block will have.</summary>
    UInt256 NextBaseFee();

    CallResult Call(CallRequest request, BlockSelector block);

    /// <exception cref="ExecutionRevertedException">the call reverts at every gas limit.</exception>
    ulong EstimateGas(CallRequest request, BlockSelector block);

    /// <summary>eth_createAccessList; backends without it answer "method not found".</summary>
    AccessListResult CreateAccessList(CallRequest request, BlockSelector block) =>
        throw new NotSupportedException("the method eth_createAccessList does not exist/is not available");

    /// <summary>eth_getProof (EIP-1186); backends without it answer "method not found".</summary>
    AccountProof GetProof(Address address, IReadOnlyList<UInt256> slots, BlockSelector block) =>
        throw new NotSupportedException("the method eth_getProof does not exist/is not available");

    /// <summary>debug_traceTransaction: false when no block holds the transaction.</summary>
    bool TraceTransaction(Hash256 hash, ITransactionTracer tracer) =>
        throw new NotSupportedException("the method debug_traceTransaction does not exist/is not available");

    /// <summary>debug_traceBlockBy*: every transaction with its tracer; null when no such block.</summary>
    IReadOnlyList<(Hash256 Hash, ITransactionTracer Tracer)>? TraceBlock(BlockSelector block, Func<ITransactionTracer> create) =>
        throw new NotSupportedException("the method debug_traceBlockByNumber does not exist/is not available");

    /// <summary>debug_traceCall.</summary>
    void TraceCall(CallRequest request, BlockSelector block, ITransactionTracer tracer) =>
        throw new NotSupportedException("the method debug_traceCall does not exist/is not available");

    /// <summary>txpool_*: the pool's executable and queued transactions by sender, in nonce order.</summary>
    (IReadOnlyDictionary<Address, IReadOnlyList<PooledTransaction>> Pending, IReadOnlyDictionary<Address, IReadOnlyList<PooledTransaction>> Queued) GetPoolContent() =>
        throw new NotSupportedException("the method txpool_content does not exist/is not available");

    /// <summary>anvil_dropTransaction: false when the pool does not hold it.</summary>
    bool DropTransaction(Hash256 hash) =>
        throw new NotSupportedException("the method anvil_dropTransaction does not exist/is not available");

    /// <summary>anvil_setCoinbase: the coinbase of the blocks sealed from now on.</summary>
    void SetCoinbase(Address coinbase) =>
        throw new NotSupportedException("the method anvil_setCoinbase does not exist/is not available");

    /// <summary>anvil_setNextBlockBaseFeePerGas: the next block's base fee only.</summary>
    void SetNextBlockBaseFeePerGas(UInt256 baseFee) =>
        throw new NotSupportedException("the method anvil_setNextBlockBaseFeePerGas does not exist/is not available");

    /// <summary>anvil_setBlockTimestampInterval: each next block's timestamp is the previous one's plus the interval.</summary>
    void SetBlockTimestampInterval(ulong seconds) =>
        throw new NotSupportedException("the method anvil_setBlockTimestampInterval does not exist/is not available");

    /// <summary>anvil_removeBlockTimestampInterval: true when an interval was set.</summary>
    bool RemoveBlockTimestampInterval() =>
        throw new NotSupportedException("the method anvil_removeBlockTimestampInterval does not exist/is not available");

    /// <summary>evm_setBlockGasLimit: the gas limit of the blocks sealed from now on.</summary>
    void SetBlockGasLimit(ulong gasLimit) =>
        throw new NotSupportedException("the method evm_setBlockGasLimit does not exist/is not available");

    /// <summary>eth_simulateV1 (<see cref="MemberChain.Simulate"/>).</summary>
    IReadOnlyList<SimulatedBlock> Simulate(SimulationRequest request, BlockSelector block) =>
        throw new NotSupportedException("the method eth_simulateV1 does not exist/is not available");

    /// <summary>anvil_reset: back to the genesis block (<see cref="MemberChain.Reset"/>).</summary>
    void Reset() =>
        throw new NotSupportedException("the method anvil_reset does not exist/is not available");

    /// <summary>anvil_setChainId (<see cref="MemberChain.SetChainId"/>).</summary>
    void SetChainId(ulong chainId) =>
        throw new NotSupportedException("the method anvil_setChainId does not exist/is not available");

    /// <summary>The gas limit the next block will have (anvil_nodeInfo).</summary>
    ulong NextBlockGasLimit => Head.GasLimit;

    UInt256 GetBalance(Address address, BlockSelector block);

    ulong GetTransactionCount(Address address, BlockSelector block);

    byte[] GetCode(Address address, BlockSelector block);

    UInt256 GetStorageAt(Address address, UInt256 slot, BlockSelector block);

    /// <summary>Null when no such block.</summary>
    BlockHeader? GetHeader(BlockSelector block);

    /// <summary>Null when no such block (a hash selector selects by hash).</summary>
    Block? GetBlock(BlockSelector block);

    /// <summary>A mined transaction with its location, or a pooled one with a null location; null when unknown.</summary>
    (Transaction Transaction, TransactionLocation? Location)? GetTransaction(Hash256 hash);

    TransactionReceipt? GetReceipt(Hash256 hash);

    IReadOnlyList<TransactionReceipt> GetBlockReceipts(Hash256 blockHash);

    /// <summary>Matching logs in order; the caller stops enumerating at its result limit.</summary>
    IEnumerable<LogRecord> GetLogs(LogFilter filter);

    /// <summary>A cluster block's logs that no receipt holds (synchronous calls it received); log subscriptions send them too.</summary>
    IReadOnlyList<LogRecord> GetSectionLogs(Block block) => [];

    UInt256 GasPrice();

    UInt256 MaxPriorityFeePerGas();

    FeeHistory GetFeeHistory(int blockCount, BlockSelector newest, double[] percentiles);

    IReadOnlyList<Block> Mine(int blocks, ulong? timestamp);

    void SetAutomine(bool enabled);

    /// <summary>Zero stops interval sealing.</summary>
    void SetIntervalMining(TimeSpan interval);

    ulong Snapshot();

    bool Revert(ulong snapshotId);

    /// <summary>Returns the total time offset in seconds.</summary>
    ulong IncreaseTime(ulong seconds);

    void SetNextBlockTimestamp(ulong timestamp);

    /// <summary>Dev state edit (anvil_setBalance); may throw <see cref="NotSupportedException"/>.</summary>
    void SetBalance(Address address, UInt256 balance);

    /// <summary>Dev state edit (anvil_setCode); may throw <see cref="NotSupportedException"/>.</summary>
    void SetCode(Address address, byte[] code);

    /// <summary>Dev state edit (anvil_setNonce); may throw <see cref="NotSupportedException"/>.</summary>
    void SetNonce(Address address, ulong nonce);

    /// <summary>Dev state edit (anvil_setStorageAt); may throw <see cref="NotSupportedException"/>.</summary>
    void SetStorageAt(Address address, UInt256 slot, UInt256 value);

    /// <summary>anvil_dumpState: the head state listed by account.</summary>
    ChainStateDump DumpState() => throw new NotSupportedException("anvil_dumpState is not supported by this backend");

    /// <summary>anvil_loadState: merges the accounts into the head state.</summary>
    void LoadState(IReadOnlyCollection<Thalamus.State.DumpedAccount> accounts) => throw new NotSupportedException("anvil_loadState is not supported by this backend");

    event Action<Block, IReadOnlyList<TransactionReceipt>>? BlockSealed;

    event Action<Hash256>? PendingTransactionAdded;
}
