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

    [Fact]
    public async Task A_return_still_waiting_when_the_node_stops_runs_after_the_restart_and_never_twice()
    {
        var path = Path.Combine(_directory, "cluster.db");
        ClusterMessage message;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 2, database: database);
            var (a, b) = (kit[0], kit[1]);
            kit.Cluster.HaltChain(b.ChainId);
            Assert.True(kit.Send(a, 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(b.ChainId, ClusterTestKit.Accounts[3].Address, [1])).Success);
            // A cannot seal either: the return waits for its next block.
            kit.Cluster.HaltChain(a.ChainId);
            kit.Cluster.RemoveChain(b.ChainId);
            message = Assert.Single(kit.Cluster.AllMessages());
            Assert.Equal(MessageStatus.Failed, message.Status);
            Assert.True(message.ReturnPending);
            Assert.Equal(UInt256.Zero, kit.CallWord(a, ClusterPredeploys.Messenger, "returned(bytes32)", message.Id));
        }

        Hash256 returnHash;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 1, database: database);
            var a = kit[0];
            var stored = Assert.Single(kit.Cluster.AllMessages());
            Assert.Equal(message.Id, stored.Id);
            Assert.True(stored.ReturnPending);
            Assert.True(kit.Send(a, 0, ClusterTestKit.Accounts[2].Address, [], 21_000).Success);
            Assert.Equal(MessageStatus.Returned, stored.Status);
            returnHash = stored.ReturnTransactionHash!.Value;
            Assert.True(a.GetReceipt(returnHash)!.Success);
            Assert.Equal(UInt256.One, kit.CallWord(a, ClusterPredeploys.Messenger, "returned(bytes32)", message.Id));
        }

        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 1, database: database);
            var a = kit[0];
            var nonce = ClusterPredeploys.RelayerAccount.NonceOn(a);
            Assert.True(kit.Send(a, 0, ClusterTestKit.Accounts[2].Address, [], 21_000).Success);
            var stored = Assert.Single(kit.Cluster.AllMessages());
            Assert.Equal(MessageStatus.Returned, stored.Status);
            Assert.Equal(returnHash, stored.ReturnTransactionHash);
            // The relayer sent nothing more: the return ran once.
            Assert.Equal(nonce, ClusterPredeploys.RelayerAccount.NonceOn(a));
            ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
        }
    }
}
