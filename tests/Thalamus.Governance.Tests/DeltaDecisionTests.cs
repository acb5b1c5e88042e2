using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Rpc;
using Thalamus.Storage;
using static Thalamus.Rpc.Tests.RpcTestClient;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Governance.Tests;

/// <summary>A Delta decision (<c>setParameter(keccak256("delta"), ms, salt)</c>) carried out by the cluster from the next slot, or refused.</summary>
public sealed class DeltaDecisionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-gov-delta-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Two automining chains and one of 2 s blocks (never started: the test's blocks come from the automining ones).</summary>
    private static readonly IReadOnlyList<ClusterChainOptions> Chains =
    [
        new ClusterChainOptions { ChainId = GovernanceTestKit.HomeId },
        new ClusterChainOptions { ChainId = 902 },
        new ClusterChainOptions { ChainId = 903, BlockTime = TimeSpan.FromSeconds(2) },
    ];

    /// <summary>The Gerousia approves, the Agora passes and the timelock executes <c>setParameter("delta", ms, salt)</c>; returns the decision.</summary>
    private static GovernanceDecision DecideDelta(GovernanceTestKit kit, ulong milliseconds, ulong salt)
    {
        var key = GovernanceParameters.Delta;
        var change = new Hash256(kit.View(G.Decisions, Abi.Call("parameterChangeId(bytes32,uint256,uint256)", key, milliseconds, salt)));
        for (var member = 0; member < 3; member++) kit.Send(member, G.Gerousia, Abi.Call("approve(bytes32)", change));
        var proposal = Proposal.Single(G.Decisions, Abi.Call("setParameter(bytes32,uint256,uint256)", key, milliseconds, salt), $"delta {milliseconds} ms ({salt})");
        kit.PassAndQueue(proposal, 0, 0, 1);
        kit.Execute(proposal);
        var decision = kit.Module.Decisions[^1];
        Assert.Equal((DecisionKind.Parameter, key, new UInt256(milliseconds)), (decision.Kind, decision.Key, decision.Value));
        return decision;
    }

    private static ClusterMessage SendMessage(GovernanceTestKit kit, string text)
    {
        var before = kit.Cluster.AllMessages().Count;
        kit.Send(kit.Home, 9, ClusterPredeploys.Messenger,
            Abi.Call("sendMessage(uint256,address,bytes)", 902UL, GovernanceTestKit.Accounts[8].Address, AbiValue.Bytes(System.Text.Encoding.UTF8.GetBytes(text))));
        var messages = kit.Cluster.AllMessages();
        Assert.Equal(before + 1, messages.Count);
        return messages[^1];
    }

    [Fact]
    public async Task A_delta_decision_is_in_force_from_the_next_slot_for_new_sends_and_one_below_a_chain_s_block_time_is_refused()
    {
        await using var kit = new GovernanceTestKit(chainOptions: Chains);
        kit.StakeEveryone();
        Assert.Equal(2000, kit.Cluster.Status().DeltaMs);
        var before = SendMessage(kit, "before");
        Assert.Equal(2000L, before.DeltaMs);

        var carried = DecideDelta(kit, 5000, 1);

        Assert.Equal(DecisionStatus.Carried, carried.Status);
        Assert.Null(carried.Reason);
        var status = kit.Cluster.Status();
        Assert.Equal(5000, status.DeltaMs);
        Assert.Equal(carried.ActivationSlot, status.DeltaSinceSlot);
        Assert.Equal(new UInt256(5000), kit.Module.Parameter(GovernanceParameters.Delta));
        var after = SendMessage(kit, "after");
        Assert.Equal(5000L, after.DeltaMs);
        Assert.Equal(MessageStatus.Relayed, after.Status);
        // The message sent before keeps the bound it was admitted against.
        Assert.Equal(2000L, kit.Cluster.AllMessages().Single(m => m.Id == before.Id).DeltaMs);

        var refused = DecideDelta(kit, 1500, 2);

        Assert.Equal(DecisionStatus.Refused, refused.Status);
        Assert.Equal("a Delta of 1500 ms is shorter than chain 903's block time (2000 ms): its next block could come too late", refused.Reason);
        Assert.Equal(5000, kit.Cluster.Status().DeltaMs);
        Assert.Equal(new UInt256(5000), kit.Module.Parameter(GovernanceParameters.Delta));
        // The contract stores the value all the same (it does not know the members' block times).
        Assert.Equal(new UInt256(1500), kit.Word(G.Decisions, Abi.Call("parameter(bytes32)", GovernanceParameters.Delta)));
        Assert.Equal(5000L, SendMessage(kit, "still 5 s").DeltaMs);
    }

    [Fact]
    public async Task After_a_restart_the_delta_in_force_is_the_decided_one_and_cluster_status_shows_it()
    {
        var path = Path.Combine(_directory, "cluster.db");
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new GovernanceTestKit(chainOptions: Chains, database: database);
            kit.StakeEveryone();
            Assert.Equal(DecisionStatus.Carried, DecideDelta(kit, 4000, 1).Status);
            Assert.Equal(DecisionStatus.Refused, DecideDelta(kit, 1000, 2).Status);
            Assert.Equal(4000, kit.Cluster.Status().DeltaMs);
        }
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new GovernanceTestKit(chainOptions: Chains, database: database);

            Assert.Equal([DecisionStatus.Carried, DecisionStatus.Refused], kit.Module.Decisions.Select(d => d.Status));
            Assert.Equal("a Delta of 1000 ms is shorter than chain 903's block time (2000 ms): its next block could come too late", kit.Module.Decisions[1].Reason);
            Assert.Equal(TimeSpan.FromSeconds(4), kit.Cluster.Delta);
            Assert.Equal(new UInt256(4000), kit.Module.Parameter(GovernanceParameters.Delta));
            using var rpc = new RpcDispatcher(new MemberChainBackend(kit.Home), new RpcServerOptions { Methods = kit.Cluster.RpcMethods });
            var status = Result(rpc, "cluster_status");
            Assert.Equal(4000, status.GetProperty("deltaMs").GetInt64());
            // In force before the first slot after the restart.
            Assert.Equal(1UL, status.GetProperty("deltaSinceSlot").GetUInt64());
            Assert.Equal(4000L, SendMessage(kit, "after the restart").DeltaMs);
        }
    }
}
