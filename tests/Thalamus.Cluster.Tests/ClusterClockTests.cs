using Thalamus.Core;
using Thalamus.Storage;

namespace Thalamus.Cluster.Tests;

/// <summary>Block timestamps, message times and logical time all come from the cluster's one <see cref="TimeProvider"/>.</summary>
public sealed class ClusterClockTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_250);

    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-clock-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static ClusterOptions Options() => new()
    {
        Chains = [new ClusterChainOptions { ChainId = 901 }, new ClusterChainOptions { ChainId = 902 }],
        Accounts = ClusterTestKit.Accounts,
        GenesisTimestamp = 1_700_000_000,
    };

    [Fact]
    public async Task Logical_time_and_block_timestamps_follow_the_cluster_clock()
    {
        var clock = new ManualTimeProvider(Start);
        await using var cluster = NodeCluster.Create(Options(), time: clock);
        Assert.Equal(0, cluster.LogicalTimeMs);
        clock.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(1500, cluster.LogicalTimeMs);
        Assert.Equal(1500, cluster.Status().LogicalTimeMs);

        var a = cluster.GetChain(901);
        a.Mine();
        Assert.Equal((ulong)(Start + TimeSpan.FromMilliseconds(1500)).ToUnixTimeSeconds(), a.Head.Timestamp);
    }

    [Fact]
    public async Task A_message_keeps_its_send_and_delivery_times_from_the_cluster_clock_across_a_restart()
    {
        var path = Path.Combine(_directory, "cluster.db");
        var clock = new ManualTimeProvider(Start);
        (long SentAtMs, long? DeliveredAtMs) before;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 2, database: database, time: clock);
            clock.Advance(TimeSpan.FromMilliseconds(700));
            var receipt = kit.Send(kit[0], 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(902, ClusterTestKit.Accounts[3].Address, [1, 2, 3]));
            Assert.True(receipt.Success);
            var message = Assert.Single(kit.Cluster.AllMessages());
            Assert.Equal(MessageStatus.Relayed, message.Status);
            before = (message.SentAtMs, message.DeliveredAtMs);
            Assert.Equal(Start.ToUnixTimeMilliseconds() + 700, before.SentAtMs);
            Assert.Equal(before.SentAtMs, before.DeliveredAtMs);
        }

        clock.Advance(TimeSpan.FromSeconds(42));
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 2, database: database, time: clock);
            var message = Assert.Single(kit.Cluster.AllMessages());
            Assert.Equal(before, (message.SentAtMs, message.DeliveredAtMs));
            var messenger = kit.Cluster.Modules.OfType<ClusterMessengerModule>().Single();
            Assert.Equal(0, messenger.BlocksReadAtStart);
        }
    }
}
