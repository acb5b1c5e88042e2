using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Thalamus.State;
using Xunit;

namespace Thalamus.Chain.Tests.Blocks;

public class DerivableRootsTests
{
    /// <summary>The one-entry shortcut (every automined block) must equal the Patricia trie's root.</summary>
    [Fact]
    public void Single_entry_root_equals_the_tries_root()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), value =>
        {
            if (value is null || value.Length == 0) return true; // an empty value deletes: not a derivable-root entry
            var trie = new PatriciaTrie(new MemoryKeyValueStore());
            trie.Set(Rlp.EncodeUInt64(0), value);
            return DerivableRoots.SingleEntryRoot(value) == trie.RootHash;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Single_entry_root_of_a_long_value_equals_the_tries_root()
    {
        var value = new byte[300];
        for (var i = 0; i < value.Length; i++) value[i] = (byte)(i * 7 + 1);
        var trie = new PatriciaTrie(new MemoryKeyValueStore());
        trie.Set(Rlp.EncodeUInt64(0), value);
        Assert.Equal(trie.RootHash, DerivableRoots.SingleEntryRoot(value));
    }
}
