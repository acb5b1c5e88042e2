using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;

namespace Thalamus.Cluster.Tests;

/// <summary>Delta changed at run time through the seam (<see cref="IClusterHost.RequestDeltaChange"/>): new sends get the new bound, promises given hold.</summary>
public sealed class DeltaChangeTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    /// <summary>One delivery per destination block: its limit is the whole budget, so no later admission is pulled forward.</summary>
    private const ulong DeliveryGas = 200_000;

    /// <summary>A plain module that asks the cluster for Delta changes and keeps the answers.</summary>
    private sealed class DeltaAsker : IClusterModule
    {
        private IClusterHost? _host;

        public string Name => "delta-asker";

        public List<(TimeSpan Delta, string? Refusal)> Outcomes { get; } = [];

        public void Attach(IClusterHost host) => _host = host;

        public void Ask(TimeSpan delta) => _host!.RequestDeltaChange(new DeltaChange
        {
            Delta = delta,
            ActivationSlot = _host.Slot + 1,
            Completed = (change, refusal) => Outcomes.Add((change.Delta, refusal)),
        });

        public void AskMembership(MembershipChange change) => _host!.RequestMembershipChange(change);
    }

    private static byte[] Send(ulong destination, Address receiver, string text) =>
        ReplayTests.SendMessage(destination, receiver, Abi.Call("receiveMessage(string)", AbiValue.String(text)));

    /// <summary>Moves the clock one second to the next interval slot and waits until it ran (both chains seal one block each second).</summary>
    private static async Task Tick(ManualTimeProvider clock, ClusterTestKit kit, ulong slotSecond)
    {
        clock.Advance(Second);
        await ClusterTestKit.WaitUntil(() => kit[0].Head.Number == slotSecond && kit[1].Head.Number == slotSecond, $"the slot of {slotSecond} s");
        // Taking the lock waits for the slot's end (and what runs between slots).
        Assert.Equal(slotSecond * 1000, (ulong)kit.Cluster.Status().LogicalTimeMs);
    }

    [Fact]
    public async Task A_message_admitted_before_a_delta_decrease_keeps_its_bound_and_sends_after_it_run_within_the_new_one()
    {
        var clock = new ManualTimeProvider(Start);
        var asker = new DeltaAsker();
        await using var kit = new ClusterTestKit(blockTimes: [Second, Second], delta: TimeSpan.FromSeconds(3),
            deliveryGasLimit: DeliveryGas, deliveryGasBudget: DeliveryGas, time: clock, modules: [asker]);
        var (a, b) = (kit[0], kit[1]);
        kit.Cluster.Start();
        var deploy = kit.SendNoWait(b, 0, null, ClusterTestKit.CreationCode("MessageReceiver"), 6_000_000);
        await Tick(clock, kit, 1);
        var receiver = b.GetReceipt(deploy)!.ContractAddress!.Value;

        // Under Delta = 3 s, three sends at 2 s take B's blocks of 2, 3 and 4 s (one delivery each).
        for (var account = 1; account <= 3; account++) kit.SendNoWait(a, account, ClusterPredeploys.Messenger, Send(b.ChainId, receiver, $"old{account}"));
        await Tick(clock, kit, 2);
        var old = kit.Cluster.AllMessages();
        Assert.Equal(3, old.Count);
        Assert.All(old, m => Assert.Equal(3000L, m.DeltaMs));
        Assert.Equal([2UL, 3UL, 4UL], old.Select(m => m.AdmittedForBlock!.Value).Order());

        // Delta drops to 1 s: asked now, in force from the slot after the next one ends.
        asker.Ask(Second);
        await Tick(clock, kit, 3);
        Assert.Equal((Second, (string?)null), Assert.Single(asker.Outcomes));
        var status = kit.Cluster.Status();
        Assert.Equal(1000, status.DeltaMs);
        Assert.Equal(status.Slot + 1, status.DeltaSinceSlot);
        Assert.Equal(Second, kit.Cluster.Delta);

        // Two sends at 4 s: within the new Delta only B's blocks of 4 s (still promised to the third old message) and 5 s
        // are theirs to take, one delivery each: one send goes out, the other waits in A's pool for the next block.
        var newer = new[] { 1, 2 }.Select(account => kit.SendNoWait(a, account, ClusterPredeploys.Messenger, Send(b.ChainId, receiver, $"new{account}"))).ToList();
        await Tick(clock, kit, 4);
        Assert.Equal(1, newer.Count(h => a.GetReceipt(h) is not null));
        Assert.Equal(1, kit.Cluster.Status().Chains.Single(c => c.ChainId == b.ChainId).SendsDeferred);
        await Tick(clock, kit, 5);
        Assert.All(newer, h => Assert.True(a.GetReceipt(h) is { Success: true }));
        await Tick(clock, kit, 6);
        await kit.Cluster.StopAsync();

        var messages = kit.Cluster.AllMessages();
        Assert.Equal(5, messages.Count);
        foreach (var m in messages)
        {
            Assert.Equal(MessageStatus.Relayed, m.Status);
            Assert.True(m.DeliveredBlockNumber <= m.AdmittedForBlock, $"message {m.Id} ran after the block it was admitted for");
            Assert.True(m.DeliveredSlotMs - m.SentSlotMs <= m.DeltaMs, $"message {m.Id}: sent at {m.SentSlotMs} ms, delivered at {m.DeliveredSlotMs} ms, bound {m.DeltaMs} ms");
        }
        Assert.All(messages.Where(m => m.SentSlotMs >= 4000), m => Assert.Equal(1000L, m.DeltaMs));
        Assert.Equal(2, messages.Count(m => m.DeltaMs == 1000));
        // The third old message ran 2 s after its send: beyond the new bound, within the one it was promised.
        var third = Assert.Single(old, m => m.AdmittedForBlock == 4);
        Assert.Equal(2000, third.DeliveredSlotMs - third.SentSlotMs);
        Assert.Equal(new UInt256(5), kit.CallWord(b, receiver, "count()"));
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }

    [Fact]
    public async Task A_delta_shorter_than_a_member_s_block_time_is_refused_with_the_reason_and_checked_again_when_a_chain_joins()
    {
        var asker = new DeltaAsker();
        await using var kit = new ClusterTestKit(blockTimes: [TimeSpan.Zero, TimeSpan.FromSeconds(2)], modules: [asker]);
        var a = kit[0];
        Assert.Equal(TimeSpan.FromSeconds(2), kit.Cluster.Delta);

        asker.Ask(Second);
        asker.Ask(TimeSpan.Zero);
        asker.Ask(TimeSpan.FromDays(2));
        asker.Ask(TimeSpan.FromSeconds(3));
        a.Mine();

        Assert.Equal(
            [
                (Second, "a Delta of 1000 ms is shorter than chain 902's block time (2000 ms): its next block could come too late"),
                (TimeSpan.Zero, "a Delta of 0 ms is not a positive number of milliseconds"),
                (TimeSpan.FromDays(2), "a Delta of 172800000 ms is longer than the longest, 86400000 ms (a day)"),
                (TimeSpan.FromSeconds(3), (string?)null),
            ],
            asker.Outcomes);
        Assert.Equal(3000, kit.Cluster.Status().DeltaMs);

        // A chain whose blocks come slower than the Delta in force cannot join.
        var error = Assert.Throws<ClusterConfigurationException>(() =>
            kit.Cluster.AddChain(new ClusterChainOptions { ChainId = 903, BlockTime = TimeSpan.FromSeconds(5) }));
        Assert.Contains("delta (3000 ms) is shorter than chain 903's block time", error.Message);

        // A chain that joins before a Delta change takes effect (asked in that order) is counted when the change is checked.
        string? joined = "not yet";
        asker.AskMembership(new MembershipChange { ChainId = 903, BlockTime = TimeSpan.FromMilliseconds(2500), Completed = (_, refusal) => joined = refusal });
        asker.Ask(TimeSpan.FromMilliseconds(2200));
        a.Mine();

        Assert.Null(joined);
        Assert.Equal([901UL, 902UL, 903UL], kit.Cluster.Chains.Select(c => c.ChainId));
        Assert.Equal("a Delta of 2200 ms is shorter than chain 903's block time (2500 ms): its next block could come too late", asker.Outcomes[^1].Refusal);
        Assert.Equal(TimeSpan.FromSeconds(3), kit.Cluster.Delta);
    }

    [Fact]
    public async Task A_halted_chain_holds_the_others_by_the_delta_in_force_when_it_halted()
    {
        var clock = new ManualTimeProvider(Start);
        var asker = new DeltaAsker();
        await using var kit = new ClusterTestKit(delta: TimeSpan.FromSeconds(3), time: clock, modules: [asker]);
        var (a, b) = (kit[0], kit[1]);
        kit.Cluster.HaltChain(b.ChainId);
        asker.Ask(TimeSpan.FromMilliseconds(500));
        a.Mine();
        Assert.Null(Assert.Single(asker.Outcomes).Refusal);
        Assert.Equal(500, kit.Cluster.Status().DeltaMs);

        // B halted at 0 ms under Delta = 3 s: A may go on until 3000 ms, not 500 ms.
        clock.Advance(Second);
        var status = kit.Cluster.Status();
        Assert.Empty(status.Chains[0].HeldBy);
        Assert.Contains($"chain {b.ChainId} halted at 0 ms; the others hold from 3000 ms", status.Reason);
        clock.Advance(TimeSpan.FromMilliseconds(2001));
        Assert.Equal([b.ChainId], kit.Cluster.Status().Chains[0].HeldBy);

        // A chain halted now is bound by the new Delta.
        kit.Cluster.ResumeChain(b.ChainId);
        kit.Cluster.HaltChain(a.ChainId);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Empty(kit.Cluster.Status().Chains[1].HeldBy);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([a.ChainId], kit.Cluster.Status().Chains[1].HeldBy);
    }
}
