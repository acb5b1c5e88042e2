using Thalamus.Core;
using Xunit;

namespace Thalamus.State.Tests;

/// <summary>A world state that reads through to a remote chain's state (fork mode).</summary>
public class ForkedWorldStateTests
{
    private static readonly Address Token = Address.Parse("0x00000000000000000000000000000000000000c0");
    private static readonly Address Holder = Address.Parse("0x00000000000000000000000000000000000000a1");
    private static readonly Address Fresh = Address.Parse("0x00000000000000000000000000000000000000f0");

    /// <summary>A remote with one contract (slot 1 = 500) and one funded account; counts the reads; can be stopped.</summary>
    private sealed class FakeRemote : IRemoteStateSource
    {
        public int Reads;
        public bool Stopped;

        public RemoteAccount? GetAccount(in Address address)
        {
            Read();
            if (address == Token) return new RemoteAccount(1, 0, [0x60, 0x00]);
            if (address == Holder) return new RemoteAccount(3, 1000, []);
            return null;
        }

        public UInt256 GetStorage(in Address address, in UInt256 slot)
        {
            Read();
            return address == Token && slot == 1 ? 500 : UInt256.Zero;
        }

        private void Read()
        {
            if (Stopped) throw new RemoteStateException("remote stopped");
            Reads++;
        }
    }

    [Fact]
    public void Accounts_code_and_slots_the_local_trie_lacks_are_the_remote_s()
    {
        var state = new WorldState(new MemoryKeyValueStore(), Keccak256.OfEmptyList, new FakeRemote());

        Assert.Equal((UInt256)1000, state.GetBalance(Holder));
        Assert.Equal((ulong)3, state.GetNonce(Holder));
        Assert.Equal(new byte[] { 0x60, 0x00 }, state.GetCode(Token));
        Assert.Equal((UInt256)500, state.GetStorage(Token, 1));
        Assert.False(state.AccountExists(Fresh));
    }

    [Fact]
    public void A_slot_cleared_locally_stays_zero_after_a_commit_and_does_not_read_through_again()
    {
        var store = new MemoryKeyValueStore();
        var remote = new FakeRemote();
        var state = new WorldState(store, Keccak256.OfEmptyList, remote);
        state.SetStorage(Token, 1, 0);
        state.AddToBalance(Holder, 1);
        state.EndTransaction();
        var root = state.Commit();

        var reopened = new WorldState(store, root, remote);

        Assert.Equal(UInt256.Zero, reopened.GetStorage(Token, 1));
        Assert.Equal((UInt256)1001, reopened.GetBalance(Holder));
        Assert.Equal((ulong)3, reopened.GetNonce(Holder));
        Assert.Equal(new byte[] { 0x60, 0x00 }, reopened.GetCode(Token));
    }

    [Fact]
    public void The_cache_serves_what_was_read_after_the_remote_stops_and_names_the_failure_for_the_rest()
    {
        var remote = new FakeRemote();
        var cached = new CachingRemoteStateSource(remote);
        var state = new WorldState(new MemoryKeyValueStore(), Keccak256.OfEmptyList, cached);
        Assert.Equal((UInt256)500, state.GetStorage(Token, 1));
        var reads = remote.Reads;
        remote.Stopped = true;

        var again = new WorldState(new MemoryKeyValueStore(), Keccak256.OfEmptyList, cached);
        Assert.Equal((UInt256)500, again.GetStorage(Token, 1));
        Assert.Equal(reads, remote.Reads);
        var error = Assert.Throws<RemoteStateException>(() => again.GetBalance(Holder));
        Assert.Equal("remote stopped", error.Message);
    }
}
