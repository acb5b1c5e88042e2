using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Storage.Tests;

/// <summary>
/// Blocks with varied transactions (all four types, creations, failures) and logs (0 to 4 topics,
/// empty and long data) and no state: for the history side of a store. Deterministic per seed.
/// </summary>
public sealed class BlockFactory
{
    private readonly Random _random;
    private readonly Address[] _emitters;
    private readonly Hash256[] _events;
    private readonly Hash256[] _accounts;
    private BlockHeader? _head;
    private ulong _nonce;

    public BlockFactory(int seed, int emitterCount = 20, int eventCount = 5, int accountCount = 200)
    {
        _random = new Random(seed);
        _emitters = Enumerable.Range(0, emitterCount).Select(i => RandomAddress()).ToArray();
        _events = Enumerable.Range(0, eventCount).Select(i => RandomHash()).ToArray();
        _accounts = Enumerable.Range(0, accountCount).Select(i => Hash256.FromUInt256(RandomAddress().ToUInt256())).ToArray();
    }

    public IReadOnlyList<Address> Emitters => _emitters;
    public IReadOnlyList<Hash256> Events => _events;
    public IReadOnlyList<Hash256> Accounts => _accounts;

    public (Block Block, IReadOnlyList<TransactionReceipt> Receipts) Next(int transactions, int maxLogsPerTransaction)
    {
        var number = _head is null ? 0 : _head.Number + 1;
        var txs = new List<Transaction>(transactions);
        var consensus = new List<Receipt>(transactions);
        ulong cumulative = 0;
        for (var i = 0; i < transactions; i++)
        {
            var tx = RandomTransaction();
            txs.Add(tx);
            var logs = new List<LogEntry>();
            var logCount = _random.Next(maxLogsPerTransaction + 1);
            for (var l = 0; l < logCount; l++) logs.Add(RandomLog());
            cumulative += 21_000 + (ulong)_random.Next(100_000);
            consensus.Add(new Receipt(tx.Type, _random.Next(10) != 0, cumulative, logs));
        }
        var bloom = new Bloom();
        foreach (var r in consensus) bloom.Accumulate(r.Bloom);
        var header = new BlockHeader
        {
            ParentHash = _head?.Hash ?? Hash256.Zero,
            Number = number,
            StateRoot = RandomHash(),
            TransactionsRoot = DerivableRoots.Transactions(txs),
            ReceiptsRoot = DerivableRoots.Receipts(consensus),
            LogsBloom = bloom,
            GasLimit = 30_000_000,
            GasUsed = cumulative,
            Timestamp = 1_700_000_000 + number,
            BaseFeePerGas = 7,
            BlobGasUsed = (ulong)_random.Next(3) * BlobGas.GasPerBlob,
            ExcessBlobGas = (ulong)_random.Next(1000),
            ParentBeaconBlockRoot = RandomHash(),
            PrevRandao = RandomHash(),
        };
        var block = new Block(header, txs);
        var receipts = new TransactionReceipt[txs.Count];
        var firstLog = 0;
        for (var i = 0; i < receipts.Length; i++)
        {
            var tx = txs[i];
            receipts[i] = new TransactionReceipt
            {
                Receipt = consensus[i],
                TransactionHash = tx.Hash,
                TransactionIndex = i,
                BlockHash = block.Hash,
                BlockNumber = number,
                From = RandomAddress(),
                To = tx.To,
                ContractAddress = tx.To is null ? RandomAddress() : null,
                GasUsed = 21_000 + (ulong)i,
                EffectiveGasPrice = new UInt256((ulong)_random.NextInt64(), (ulong)_random.Next(3)),
                BlobGasUsed = tx.BlobGas,
                BlobGasPrice = tx.Type == TxType.Blob ? (_random.Next(2) == 0 ? UInt256.Zero : (UInt256)(ulong)_random.Next(1, 1000)) : null,
                FirstLogIndex = firstLog,
            };
            firstLog += consensus[i].Logs.Count;
        }
        _head = header;
        return (block, receipts);
    }

    private Transaction RandomTransaction()
    {
        var type = (TxType)_random.Next(4);
        var create = type is not TxType.Blob && _random.Next(8) == 0;
        var data = new byte[_random.Next(4) == 0 ? _random.Next(2000) : _random.Next(70)];
        _random.NextBytes(data);
        return new Transaction
        {
            Type = type,
            ChainId = type == TxType.Legacy && _random.Next(2) == 0 ? null : 31337UL,
            Nonce = _nonce++,
            GasPrice = (ulong)_random.Next(1, 1_000_000),
            MaxPriorityFeePerGas = (ulong)_random.Next(1, 1000),
            MaxFeePerGas = (ulong)_random.Next(1000, 1_000_000),
            GasLimit = 21_000 + (ulong)_random.Next(1_000_000),
            To = create ? null : RandomAddress(),
            Value = (ulong)_random.NextInt64(),
            Data = data,
            AccessList = type is TxType.Legacy || _random.Next(2) == 0 ? [] : [new AccessListEntry(RandomAddress(), [UInt256.One, (UInt256)7UL])],
            MaxFeePerBlobGas = type == TxType.Blob ? (UInt256)5UL : UInt256.Zero,
            BlobVersionedHashes = type == TxType.Blob ? [Blob()] : [],
            V = type == TxType.Legacy ? 27UL : (ulong)_random.Next(2),
            R = (ulong)_random.NextInt64(1, long.MaxValue),
            S = (ulong)_random.NextInt64(1, long.MaxValue),
        };
    }

    private Hash256 Blob()
    {
        var bytes = RandomHash().ToArray();
        bytes[0] = 0x01;
        return new Hash256(bytes);
    }

    private LogEntry RandomLog()
    {
        // Skewed towards the first emitters and events, like real contracts.
        var emitter = _emitters[Math.Min(_emitters.Length - 1, (int)(_emitters.Length * Math.Pow(_random.NextDouble(), 2)))];
        var topicCount = _random.Next(10) switch { 0 => 0, 1 => 1, 2 => 4, 3 => 2, _ => 3 };
        var topics = new Hash256[topicCount];
        if (topicCount > 0) topics[0] = _events[Math.Min(_events.Length - 1, (int)(_events.Length * Math.Pow(_random.NextDouble(), 2)))];
        for (var t = 1; t < topicCount; t++) topics[t] = _accounts[_random.Next(_accounts.Length)];
        var data = new byte[_random.Next(3) switch { 0 => 0, 1 => 32, _ => _random.Next(200) }];
        _random.NextBytes(data);
        return new LogEntry(emitter, topics, data);
    }

    private Address RandomAddress()
    {
        Span<byte> bytes = stackalloc byte[20];
        _random.NextBytes(bytes);
        return new Address(bytes);
    }

    private Hash256 RandomHash()
    {
        Span<byte> bytes = stackalloc byte[32];
        _random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
