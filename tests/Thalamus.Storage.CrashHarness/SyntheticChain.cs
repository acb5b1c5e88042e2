using System.Buffers.Binary;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Storage.CrashHarness;

/// <summary>
/// A deterministic chain of ERC-20-like blocks built straight from the Chain types (no EVM): each
/// transaction bumps its sender's nonce, pays a fee, increments a counter slot and a per-recipient
/// slot of a token contract, and emits a Transfer log. Real trie nodes, real state roots; the
/// state after block n is known in closed form, so a reader can check it.
/// </summary>
public sealed class SyntheticChain
{
    public const int SenderCount = 64;
    public static readonly Address Token = Address.Parse("0x00000000000000000000000000000000000c0de1");
    public static readonly Hash256 TransferTopic = Abi.EventTopic("Transfer(address,address,uint256)");
    private static readonly AbiSelector Transfer = Abi.Selector("transfer(address,uint256)");
    public static readonly UInt256 CounterSlot = UInt256.Zero;
    public static readonly UInt256 InitialBalance = UInt256.Parse("1000000000000000000000");
    public const ulong FeePerTransaction = 21_000;

    private readonly IChainStore _store;
    private RecordingKeyValueStore _overlay;
    private WorldState _state;
    private BlockHeader _head;

    public SyntheticChain(IChainStore store, ulong chainId, int transactionsPerBlock)
    {
        _store = store;
        ChainId = chainId;
        TransactionsPerBlock = transactionsPerBlock;
        _overlay = new RecordingKeyValueStore(store.StateNodes);
        if (store.HeadNumber is { } head)
        {
            _head = store.GetHeader(head) ?? throw new InvalidOperationException($"head #{head} missing");
            _state = new WorldState(_overlay, _head.StateRoot);
        }
        else
        {
            _state = new WorldState(_overlay);
            for (var i = 0; i < SenderCount; i++) _state.SetBalance(Sender(i), InitialBalance);
            _state.SetCode(Token, [0x60, 0x00, 0x60, 0x00, 0xfd]); // PUSH 0 PUSH 0 REVERT: any code will do
            var root = _state.Commit();
            var genesis = new Block(new BlockHeader { Number = 0, StateRoot = root, GasLimit = 30_000_000, Timestamp = 1_700_000_000 }, []);
            store.CommitBlock(genesis, [], _overlay.Drain());
            _head = genesis.Header;
        }
    }

    public ulong ChainId { get; }
    public int TransactionsPerBlock { get; }
    public BlockHeader Head => _head;

    public static Address Sender(int index)
    {
        Span<byte> bytes = stackalloc byte[20];
        bytes[0] = 0xa0;
        BinaryPrimitives.WriteInt32BigEndian(bytes[16..], index);
        return new Address(bytes);
    }

    public static Address Recipient(ulong globalIndex)
    {
        Span<byte> bytes = stackalloc byte[20];
        bytes[0] = 0xb0;
        BinaryPrimitives.WriteUInt64BigEndian(bytes[12..], globalIndex);
        return new Address(bytes);
    }

    /// <summary>The token slot counting transfers to <paramref name="recipient"/>.</summary>
    public static UInt256 RecipientSlot(Address recipient) => recipient.ToUInt256() + 1;

    /// <summary>Transfers in blocks 1..n (what the counter slot holds after block n).</summary>
    public ulong TransfersUpTo(ulong number) => number * (ulong)TransactionsPerBlock;

    /// <summary>Builds the next block and its receipts and new trie nodes, without committing it.</summary>
    public (Block Block, IReadOnlyList<TransactionReceipt> Receipts, IReadOnlyCollection<KeyValuePair<byte[], byte[]>> Nodes) BuildNext()
    {
        var number = _head.Number + 1;
        var transactions = new List<Transaction>(TransactionsPerBlock);
        var consensus = new List<Receipt>(TransactionsPerBlock);
        var metadata = new List<(Address From, Address To)>(TransactionsPerBlock);
        ulong cumulative = 0;
        var counter = _state.GetStorage(Token, CounterSlot);
        for (var i = 0; i < TransactionsPerBlock; i++)
        {
            var global = (number - 1) * (ulong)TransactionsPerBlock + (ulong)i;
            var sender = Sender((int)(global % SenderCount));
            var recipient = Recipient(global);
            var nonce = _state.GetNonce(sender);
            var amount = new UInt256(global + 1);
            var data = Abi.EncodeCall(Transfer, recipient, amount);
            var tx = new Transaction
            {
                Type = TxType.Legacy,
                Nonce = nonce,
                GasPrice = 1,
                GasLimit = 60_000,
                To = Token,
                Data = data,
                // A synthetic signature: the store never recovers senders.
                V = 27,
                R = new UInt256(global + 1),
                S = new UInt256(number),
            };
            transactions.Add(tx);

            _state.BeginTransaction();
            _state.SetNonce(sender, nonce + 1);
            _state.SubtractFromBalance(sender, FeePerTransaction);
            counter += 1;
            _state.SetStorage(Token, CounterSlot, counter);
            var slot = RecipientSlot(recipient);
            _state.SetStorage(Token, slot, _state.GetStorage(Token, slot) + amount);
            _state.EndTransaction();

            cumulative += FeePerTransaction;
            var log = new LogEntry(Token, [TransferTopic, Hash256.FromUInt256(sender.ToUInt256()), Hash256.FromUInt256(recipient.ToUInt256())], amount.ToBigEndian());
            consensus.Add(new Receipt(TxType.Legacy, true, cumulative, [log]));
            metadata.Add((sender, recipient));
        }
        var stateRoot = _state.Commit();
        var bloom = new Bloom();
        foreach (var r in consensus) bloom.Accumulate(r.Bloom);
        var header = new BlockHeader
        {
            ParentHash = _head.Hash,
            Number = number,
            StateRoot = stateRoot,
            TransactionsRoot = DerivableRoots.Transactions(transactions),
            ReceiptsRoot = DerivableRoots.Receipts(consensus),
            LogsBloom = bloom,
            GasLimit = 30_000_000,
            GasUsed = cumulative,
            Timestamp = _head.Timestamp + 1,
            BaseFeePerGas = 1,
            ExtraData = BitConverter.GetBytes(ChainId),
        };
        var block = new Block(header, transactions);
        var receipts = new TransactionReceipt[transactions.Count];
        for (var i = 0; i < receipts.Length; i++)
        {
            receipts[i] = new TransactionReceipt
            {
                Receipt = consensus[i],
                TransactionHash = transactions[i].Hash,
                TransactionIndex = i,
                BlockHash = block.Hash,
                BlockNumber = number,
                From = metadata[i].From,
                To = Token,
                GasUsed = FeePerTransaction,
                EffectiveGasPrice = 1,
                FirstLogIndex = i,
            };
        }
        return (block, receipts, _overlay.Drain());
    }

    /// <summary>Call after the block from <see cref="BuildNext"/> is committed (or staged).</summary>
    public void Advance(Block block) => _head = block.Header;

    /// <summary>Builds and commits the next block through <see cref="IChainStore.CommitBlock"/>.</summary>
    public Block CommitNext()
    {
        var (block, receipts, nodes) = BuildNext();
        _store.CommitBlock(block, receipts, nodes);
        Advance(block);
        return block;
    }

    /// <summary>Forgets uncommitted state (after a failed commit) and resumes at the store's head.</summary>
    public void Reload()
    {
        _overlay = new RecordingKeyValueStore(_store.StateNodes);
        _head = _store.GetHeader(_store.HeadNumber!.Value)!;
        _state = new WorldState(_overlay, _head.StateRoot);
    }
}
