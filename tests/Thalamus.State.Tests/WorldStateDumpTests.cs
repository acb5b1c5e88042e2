using Thalamus.Core;
using Xunit;

namespace Thalamus.State.Tests;

/// <summary>Listing a state by address and slot through the recorded preimages (anvil_dumpState).</summary>
public class WorldStateDumpTests
{
    private static readonly Address Alice = Address.Parse("0x00000000000000000000000000000000000000a1");
    private static readonly Address Contract = Address.Parse("0x00000000000000000000000000000000000000c0");

    [Fact]
    public void A_state_reopened_from_its_store_lists_every_account_code_and_non_zero_slot()
    {
        var store = new MemoryKeyValueStore();
        var state = new WorldState(store);
        state.SetBalance(Alice, 1234);
        state.SetNonce(Alice, 5);
        state.SetCode(Contract, [0x60, 0x01]);
        state.SetStorage(Contract, 7, 42);
        state.SetStorage(Contract, 8, 9);
        state.EndTransaction();
        state.Commit();
        state.SetStorage(Contract, 8, 0); // cleared in a later block: not listed
        state.SetStorage(Contract, 10, 11);
        state.EndTransaction();
        var root = state.Commit();

        var dump = new WorldState(store, root).DumpAccounts().ToDictionary(a => a.Address);

        Assert.Equal(2, dump.Count);
        Assert.Equal((ulong)5, dump[Alice].Nonce);
        Assert.Equal((UInt256)1234, dump[Alice].Balance);
        Assert.Empty(dump[Alice].Storage);
        Assert.Equal(new byte[] { 0x60, 0x01 }, dump[Contract].Code);
        Assert.Equal(
            new Dictionary<UInt256, UInt256> { [7] = 42, [10] = 11 },
            dump[Contract].Storage.ToDictionary(p => p.Key, p => p.Value));
    }

    [Fact]
    public void Uncommitted_changes_are_listed_with_the_committed_ones()
    {
        var store = new MemoryKeyValueStore();
        var state = new WorldState(store);
        state.SetBalance(Alice, 1);
        state.EndTransaction();
        var root = state.Commit();
        var reopened = new WorldState(store, root);
        reopened.SetCode(Contract, [0x00]);
        reopened.SetStorage(Contract, 3, 4);
        reopened.EndTransaction();

        var dump = reopened.DumpAccounts();

        Assert.Equal([Alice, Contract], dump.Select(a => a.Address).OrderBy(a => a.ToString()).ToArray());
        Assert.Equal((UInt256)4, Assert.Single(dump.Single(a => a.Address == Contract).Storage).Value);
    }

    [Fact]
    public void A_key_without_a_recorded_preimage_is_refused_with_the_reason()
    {
        var store = new MemoryKeyValueStore();
        var state = new WorldState(store);
        state.SetBalance(Alice, 1);
        state.EndTransaction();
        var root = state.Commit();
        // A state written before preimages were kept: the address's preimage is gone.
        var key = new byte[StatePreimages.KeyLength];
        key[0] = StatePreimages.Prefix;
        Keccak256.Compute(Alice.Bytes).Bytes.CopyTo(key.AsSpan(1));
        Assert.NotNull(store.Get(key));
        store.Delete(key);

        var error = Assert.Throws<InvalidOperationException>(() => new WorldState(store, root).DumpAccounts());

        Assert.Contains("was not recorded", error.Message, StringComparison.Ordinal);
    }
}
