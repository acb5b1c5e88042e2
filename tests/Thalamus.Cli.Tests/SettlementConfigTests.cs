using Thalamus.Cli.Configuration;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Cli.Tests;

/// <summary>cluster.yaml <c>parent:</c> / <c>settlement:</c> and the devnet flags that turn joint settlement on.</summary>
public sealed class SettlementConfigTests
{
    private static ClusterConfigFile File(string yaml) => ClusterConfigReader.Parse(yaml, "c.yaml", "/base", "/base/c.yaml");

    [Fact]
    public void Parent_and_settlement_are_read_and_either_turns_settlement_on()
    {
        var file = File("""
            parent: { rpc: "http://127.0.0.1:8545" }
            settlement: { slotsPerBatch: 8, challengeWindow: 30s, faultSlot: 5, contract: "0x0a23dfe12cb43e15528325fb40b7e32f8ecc5635" }
            """);
        var launch = ClusterLaunchSettings.Resolve(file, new ClusterOverrides()).Settlement!;

        Assert.Equal(new Uri("http://127.0.0.1:8545"), launch.ParentRpc);
        Assert.Equal(8, launch.SlotsPerBatch);
        Assert.Equal(TimeSpan.FromSeconds(30), launch.ChallengeWindow);
        Assert.Equal(5UL, launch.FaultSlot);
        Assert.Equal(Address.Parse("0x0a23dfe12cb43e15528325fb40b7e32f8ecc5635"), launch.Contract);

        var embedded = ClusterLaunchSettings.Resolve(File("parent: { port: 9600, chainId: 777 }\n"), new ClusterOverrides()).Settlement!;
        Assert.Null(embedded.ParentRpc);
        Assert.Equal((9600, 777UL), (embedded.ParentPort, embedded.ParentChainId));
        Assert.Null(ClusterLaunchSettings.Resolve(File("delta: 1s\n"), new ClusterOverrides()).Settlement);
    }

    [Fact]
    public void Devnet_flags_turn_settlement_on_over_the_file_and_bad_values_are_refused_with_the_reason()
    {
        var launch = ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Settle = true, SlotsPerBatch = 2, FaultSlot = 3 }).Settlement!;
        Assert.Equal((2, 3UL), (launch.SlotsPerBatch, launch.FaultSlot));
        Assert.Equal(SettlementLaunch.DefaultParentPort, launch.ParentPort);
        Assert.False(launch.KillInRollback);
        // The crash-test fault turns settlement on too (only a settlement verdict rolls the cluster back).
        Assert.True(ClusterLaunchSettings.Resolve(null, new ClusterOverrides { FaultKillInRollback = true }).Settlement!.KillInRollback);

        Assert.Equal("--slots-per-batch must be between 1 and 4096",
            Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(null, new ClusterOverrides { SlotsPerBatch = 0 })).Message);
        Assert.Contains("parent.rpc: 'ftp://x' is not an http(s) URL",
            Assert.Throws<ClusterConfigException>(() => File("parent: { rpc: \"ftp://x\" }\n")).Message);
        Assert.Contains("unknown settlement setting 'window'",
            Assert.Throws<ClusterConfigException>(() => File("settlement: { window: 3s }\n")).Message);
    }
}
