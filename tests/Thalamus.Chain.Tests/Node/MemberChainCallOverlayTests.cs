using Thalamus.Core;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Node;

/// <summary>
/// Calls on the head share one overlay of the pending setter edits (built once per head and set
/// of edits, not replayed per call): every edit must be seen by the next call at once, a sealed
/// block must replace it, calls on older blocks must see none, and calls must not leak into it.
/// </summary>
public class MemberChainCallOverlayTests
{
    private static readonly Address Target = Address.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly Address Probe = Address.Parse("0x00000000000000000000000000000000000000bb");
    private static readonly Address Other = Address.Parse("0x00000000000000000000000000000000000000cc");

    /// <summary>Returns BALANCE, EXTCODEHASH and EXTCODESIZE of the address in the first calldata word.</summary>
    private static byte[] ProbeRuntime()
    {
        var a = new Assembler();
        a.Push(0).Op(0x35);                                   // addr
        a.Op(0x80).Op(0x31).Push(0).Op(0x52);                 // mem[0] = balance(addr)
        a.Op(0x80).Op(0x3f).Push(32).Op(0x52);                // mem[32] = extcodehash(addr)
        a.Op(0x3b).Push(64).Op(0x52);                         // mem[64] = extcodesize(addr)
        a.Push(96).Push(0).Op(0xf3);
        return a.Build();
    }

    /// <summary>Returns the one-byte constant <paramref name="value"/> as a word.</summary>
    private static byte[] ConstantRuntime(int value) => new Assembler().Push(value).Push(0).Op(0x52).Push(32).Push(0).Op(0xf3).Build();

    private static (UInt256 Balance, UInt256 CodeHash, UInt256 CodeSize) Inspect(MemberChain chain, Address address, BlockSelector? block = null)
    {
        var word = new byte[32];
        address.Bytes.CopyTo(word.AsSpan(12));
        var output = chain.Call(new CallRequest { To = Probe, Data = word }, block ?? BlockSelector.Latest).ReturnData;
        Assert.Equal(96, output.Length);
        return (UInt256.FromBigEndian(output.AsSpan(0, 32)), UInt256.FromBigEndian(output.AsSpan(32, 32)), UInt256.FromBigEndian(output.AsSpan(64, 32)));
    }

    private static UInt256 ReadSlotZero(MemberChain chain, Address address, BlockSelector? block = null) =>
        UInt256.FromBigEndian(chain.Call(new CallRequest { To = address }, block ?? BlockSelector.Latest).ReturnData);

    [Fact]
    public void Every_setter_edit_is_seen_by_the_very_next_call()
    {
        var chain = NewChain(out _);
        chain.SetCode(Probe, ProbeRuntime());
        chain.SetCode(Target, StorageRuntime());
        chain.SetStorageAt(Target, 0, 5);
        Assert.Equal((UInt256)5UL, ReadSlotZero(chain, Target));

        chain.SetStorageAt(Target, 0, 6);
        Assert.Equal((UInt256)6UL, ReadSlotZero(chain, Target));

        chain.SetCode(Target, ConstantRuntime(0x42));
        Assert.Equal((UInt256)0x42UL, ReadSlotZero(chain, Target));

        chain.SetBalance(Other, 1234);
        Assert.Equal((UInt256)1234UL, Inspect(chain, Other).Balance);
        chain.SetBalance(Other, 99);
        Assert.Equal((UInt256)99UL, Inspect(chain, Other).Balance);

        chain.SetCode(Other, ConstantRuntime(7));
        var inspected = Inspect(chain, Other);
        Assert.Equal(Keccak256.Compute(ConstantRuntime(7)).ToUInt256(), inspected.CodeHash);
        Assert.Equal((UInt256)(ulong)ConstantRuntime(7).Length, inspected.CodeSize);

        // The sender's nonce edit reaches the call's transaction too (a nonce too high for its own
        // checks would not matter; the balance must): a call with value needs the edited balance.
        chain.SetBalance(TestAccount.Carol.Address, 50);
        var paid = chain.Call(new CallRequest { From = TestAccount.Carol.Address, To = Other, Value = 50 }, BlockSelector.Latest);
        Assert.True(paid.Success);
        chain.SetBalance(TestAccount.Carol.Address, 49);
        Assert.Throws<ChainException>(() => chain.Call(new CallRequest { From = TestAccount.Carol.Address, To = Other, Value = 50 }, BlockSelector.Latest));
    }

    [Fact]
    public void A_sealed_block_replaces_the_overlay_and_later_edits_are_laid_over_the_new_head()
    {
        var chain = NewChain(out _);
        chain.SetCode(Probe, ProbeRuntime());
        chain.SetCode(Target, StorageRuntime());
        chain.SetStorageAt(Target, 0, 5);
        chain.SetBalance(Other, 10);
        Assert.Equal((UInt256)5UL, ReadSlotZero(chain, Target));
        Assert.Equal((UInt256)10UL, Inspect(chain, Other).Balance);

        var sealedBlock = Assert.Single(chain.Mine());
        Assert.Equal(sealedBlock.Hash, chain.Head.Hash);
        Assert.Equal((UInt256)5UL, ReadSlotZero(chain, Target));
        Assert.Equal((UInt256)10UL, Inspect(chain, Other).Balance);

        // A transaction changes the state under the old overlay's root: calls see the block, not the old overlay.
        var hash = chain.SendTransaction(TestAccount.Alice.Transfer(0, Target, 0, gas: 100_000, data: StoreCall(77)));
        Assert.True(chain.GetReceipt(hash)!.Success);
        Assert.Equal((UInt256)77UL, ReadSlotZero(chain, Target));

        chain.SetStorageAt(Target, 0, 8);
        chain.SetBalance(Other, 11);
        Assert.Equal((UInt256)8UL, ReadSlotZero(chain, Target));
        Assert.Equal((UInt256)11UL, Inspect(chain, Other).Balance);
    }

    [Fact]
    public void A_call_on_an_older_block_sees_none_of_the_pending_edits()
    {
        var chain = NewChain(out _);
        chain.SetCode(Probe, ProbeRuntime());
        chain.SetCode(Target, StorageRuntime());
        chain.SetStorageAt(Target, 0, 5);
        var older = Assert.Single(chain.Mine()).Header;
        chain.Mine();

        chain.SetStorageAt(Target, 0, 6);
        chain.SetBalance(Other, 10);
        Assert.Equal((UInt256)6UL, ReadSlotZero(chain, Target));
        Assert.Equal((UInt256)10UL, Inspect(chain, Other).Balance);

        var atOlder = BlockSelector.FromNumber(older.Number);
        Assert.Equal((UInt256)5UL, ReadSlotZero(chain, Target, atOlder));
        Assert.Equal(UInt256.Zero, Inspect(chain, Other, atOlder).Balance);
        // And the head again, after the older block was read.
        Assert.Equal((UInt256)6UL, ReadSlotZero(chain, Target));
    }

    [Fact]
    public void Calls_sharing_the_overlay_do_not_see_each_others_writes()
    {
        var chain = NewChain(out _);
        chain.SetCode(Probe, ProbeRuntime());
        chain.SetCode(Target, StorageRuntime());
        chain.SetStorageAt(Target, 0, 5);
        chain.SetBalance(Other, 10);
        chain.SetBalance(TestAccount.Carol.Address, 1000);

        // A call that stores, and a call that pays an edited account: neither outlives its call.
        Assert.True(chain.Call(new CallRequest { To = Target, Data = StoreCall(9) }, BlockSelector.Latest).Success);
        Assert.Equal((UInt256)5UL, ReadSlotZero(chain, Target));
        Assert.True(chain.Call(new CallRequest { From = TestAccount.Carol.Address, To = Other, Value = 300 }, BlockSelector.Latest).Success);
        Assert.Equal((UInt256)10UL, Inspect(chain, Other).Balance);
        Assert.Equal((UInt256)1000UL, Inspect(chain, TestAccount.Carol.Address).Balance);

        // Nor does a call on an account no edit touched (read from the head and cached).
        Assert.True(chain.Call(new CallRequest { From = TestAccount.Alice.Address, To = TestAccount.Bob.Address, Value = 7 }, BlockSelector.Latest).Success);
        Assert.Equal(Ether(1000), Inspect(chain, TestAccount.Bob.Address).Balance);
        Assert.Equal(Ether(1000), chain.GetBalance(TestAccount.Bob.Address, BlockSelector.Latest));
    }

    [Fact]
    public void An_edit_that_empties_an_account_makes_it_nonexistent_to_calls()
    {
        var chain = NewChain(out _);
        chain.SetCode(Probe, ProbeRuntime());
        chain.SetBalance(Other, 5);
        Assert.Equal(Keccak256.OfEmpty.ToUInt256(), Inspect(chain, Other).CodeHash); // exists, no code

        chain.SetBalance(Other, 0);
        var inspected = Inspect(chain, Other);
        Assert.Equal(UInt256.Zero, inspected.Balance);
        Assert.Equal(UInt256.Zero, inspected.CodeHash); // EXTCODEHASH of a non-existent account
    }

    [Fact]
    public void Edits_that_cannot_be_shared_are_still_all_seen_by_calls()
    {
        var chain = NewChain(out _);
        chain.SetCode(Probe, ProbeRuntime());
        chain.SetCode(Target, StorageRuntime());
        chain.SetBalance(Other, 5);
        chain.SetStorageAt(Other, 1, 2);
        chain.SetStorageAt(Other, 2, 3);
        chain.Mine();

        // Slot 1 cleared in memory, then the balance: slot 2 is still stored, so the account stays
        // (its storage root is brought up to date in memory: that replay is not shared).
        chain.SetStorageAt(Target, 0, 5);
        chain.SetStorageAt(Other, 1, 0);
        chain.SetBalance(Other, 0);
        Assert.Equal((UInt256)5UL, ReadSlotZero(chain, Target));
        Assert.Equal(UInt256.Zero, Inspect(chain, Other).Balance);
        Assert.Equal((UInt256)3UL, chain.GetStorageAt(Other, 2, BlockSelector.Latest));

        chain.SetStorageAt(Target, 0, 6);
        Assert.Equal((UInt256)6UL, ReadSlotZero(chain, Target));
    }

    [Fact]
    public void Reverting_to_a_snapshot_brings_back_the_edits_calls_saw_then()
    {
        var chain = NewChain(out _);
        chain.SetCode(Target, StorageRuntime());
        chain.SetStorageAt(Target, 0, 5);
        Assert.Equal((UInt256)5UL, ReadSlotZero(chain, Target));
        var snapshot = chain.Snapshot();

        chain.SetStorageAt(Target, 0, 6);
        Assert.Equal((UInt256)6UL, ReadSlotZero(chain, Target));
        chain.Mine();
        chain.SetStorageAt(Target, 0, 7);
        Assert.Equal((UInt256)7UL, ReadSlotZero(chain, Target));

        Assert.True(chain.Revert(snapshot));
        Assert.Equal((UInt256)5UL, ReadSlotZero(chain, Target));
    }

    [Fact]
    public void Estimates_and_calls_in_parallel_all_see_the_edits()
    {
        var chain = NewChain(out _);
        chain.SetCode(Target, StorageRuntime());
        for (var i = 0; i < 40; i++) chain.SetCode(Address.FromUInt256(0x1000 + (ulong)i), ConstantRuntime(i));
        chain.SetStorageAt(Target, 0, 5);

        var results = new UInt256[64];
        Parallel.For(0, results.Length, i =>
        {
            var address = Address.FromUInt256(0x1000 + (ulong)(i % 40));
            Assert.Equal((UInt256)(ulong)(i % 40), ReadSlotZero(chain, address));
            results[i] = ReadSlotZero(chain, Target);
        });
        Assert.All(results, value => Assert.Equal((UInt256)5UL, value));
    }
}
