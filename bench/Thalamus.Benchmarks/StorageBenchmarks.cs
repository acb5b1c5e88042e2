using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;
using Thalamus.Storage;

namespace Thalamus.Benchmarks;

/// <summary>
/// One <see cref="SqliteChainStore.CommitBlock"/> (one SQLite transaction) of a block of N
/// ERC-20-like transfers: transactions, receipts, one Transfer log each (log index rows), and the
/// trie nodes of the new state (real nodes: a world state over the store, with a fresh storage
/// slot per transfer). Building the block is not measured; the database grows over the run as a
/// real chain's does. Run: dotnet run -c Release --project bench/Thalamus.Benchmarks -- --filter '*Storage*' --job short
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 20, invocationCount: 1)]
public class StorageBenchmarks
{
    private static readonly Address Token = Address.Parse("0x00000000000000000000000000000000000c0de1");
    private static readonly Hash256 TransferTopic = Abi.EventTopic("Transfer(address,address,uint256)");

    private string _directory = "";
    private ClusterDatabase? _database;
    private SqliteChainStore? _store;
    private RecordingKeyValueStore? _overlay;
    private WorldState? _state;
    private BlockHeader? _head;
    private ulong _transfers;
    private (Block Block, TransactionReceipt[] Receipts, IReadOnlyCollection<KeyValuePair<byte[], byte[]>> Nodes) _next;

    [Params(1, 1000)]
    public int TransactionsPerBlock { get; set; }

    [Params(DurabilityMode.ProcessCrashSafe, DurabilityMode.PowerLossSafe)]
    public DurabilityMode Durability { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "thalamus-storage-bench-" + Guid.NewGuid().ToString("N"));
        _database = ClusterDatabase.Open(Path.Combine(_directory, "bench.db"), new ClusterDatabaseOptions { Durability = Durability });
        _store = _database.GetChainStore(1);
        _overlay = new RecordingKeyValueStore(_store.StateNodes);
        _state = new WorldState(_overlay);
        for (var i = 0; i < 64; i++) _state.SetBalance(Sender(i), UInt256.Parse("1000000000000000000000"));
        _state.SetCode(Token, [0x60, 0x00, 0x60, 0x00, 0xfd]);
        var genesis = new Block(new BlockHeader { StateRoot = _state.Commit(), GasLimit = 30_000_000 }, []);
        _store.CommitBlock(genesis, [], _overlay.Drain());
        _head = genesis.Header;
        // Some history first, so the b-trees are not trivially small.
        for (var i = 0; i < 20; i++)
        {
            BuildNext();
            Commit();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database?.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [IterationSetup]
    public void BuildNext()
    {
        var number = _head!.Number + 1;
        var state = _state!;
        var txs = new Transaction[TransactionsPerBlock];
        var consensus = new Receipt[TransactionsPerBlock];
        var from = new Address[TransactionsPerBlock];
        ulong cumulative = 0;
        for (var i = 0; i < txs.Length; i++)
        {
            var global = _transfers++;
            var sender = Sender((int)(global % 64));
            var recipient = Recipient(global);
            var nonce = state.GetNonce(sender);
            txs[i] = new Transaction { Type = TxType.Legacy, Nonce = nonce, GasPrice = 1, GasLimit = 60_000, To = Token, Data = new byte[68], V = 27, R = global + 1, S = number };
            state.BeginTransaction();
            state.SetNonce(sender, nonce + 1);
            state.SetStorage(Token, recipient.ToUInt256(), global + 1);
            state.EndTransaction();
            cumulative += 21_000;
            var log = new LogEntry(Token, [TransferTopic, Hash256.FromUInt256(sender.ToUInt256()), Hash256.FromUInt256(recipient.ToUInt256())], new byte[32]);
            consensus[i] = new Receipt(TxType.Legacy, true, cumulative, [log]);
            from[i] = sender;
        }
        var header = new BlockHeader { ParentHash = _head.Hash, Number = number, StateRoot = state.Commit(), GasUsed = cumulative, GasLimit = 30_000_000 };
        var block = new Block(header, txs);
        var receipts = new TransactionReceipt[txs.Length];
        for (var i = 0; i < receipts.Length; i++)
        {
            receipts[i] = new TransactionReceipt
            {
                Receipt = consensus[i], TransactionHash = txs[i].Hash, TransactionIndex = i, BlockHash = block.Hash, BlockNumber = number,
                From = from[i], To = Token, GasUsed = 21_000, EffectiveGasPrice = 1, FirstLogIndex = i,
            };
        }
        _next = (block, receipts, _overlay!.Drain());
    }

    [Benchmark]
    public void Commit()
    {
        _store!.CommitBlock(_next.Block, _next.Receipts, _next.Nodes);
        _head = _next.Block.Header;
    }

    private static Address Sender(int index)
    {
        Span<byte> bytes = stackalloc byte[20];
        bytes[0] = 0xa0;
        bytes[19] = (byte)index;
        return new Address(bytes);
    }

    private static Address Recipient(ulong index)
    {
        Span<byte> bytes = stackalloc byte[20];
        bytes[0] = 0xb0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[12..], index);
        return new Address(bytes);
    }
}
