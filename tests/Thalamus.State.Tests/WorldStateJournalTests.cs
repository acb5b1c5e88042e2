using Thalamus.Core;
using Thalamus.State;
using Xunit;

namespace Thalamus.State.Tests;

public class WorldStateJournalTests
{
    private static readonly Address A = Address.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly Address B = Address.Parse("0x00000000000000000000000000000000000000bb");

    private static WorldState NewState()
    {
        var state = new WorldState();
        state.SetBalance(A, 1000);
        state.SetNonce(A, 5);
        state.SetStorage(A, 1, 11);
        state.BeginTransaction();
        return state;
    }

    [Fact]
    public void Balance_changes_revert_level_by_level()
    {
        var state = NewState();
        var s1 = state.TakeSnapshot();
        state.AddToBalance(A, 10);
        var s2 = state.TakeSnapshot();
        state.SubtractFromBalance(A, 500);
        Assert.Equal(new UInt256(510), state.GetBalance(A));
        state.Revert(s2);
        Assert.Equal(new UInt256(1010), state.GetBalance(A));
        state.Revert(s1);
        Assert.Equal(new UInt256(1000), state.GetBalance(A));
    }

    [Fact]
    public void Nonce_changes_revert_level_by_level()
    {
        var state = NewState();
        var s1 = state.TakeSnapshot();
        state.SetNonce(A, 6);
        var s2 = state.TakeSnapshot();
        state.SetNonce(A, 7);
        state.Revert(s2);
        Assert.Equal(6UL, state.GetNonce(A));
        state.Revert(s1);
        Assert.Equal(5UL, state.GetNonce(A));
    }

    [Fact]
    public void Code_and_code_hash_revert_together()
    {
        var state = NewState();
        var s1 = state.TakeSnapshot();
        byte[] first = [0x60, 0x00];
        byte[] second = [0x60, 0x01, 0x00];
        state.SetCode(A, first);
        var s2 = state.TakeSnapshot();
        state.SetCode(A, second);
        Assert.Equal(Keccak256.Compute(second), state.GetCodeHash(A));
        state.Revert(s2);
        Assert.Equal(first, state.GetCode(A));
        Assert.Equal(Keccak256.Compute(first), state.GetCodeHash(A));
        state.Revert(s1);
        Assert.Empty(state.GetCode(A));
        Assert.Equal(Keccak256.OfEmpty, state.GetCodeHash(A));
    }

    [Fact]
    public void Code_reopened_from_the_store_reads_back_after_a_replacement_is_reverted()
    {
        // Reopened accounts load their code on first read; a reverted SetCode must bring the
        // stored code back whether or not it had been read before.
        var store = new MemoryKeyValueStore();
        var original = new WorldState(store);
        byte[] stored = [0x60, 0x02, 0x00];
        original.SetCode(A, stored);
        original.SetCode(B, stored);
        var root = original.Commit();

        foreach (var readFirst in new[] { false, true })
        {
            var state = new WorldState(store, root);
            state.BeginTransaction();
            if (readFirst) Assert.Equal(stored, state.GetCode(A));
            var snapshot = state.TakeSnapshot();
            byte[] replacement = [0x00];
            state.SetCode(A, replacement, Keccak256.Compute(replacement));
            Assert.Equal(replacement, state.GetCode(A));
            state.Revert(snapshot);
            Assert.Equal(stored, state.GetCode(A));
            Assert.Equal(Keccak256.Compute(stored), state.GetCodeHash(A));
            Assert.Equal(stored, state.GetCode(B));
        }
    }

    [Fact]
    public void Storage_writes_revert_level_by_level()
    {
        var state = NewState();
        var s1 = state.TakeSnapshot();
        state.SetStorage(A, 1, 12);
        state.SetStorage(A, 2, 22);
        var s2 = state.TakeSnapshot();
        state.SetStorage(A, 1, 0);
        state.SetStorage(A, 2, 23);
        state.Revert(s2);
        Assert.Equal(new UInt256(12), state.GetStorage(A, 1));
        Assert.Equal(new UInt256(22), state.GetStorage(A, 2));
        state.Revert(s1);
        Assert.Equal(new UInt256(11), state.GetStorage(A, 1));
        Assert.Equal(UInt256.Zero, state.GetStorage(A, 2));
    }

    [Fact]
    public void Transient_storage_reverts_level_by_level()
    {
        var state = NewState();
        state.SetTransientStorage(A, 3, 30);
        var s1 = state.TakeSnapshot();
        state.SetTransientStorage(A, 3, 31);
        var s2 = state.TakeSnapshot();
        state.SetTransientStorage(A, 3, 0);
        Assert.Equal(UInt256.Zero, state.GetTransientStorage(A, 3));
        state.Revert(s2);
        Assert.Equal(new UInt256(31), state.GetTransientStorage(A, 3));
        state.Revert(s1);
        Assert.Equal(new UInt256(30), state.GetTransientStorage(A, 3));
        Assert.Equal(UInt256.Zero, state.GetStorage(A, 3));
    }

    [Fact]
    public void Warm_sets_revert_level_by_level()
    {
        var state = NewState();
        Assert.False(state.WarmAddress(A));
        var s1 = state.TakeSnapshot();
        Assert.False(state.WarmAddress(B));
        Assert.False(state.WarmStorageSlot(A, 1));
        var s2 = state.TakeSnapshot();
        Assert.True(state.WarmStorageSlot(A, 1));
        Assert.False(state.WarmStorageSlot(A, 2));
        state.Revert(s2);
        Assert.True(state.IsWarmSlot(A, 1));
        Assert.False(state.IsWarmSlot(A, 2));
        state.Revert(s1);
        Assert.True(state.IsWarm(A));
        Assert.False(state.IsWarm(B));
        Assert.False(state.IsWarmSlot(A, 1));
    }

    [Fact]
    public void Creating_a_missing_account_reverts_to_non_existence()
    {
        var state = NewState();
        var s = state.TakeSnapshot();
        state.AddToBalance(B, 5);
        Assert.True(state.AccountExists(B));
        state.Revert(s);
        Assert.False(state.AccountExists(B));
        Assert.Equal(Hash256.Zero, state.GetCodeHash(B));
    }

    [Fact]
    public void Recreating_an_account_clears_storage_keeps_balance_and_reverts()
    {
        var state = NewState();
        state.SetCode(A, [0x00]);
        var s = state.TakeSnapshot();
        state.CreateAccount(A);
        Assert.Equal(new UInt256(1000), state.GetBalance(A));
        Assert.Equal(0UL, state.GetNonce(A));
        Assert.Equal(UInt256.Zero, state.GetStorage(A, 1));
        Assert.False(state.HasNonEmptyStorage(A));
        Assert.Empty(state.GetCode(A));
        state.SetStorage(A, 1, 99);
        state.Revert(s);
        Assert.Equal(new UInt256(11), state.GetStorage(A, 1));
        Assert.Equal(5UL, state.GetNonce(A));
        Assert.Equal(new byte[] { 0x00 }, state.GetCode(A));
        Assert.True(state.HasNonEmptyStorage(A));
    }

    [Fact]
    public void Touch_destruct_and_created_marks_revert()
    {
        var state = NewState();
        var s = state.TakeSnapshot();
        state.Touch(B);
        state.DeleteAccount(A);
        state.MarkCreatedInTransaction(B);
        Assert.True(state.IsTouched(B));
        Assert.True(state.IsDestructed(A));
        Assert.True(state.WasCreatedInTransaction(B));
        state.Revert(s);
        Assert.False(state.IsTouched(B));
        Assert.False(state.IsDestructed(A));
        Assert.False(state.WasCreatedInTransaction(B));
    }

    [Fact]
    public void Revert_of_an_inner_snapshot_keeps_outer_changes()
    {
        var state = NewState();
        state.SetStorage(A, 1, 12);
        var inner = state.TakeSnapshot();
        state.SetStorage(A, 1, 13);
        state.Revert(inner);
        state.SetStorage(A, 2, 2);
        Assert.Equal(new UInt256(12), state.GetStorage(A, 1));
        Assert.Equal(new UInt256(2), state.GetStorage(A, 2));
    }

    [Fact]
    public void Reverting_to_a_snapshot_beyond_the_journal_is_an_argument_error()
    {
        var state = NewState();
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Revert(state.TakeSnapshot() + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Revert(-1));
    }

    [Fact]
    public void Revert_after_an_intermediate_root_restores_the_earlier_root()
    {
        var state = NewState();
        var before = state.ComputeStateRoot();
        var s = state.TakeSnapshot();
        state.SetStorage(A, 1, 77);
        state.AddToBalance(B, 1);
        state.CreateAccount(A);
        Assert.NotEqual(before, state.ComputeStateRoot());
        state.Revert(s);
        Assert.Equal(before, state.ComputeStateRoot());
    }
}
