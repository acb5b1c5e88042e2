using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>The transactions and receipts roots: Patricia tries keyed by rlp(index) over the EIP-2718 envelopes.</summary>
public static class DerivableRoots
{
    public static Hash256 Transactions(IReadOnlyList<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        return Compute(transactions.Count, i => transactions[i].Encode());
    }

    internal static Hash256 Transactions(IReadOnlyList<PooledTransaction> transactions) =>
        Compute(transactions.Count, i => transactions[i].Transaction.Encode());

    public static Hash256 Receipts(IReadOnlyList<Receipt> receipts)
    {
        ArgumentNullException.ThrowIfNull(receipts);
        return Compute(receipts.Count, i => receipts[i].Encode());
    }

    /// <summary>
    /// The root of a trie holding the one key rlp(0) = 0x80: a single leaf node, [hex-prefix path,
    /// value], whose path is the even-length leaf prefix 0x20 and the key byte 0x80. Every
    /// automined block has one transaction; this skips building a trie for it.
    /// </summary>
    public static Hash256 SingleEntryRoot(ReadOnlySpan<byte> value) =>
        Keccak256.Compute(Rlp.EncodeList(SingleEntryPath, Rlp.EncodeBytes(value)));

    private static readonly byte[] SingleEntryPath = Rlp.EncodeBytes([0x20, 0x80]);

    private static Hash256 Compute(int count, Func<int, byte[]> encode)
    {
        if (count == 0) return Keccak256.OfEmptyList;
        if (count == 1) return SingleEntryRoot(encode(0));
        var trie = new PatriciaTrie(NullKeyValueStore.Instance);
        Span<byte> key = stackalloc byte[9];
        for (var i = 0; i < count; i++)
        {
            var length = Rlp.WriteUInt64(key, (ulong)i);
            trie.Set(key[..length], encode(i));
        }
        return trie.RootHash;
    }
}
