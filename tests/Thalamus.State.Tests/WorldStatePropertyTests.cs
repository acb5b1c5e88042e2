using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Thalamus.State;
using Xunit;

namespace Thalamus.State.Tests;

/// <summary>Laws over random operation sequences on a small domain (4 addresses, 4 slots, small values).</summary>
public class WorldStatePropertyTests
{
    private static readonly Config Settings = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly Address[] Addresses =
    [
        Address.Parse("0x1000000000000000000000000000000000000001"),
        Address.Parse("0x2000000000000000000000000000000000000002"),
        Address.Parse("0x3000000000000000000000000000000000000003"),
        Address.Parse("0x4000000000000000000000000000000000000004"),
    ];

    private static readonly Arbitrary<int[]> Operations = Gen.Choose(0, int.MaxValue).ArrayOf().ToArbitrary();

    /// <summary>Applies encoded operations; nested snapshots are taken and reverted along the way.</summary>
    private static void Apply(WorldState state, int[] operations, bool intermediateRoots)
    {
        var snapshots = new Stack<int>();
        foreach (var op in operations)
        {
            var address = Addresses[(op >> 4) & 3];
            var key = new UInt256((ulong)((op >> 6) & 3));
            var small = (ulong)((op >> 8) & 3);
            switch (op & 15)
            {
                case 0: state.AddToBalance(address, small); break;
                case 1:
                {
                    var balance = state.GetBalance(address);
                    state.SubtractFromBalance(address, balance < small ? balance : new UInt256(small));
                    break;
                }
                case 2: state.SetNonce(address, small); break;
                case 3: state.SetCode(address, small == 0 ? [] : [(byte)small, 0x00]); break;
                case 4: case 5: state.SetStorage(address, key, small); break;
                case 6: state.CreateAccount(address); break;
                case 7: snapshots.Push(state.TakeSnapshot()); break;
                case 8: if (snapshots.Count > 0) state.Revert(snapshots.Pop()); break;
                case 9: state.SetTransientStorage(address, key, small); break;
                case 10: state.WarmAddress(address); break;
                case 11: state.WarmStorageSlot(address, key); break;
                case 12: state.Touch(address); break;
                case 13: state.MarkCreatedInTransaction(address); break;
                case 14: state.DeleteAccount(address); break;
                default: if (intermediateRoots) state.ComputeStateRoot(); break;
            }
        }
    }

    /// <summary>Everything observable about the small domain, the state root included.</summary>
    private static string Digest(WorldState state)
    {
        var parts = new List<string> { state.ComputeStateRoot().ToString() };
        foreach (var address in Addresses)
        {
            parts.Add($"{state.AccountExists(address)}{state.IsTouched(address)}{state.IsWarm(address)}{state.WasCreatedInTransaction(address)}{state.IsDestructed(address)}");
            parts.Add($"{state.GetBalance(address)}/{state.GetNonce(address)}/{state.GetCodeHash(address)}/{state.HasNonEmptyStorage(address)}");
            for (ulong k = 0; k < 4; k++)
                parts.Add($"{state.GetStorage(address, k)}/{state.GetOriginalStorage(address, k)}/{state.GetTransientStorage(address, k)}/{state.IsWarmSlot(address, k)}");
        }
        return string.Join("|", parts);
    }

    [Fact]
    public void Revert_restores_everything_observable() => Check.One(Settings, Prop.ForAll(Operations, Operations, (setup, changes) =>
    {
        var state = new WorldState();
        Apply(state, setup, intermediateRoots: true);
        var snapshot = state.TakeSnapshot();
        var before = Digest(state);
        Apply(state, changes, intermediateRoots: true);
        state.Revert(snapshot);
        Assert.Equal(before, Digest(state));
    }));

    [Fact]
    public void Incremental_root_equals_root_of_a_fresh_copy() => Check.One(Settings, Prop.ForAll(Operations, Operations, (first, second) =>
    {
        var state = new WorldState();
        Apply(state, first, intermediateRoots: true);
        state.EndTransaction();
        state.ComputeStateRoot();
        state.BeginTransaction();
        Apply(state, second, intermediateRoots: true);
        state.EndTransaction();
        var root = state.ComputeStateRoot();

        var copy = new WorldState();
        foreach (var address in state.Addresses)
        {
            copy.SetBalance(address, state.GetBalance(address));
            copy.SetNonce(address, state.GetNonce(address));
            copy.SetCode(address, state.GetCode(address));
            for (ulong k = 0; k < 4; k++) copy.SetStorage(address, k, state.GetStorage(address, k));
        }
        Assert.Equal(root, copy.ComputeStateRoot());
    }));

    [Fact]
    public void Commit_then_reopen_reads_the_same_state() => Check.One(Settings, Prop.ForAll(Operations, Operations, (first, second) =>
    {
        var store = new MemoryKeyValueStore();
        var state = new WorldState(store);
        Apply(state, first, intermediateRoots: false);
        state.EndTransaction();
        var root = state.Commit();

        var reopened = new WorldState(store, root);
        var before = Digest(state);
        Assert.Equal(before, Digest(reopened));

        // The same further changes on both give the same root.
        state.BeginTransaction();
        reopened.BeginTransaction();
        Apply(state, second, intermediateRoots: false);
        Apply(reopened, second, intermediateRoots: false);
        state.EndTransaction();
        reopened.EndTransaction();
        Assert.Equal(state.ComputeStateRoot(), reopened.ComputeStateRoot());
    }));
}
