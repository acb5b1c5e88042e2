using Thalamus.Core;
using Thalamus.Storage;

namespace Thalamus.Cluster.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-cluster-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_reopened_cluster_has_the_same_heads_and_messages_and_keeps_going()
    {
        var path = Path.Combine(_directory, "cluster.db");
        (ulong Number, Hash256 Hash, Hash256 Root)[] heads;
        (Hash256 Id, MessageStatus Status, ulong? Delivered)[] messages;
        ReplayTests.Scenario scenario;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 3, database: database);
            Assert.False(kit.Cluster.Resumed);
            scenario = ReplayTests.RunBusyScenario(kit);
            // One failed delivery too, so a status other than Relayed must survive.
            kit.Send(kit[1], 0, scenario.ReceiverB, Abi.Call("setFailing(bool)", UInt256.One));
            kit.Send(kit[0], 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(kit[1].ChainId, scenario.ReceiverB, Abi.Call("receiveMessage(string)", AbiValue.String("fails"))));
            kit.Send(kit[1], 0, scenario.ReceiverB, Abi.Call("setFailing(bool)", UInt256.Zero));
            heads = kit.Cluster.Chains.Select(c => (c.Head.Number, c.Head.Hash, c.Head.StateRoot)).ToArray();
            messages = kit.Cluster.AllMessages().Select(m => (m.Id, m.Status, m.DeliveredBlockNumber)).ToArray();
            Assert.Contains(messages, m => m.Status == MessageStatus.Failed);
            Assert.Contains(messages, m => m.Status == MessageStatus.Relayed);
        }

        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 3, database: database);
            Assert.True(kit.Cluster.Resumed);
            Assert.Equal(heads, kit.Cluster.Chains.Select(c => (c.Head.Number, c.Head.Hash, c.Head.StateRoot)).ToArray());
            Assert.Equal(messages, kit.Cluster.AllMessages().Select(m => (m.Id, m.Status, m.DeliveredBlockNumber)).ToArray());
            // The sections came back from disk: every chain still replays.
            ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));

            var (a, b) = (kit[0], kit[1]);
            var count = kit.CallWord(b, scenario.ReceiverB, "count()");
            Assert.True(kit.Send(a, 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(b.ChainId, scenario.ReceiverB, Abi.Call("receiveMessage(string)", AbiValue.String("after")))).Success);
            Assert.Equal(count + UInt256.One, kit.CallWord(b, scenario.ReceiverB, "count()"));
            Assert.Equal(messages.Length + 1, kit.Cluster.AllMessages().Count);
            Assert.Equal(MessageStatus.Relayed, kit.Cluster.AllMessages()[^1].Status);
            Assert.True(kit.Send(a, 1, scenario.CallerA, Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, scenario.CounterB, new UInt256(1))).Success);
            Assert.Equal(new UInt256(6), kit.CallWord(b, scenario.CounterB, "value()"));
        }
    }
}
