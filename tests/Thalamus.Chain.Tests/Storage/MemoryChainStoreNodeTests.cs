using Thalamus.Core;
using Xunit;

namespace Thalamus.Chain.Tests.Storage;

public class MemoryChainStoreNodeTests
{
    [Fact]
    public void State_nodes_keep_what_was_put_and_hand_out_copies()
    {
        var nodes = new MemoryChainStore().StateNodes;
        var key = Keccak256.Compute([1, 2, 3]).ToArray();
        var shortKey = new byte[] { 9, 9 };
        nodes.Put(key, [4, 5, 6]);
        nodes.Put(shortKey, [7]);

        var value = nodes.Get(key)!;
        Assert.Equal([4, 5, 6], value);
        value[0] = 0; // a caller's change must not reach the store
        Assert.Equal([4, 5, 6], nodes.Get(key));
        Assert.Equal([7], nodes.Get(shortKey));

        nodes.Delete(key);
        Assert.Null(nodes.Get(key));
        Assert.Null(nodes.Get(Keccak256.Compute([3, 2, 1]).Bytes));
    }

    [Fact]
    public void A_committed_blocks_trie_nodes_are_readable_by_key()
    {
        var store = new MemoryChainStore();
        var genesis = new Block(new BlockHeader { Number = 0, GasLimit = 30_000_000 }, []);
        var keys = Enumerable.Range(0, 50).Select(i => Keccak256.Compute([(byte)i]).ToArray()).ToArray();
        store.CommitBlock(genesis, [], keys.Select((k, i) => KeyValuePair.Create(k, new[] { (byte)i, (byte)(i + 1) })).ToList());
        for (var i = 0; i < keys.Length; i++)
            Assert.Equal(new[] { (byte)i, (byte)(i + 1) }, store.StateNodes.Get(keys[i].AsSpan()));
    }
}
