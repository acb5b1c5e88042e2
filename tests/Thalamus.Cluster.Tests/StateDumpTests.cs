using Thalamus.Chain;
using Thalamus.Cluster.Replay;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

/// <summary>A cluster started from another cluster's state dump (<c>--dump-state</c> / <c>--load-state</c>).</summary>
public sealed class StateDumpTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-cluster-dump-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_persistent_cluster_started_from_a_dump_resumes_at_its_head_and_replays_clean_from_the_same_dump()
    {
        Dictionary<ulong, ChainStateDump> dumps;
        await using (var old = new ClusterTestKit(chains: 3))
        {
            ReplayTests.RunBusyScenario(old);
            dumps = old.Cluster.Chains.ToDictionary(chain => chain.ChainId, chain => chain.DumpState());
        }
        IReadOnlyDictionary<Address, GenesisAccount>? Loaded(ulong id) => ChainStateDump.ToAlloc(dumps[id].Accounts);
        var path = Path.Combine(_directory, "cluster.db");
        (ulong Number, Hash256 Root)[] heads;
        using (var database = Storage.ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 3, database: database, loadedState: Loaded);
            Assert.Equal(dumps[901].Head.StateRoot, kit[0].Store.GetHeader(0)!.StateRoot);
            Assert.True(kit.Send(kit[0], 1, ClusterPredeploys.Messenger,
                ReplayTests.SendMessage(kit[1].ChainId, ClusterTestKit.Accounts[2].Address, [])).Success);
            heads = kit.Cluster.Chains.Select(c => (c.Head.Number, c.Head.StateRoot)).ToArray();
        }

        using (var database = Storage.ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 3, database: database, loadedState: Loaded);
            Assert.True(kit.Cluster.Resumed);
            Assert.Equal(heads, kit.Cluster.Chains.Select(c => (c.Head.Number, c.Head.StateRoot)).ToArray());
            ReplayTests.AssertClean(ClusterReplayer.VerifyCluster(kit.Cluster));
        }
    }

    [Fact]
    public async Task A_cluster_started_from_a_dump_has_every_chain_s_dumped_root_at_genesis_keeps_messaging_and_replays_clean()
    {
        Dictionary<ulong, ChainStateDump> dumps;
        ReplayTests.Scenario scenario;
        await using (var old = new ClusterTestKit(chains: 3))
        {
            scenario = ReplayTests.RunBusyScenario(old);
            dumps = old.Cluster.Chains.ToDictionary(chain => chain.ChainId, chain => chain.DumpState());
            foreach (var chain in old.Cluster.Chains) Assert.Equal(chain.Head.StateRoot, dumps[chain.ChainId].Head.StateRoot);
        }

        await using var kit = new ClusterTestKit(chains: 3, loadedState: id => ChainStateDump.ToAlloc(dumps[id].Accounts));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0UL, kit[i].Head.Number);
            Assert.Equal(dumps[kit[i].ChainId].Head.StateRoot, kit[i].Head.StateRoot);
        }
        // The contracts and the messenger's state came along: the receiver counts on from 2, the counter from 5.
        var (a, b) = (kit[0], kit[1]);
        Assert.Equal(new UInt256(2), kit.CallWord(b, scenario.ReceiverB, "count()"));
        Assert.True(kit.Send(a, 1, ClusterPredeploys.Messenger,
            ReplayTests.SendMessage(b.ChainId, scenario.ReceiverB, Abi.Call("receiveMessage(string)", AbiValue.String("after the load")))).Success);
        Assert.Equal(new UInt256(3), kit.CallWord(b, scenario.ReceiverB, "count()"));
        Assert.True(kit.Send(a, 1, scenario.CallerA, Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, scenario.CounterB, new UInt256(1))).Success);
        Assert.Equal(new UInt256(6), kit.CallWord(b, scenario.CounterB, "value()"));

        // The loaded state is each chain's genesis: re-execution from it reaches the same roots.
        ReplayTests.AssertClean(ClusterReplayer.VerifyCluster(kit.Cluster));
    }
}
