using Thalamus.Core;
using Thalamus.State;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Node;

public class MemberChainDevStateTests
{
    private static readonly TestAccount Alice = TestAccount.Alice;
    private static readonly Address Target = Address.Parse("0x00000000000000000000000000000000000000aa");

    [Fact]
    public void Setters_are_visible_at_latest_without_a_block()
    {
        var chain = NewChain(out _);
        var head = chain.Head;
        var code = StorageRuntime();

        chain.SetBalance(Target, Ether(7));
        chain.SetNonce(Target, 5);
        chain.SetCode(Target, code);
        chain.SetStorageAt(Target, 3, 99);

        Assert.Equal(head.Hash, chain.Head.Hash); // no block sealed
        Assert.Equal(Ether(7), chain.GetBalance(Target, BlockSelector.Latest));
        Assert.Equal(5UL, chain.GetTransactionCount(Target, BlockSelector.Latest));
        Assert.Equal(5UL, chain.GetTransactionCount(Target, BlockSelector.Pending));
        Assert.Equal(code, chain.GetCode(Target, BlockSelector.Latest));
        Assert.Equal((UInt256)99UL, chain.GetStorageAt(Target, 3, BlockSelector.Latest));
        Assert.Equal((UInt256)99UL, chain.GetStorageAt(Target, 3, BlockSelector.FromNumber(head.Number)));

        // Overwriting works, and zero storage deletes the slot.
        chain.SetBalance(Target, 1);
        chain.SetStorageAt(Target, 3, 0);
        Assert.Equal(UInt256.One, chain.GetBalance(Target, BlockSelector.Latest));
        Assert.Equal(UInt256.Zero, chain.GetStorageAt(Target, 3, BlockSelector.Latest));
    }

    [Fact]
    public void Next_block_includes_the_edits_and_its_state_root_reflects_them()
    {
        var chain = NewChain(out _);
        var before = chain.Head;
        var code = StorageRuntime();
        chain.SetBalance(Target, Ether(3));
        chain.SetNonce(Target, 9);
        chain.SetCode(Target, code);
        chain.SetStorageAt(Target, 1, 0x1234);

        var block = Assert.Single(chain.Mine());
        Assert.NotEqual(before.StateRoot, block.Header.StateRoot);

        // The state reopened from the store by the new root holds every edit...
        var reopened = new WorldState(chain.Store.StateNodes, block.Header.StateRoot);
        Assert.Equal(Ether(3), reopened.GetBalance(Target));
        Assert.Equal(9UL, reopened.GetNonce(Target));
        Assert.Equal(code, reopened.GetCode(Target));
        Assert.Equal((UInt256)0x1234UL, reopened.GetStorage(Target, 1));

        // ...and the root is what an independent state with the same contents computes.
        var expected = new WorldState();
        foreach (var (address, account) in Genesis().Alloc) expected.SetBalance(address, account.Balance);
        expected.SetBalance(Target, Ether(3));
        expected.SetNonce(Target, 9);
        expected.SetCode(Target, code);
        expected.SetStorage(Target, 1, 0x1234);
        Assert.Equal(expected.ComputeStateRoot(), block.Header.StateRoot);

        // History keeps the old values; the parent block does not see the edits.
        Assert.Equal(UInt256.Zero, chain.GetBalance(Target, BlockSelector.FromNumber(before.Number)));
        Assert.Equal(Ether(3), chain.GetBalance(Target, BlockSelector.FromNumber(block.Header.Number)));
    }

    [Fact]
    public void An_edit_that_leaves_an_account_empty_removes_it()
    {
        var chain = NewChain(out _);
        var before = chain.Head;
        chain.SetBalance(Target, 5);
        chain.SetStorageAt(Target, 1, 2);
        chain.SetBalance(Target, 0);
        Assert.Equal((UInt256)2UL, chain.GetStorageAt(Target, 1, BlockSelector.Latest)); // storage keeps it alive
        chain.SetStorageAt(Target, 1, 0);

        // An empty block on an unchanged state keeps the parent's root: no empty account was written.
        var block = Assert.Single(chain.Mine());
        Assert.Equal(before.StateRoot, block.Header.StateRoot);
    }

    [Fact]
    public void Edits_become_durable_with_the_next_block()
    {
        var store = new MemoryChainStore();
        var chain = NewChain(out _, store: store);
        chain.SetBalance(Target, 42);
        chain.SetStorageAt(Target, 7, 8);
        chain.Mine();

        var reopened = NewChain(out _, store: store);
        Assert.Equal(chain.Head.Hash, reopened.Head.Hash);
        Assert.Equal((UInt256)42UL, reopened.GetBalance(Target, BlockSelector.Latest));
        Assert.Equal((UInt256)8UL, reopened.GetStorageAt(Target, 7, BlockSelector.Latest));
    }

    [Fact]
    public void Revert_undoes_edits_made_after_the_snapshot_and_keeps_earlier_ones()
    {
        var chain = NewChain(out _);
        chain.SetBalance(Target, 1);
        var snapshot = chain.Snapshot();
        chain.SetBalance(Target, 2);
        chain.SetCode(Target, [0x00]);
        chain.SetStorageAt(Target, 0, 5);
        Assert.True(chain.Revert(snapshot));

        Assert.Equal(UInt256.One, chain.GetBalance(Target, BlockSelector.Latest));
        Assert.Empty(chain.GetCode(Target, BlockSelector.Latest));
        Assert.Equal(UInt256.Zero, chain.GetStorageAt(Target, 0, BlockSelector.Latest));

        // The edit from before the snapshot still goes into the next block.
        var block = Assert.Single(chain.Mine());
        Assert.Equal(UInt256.One, new WorldState(chain.Store.StateNodes, block.Header.StateRoot).GetBalance(Target));
    }

    [Fact]
    public void Revert_across_sealed_blocks_restores_the_edits_pending_at_the_snapshot()
    {
        var chain = NewChain(out _);
        var start = chain.Head;
        chain.SetNonce(Target, 4);
        var snapshot = chain.Snapshot();
        chain.SetNonce(Target, 6);
        chain.Mine(2);
        Assert.True(chain.Revert(snapshot));

        Assert.Equal(start.Hash, chain.Head.Hash);
        Assert.Equal(4UL, chain.GetTransactionCount(Target, BlockSelector.Latest));
        var block = Assert.Single(chain.Mine());
        Assert.Equal(4UL, new WorldState(chain.Store.StateNodes, block.Header.StateRoot).GetNonce(Target));
    }

    [Fact]
    public void Contract_whose_code_was_set_executes_in_calls_and_transactions()
    {
        var chain = NewChain(out _);
        chain.SetCode(Target, StorageRuntime());
        chain.SetStorageAt(Target, 0, 77);

        // eth_call at latest sees the edits before any block is sealed.
        var read = new CallRequest { To = Target };
        Assert.Equal((UInt256)77UL, UInt256.FromBigEndian(chain.Call(read, BlockSelector.Latest).ReturnData));
        Assert.True(chain.EstimateGas(new CallRequest { From = Alice.Address, To = Target, Data = StoreCall(5) }, BlockSelector.Latest) > 21_000);

        var hash = chain.SendTransaction(Alice.Transfer(0, Target, 0, gas: 100_000, data: StoreCall(123)));
        Assert.True(chain.GetReceipt(hash)!.Success);
        Assert.Equal((UInt256)123UL, chain.GetStorageAt(Target, 0, BlockSelector.Latest));
        Assert.Equal((UInt256)123UL, UInt256.FromBigEndian(chain.Call(read, BlockSelector.Latest).ReturnData));
    }

    [Fact]
    public void Set_balance_funds_a_sender_and_set_nonce_changes_the_expected_nonce()
    {
        var chain = NewChain(out _);
        var carol = TestAccount.Carol;
        chain.SetBalance(carol.Address, Ether(1));
        chain.SetNonce(carol.Address, 3);

        var hash = chain.SendTransaction(carol.Transfer(3, Target, 1000));
        Assert.True(chain.GetReceipt(hash)!.Success);
        Assert.Equal(4UL, chain.GetTransactionCount(carol.Address, BlockSelector.Latest));
        Assert.Equal((UInt256)1000UL, chain.GetBalance(Target, BlockSelector.Latest));
    }
}
