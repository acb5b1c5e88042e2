using Thalamus.Chain;
using Thalamus.Cluster.Replay;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

public sealed class ReplayTests
{
    internal static byte[] SendMessage(ulong destination, Address target, byte[] data) =>
        Abi.Call("sendMessage(uint256,address,bytes)", destination, target, AbiValue.Bytes(data));

    /// <summary>Contracts of the busy scenario, per chain.</summary>
    internal sealed record Scenario(Address ReceiverB, Address CounterB, Address CounterC, Address CallerA, Address CallerB,
        Address StaticA, Address RevertingA);

    /// <summary>
    /// Messages A -> B, a synchronous write, a destination revert tolerated and one bubbled, a reverted
    /// origin, nested A -> B -> C, static calls (a read and a refused write), and a re-entry refusal.
    /// Asserts the effects on the way, so the replay below checks a cluster known to behave.
    /// </summary>
    internal static Scenario RunBusyScenario(ClusterTestKit kit)
    {
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var s = new Scenario(kit.Deploy(b, "MessageReceiver"), kit.Deploy(b, "RemoteCounter"), kit.Deploy(c, "RemoteCounter"),
            kit.Deploy(a, "SyncCaller"), kit.Deploy(b, "SyncCaller"), kit.DeployCode(a, RawContracts.StaticForwarder),
            kit.DeployCode(a, RawContracts.RevertingForwarder));

        // Messages.
        for (var i = 0; i < 2; i++)
            Assert.True(kit.Send(a, 1, ClusterPredeploys.Messenger, SendMessage(b.ChainId, s.ReceiverB, Abi.Call("receiveMessage(string)", AbiValue.String($"m{i}")))).Success);
        Assert.Equal(new UInt256(2), kit.CallWord(b, s.ReceiverB, "count()"));

        // A synchronous write on B from A.
        Assert.True(kit.Send(a, 1, s.CallerA, Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, s.CounterB, new UInt256(5))).Success);
        Assert.Equal(new UInt256(5), kit.CallWord(b, s.CounterB, "value()"));

        // The destination reverts: tolerated (the origin's write stays) and bubbled (the origin reverts too).
        Assert.True(kit.Send(a, 1, s.CallerA, Abi.Call("incrementRemoteTolerant(uint256,address,uint256)", b.ChainId, s.CounterB, new UInt256(9))).Success);
        Assert.False(kit.Send(a, 1, s.CallerA, Abi.Call("incrementRemoteExpectRevert(uint256,address,uint256)", b.ChainId, s.CounterB, new UInt256(9))).Success);
        Assert.Equal(new UInt256(5), kit.CallWord(b, s.CounterB, "value()"));
        Assert.Equal(new UInt256(2), kit.CallWord(a, s.CallerA, "localWrites()"));

        // The origin reverts after B succeeded: B must not keep the increment.
        var bRoot = b.Head.StateRoot;
        Assert.False(kit.Send(a, 2, s.RevertingA, RawContracts.CrossCall(b.ChainId, s.CounterB, Abi.Call("increment(uint256)", new UInt256(100)))).Success);
        Assert.Equal(new UInt256(5), kit.CallWord(b, s.CounterB, "value()"));
        Assert.Equal(bRoot, b.Head.StateRoot);

        // Nested A -> B -> C: an account on A calls B's SyncCaller, which increments C's counter.
        var nested = kit.Send(a, 3, ClusterPredeploys.CrossChainCall, RawContracts.CrossCall(b.ChainId, s.CallerB,
            Abi.Call("incrementRemote(uint256,address,uint256)", c.ChainId, s.CounterC, new UInt256(3))));
        Assert.True(nested.Success);
        Assert.Equal(new UInt256(3), kit.CallWord(c, s.CounterC, "value()"));
        Assert.Equal(new UInt256(3), kit.CallWord(b, s.CallerB, "mirrored()"));
        Assert.Equal(s.CallerB, new AbiReader(kit.Call(c, s.CounterC, Abi.Call("lastCaller()"))).Address(0));

        // A static cross-chain call: a read works, a write is refused by the static context.
        Assert.True(kit.Send(a, 2, s.StaticA, RawContracts.CrossCall(b.ChainId, s.CounterB, Abi.Call("get()"))).Success);
        Assert.Equal(UInt256.One, kit.Storage(a, s.StaticA, 2));
        Assert.Equal(UInt256.One, kit.Storage(a, s.StaticA, 0));
        Assert.Equal(new UInt256(5), kit.Storage(a, s.StaticA, 1));
        Assert.True(kit.Send(a, 2, s.StaticA, RawContracts.CrossCall(b.ChainId, s.CounterB, Abi.Call("increment(uint256)", new UInt256(1)))).Success);
        Assert.Equal(UInt256.Zero, kit.Storage(a, s.StaticA, 0));
        Assert.Equal(new UInt256(5), kit.CallWord(b, s.CounterB, "value()"));

        // A -> B -> A is refused (recorded as a refusal on B's side).
        var counterA = kit.Deploy(a, "RemoteCounter");
        Assert.True(kit.Send(a, 1, s.CallerA, Abi.Call("pingPongWithCounter(uint256,address,address)", b.ChainId, s.CallerB, counterA)).Success);
        Assert.Equal(UInt256.Zero, kit.CallWord(a, s.CallerA, "lastOk()"));
        return s;
    }

    internal static void AssertClean(IReadOnlyList<ReplayReport> reports)
    {
        foreach (var report in reports) Assert.True(report.IsClean, report.ToString());
    }

    [Fact]
    public async Task Every_chain_of_a_busy_cluster_replays_from_genesis_to_the_same_roots()
    {
        await using var kit = new ClusterTestKit(chains: 3);
        RunBusyScenario(kit);

        var reports = ClusterReplayer.VerifyCluster(kit.Cluster);
        AssertClean(reports);
        for (var i = 0; i < 3; i++) Assert.Equal(kit[i].Head.Number + 1, reports[i].BlocksChecked);

        // The replay did exercise sections: B and C received calls, B also made one (to C) and a refused one (to A).
        Assert.Contains(Sections(kit[1]), s => s.Inbound.Count > 0 && s.Outbound.Count > 0);
        Assert.Contains(Sections(kit[1]), s => s.Outbound.Any(o => !o.Ok && o.GasUsed == 0));
        Assert.Contains(Sections(kit[2]), s => s.Inbound.Count > 0);
        Assert.Contains(Sections(kit[0]), s => s.Outbound.Any(o => o.Ok) && s.Inbound.Count == 0);
        Assert.Contains(Sections(kit[1]), s => s.Inbound.Any(i => i.IsStatic));
    }

    [Fact]
    public async Task A_corrupted_section_is_detected()
    {
        await using var kit = new ClusterTestKit(chains: 3);
        RunBusyScenario(kit);
        var b = kit[1];
        var block = Enumerable.Range(1, (int)b.Head.Number).Select(n => b.Store.GetBlock((ulong)n)!).First(x => x.ClusterSection is not null);

        block.ClusterSection![^1] ^= 0x01; // the in-memory store hands out the stored array

        var report = ClusterReplayer.Verify(b.Store, b.Profile, kit.Cluster.GenesisOf(b.ChainId));
        Assert.Contains(report.Mismatches, m => m.BlockNumber == block.Number && m.Description.Contains("extra data"));
    }

    [Fact]
    public async Task A_rewritten_section_with_a_matching_hash_is_caught_by_re_execution()
    {
        await using var kit = new ClusterTestKit(chains: 3);
        var s = RunBusyScenario(kit);
        var (a, b) = (kit[0], kit[1]);

        // On A: the first recorded result that carried a value (incrementRemote's 5) now says 6: A's code mirrors it.
        var aBlock = FindBlock(a, x => x.Outbound.Any(o => o.Ok && o.Output.Length == 32 && new AbiReader(o.Output).Word(0) == new UInt256(5)));
        var aReport = Verify(kit, a, aBlock, section => section with
        {
            Outbound = section.Outbound.Select(o => o with { Output = new UInt256(6).ToBigEndian() }).ToList(),
        });
        Assert.Contains(aReport.Mismatches, m => m.BlockNumber == aBlock.Number && m.Description.Contains("state root"));
        Assert.DoesNotContain(aReport.Mismatches, m => m.BlockNumber == aBlock.Number && m.Description.Contains("extra data"));

        // On B: an inbound call recorded as returning something else than it does.
        var bBlock = FindBlock(b, x => x.Inbound.Any(i => i.Ok && i.Target == s.CounterB));
        var bReport = Verify(kit, b, bBlock, section => section with
        {
            Inbound = section.Inbound.Select(i => i with { Output = [.. i.Output, 0x01] }).ToList(),
        });
        Assert.Contains(bReport.Mismatches, m => m.BlockNumber == bBlock.Number && m.Description.Contains("inbound call 0") && m.Description.Contains("returned"));

        // On B: a recorded inbound call dropped: the block's state root no longer follows.
        var dropped = Verify(kit, b, bBlock, section => section with { Inbound = [] });
        Assert.Contains(dropped.Mismatches, m => m.BlockNumber == bBlock.Number && m.Description.Contains("state root"));
    }

    private static IEnumerable<ClusterSection> Sections(MemberChain chain)
    {
        for (ulong n = 1; n <= chain.Head.Number; n++)
            if (chain.Store.GetBlock(n)!.ClusterSection is { } section) yield return ClusterSection.Decode(section);
    }

    private static Block FindBlock(MemberChain chain, Func<ClusterSection, bool> match)
    {
        for (ulong n = 1; n <= chain.Head.Number; n++)
            if (chain.Store.GetBlock(n)!.ClusterSection is { } section && match(ClusterSection.Decode(section))) return chain.Store.GetBlock(n)!;
        throw new InvalidOperationException("no block matches");
    }

    private static ReplayReport Verify(ClusterTestKit kit, MemberChain chain, Block block, Func<ClusterSection, ClusterSection> rewrite)
    {
        var store = new RewritingChainStore(chain.Store, block.Number, rewrite);
        return ClusterReplayer.Verify(store, chain.Profile, kit.Cluster.GenesisOf(chain.ChainId));
    }
}
