using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Modules;
using Thalamus.Storage;
using static Thalamus.Governance.Tests.GovernanceTestKit;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Governance.Tests;

/// <summary>
/// A cluster rollback that discards the home-chain block which executed a decision: the decision leaves the index at once and
/// what it did outside it is undone at once (Delta, gas limits, an upgrade on the other chains); the execution, run again, decides it
/// once more.
/// </summary>
public sealed class RollbackTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-gov-rollback-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Two automining chains and one of 2 s blocks (never started): the configured Delta is 2 s.</summary>
    private static readonly IReadOnlyList<ClusterChainOptions> Chains =
    [
        new ClusterChainOptions { ChainId = HomeId },
        new ClusterChainOptions { ChainId = 902 },
        new ClusterChainOptions { ChainId = 903, BlockTime = TimeSpan.FromSeconds(2) },
    ];

    private static readonly TimeSpan Configured = TimeSpan.FromSeconds(2);

    /// <summary>Runtime code that answers every call with the word 42.</summary>
    private static readonly byte[] NewCode = Hex.Decode("0x602a60005260206000f3");

    /// <summary>The Gerousia approves <c>setParameter(key, value, salt)</c>, the Agora passes it, the timelock is ready; returns the proposal.</summary>
    private static Proposal PassParameter(GovernanceTestKit kit, Hash256 key, ulong value, ulong salt)
    {
        var change = new Hash256(kit.View(G.Decisions, Abi.Call("parameterChangeId(bytes32,uint256,uint256)", key, value, salt)));
        for (var member = 0; member < 3; member++) kit.Send(member, G.Gerousia, Abi.Call("approve(bytes32)", change));
        var proposal = Proposal.Single(G.Decisions, Abi.Call("setParameter(bytes32,uint256,uint256)", key, value, salt), $"parameter {key} {value} ({salt})");
        kit.PassAndQueue(proposal, 0, 0, 1);
        return proposal;
    }

    /// <summary>
    /// When the rollback is done and before the users' transactions run again, <paramref name="observe"/> runs; then the home chain's
    /// next block gets the discarded block's time, so the re-run execution finds the timelock ready as it did (a node's clock only moves on).
    /// </summary>
    private static ClusterRollback RollBackAndRunAgainAtTheSameTime(GovernanceTestKit kit, TransactionReceipt executed, Action observe)
    {
        var timestamp = kit.Home.GetBlock(BlockSelector.FromNumber(executed.BlockNumber))!.Header.Timestamp;
        kit.Cluster.RolledBack += _ =>
        {
            observe();
            kit.Home.SetNextBlockTimestamp(timestamp);
        };
        return kit.Cluster.RollBack(HomeId, executed.BlockNumber, "block proven invalid");
    }

    private static (int, DecisionKind, ulong, Hash256, DecisionStatus, Hash256, UInt256)[] Index(GovernanceTestKit kit) =>
        [.. kit.Module.Decisions.Select(d => (d.Index, d.Kind, d.Block, d.Transaction, d.Status, d.Key, d.Value))];

    [Fact]
    public async Task A_rollback_that_discards_the_block_which_executed_a_delta_decision_gives_the_configured_delta_back_at_once_and_the_re_run_decides_it_once()
    {
        await using var kit = new GovernanceTestKit(chainOptions: Chains);
        kit.StakeEveryone();
        var proposal = PassParameter(kit, GovernanceParameters.Delta, 5000, 1);
        var executed = kit.Execute(proposal);
        Assert.Equal(TimeSpan.FromSeconds(5), kit.Cluster.Delta);
        Assert.Single(kit.Module.Decisions);

        (TimeSpan Delta, int Decisions, UInt256? Parameter)? atRollback = null;
        var rollback = RollBackAndRunAgainAtTheSameTime(kit, executed,
            () => atRollback = (kit.Cluster.Delta, kit.Module.Decisions.Count, kit.Module.Parameter(GovernanceParameters.Delta)));

        // At once: no decision, the configured Delta in force.
        Assert.Equal(executed.BlockNumber, rollback.FirstDiscarded(HomeId));
        Assert.Equal((Configured, 0, (UInt256?)null), atRollback);
        // The execution ran again: decided once more, once, and in force.
        Assert.True(kit.Home.GetReceipt(executed.TransactionHash)!.Success);
        var decision = Assert.Single(kit.Module.Decisions);
        Assert.Equal((DecisionKind.Parameter, DecisionStatus.Carried, new UInt256(5000)), (decision.Kind, decision.Status, decision.Value));
        Assert.Equal(TimeSpan.FromSeconds(5), kit.Cluster.Delta);
    }

    [Fact]
    public async Task A_rollback_that_discards_the_block_which_executed_a_gas_limit_decision_gives_every_chain_its_configured_limit_back_at_once()
    {
        await using var kit = new GovernanceTestKit(chains: 3);
        kit.StakeEveryone();
        var configured = kit.Cluster.Chains.ToDictionary(c => c.ChainId, c => c.BlockGasLimit);
        var proposal = PassParameter(kit, GovernanceParameters.GasLimit, 20_000_000, 1);
        var executed = kit.Execute(proposal);
        Assert.All(kit.Cluster.Chains, c => Assert.Equal(20_000_000UL, c.BlockGasLimit));

        Dictionary<ulong, ulong>? atRollback = null;
        UInt256? parameterAtRollback = null;
        RollBackAndRunAgainAtTheSameTime(kit, executed, () =>
        {
            atRollback = kit.Cluster.Chains.ToDictionary(c => c.ChainId, c => c.BlockGasLimit);
            parameterAtRollback = kit.Module.Parameter(GovernanceParameters.GasLimit);
        });

        Assert.Equal(configured, atRollback);
        Assert.Null(parameterAtRollback);
        // Decided again by the re-run, once: every chain's next blocks have the decided limit.
        Assert.Single(kit.Module.Decisions);
        Assert.Equal(new UInt256(20_000_000), kit.Module.Parameter(GovernanceParameters.GasLimit));
        Assert.All(kit.Cluster.Chains, c => Assert.Equal(20_000_000UL, c.BlockGasLimit));
    }

    [Fact]
    public async Task A_rollback_that_discards_the_block_which_approved_an_upgrade_discards_the_other_chain_s_block_that_applied_it_and_the_re_run_applies_it_once()
    {
        await using var kit = new GovernanceTestKit();
        var other = kit.Cluster.GetChain(902);
        var oldCode = other.GetCode(G.Hermes, BlockSelector.Latest);
        kit.StakeEveryone();
        var change = new Hash256(kit.View(G.Decisions, Abi.Call("upgradeChangeId(address,bytes32,uint256)", G.Hermes, Keccak256.Compute(NewCode), 1UL)));
        for (var member = 0; member < 3; member++) kit.Send(member, G.Gerousia, Abi.Call("approve(bytes32)", change));
        var proposal = Proposal.Single(G.Decisions, Abi.Call("approveUpgrade(address,bytes,uint256)", G.Hermes, AbiValue.Bytes(NewCode), 1UL), "upgrade Hermes");
        kit.PassAndQueue(proposal, 0, 0, 1);
        var otherKept = other.Head.Number;
        var executed = kit.Execute(proposal);
        // The other chain applies the upgrade with its next block.
        kit.Send(other, 9, Accounts[8].Address, [], gas: 21_000);
        Assert.Equal(NewCode, other.GetCode(G.Hermes, BlockSelector.Latest));

        byte[]? codeAtRollback = null;
        var rollback = RollBackAndRunAgainAtTheSameTime(kit, executed, () => codeAtRollback = other.GetCode(G.Hermes, BlockSelector.Latest));

        Assert.Equal(otherKept + 1, rollback.FirstDiscarded(902));
        Assert.Contains("governance: applied upgrade decision 0 executed by chain 901", rollback.Discarded.Single(d => d.ChainId == 902).Why);
        Assert.Equal(oldCode, codeAtRollback);
        // Approved again by the re-run: applied once more on both chains, and carried.
        kit.Send(other, 9, Accounts[8].Address, [], gas: 21_000);
        kit.Send(9, Accounts[8].Address, [], gas: 21_000);
        Assert.Equal(NewCode, other.GetCode(G.Hermes, BlockSelector.Latest));
        Assert.Equal(NewCode, kit.Home.GetCode(G.Hermes, BlockSelector.Latest));
        Assert.Equal(DecisionStatus.Carried, Assert.Single(kit.Module.Decisions).Status);
    }

    [Fact]
    public async Task A_rollback_that_discards_the_block_which_executed_an_admission_removes_the_admitted_chain_at_once()
    {
        await using var kit = new GovernanceTestKit();
        kit.StakeEveryone();
        var proposal = Proposal.Single(G.Decisions, Abi.Call("admitChain(uint64,uint64,uint64,string)", 903UL, 0UL, 30_000_000UL, AbiValue.String("gamma")), "admit chain 903");
        kit.PassAndQueue(proposal, 0, 0, 1);
        var executed = kit.Execute(proposal);
        Assert.Equal([901UL, 902UL, 903UL], kit.Cluster.Chains.Select(c => c.ChainId));

        var membership = new List<(ulong Chain, bool Added)>();
        kit.Cluster.MembershipChanged += (chain, added) => membership.Add((chain.ChainId, added));

        kit.Cluster.RollBack(HomeId, executed.BlockNumber, "block proven invalid");

        // 903 goes (no kept decision admits it), then the execution, run again, admits it once more: a new chain, from genesis.
        Assert.Equal([(903UL, false), (903UL, true)], membership);
        Assert.Equal(0UL, kit.Cluster.GetChain(903).Head.Number);
        var decision = Assert.Single(kit.Module.Decisions);
        Assert.Equal((DecisionKind.Admission, DecisionStatus.Carried), (decision.Kind, decision.Status));
        Assert.Equal([901UL, 902UL, 903UL], kit.Cluster.Chains.Select(c => c.ChainId));
    }

    /// <summary>The governance account's report transactions in the home chain's blocks from <paramref name="from"/> on.</summary>
    private static int Reports(GovernanceTestKit kit, ulong from) =>
        Enumerable.Range((int)from, (int)(kit.Home.Head.Number - from + 1)).Select(n => kit.Home.Store.GetBlock((ulong)n)!)
            .Sum(b => b.Transactions.Count(t => t.To == G.Staking && t.ResolveSender() == G.Account.Address));

    private static ulong Uptime(GovernanceTestKit kit, int pythia) =>
        new AbiReader(kit.View(G.Staking, Abi.Call("pythia(address)", Accounts[pythia].Address))).UInt64(1);

    [Fact]
    public async Task A_pythia_report_a_discarded_block_carried_is_sent_again_once()
    {
        await using var kit = new GovernanceTestKit();
        kit.StakeEveryone();
        kit.Send(1, G.Staking, Abi.Call("registerPythia()"));
        const uint uptime = 5 * 24 * 3600;
        kit.Module.ReportPythia(Accounts[1].Address, uptime, 8_000);
        var carrier = kit.Send(9, Accounts[8].Address, [], gas: 21_000);
        Assert.Equal(1, Reports(kit, carrier.BlockNumber));
        Assert.Equal(uptime, Uptime(kit, 1));
        (ulong Uptime, bool Pending)? atRollback = null;
        kit.Cluster.RolledBack += _ => atRollback = (Uptime(kit, 1), kit.Module.HasPendingWork(kit.Home));

        var rollback = kit.Cluster.RollBack(HomeId, carrier.BlockNumber, "block proven invalid");

        // Right after: the report is gone from the chain and queued again; the re-run block carries it, once.
        Assert.Equal((0UL, true), atRollback);
        Assert.Equal([carrier.TransactionHash], rollback.Reinserted);
        Assert.Equal(uptime, Uptime(kit, 1));
        Assert.False(kit.Module.HasPendingWork(kit.Home));
        kit.Send(9, Accounts[8].Address, [], gas: 21_000);
        Assert.Equal(1, Reports(kit, carrier.BlockNumber));
    }

    [Fact]
    public async Task After_a_rollback_and_a_restart_the_decisions_and_the_delta_equal_those_before_the_restart()
    {
        var path = Path.Combine(_directory, "restart.db");
        ulong second;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new GovernanceTestKit(chainOptions: Chains, database: database);
            kit.StakeEveryone();
            kit.Execute(PassParameter(kit, GovernanceParameters.Delta, 4000, 1));
            second = kit.Execute(PassParameter(kit, GovernanceParameters.Delta, 5000, 2)).BlockNumber;
            Assert.Equal(TimeSpan.FromSeconds(5), kit.Cluster.Delta);
        }
        (int, DecisionKind, ulong, Hash256, DecisionStatus, Hash256, UInt256)[] before;
        using (var database = ClusterDatabase.Open(path))
        {
            // A started node keeps no travelled time: the second execution, run again at the kept head's time, finds the timelock
            // not ready and reverts, so the first decision is the one in force.
            await using var kit = new GovernanceTestKit(chainOptions: Chains, database: database);
            Assert.Equal(2, kit.Module.Decisions.Count);
            var rollback = kit.Cluster.RollBack(HomeId, second, "block proven invalid");

            var rerun = Assert.Single(rollback.Reinserted);
            Assert.False(kit.Home.GetReceipt(rerun)!.Success);
            Assert.Equal(new UInt256(4000), Assert.Single(kit.Module.Decisions).Value);
            Assert.Equal(TimeSpan.FromSeconds(4), kit.Cluster.Delta);
            Assert.Equal(new UInt256(4000), kit.Module.Parameter(GovernanceParameters.Delta));
            before = Index(kit);
        }
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new GovernanceTestKit(chainOptions: Chains, database: database);
            Assert.Equal(before, Index(kit));
            Assert.Equal(TimeSpan.FromSeconds(4), kit.Cluster.Delta);
        }
    }

    private sealed class SimulatedCrash(ulong chainId) : Exception($"simulated crash after chain {chainId} was rewound");

    /// <summary>The home chain second, so that a crash after the first rewind leaves it as it was.</summary>
    private static readonly IReadOnlyList<ClusterChainOptions> HomeSecond = [new ClusterChainOptions { ChainId = 902 }, new ClusterChainOptions { ChainId = HomeId }];

    /// <summary>A Delta decision, then a message from the home chain that chain 902 consumes (so the rollback rewinds 902 too, first).</summary>
    private static ulong DecideDeltaAndSendAMessage(GovernanceTestKit kit)
    {
        kit.StakeEveryone();
        var executed = kit.Execute(PassParameter(kit, GovernanceParameters.Delta, 5000, 1));
        kit.Send(kit.Home, 9, ClusterPredeploys.Messenger,
            Abi.Call("sendMessage(uint256,address,bytes)", 902UL, Accounts[8].Address, AbiValue.Bytes([1])));
        Assert.Equal(MessageStatus.Relayed, Assert.Single(kit.Cluster.AllMessages()).Status);
        return executed.BlockNumber;
    }

    [Fact]
    public async Task A_rollback_a_crash_interrupted_before_the_home_chain_was_rewound_is_finished_by_the_restart_with_the_index_and_delta_of_a_clean_one()
    {
        (int, DecisionKind, ulong, Hash256, DecisionStatus, Hash256, UInt256)[] clean;
        TimeSpan cleanDelta;
        // The reference: the same blocks, a restart (a started node keeps no travelled time, so the execution run again reverts as
        // it does after the crash), then a clean rollback.
        var cleanPath = Path.Combine(_directory, "clean.db");
        ulong cleanBad;
        using (var database = ClusterDatabase.Open(cleanPath))
        {
            await using var kit = new GovernanceTestKit(chainOptions: HomeSecond, database: database);
            cleanBad = DecideDeltaAndSendAMessage(kit);
        }
        using (var database = ClusterDatabase.Open(cleanPath))
        {
            await using var kit = new GovernanceTestKit(chainOptions: HomeSecond, database: database);
            Assert.Equal(TimeSpan.FromSeconds(5), kit.Cluster.Delta);
            var rollback = kit.Cluster.RollBack(HomeId, cleanBad, "block proven invalid");
            Assert.NotNull(rollback.FirstDiscarded(902));
            clean = Index(kit);
            cleanDelta = kit.Cluster.Delta;
        }

        var path = Path.Combine(_directory, "crashed.db");
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new GovernanceTestKit(chainOptions: HomeSecond, database: database);
            var bad = DecideDeltaAndSendAMessage(kit);
            kit.Cluster.AfterChainRewound = id => throw new SimulatedCrash(id);
            Assert.Equal("simulated crash after chain 902 was rewound",
                Assert.Throws<SimulatedCrash>(() => kit.Cluster.RollBack(HomeId, bad, "block proven invalid")).Message);
            Assert.Equal(bad, kit.Home.Head.Number - 1);
        }
        using (var database = ClusterDatabase.Open(path))
        {
            // The start reads the home chain before the rollback is finished (the decision is there), then finishes it.
            await using var kit = new GovernanceTestKit(chainOptions: HomeSecond, database: database);
            Assert.True(kit.Cluster.Status().Rollback!.Resumed);
            Assert.Equal(clean, Index(kit));
            Assert.Equal(cleanDelta, kit.Cluster.Delta);
            Assert.Equal(kit.Cluster.Options.EffectiveDelta, kit.Cluster.Delta);
        }
    }
}
