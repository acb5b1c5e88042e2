using Thalamus.Core;
using Thalamus.State;
using Xunit;

namespace Thalamus.State.Tests;

public class WorldStateTransactionTests
{
    private static readonly Address Contract = Address.Parse("0x00000000000000000000000000000000000000cc");
    private static readonly Address Other = Address.Parse("0x00000000000000000000000000000000000000dd");
    private static readonly Address EmptyWithStorage = Address.Parse("0x00000000000000000000000000000000000000ee");

    private static WorldState NewState()
    {
        var state = new WorldState();
        state.SetBalance(Contract, 1);
        state.SetCode(Contract, [0x00]);
        state.SetStorage(Contract, 1, 5);
        state.SetStorage(EmptyWithStorage, 1, 1);
        state.BeginTransaction();
        return state;
    }

    [Fact]
    public void Original_storage_is_the_value_at_transaction_start_through_writes_and_reverts()
    {
        var state = NewState();
        Assert.Equal(new UInt256(5), state.GetOriginalStorage(Contract, 1));
        state.SetStorage(Contract, 1, 7);
        var s = state.TakeSnapshot();
        state.SetStorage(Contract, 1, 9);
        state.SetStorage(Contract, 2, 3);
        Assert.Equal(new UInt256(5), state.GetOriginalStorage(Contract, 1));
        Assert.Equal(UInt256.Zero, state.GetOriginalStorage(Contract, 2));
        state.Revert(s);
        Assert.Equal(new UInt256(5), state.GetOriginalStorage(Contract, 1));
        state.EndTransaction();
        state.BeginTransaction();
        Assert.Equal(new UInt256(7), state.GetOriginalStorage(Contract, 1));
    }

    [Fact]
    public void Transient_storage_is_cleared_at_transaction_boundaries()
    {
        var state = NewState();
        state.SetTransientStorage(Contract, 1, 42);
        Assert.Equal(new UInt256(42), state.GetTransientStorage(Contract, 1));
        Assert.Equal(UInt256.Zero, state.GetTransientStorage(Other, 1));
        state.EndTransaction();
        Assert.Equal(UInt256.Zero, state.GetTransientStorage(Contract, 1));
        state.BeginTransaction();
        state.SetTransientStorage(Contract, 1, 43);
        state.BeginTransaction();
        Assert.Equal(UInt256.Zero, state.GetTransientStorage(Contract, 1));
    }

    [Fact]
    public void Access_sets_and_created_set_are_cleared_by_BeginTransaction()
    {
        var state = NewState();
        state.WarmAddress(Other);
        state.WarmStorageSlot(Contract, 1);
        state.MarkCreatedInTransaction(Other);
        state.BeginTransaction();
        Assert.False(state.IsWarm(Other));
        Assert.False(state.WarmStorageSlot(Contract, 1));
        Assert.False(state.WasCreatedInTransaction(Other));
    }

    [Fact]
    public void Touched_empty_accounts_are_removed_at_the_end_of_the_transaction()
    {
        var state = NewState();
        state.AddToBalance(Other, UInt256.Zero);
        Assert.True(state.AccountExists(Other));
        state.Touch(EmptyWithStorage);
        state.EndTransaction();
        Assert.False(state.AccountExists(Other));
        Assert.False(state.AccountExists(EmptyWithStorage));
    }

    [Fact]
    public void Untouched_empty_accounts_from_the_pre_state_survive()
    {
        var state = NewState();
        state.GetBalance(EmptyWithStorage);
        state.EndTransaction();
        Assert.True(state.AccountExists(EmptyWithStorage));
        Assert.True(state.IsEmpty(EmptyWithStorage));
        Assert.Equal(UInt256.One, state.GetStorage(EmptyWithStorage, 1));
    }

    [Fact]
    public void A_reverted_touch_does_not_remove_the_account()
    {
        var state = NewState();
        var s = state.TakeSnapshot();
        state.Touch(EmptyWithStorage);
        state.AddToBalance(Other, UInt256.Zero);
        state.Revert(s);
        state.EndTransaction();
        Assert.True(state.AccountExists(EmptyWithStorage));
        Assert.False(state.AccountExists(Other));
    }

    [Fact]
    public void Touched_non_empty_accounts_survive()
    {
        var state = NewState();
        state.Touch(Contract);
        state.AddToBalance(Other, 1);
        state.EndTransaction();
        Assert.True(state.AccountExists(Contract));
        Assert.True(state.AccountExists(Other));
    }

    [Fact]
    public void A_destructed_account_stays_readable_until_the_transaction_ends()
    {
        var state = NewState();
        state.DeleteAccount(Contract);
        Assert.True(state.AccountExists(Contract));
        Assert.Equal(new byte[] { 0x00 }, state.GetCode(Contract));
        state.AddToBalance(Contract, 10);
        state.EndTransaction();
        Assert.False(state.AccountExists(Contract));
        Assert.Equal(UInt256.Zero, state.GetStorage(Contract, 1));
        Assert.Equal(Hash256.Zero, state.GetCodeHash(Contract));
    }

    [Fact]
    public void A_deleted_then_recreated_account_starts_with_empty_storage()
    {
        var state = NewState();
        state.DeleteAccount(Contract);
        state.EndTransaction();
        state.BeginTransaction();
        state.AddToBalance(Contract, 3);
        Assert.False(state.HasNonEmptyStorage(Contract));
        Assert.Equal(UInt256.Zero, state.GetStorage(Contract, 1));
        Assert.Empty(state.GetCode(Contract));
        Assert.Equal(Keccak256.OfEmpty, state.GetCodeHash(Contract));
    }

    [Fact]
    public void Emptiness_follows_eip161()
    {
        var state = NewState();
        Assert.True(state.IsEmpty(Other));
        Assert.True(state.IsDeadOrNonExistent(Other));
        Assert.False(state.IsEmpty(Contract));
        Assert.True(state.IsEmpty(EmptyWithStorage));
        Assert.True(state.AccountExists(EmptyWithStorage));
        state.SetNonce(Other, 1);
        Assert.False(state.IsEmpty(Other));
        Assert.Equal(Keccak256.OfEmpty, state.GetCodeHash(Other));
    }

    [Fact]
    public void Storage_presence_is_reported_for_collision_checks()
    {
        var state = NewState();
        Assert.True(state.HasNonEmptyStorage(EmptyWithStorage));
        Assert.False(state.HasNonEmptyStorage(Other));
        state.SetStorage(EmptyWithStorage, 1, 0);
        Assert.False(state.HasNonEmptyStorage(EmptyWithStorage));
    }

    [Fact]
    public void Writing_the_current_value_is_not_a_change()
    {
        var state = NewState();
        state.SetStorage(EmptyWithStorage, 1, 1);
        Assert.False(state.IsTouched(EmptyWithStorage));
        state.EndTransaction();
        Assert.True(state.AccountExists(EmptyWithStorage));
    }

    [Fact]
    public void Subtracting_more_than_the_balance_is_refused()
    {
        var state = NewState();
        Assert.Throws<InvalidOperationException>(() => state.SubtractFromBalance(Contract, 2));
        Assert.Throws<InvalidOperationException>(() => state.SubtractFromBalance(Other, 1));
        state.SubtractFromBalance(Other, UInt256.Zero);
        Assert.False(state.AccountExists(Other));
    }
}
