using System.Globalization;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit;
using Xunit.Abstractions;

namespace Thalamus.Integration.Tests;

/// <summary>
/// kill -9 of a persistent <c>thalamus devnet</c> in the middle of a multicast fan-out over several chains
/// (some subscribers reached, checked over RPC, others not), then a restart on the same data directory:
/// every subscriber received the publish exactly once, none out of order, and the home chain's aggregate
/// counts every one of them.
/// </summary>
public sealed class MulticastCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int ChainCount = 4;
    private const uint PerChain = 400;
    private const uint Total = ChainCount * PerChain;

    /// <summary>Keccak rounds each delivery burns in the MulticastCounter (~400,000 gas), so the fan-out takes many blocks.</summary>
    private const ulong BurnRounds = 2_000;

    private static readonly Address Registry = Address.Parse("0x4200000000000000000000000000000000000040");
    private static readonly Address Multicaster = Address.Parse("0x4200000000000000000000000000000000000041");

    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-multicast-crash-").FullName;

    [Fact]
    public async Task Kill_9_in_the_middle_of_a_fan_out_then_a_restart_delivers_to_every_subscriber_exactly_once_in_order()
    {
        var dataDir = Path.Combine(_directory, "data");
        var config = Path.Combine(_directory, "cluster.yaml");
        // A larger multicast share than the default 5 %, so that replicating 1,600 subscriptions is quick; each delivery burns
        // ~400,000 gas, so ~30 fit a block and the fan-out still takes over a dozen blocks per chain.
        await File.WriteAllTextAsync(config, "systemGasShares: { messenger: 0.3, multicast: 0.5 }\n");
        string[] setup = ["--config", config, "--chains", ChainCount.ToString(CultureInfo.InvariantCulture), "--base-port", "0", "--data-dir", dataDir];
        // The publish and the restart with 1 s blocks: the fan-out then takes over a dozen seconds, so the kill lands in it.
        string[] arguments = [.. setup, "--block-time", "1s"];
        var owner = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 1)[0];

        Hash256 channel = default, id = default;
        var counters = new Dictionary<ulong, Address>();
        var nonces = new Dictionary<ulong, ulong>();
        async Task<JsonElement> SendAsync(Dictionary<ulong, ClusterJsonRpc> clients, ulong chainId, Address? to, byte[] data, ulong gas, UInt256 value = default)
        {
            var tx = ClusterCrashTests.Sign(chainId, nonces[chainId]++, to, data, owner, gas, value);
            await clients[chainId].CallAsync("eth_sendRawTransaction", Hex.Encode(TransactionEncoder.Encode(tx)));
            var receipt = await ClusterCrashTests.ReceiptWithinAsync(clients[chainId], tx.Hash, TimeSpan.FromSeconds(60));
            Assert.True(receipt is { } r && r.GetProperty("status").GetString() == "0x1", $"transaction on {chainId} to {to}: {receipt}");
            return receipt!.Value;
        }

        // Setup on automining chains (quick): the channel, the counters and their 1,600 subscriptions, replicated everywhere.
        await using (var devnet = await ClusterDevnetProcess.StartAsync(setup))
        {
            var clients = devnet.Endpoints.ToDictionary(e => e.ChainId, e => new ClusterJsonRpc(e.HttpUrl));
            try
            {
                var home = clients.Keys.First();
                foreach (var (chainId, rpc) in clients) nonces[chainId] = await ClusterCrashTests.NonceAsync(rpc, owner.Address);

                var created = await SendAsync(clients, home, Registry, Abi.Call("createChannel(bool,uint32,uint128)", false, 500_000UL, 0UL), 1_000_000);
                channel = Hash256.Parse(created.GetProperty("logs")[0].GetProperty("topics")[1].GetString()!);
                foreach (var chainId in clients.Keys)
                {
                    var deployed = await SendAsync(clients, chainId, null, ContractCode("MulticastCounter"), 3_000_000);
                    counters[chainId] = Address.Parse(deployed.GetProperty("contractAddress").GetString()!);
                    await SendAsync(clients, chainId, counters[chainId], Abi.Call("setBurn(uint256)", BurnRounds), 100_000);
                }
                // The channel reaches every chain, then each counter subscribes under selectors 1..PerChain.
                await WaitUntilAsync(async () => await SubscriberCountAsync(clients[clients.Keys.Last()], channel) is not null, "the channel's replication");
                await Task.WhenAll(clients.Keys.Select(async chainId =>
                {
                    for (uint first = 1; first <= PerChain; first += 100)
                        await SendAsync(clients, chainId, counters[chainId], Abi.Call("subscribeMany(bytes32,uint32,uint32)", channel, (ulong)first, 100UL), 29_000_000);
                }));
                await WaitUntilAsync(async () => await SubscriberCountAsync(clients[home], channel) == Total, "the subscriptions' replication to the home chain");
                await WaitUntilAsync(async () => await SubscriberCountAsync(clients[clients.Keys.Last()], channel) == Total, "the subscriptions' replication to the last chain");
            }
            finally
            {
                foreach (var rpc in clients.Values) rpc.Dispose();
            }
            Assert.Equal(0, await devnet.StopAsync());
        }

        // The publish, on 1 s blocks, and kill -9 in the middle of its fan-out.
        await using (var devnet = await ClusterDevnetProcess.StartAsync(arguments))
        {
            Assert.Contains("(resumed)", devnet.Output, StringComparison.Ordinal);
            var clients = devnet.Endpoints.ToDictionary(e => e.ChainId, e => new ClusterJsonRpc(e.HttpUrl));
            try
            {
                var home = clients.Keys.First();

                var quote = await clients[home].CallAsync("eth_call", Call(Multicaster, Abi.Call("quotePublish(bytes32,uint256)", channel, 32UL)), "latest");
                var fee = UInt256.FromBigEndian(Hex.Decode(quote.GetString()!));
                var message = Hex.Decode("01040000").Concat(Abi.Encode(42UL)).ToArray(); // version 1, CALL, no flags, one word
                var published = await SendAsync(clients, home, Multicaster, Abi.Call("publish(bytes32,bytes)", channel, AbiValue.Bytes(message)), 1_000_000, fee);
                id = Hash256.Parse(published.GetProperty("logs").EnumerateArray()
                    .First(l => Address.Parse(l.GetProperty("address").GetString()!) == Multicaster).GetProperty("topics")[1].GetString()!);

                // Kill as soon as some subscribers, but not all, were reached.
                var reached = 0UL;
                await WaitUntilAsync(async () =>
                {
                    reached = 0;
                    foreach (var (chainId, counter) in counters) reached += await WordAsync(clients[chainId], counter, "total()");
                    return reached > 0;
                }, "the first deliveries", TimeSpan.FromMilliseconds(20));
                await devnet.KillHardAsync();
                output.WriteLine($"killed with {reached} of {Total} subscribers reached");
                Assert.True(reached < Total, $"the fan-out finished ({reached} of {Total}) before the kill");
            }
            finally
            {
                foreach (var rpc in clients.Values) rpc.Dispose();
            }
        }

        await using (var devnet = await ClusterDevnetProcess.StartAsync(arguments))
        {
            Assert.Contains("(resumed)", devnet.Output, StringComparison.Ordinal);
            var clients = devnet.Endpoints.ToDictionary(e => e.ChainId, e => new ClusterJsonRpc(e.HttpUrl));
            try
            {
                var home = clients[clients.Keys.First()];
                JsonElement publish = default;
                await WaitUntilAsync(async () =>
                {
                    publish = await home.CallAsync("multicast_getPublish", id.ToString());
                    return publish.ValueKind == JsonValueKind.Object && publish.GetProperty("status").GetString() == "complete";
                }, "the publish's completion after the restart");
                output.WriteLine(publish.GetRawText()[..Math.Min(400, publish.GetRawText().Length)]);
                Assert.Equal((ulong)Total, Quantity(publish.GetProperty("total")));
                Assert.Equal((ulong)Total, Quantity(publish.GetProperty("delivered")));
                Assert.Equal(0UL, Quantity(publish.GetProperty("failed")));

                foreach (var (chainId, counter) in counters)
                {
                    var rpc = clients[chainId];
                    Assert.Equal(PerChain, await WordAsync(rpc, counter, "total()"));
                    Assert.Equal(0UL, await WordAsync(rpc, counter, "duplicates()"));
                    Assert.Equal(0UL, await WordAsync(rpc, counter, "outOfOrder()"));
                    // Every subscription exactly once.
                    for (uint selector = 1; selector <= PerChain; selector++)
                        Assert.Equal(1UL, await WordAsync(rpc, counter, "countOf(bytes4)", AbiValue.FromWord(Bytes4(selector))));
                    var cursor = await rpc.CallAsync("eth_call", Call(Multicaster, Abi.Call("cursorOf(bytes32)", channel)), "latest");
                    var words = Hex.Decode(cursor.GetString()!);
                    Assert.Equal((1UL, (ulong)PerChain, (ulong)PerChain), ((ulong)UInt256.FromBigEndian(words.AsSpan(0, 32)), (ulong)UInt256.FromBigEndian(words.AsSpan(32, 32)), (ulong)UInt256.FromBigEndian(words.AsSpan(64, 32))));
                }
            }
            finally
            {
                foreach (var rpc in clients.Values) rpc.Dispose();
            }
            Assert.Equal(0, await devnet.StopAsync());
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static Dictionary<string, string> Call(Address to, byte[] data) => new() { ["to"] = to.ToString(), ["data"] = Hex.Encode(data) };

    private static async Task<ulong> WordAsync(ClusterJsonRpc rpc, Address to, string signature, params AbiValue[] args)
    {
        var result = await rpc.CallAsync("eth_call", Call(to, Abi.Call(signature, args)), "latest");
        return (ulong)UInt256.FromBigEndian(Hex.Decode(result.GetString()!));
    }

    private static async Task<ulong?> SubscriberCountAsync(ClusterJsonRpc rpc, Hash256 channel)
    {
        var result = await rpc.CallAsync("multicast_getChannel", channel.ToString(), new Dictionary<string, object> { ["limit"] = 1 });
        return result.ValueKind == JsonValueKind.Object ? Quantity(result.GetProperty("subscriberCount")) : null;
    }

    private static ulong Quantity(JsonElement value) => ulong.Parse(value.GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static UInt256 Bytes4(uint selector)
    {
        var word = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(word, selector);
        return UInt256.FromBigEndian(word);
    }

    private static byte[] ContractCode(string name)
    {
        using var artifact = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.ContractsDirectory, "artifacts", name + ".json")));
        return Hex.Decode(artifact.RootElement.GetProperty("bytecode").GetString()!);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after two minutes.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? every = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!await condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
