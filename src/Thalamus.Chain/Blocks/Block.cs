using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// A Cancun block: header, transactions, no ommers, withdrawals (always empty on a member chain).
/// Encoding: rlp([header, [tx...], [], [withdrawal...]]) where a typed transaction appears as an
/// RLP string holding its EIP-2718 envelope and a legacy one as its RLP list.
/// </summary>
public sealed class Block
{
    public Block(BlockHeader header, IReadOnlyList<Transaction> transactions, IReadOnlyList<Withdrawal>? withdrawals = null,
        byte[]? clusterSection = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(transactions);
        Header = header;
        Transactions = transactions;
        Withdrawals = withdrawals ?? [];
        ClusterSection = clusterSection;
    }

    /// <summary>
    /// On a cluster member, what the block consumed from other chains besides its transactions
    /// (synchronous cross-chain calls it received and the results its transactions got), as RLP;
    /// the header's extra data holds its Keccak-256 so the block can be re-executed and verified.
    /// Null when there is none. Not part of the Ethereum encoding (<see cref="Encode"/>).
    /// </summary>
    public byte[]? ClusterSection { get; }

    public BlockHeader Header { get; }
    public IReadOnlyList<Transaction> Transactions { get; }
    public IReadOnlyList<Withdrawal> Withdrawals { get; }

    public Hash256 Hash => Header.Hash;
    public ulong Number => Header.Number;

    public byte[] Encode()
    {
        var writer = new RlpWriter(1024);
        var list = writer.StartList();
        Header.WriteTo(writer);
        var txs = writer.StartList();
        foreach (var tx in Transactions)
        {
            var envelope = tx.Encode();
            if (tx.Type == TxType.Legacy) writer.WriteRaw(envelope);
            else writer.WriteBytes(envelope);
        }
        writer.EndList(txs);
        writer.EndList(writer.StartList()); // ommers
        var withdrawals = writer.StartList();
        foreach (var w in Withdrawals)
        {
            var item = writer.StartList();
            writer.WriteUInt64(w.Index);
            writer.WriteUInt64(w.ValidatorIndex);
            writer.WriteAddress(w.Address);
            writer.WriteUInt64(w.AmountGwei);
            writer.EndList(item);
        }
        writer.EndList(withdrawals);
        writer.EndList(list);
        return writer.ToArray();
    }

    /// <exception cref="RlpException">malformed block RLP.</exception>
    /// <exception cref="TransactionDecodingException">a transaction in the body is malformed.</exception>
    public static Block Decode(ReadOnlySpan<byte> encoded)
    {
        var outer = new RlpReader(encoded);
        var fields = outer.ReadList();
        outer.EnsureEnd();
        var header = BlockHeader.Read(ref fields);
        var txReader = fields.ReadList();
        var transactions = new List<Transaction>();
        while (txReader.HasMore)
        {
            // A legacy transaction is an RLP list in the body; a typed one is a string wrapping its envelope.
            var raw = txReader.NextIsList ? txReader.ReadRaw() : txReader.ReadBytes();
            transactions.Add(TransactionDecoder.Decode(raw));
        }
        var ommers = fields.ReadList();
        if (ommers.HasMore) throw new RlpException("a post-merge block has no ommers");
        var withdrawals = new List<Withdrawal>();
        if (fields.HasMore)
        {
            var wReader = fields.ReadList();
            while (wReader.HasMore)
            {
                var w = wReader.ReadList();
                withdrawals.Add(new Withdrawal(w.ReadUInt64(), w.ReadUInt64(), w.ReadAddress(), w.ReadUInt64()));
                w.EnsureEnd();
            }
        }
        fields.EnsureEnd();
        return new Block(header, transactions, withdrawals);
    }

    public override string ToString() => $"block #{Number} {Hash} ({Transactions.Count} txs)";
}
