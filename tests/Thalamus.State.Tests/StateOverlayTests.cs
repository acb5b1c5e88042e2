using Thalamus.Core;
using Thalamus.State;
using Xunit;

namespace Thalamus.State.Tests;

/// <summary>A state opened with a <see cref="StateOverlay"/> must be the state the overlay's changes were made in.</summary>
public class StateOverlayTests
{
    private static readonly Address Kept = Address.Parse("0x00000000000000000000000000000000000000a1");
    private static readonly Address Edited = Address.Parse("0x00000000000000000000000000000000000000a2");
    private static readonly Address Removed = Address.Parse("0x00000000000000000000000000000000000000a3");
    private static readonly Address Created = Address.Parse("0x00000000000000000000000000000000000000a4");
    private static readonly Address[] All = [Kept, Edited, Removed, Created];
    private static readonly UInt256[] Slots = [0, 1, 2, 3];

    /// <summary>A committed state: Kept and Edited with code and storage, Removed with a balance only.</summary>
    private static (MemoryKeyValueStore Store, Hash256 Root) Committed()
    {
        var store = new MemoryKeyValueStore();
        var state = new WorldState(store);
        state.SetBalance(Kept, 10);
        state.SetCode(Kept, [0x60, 0x01]);
        state.SetStorage(Kept, 1, 11);
        state.SetBalance(Edited, 20);
        state.SetNonce(Edited, 2);
        state.SetCode(Edited, [0x60, 0x02]);
        state.SetStorage(Edited, 1, 21);
        state.SetStorage(Edited, 2, 22);
        state.SetBalance(Removed, 30);
        return (store, state.Commit());
    }

    /// <summary>The changes, as the chain's dev edits make them: each one outside any transaction.</summary>
    private static void Change(WorldState state)
    {
        state.SetBalance(Edited, 25);
        state.SetNonce(Edited, 3);
        state.SetCode(Edited, [0x60, 0x03, 0x00]);
        state.SetStorage(Edited, 1, 0);
        state.SetStorage(Edited, 3, 23);
        state.BeginTransaction();
        state.SetBalance(Removed, 0);
        state.Touch(Removed);
        state.EndTransaction();
        state.SetBalance(Created, 40);
        state.SetStorage(Created, 0, 41);
        state.BeginTransaction();
    }

    private static void AssertSameReads(WorldState expected, WorldState actual)
    {
        foreach (var address in All)
        {
            Assert.Equal(expected.AccountExists(address), actual.AccountExists(address));
            Assert.Equal(expected.GetBalance(address), actual.GetBalance(address));
            Assert.Equal(expected.GetNonce(address), actual.GetNonce(address));
            Assert.Equal(expected.GetCodeHash(address), actual.GetCodeHash(address));
            Assert.Equal(expected.GetCode(address), actual.GetCode(address));
            Assert.Equal(expected.HasNonEmptyStorage(address), actual.HasNonEmptyStorage(address));
            foreach (var slot in Slots) Assert.Equal(expected.GetStorage(address, slot), actual.GetStorage(address, slot));
        }
    }

    [Fact]
    public void A_state_opened_with_an_overlay_reads_and_roots_as_the_state_that_made_the_changes()
    {
        var (store, root) = Committed();
        var replayed = new WorldState(store, root);
        Change(replayed);
        var overlay = StateOverlay.Capture(replayed, root, cacheReads: true);
        Assert.NotNull(overlay);
        Assert.Equal(3, overlay.ChangedAccountCount);

        var opened = new WorldState(store, root, null, overlay);
        AssertSameReads(replayed, opened);
        Assert.Equal(replayed.ComputeStateRoot(), opened.ComputeStateRoot());
        // A second state, whose first reads come from the overlay's cache, too.
        var second = new WorldState(store, root, null, overlay);
        Assert.Equal(replayed.ComputeStateRoot(), second.ComputeStateRoot());
        AssertSameReads(replayed, second);
    }

    [Fact]
    public void Two_states_opened_with_one_overlay_change_only_their_own_copies()
    {
        var (store, root) = Committed();
        var replayed = new WorldState(store, root);
        Change(replayed);
        var overlay = StateOverlay.Capture(replayed, root, cacheReads: true)!;

        var first = new WorldState(store, root, null, overlay);
        first.AddToBalance(Kept, 1);          // read from the root, cached in the overlay
        first.SetStorage(Kept, 1, 99);
        first.AddToBalance(Edited, 1);        // changed by the overlay
        first.SetStorage(Edited, 3, 98);
        first.SetCode(Created, [0x00]);
        first.DeleteAccount(Edited);
        first.EndTransaction();
        Assert.False(first.AccountExists(Edited));

        var second = new WorldState(store, root, null, overlay);
        AssertSameReads(replayed, second);
        Assert.Equal(replayed.ComputeStateRoot(), second.ComputeStateRoot());
    }

    [Fact]
    public void A_change_whose_storage_root_exists_only_in_memory_is_not_captured()
    {
        var (store, root) = Committed();
        var replayed = new WorldState(store, root);
        replayed.SetStorage(Edited, 1, 0);
        replayed.SetBalance(Edited, 0);
        replayed.SetNonce(Edited, 0);
        replayed.SetCode(Edited, []);
        // Empty but for slot 2: asking brings its storage root up to date in its own trie.
        Assert.True(replayed.HasNonEmptyStorage(Edited));
        replayed.BeginTransaction();

        Assert.Null(StateOverlay.Capture(replayed, root, cacheReads: true));
    }

    [Fact]
    public void An_overlay_is_refused_over_another_root()
    {
        var (store, root) = Committed();
        var replayed = new WorldState(store, root);
        Change(replayed);
        var overlay = StateOverlay.Capture(replayed, root, cacheReads: false)!;
        var otherRoot = replayed.Commit();

        var error = Assert.Throws<ArgumentException>(() => new WorldState(store, otherRoot, null, overlay));
        Assert.Contains("lies over root", error.Message);
    }
}
