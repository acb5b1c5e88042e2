using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Settlement;

/// <summary>
/// One block of a batch as the asserter commits to it: <c>keccak256(keccak256(abi.encode(slot, chainId, number,
/// blockHash, stateRoot)))</c> (the contract's <c>leafOf</c>; hashed twice like OpenZeppelin's standard tree).
/// </summary>
public readonly record struct BlockLeaf(ulong Slot, ulong ChainId, ulong Number, Hash256 BlockHash, Hash256 StateRoot)
{
    public static BlockLeaf Of(ulong slot, ulong chainId, BlockHeader header) => new(slot, chainId, header.Number, header.Hash, header.StateRoot);

    public Hash256 Hash => Keccak256.Compute(Keccak256.Compute(Abi.Encode(Slot, ChainId, Number, BlockHash, StateRoot)).Bytes);
}

/// <summary>
/// The Merkle tree the contract computes over a batch's leaves and OpenZeppelin's <c>MerkleProof</c> verifies: pairs
/// hashed in sorted order (commutative), an odd last node carried up unchanged. Also used for the message root.
/// </summary>
public static class SettlementMerkle
{
    public static Hash256 Root(IReadOnlyList<Hash256> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0) return Hash256.Zero;
        var level = leaves.ToArray();
        var n = level.Length;
        while (n > 1)
        {
            var half = (n + 1) / 2;
            for (var i = 0; i < n / 2; i++) level[i] = Pair(level[2 * i], level[2 * i + 1]);
            if (n % 2 == 1) level[half - 1] = level[n - 1];
            n = half;
        }
        return level[0];
    }

    /// <summary>The siblings that prove leaf <paramref name="index"/> (bottom up).</summary>
    public static IReadOnlyList<Hash256> Proof(IReadOnlyList<Hash256> leaves, int index)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leaves.Count);
        var proof = new List<Hash256>();
        var level = leaves.ToArray();
        var n = level.Length;
        while (n > 1)
        {
            var sibling = index ^ 1;
            if (sibling < n) proof.Add(level[sibling]);
            var half = (n + 1) / 2;
            for (var i = 0; i < n / 2; i++) level[i] = Pair(level[2 * i], level[2 * i + 1]);
            if (n % 2 == 1) level[half - 1] = level[n - 1];
            index /= 2;
            n = half;
        }
        return proof;
    }

    /// <summary>MerkleProof.verify's rule: fold the siblings into the leaf.</summary>
    public static bool Verify(IReadOnlyList<Hash256> proof, Hash256 root, Hash256 leaf)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var node = leaf;
        foreach (var sibling in proof) node = Pair(node, sibling);
        return node == root;
    }

    private static Hash256 Pair(Hash256 a, Hash256 b)
    {
        Span<byte> buffer = stackalloc byte[64];
        var (low, high) = a.Bytes.SequenceCompareTo(b.Bytes) < 0 ? (a, b) : (b, a);
        low.Bytes.CopyTo(buffer);
        high.Bytes.CopyTo(buffer[32..]);
        return Keccak256.Compute(buffer);
    }
}

/// <summary>
/// The leaves of a batch's message root: every <c>MessageSent</c> of the ClusterMessenger in a block's receipts
/// (<c>keccak256(abi.encode(chainId, number, transactionIndex, logIndex, messageId))</c>) and every block's cluster
/// section, i.e. the synchronous calls it received and the results its calls got
/// (<c>keccak256(abi.encode(chainId, number, keccak256(section)))</c>), in batch order.
/// </summary>
public static class MessageLeaves
{
    /// <summary>The messenger's address and event (src/Thalamus.Cluster/ClusterPredeploys.cs, contracts/src/cluster/IClusterMessenger.sol).</summary>
    public static readonly Address Messenger = Address.Parse("0x4200000000000000000000000000000000000023");

    public static readonly Hash256 MessageSentTopic = Abi.EventTopic("MessageSent(bytes32,uint256,address,address,uint256,bytes)");

    public static void Add(List<Hash256> leaves, ulong chainId, ulong number, IReadOnlyList<Receipt> receipts, byte[]? section)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentNullException.ThrowIfNull(receipts);
        for (var i = 0; i < receipts.Count; i++)
        {
            var logs = receipts[i].Logs;
            for (var j = 0; j < logs.Count; j++)
            {
                var log = logs[j];
                if (log.Address != Messenger || log.Topics.Length < 2 || log.Topics[0] != MessageSentTopic) continue;
                leaves.Add(Keccak256.Compute(Abi.Encode(chainId, number, (ulong)i, (ulong)j, log.Topics[1])));
            }
        }
        if (section is { Length: > 0 }) leaves.Add(Keccak256.Compute(Abi.Encode(chainId, number, Keccak256.Compute(section))));
    }
}
