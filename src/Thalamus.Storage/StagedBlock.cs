using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Storage;

/// <summary>
/// A block accepted by a chain store but not yet durable: its encodings are computed on the
/// committing thread (outside the database write lock) and it answers reads until the
/// transaction that writes it has committed.
/// </summary>
internal sealed class StagedBlock
{
    private Dictionary<Hash256, int>? _txIndexByHash;

    public StagedBlock(Block block, IReadOnlyList<TransactionReceipt> receipts)
    {
        Block = block;
        Receipts = receipts;
        Hash = block.Hash;
        HeaderRlp = block.Header.Encode();
        WithdrawalsRlp = block.Withdrawals.Count == 0 ? null : EncodeWithdrawals(block.Withdrawals);
        var count = block.Transactions.Count;
        TransactionRaw = new byte[count][];
        TransactionHashes = new Hash256[count];
        ReceiptRlp = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var tx = block.Transactions[i];
            TransactionRaw[i] = tx.Encode();
            TransactionHashes[i] = tx.Hash;
            ReceiptRlp[i] = ReceiptCodec.Encode(receipts[i]);
        }
    }

    public Block Block { get; }
    public IReadOnlyList<TransactionReceipt> Receipts { get; }
    public Hash256 Hash { get; }
    public ulong Number => Block.Number;
    public byte[] HeaderRlp { get; }
    public byte[]? WithdrawalsRlp { get; }
    public byte[]? ClusterSection => Block.ClusterSection;
    public byte[][] TransactionRaw { get; }
    public Hash256[] TransactionHashes { get; }
    public byte[][] ReceiptRlp { get; }

    public int IndexOf(Hash256 txHash)
    {
        if (TransactionHashes.Length <= 16) return Array.IndexOf(TransactionHashes, txHash);
        _txIndexByHash ??= BuildIndex();
        return _txIndexByHash.TryGetValue(txHash, out var index) ? index : -1;
    }

    private Dictionary<Hash256, int> BuildIndex()
    {
        var index = new Dictionary<Hash256, int>(TransactionHashes.Length);
        for (var i = 0; i < TransactionHashes.Length; i++) index.TryAdd(TransactionHashes[i], i);
        return index;
    }

    public static byte[] EncodeWithdrawals(IReadOnlyList<Withdrawal> withdrawals)
    {
        var writer = new RlpWriter(64 * withdrawals.Count + 8);
        var list = writer.StartList();
        foreach (var w in withdrawals)
        {
            var item = writer.StartList();
            writer.WriteUInt64(w.Index);
            writer.WriteUInt64(w.ValidatorIndex);
            writer.WriteAddress(w.Address);
            writer.WriteUInt64(w.AmountGwei);
            writer.EndList(item);
        }
        writer.EndList(list);
        return writer.ToArray();
    }

    public static List<Withdrawal> DecodeWithdrawals(ReadOnlySpan<byte> encoded)
    {
        var outer = new RlpReader(encoded);
        var list = outer.ReadList();
        outer.EnsureEnd();
        var result = new List<Withdrawal>();
        while (list.HasMore)
        {
            var w = list.ReadList();
            result.Add(new Withdrawal(w.ReadUInt64(), w.ReadUInt64(), w.ReadAddress(), w.ReadUInt64()));
            w.EnsureEnd();
        }
        return result;
    }
}
