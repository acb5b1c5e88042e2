using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rpc.Tests;

/// <summary>A backend with fixed answers, for tests of the JSON layer, dispatch and error mapping.</summary>
internal sealed class FakeBackend : IEthereumBackend
{
    public ulong ChainId { get; set; } = 31337;
    public BlockHeader Head { get; set; } = new() { Number = 7, GasLimit = 30_000_000, BaseFeePerGas = 1_000_000_000UL };
    public bool Automine { get; set; } = true;
    public Dictionary<Address, UInt256> Balances { get; } = [];
    public Exception? SendError { get; set; }
    public CallResult? NextCallResult { get; set; }
    public List<string> Calls { get; } = [];

    /// <summary>Runs inside eth_call before it answers (e.g. to hold a call in the backend).</summary>
    public Action? BeforeCall { get; set; }
    public List<LogRecord> Logs { get; } = [];

    public event Action<Block, IReadOnlyList<TransactionReceipt>>? BlockSealed;
    public event Action<Hash256>? PendingTransactionAdded;

    public void RaiseBlockSealed(Block block, IReadOnlyList<TransactionReceipt> receipts) => BlockSealed?.Invoke(block, receipts);

    public void RaisePending(Hash256 hash) => PendingTransactionAdded?.Invoke(hash);

    public Hash256 SendRawTransaction(ReadOnlySpan<byte> raw)
    {
        Calls.Add("send");
        if (SendError is not null) throw SendError;
        return Keccak256.Compute(raw);
    }

    public Hash256 SendTransaction(Transaction signedTransaction) => SendRawTransaction(signedTransaction.Encode());

    public UInt256 NextBaseFee() => Head.BaseFeePerGas;

    public CallResult Call(CallRequest request, BlockSelector block)
    {
        BeforeCall?.Invoke();
        lock (Calls) Calls.Add($"call {block}");
        return NextCallResult ?? new CallResult { Success = true, ReturnData = request.Data ?? [], GasUsed = 21_000 };
    }

    public ulong EstimateGas(CallRequest request, BlockSelector block) => 21_000 + (ulong)(request.Data?.Length ?? 0) * 16;

    public UInt256 GetBalance(Address address, BlockSelector block)
    {
        Calls.Add($"balance {address} {block}");
        return Balances.GetValueOrDefault(address);
    }

    public ulong GetTransactionCount(Address address, BlockSelector block) => block.Kind == BlockSelectorKind.Pending ? 5UL : 4UL;

    public byte[] GetCode(Address address, BlockSelector block) => [0x60, 0x00];

    public UInt256 GetStorageAt(Address address, UInt256 slot, BlockSelector block) => slot + 1;

    public BlockHeader? GetHeader(BlockSelector block) => block.Kind == BlockSelectorKind.Number && block.Number > Head.Number ? null : Head;

    public Block? GetBlock(BlockSelector block) => GetHeader(block) is { } h ? new Block(h, []) : null;

    public (Transaction Transaction, TransactionLocation? Location)? GetTransaction(Hash256 hash) => null;

    public TransactionReceipt? GetReceipt(Hash256 hash) => null;

    public IReadOnlyList<TransactionReceipt> GetBlockReceipts(Hash256 blockHash) => [];

    public IEnumerable<LogRecord> GetLogs(LogFilter filter)
    {
        Calls.Add($"logs {filter.FromBlock}-{filter.ToBlock}");
        return Logs.Where(filter.Matches);
    }

    public UInt256 GasPrice() => 2_000_000_000UL;

    public UInt256 MaxPriorityFeePerGas() => 1_000_000_000UL;

    public FeeHistory GetFeeHistory(int blockCount, BlockSelector newest, double[] percentiles) => new()
    {
        OldestBlock = 0,
        BaseFeePerGas = [1, 2],
        GasUsedRatio = [0.5],
        BaseFeePerBlobGas = [1, 1],
        BlobGasUsedRatio = [0],
    };

    public IReadOnlyList<Block> Mine(int blocks, ulong? timestamp)
    {
        Calls.Add($"mine {blocks} {timestamp}");
        return [];
    }

    public void SetAutomine(bool enabled) => Automine = enabled;

    public void SetIntervalMining(TimeSpan interval) => Calls.Add($"interval {interval.TotalSeconds}");

    public ulong Snapshot() => 1;

    public bool Revert(ulong snapshotId) => snapshotId == 1;

    public ulong IncreaseTime(ulong seconds) => seconds;

    public void SetNextBlockTimestamp(ulong timestamp) => Calls.Add($"timestamp {timestamp}");

    public void SetBalance(Address address, UInt256 balance) => Balances[address] = balance;

    public void SetCode(Address address, byte[] code) => throw new NotSupportedException("anvil_setCode is not supported");

    public void SetNonce(Address address, ulong nonce) => throw new NotSupportedException("anvil_setNonce is not supported");

    public void SetStorageAt(Address address, UInt256 slot, UInt256 value) => throw new NotSupportedException("anvil_setStorageAt is not supported");
}
