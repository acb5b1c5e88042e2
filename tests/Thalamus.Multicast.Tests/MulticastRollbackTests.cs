using System.Text.Json;
using Thalamus.Cluster;
using Thalamus.Cluster.Tests;
using Thalamus.Core;
using Thalamus.Storage;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Multicast.Tests;

/// <summary>
/// The cluster rolls member chains back (settlement's verdict): the module's index, RPC answers and rows follow the kept
/// blocks, what the node did in a discarded block is done again once, and a publish's fan-out goes with its publish.
/// </summary>
public sealed class MulticastRollbackTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100);

    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-multicast-rollback-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private sealed class SimulatedCrash(ulong chainId) : Exception($"simulated crash after chain {chainId} was rewound");

    /// <summary>A channel on A with a subscriber on A and one on B (C has none), subscribed and replicated.</summary>
    private sealed record Setup(Hash256 Channel, Address OnA, Address OnB);

    private static Setup Subscribed(MulticastKit kit)
    {
        var (a, b) = (kit[0], kit[1]);
        var onA = kit.Deploy(a, "MulticastSubscriber");
        var onB = kit.Deploy(b, "MulticastSubscriber");
        var channel = kit.CreateChannel(a);
        Assert.True(kit.Subscribe(a, channel, onA).Success);
        Assert.True(kit.Subscribe(b, channel, onB).Success);
        kit.Drain();
        Assert.Equal(2u, kit.Channel(a, channel).SubscriberCount);
        return new Setup(channel, onA, onB);
    }

    private static JsonElement Publish(MulticastKit kit, Hash256 id)
    {
        using var rpc = kit.Rpc();
        return Result(rpc, "multicast_getPublish", $"[\"{id}\"]").Clone();
    }

    private static JsonElement ChainEntry(JsonElement publish, ulong chainId) =>
        publish.GetProperty("chains").EnumerateArray().Single(c => c.GetProperty("chainId").GetString() == $"0x{chainId:x}");

    /// <summary>The module's stored status row of publish <paramref name="id"/>, decoded (null when there is none).</summary>
    private static PublishRecord? StoredStatus(ClusterDatabase database, Hash256 id)
    {
        var rows = database.ReadModuleState(MulticastModule.ModuleName);
        var publish = rows.FirstOrDefault(r => r.Key.Length == 33 && r.Key[0] == (byte)'p' && r.Key.AsSpan(1).SequenceEqual(id.Bytes));
        if (publish.Value is null) return null;
        var record = MulticastRows.DecodePublish(publish.Value);
        var status = rows.First(r => r.Key.Length == 33 && r.Key[0] == (byte)'s' && r.Key.AsSpan(1).SequenceEqual(id.Bytes));
        MulticastRows.DecodeStatus(status.Value, record);
        return record;
    }

    private static bool HasRowsOf(ClusterDatabase database, Hash256 id) =>
        database.ReadModuleState(MulticastModule.ModuleName).Any(r => r.Key.Length == 33 && r.Key.AsSpan(1).SequenceEqual(id.Bytes));

    [Fact]
    public async Task A_rollback_that_discards_the_block_which_delivered_a_publish_on_B_forgets_that_delivery_and_it_is_delivered_again_once()
    {
        using var database = ClusterDatabase.Open(Path.Combine(_directory, "delivery.db"));
        await using var kit = new MulticastKit(database: database, time: new ManualTimeProvider(Start));
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var setup = Subscribed(kit);
        var (_, id) = kit.Publish(a, setup.Channel, MulticastKit.PlainMessage([0xca, 0xfe]));
        kit.Drain();
        Assert.Equal(1UL, kit.Received(b, setup.OnB));
        Assert.Equal("complete", Publish(kit, id).GetProperty("status").GetString());
        var delivery = Assert.Single(kit.DeliveryBlockNumbers(b));
        var cHead = c.Head.Hash;

        var rollback = kit.Cluster.RollBack(b.ChainId, delivery, "block proven invalid");

        // Only B lost blocks: the home chain's report of B's outcome is cumulative and is sent again, it taints nothing.
        var discarded = Assert.Single(rollback.Discarded);
        Assert.Equal((b.ChainId, delivery), (discarded.ChainId, discarded.FromNumber));
        Assert.Equal(cHead, c.Head.Hash);
        // B's delivery is gone from the chain, from multicast_getPublish and from the rows; A's stays.
        Assert.Equal(0UL, kit.Received(b, setup.OnB));
        var after = Publish(kit, id);
        Assert.Equal("delivering", after.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("completedAtMs").ValueKind);
        Assert.Equal("0x0", ChainEntry(after, b.ChainId).GetProperty("reached").GetString());
        Assert.Equal("0x0", ChainEntry(after, b.ChainId).GetProperty("delivered").GetString());
        Assert.False(ChainEntry(after, b.ChainId).TryGetProperty("lastDeliveryBlock", out _));
        Assert.Equal("0x1", ChainEntry(after, a.ChainId).GetProperty("delivered").GetString());
        var stored = StoredStatus(database, id)!;
        Assert.Equal(0, stored.NextOn(b.ChainId));
        Assert.Equal(0u, stored.On(b.ChainId).Delivered);
        Assert.Equal(1, stored.NextOn(a.ChainId));
        Assert.Null(stored.CompletedAtMs);

        // The deliver of the discarded block is proposed again, once: B's subscriber gets the publish once, in order.
        kit.Drain();
        Assert.Equal(1UL, kit.Received(b, setup.OnB));
        Assert.Equal(0UL, kit.OutOfOrder(b, setup.OnB));
        Assert.Single(kit.DeliveryBlockNumbers(b));
        var done = Publish(kit, id);
        Assert.Equal("complete", done.GetProperty("status").GetString());
        Assert.Equal("0x2", done.GetProperty("delivered").GetString());
        Assert.Equal("0x1", ChainEntry(done, b.ChainId).GetProperty("delivered").GetString());
        Assert.Equal(2u, kit.Aggregate(a, id).Delivered);
    }

    [Fact]
    public async Task A_rollback_that_discards_the_publishing_block_forgets_the_publish_and_the_deliveries_it_made_on_another_chain()
    {
        using var database = ClusterDatabase.Open(Path.Combine(_directory, "publish.db"));
        await using var kit = new MulticastKit(database: database, time: new ManualTimeProvider(Start));
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var setup = Subscribed(kit);
        var (receipt, id) = kit.Publish(a, setup.Channel, MulticastKit.PlainMessage([0x01]));
        kit.Drain();
        Assert.Equal(1UL, kit.Received(b, setup.OnB));
        var bDelivery = Assert.Single(kit.DeliveryBlockNumbers(b));
        var cHead = c.Head.Hash;
        // The publish goes back to A's pool; A seals it again only when asked, so what the rollback alone did shows.
        a.SetAutomine(false);

        var rollback = kit.Cluster.RollBack(a.ChainId, receipt.BlockNumber, "block proven invalid");

        // B's block that delivered the publish consumed it: it went too (the module's answer to the taint), C kept its blocks.
        Assert.Equal(bDelivery, rollback.FirstDiscarded(b.ChainId));
        Assert.Contains($"delivered multicast publish {id} made by chain {a.ChainId}", rollback.Discarded.Single(d => d.ChainId == b.ChainId).Why);
        Assert.Null(rollback.FirstDiscarded(c.ChainId));
        Assert.Equal(cHead, c.Head.Hash);
        Assert.Equal([receipt.TransactionHash], rollback.Reinserted);
        // The publish is gone from the RPC and the rows, and from both subscribers.
        Assert.Equal(JsonValueKind.Null, Publish(kit, id).ValueKind);
        Assert.False(HasRowsOf(database, id));
        Assert.Equal(0UL, kit.Received(a, setup.OnA));
        Assert.Equal(0UL, kit.Received(b, setup.OnB));

        // The publish runs again; each subscriber gets it once.
        a.SetAutomine(true);
        kit.Drain();
        Assert.Equal(1UL, kit.Received(a, setup.OnA));
        Assert.Equal(1UL, kit.Received(b, setup.OnB));
        Assert.Single(kit.DeliveryBlockNumbers(b));
        var done = Publish(kit, id);
        Assert.Equal("complete", done.GetProperty("status").GetString());
        Assert.Equal("0x2", done.GetProperty("delivered").GetString());
        Assert.True(HasRowsOf(database, id));
    }

    [Fact]
    public async Task A_rollback_that_discards_the_block_which_replicated_a_subscription_replicates_it_again_once()
    {
        using var database = ClusterDatabase.Open(Path.Combine(_directory, "replicate.db"));
        await using var kit = new MulticastKit(database: database, time: new ManualTimeProvider(Start));
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var setup = Subscribed(kit);
        var home = kit.Channel(a, setup.Channel);
        Assert.Equal(home, kit.Channel(c, setup.Channel));
        // C's block that applied B's subscription (an op every chain has applied: the module no longer keeps it).
        var replicated = Assert.Single(ReplicatedFrom(c, b.ChainId));

        var rollback = kit.Cluster.RollBack(c.ChainId, replicated, "block proven invalid");

        Assert.Equal(c.ChainId, Assert.Single(rollback.Discarded).ChainId);
        Assert.Equal(0UL, (ulong)kit.Word(c, MulticastPredeploys.Registry, "appliedOps(uint256)", b.ChainId));
        Assert.NotEqual(home, kit.Channel(c, setup.Channel));
        Assert.True(kit.Module.HasPendingWork(c));

        // The op is read again from B's kept block and replicated once: C's replica is A's again.
        kit.Drain();
        Assert.Equal(home, kit.Channel(c, setup.Channel));
        Assert.Equal(1UL, (ulong)kit.Word(c, MulticastPredeploys.Registry, "appliedOps(uint256)", b.ChainId));
        Assert.Single(ReplicatedFrom(c, b.ChainId));
        Assert.DoesNotContain(database.ReadModuleState(MulticastModule.ModuleName), r => r.Key[0] == (byte)'o');
    }

    /// <summary>The blocks of <paramref name="chain"/> whose replicate applied ops of <paramref name="origin"/>.</summary>
    private static List<ulong> ReplicatedFrom(Thalamus.Chain.MemberChain chain, ulong origin) =>
        [.. chain.GetLogs(new Thalamus.Chain.LogFilter { FromBlock = 1, ToBlock = chain.Head.Number, Addresses = [MulticastPredeploys.Registry] })
            .Where(l => l.Topics[0] == MulticastAbi.Replicated && (ulong)l.Topics[1].ToUInt256() == origin).Select(l => l.BlockNumber)];

    [Fact]
    public async Task After_a_rollback_a_restart_reads_the_same_index_back_and_finishes_the_redone_delivery_once()
    {
        var path = Path.Combine(_directory, "restart.db");
        Setup setup;
        Hash256 id;
        string before;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new MulticastKit(database: database, time: new ManualTimeProvider(Start));
            setup = Subscribed(kit);
            (_, id) = kit.Publish(kit[0], setup.Channel, MulticastKit.PlainMessage([0x02]));
            kit.Drain();
            kit.Cluster.RollBack(kit[1].ChainId, Assert.Single(kit.DeliveryBlockNumbers(kit[1])), "block proven invalid");
            before = Publish(kit, id).GetRawText();
            Assert.Contains("\"status\":\"delivering\"", before);
        }

        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new MulticastKit(database: database, time: new ManualTimeProvider(Start));
            Assert.True(kit.Module.ResumedFromCheckpoint);
            Assert.Equal(before, Publish(kit, id).GetRawText());
            kit.Drain();
            Assert.Equal(1UL, kit.Received(kit[1], setup.OnB));
            Assert.Equal(1UL, kit.Received(kit[0], setup.OnA));
            Assert.Equal("complete", Publish(kit, id).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_rollback_a_crash_interrupted_before_the_modules_rows_committed_ends_with_the_index_of_a_clean_rollback()
    {
        // The clean rollback of B's delivery block (same scenario, same clock, its own database): the reference, before the
        // redone delivery and after it.
        string cleanRolledBack, cleanDone;
        Setup setup;
        Hash256 id;
        using (var database = ClusterDatabase.Open(Path.Combine(_directory, "clean.db")))
        {
            await using var kit = new MulticastKit(database: database, time: new ManualTimeProvider(Start));
            setup = Subscribed(kit);
            (_, id) = kit.Publish(kit[0], setup.Channel, MulticastKit.PlainMessage([0x03]));
            kit.Drain();
            kit.Cluster.RollBack(kit[1].ChainId, Assert.Single(kit.DeliveryBlockNumbers(kit[1])), "block proven invalid");
            cleanRolledBack = Publish(kit, id).GetRawText();
            kit.Drain();
            cleanDone = Publish(kit, id).GetRawText();
        }

        var path = Path.Combine(_directory, "crashed.db");
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new MulticastKit(database: database, time: new ManualTimeProvider(Start));
            Assert.Equal(setup, Subscribed(kit));
            var (_, published) = kit.Publish(kit[0], setup.Channel, MulticastKit.PlainMessage([0x03]));
            Assert.Equal(id, published);
            kit.Drain();
            var delivery = Assert.Single(kit.DeliveryBlockNumbers(kit[1]));
            kit.Cluster.AfterChainRewound = chainId => throw new SimulatedCrash(chainId);
            Assert.Throws<SimulatedCrash>(() => kit.Cluster.RollBack(kit[1].ChainId, delivery, "block proven invalid"));
            // B is rewound on disk, the module's rows are as before the rollback: the publish complete, B's delivery counted.
            Assert.Equal(delivery - 1, kit[1].Store.HeadNumber);
            var stored = StoredStatus(database, id)!;
            Assert.NotNull(stored.CompletedAtMs);
            Assert.Equal(1u, stored.On(kit[1].ChainId).Delivered);
        }

        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new MulticastKit(database: database, time: new ManualTimeProvider(Start));
            // The start read those rows, finished the rollback (Resumed) and the module brought them in line: B's delivery is
            // gone as after the clean rollback, then redone once.
            Assert.True(kit.Cluster.Status().Rollback!.Resumed);
            Assert.Equal(cleanRolledBack, Publish(kit, id).GetRawText());
            Assert.Null(StoredStatus(database, id)!.CompletedAtMs);
            kit.Drain();
            Assert.Equal(cleanDone, Publish(kit, id).GetRawText());
            Assert.Equal(1UL, kit.Received(kit[1], setup.OnB));
            Assert.Single(kit.DeliveryBlockNumbers(kit[1]));
            var stored = StoredStatus(database, id)!;
            Assert.Equal(1, stored.NextOn(kit[1].ChainId));
            Assert.Equal(1u, stored.On(kit[1].ChainId).Delivered);
        }
    }

    [Fact]
    public async Task A_rollback_a_crash_interrupted_between_two_chains_ends_with_the_fan_out_of_a_clean_rollback()
    {
        // The clean rollback (same scenario, same clock, its own database): the reference.
        string clean;
        Setup setup;
        Hash256 id;
        using (var database = ClusterDatabase.Open(Path.Combine(_directory, "clean.db")))
        {
            await using var kit = new MulticastKit(database: database, time: new ManualTimeProvider(Start));
            setup = Subscribed(kit);
            var (receipt, published) = kit.Publish(kit[0], setup.Channel, MulticastKit.PlainMessage([0x03]));
            id = published;
            kit.Drain();
            var rollback = kit.Cluster.RollBack(kit[0].ChainId, receipt.BlockNumber, "block proven invalid");
            Assert.Equal(2, rollback.Discarded.Count);
            kit.Drain();
            clean = Publish(kit, id).GetRawText();
        }

        var path = Path.Combine(_directory, "crashed.db");
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new MulticastKit(database: database, time: new ManualTimeProvider(Start));
            Assert.Equal(setup, Subscribed(kit));
            var (receipt, published) = kit.Publish(kit[0], setup.Channel, MulticastKit.PlainMessage([0x03]));
            Assert.Equal(id, published);
            kit.Drain();
            var bHead = kit[1].Head.Number;
            kit.Cluster.AfterChainRewound = chainId => throw new SimulatedCrash(chainId);
            Assert.Throws<SimulatedCrash>(() => kit.Cluster.RollBack(kit[0].ChainId, receipt.BlockNumber, "block proven invalid"));
            // Torn: A rewound, B not, and the module's rows as they were before the rollback.
            Assert.Equal(receipt.BlockNumber - 1, kit[0].Store.HeadNumber);
            Assert.Equal(bHead, kit[1].Store.HeadNumber);
            Assert.NotNull(StoredStatus(database, id));
        }

        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new MulticastKit(database: database, time: new ManualTimeProvider(Start));
            // The start finished the rollback with the module's rows as they were: the module rebuilt its index from them and
            // the kept blocks, the publish ran again, and the fan-out is the clean rollback's, once per subscriber.
            Assert.True(kit.Cluster.Status().Rollback!.Resumed);
            kit.Drain();
            Assert.Equal(clean, Publish(kit, id).GetRawText());
            Assert.Equal(1UL, kit.Received(kit[0], setup.OnA));
            Assert.Equal(1UL, kit.Received(kit[1], setup.OnB));
            Assert.Single(kit.DeliveryBlockNumbers(kit[1]));
            var stored = StoredStatus(database, id)!;
            Assert.Equal(1, stored.NextOn(kit[1].ChainId));
            Assert.Equal(1u, stored.On(kit[1].ChainId).Delivered);
        }
    }
}
