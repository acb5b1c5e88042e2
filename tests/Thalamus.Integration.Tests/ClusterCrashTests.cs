using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Cli.Configuration;
using Thalamus.Cluster;
using Thalamus.Cluster.Replay;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Storage;
using Xunit;
using Xunit.Abstractions;

namespace Thalamus.Integration.Tests;

/// <summary>
/// kill -9 of a persistent <c>thalamus devnet</c> in the middle of a load of cross-chain messages,
/// then a restart on the same data directory: every message whose send transaction has a receipt
/// is in the cluster exactly once and relayed, every receiver counted exactly what was delivered to
/// it, and every chain's blocks re-execute from genesis to the stored state roots.
/// </summary>
public sealed class ClusterCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int ChainCount = 3;

    /// <summary>Messages sent before the kill (the load keeps going while the process dies).</summary>
    private const int KillAfterMessages = 300;

    private static readonly Address Messenger = ClusterPredeploys.Messenger;
    private static readonly Hash256 MessageSentTopic = Abi.EventTopic("MessageSent(bytes32,uint256,address,address,uint256,bytes)");

    private readonly string _dataDir = Directory.CreateTempSubdirectory("thalamus-cluster-crash-").FullName;

    [Fact]
    public async Task Kill_9_during_a_message_load_loses_and_duplicates_nothing_and_replays_clean()
    {
        string[] arguments = ["--chains", ChainCount.ToString(CultureInfo.InvariantCulture), "--base-port", "0", "--data-dir", _dataDir];
        var accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 2);
        var sender = accounts[1];

        // Phase 1: receivers on every chain, then the load, then kill -9 while it runs.
        var sent = new ConcurrentBag<SentTransaction>();
        var receivers = new Dictionary<ulong, Address>();
        await using (var devnet = await ClusterDevnetProcess.StartAsync(arguments))
        {
            var endpoints = devnet.Endpoints;
            Assert.Equal(ChainCount, endpoints.Count);
            var clients = endpoints.ToDictionary(e => e.ChainId, e => new ClusterJsonRpc(e.HttpUrl));
            try
            {
                var nonces = new Dictionary<ulong, ulong>();
                foreach (var (chainId, rpc) in clients)
                {
                    nonces[chainId] = await NonceAsync(rpc, sender.Address);
                    var deploy = Sign(chainId, nonces[chainId]++, to: null, MessageReceiverCode(), sender, gas: 2_000_000);
                    await rpc.CallAsync("eth_sendRawTransaction", Hex.Encode(TransactionEncoder.Encode(deploy)));
                    var receipt = await ReceiptWithinAsync(rpc, deploy.Hash, TimeSpan.FromSeconds(30));
                    Assert.True(receipt is { } r && r.GetProperty("status").GetString() == "0x1", $"MessageReceiver deployment on {chainId}: {receipt}");
                    receivers[chainId] = Address.Parse(receipt!.Value.GetProperty("contractAddress").GetString()!);
                }

                int attempted = 0;
                using var stop = new CancellationTokenSource();
                var loads = clients.Keys.Select((source, index) => Task.Run(async () =>
                {
                    var random = new Random(1000 + index);
                    var rpc = clients[source];
                    var others = clients.Keys.Where(id => id != source).ToArray();
                    while (!stop.IsCancellationRequested)
                    {
                        ulong destination = others[random.Next(others.Length)];
                        int number = Interlocked.Increment(ref attempted);
                        var data = Abi.Call("sendMessage(uint256,address,bytes)", destination, receivers[destination], AbiValue.Bytes(Abi.Call("receiveMessage(string)", AbiValue.String($"message {number}"))));
                        var tx = Sign(source, nonces[source]++, Messenger, data, sender, gas: 400_000);
                        // Recorded before it is sent: the kill may cut the request off after the node committed it.
                        sent.Add(new SentTransaction(source, destination, tx.Hash));
                        try
                        {
                            await rpc.CallAsync("eth_sendRawTransaction", Hex.Encode(TransactionEncoder.Encode(tx)));
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                        {
                            return; // the node is gone
                        }
                    }
                })).ToArray();

                while (Volatile.Read(ref attempted) < KillAfterMessages && loads.All(t => !t.IsCompleted))
                    await Task.Delay(5);
                Assert.True(loads.All(t => !t.IsCompleted), "the load stopped before the kill: " + string.Join("; ", loads.Where(t => t.IsFaulted).Select(t => t.Exception!.GetBaseException().Message)));
                await devnet.KillHardAsync();
                await stop.CancelAsync();
                await Task.WhenAll(loads);
                output.WriteLine($"killed after {Volatile.Read(ref attempted)} messages were sent");
            }
            finally
            {
                foreach (var rpc in clients.Values) rpc.Dispose();
            }
        }

        // Phase 2: restart on the same data directory and check every message.
        await using (var devnet = await ClusterDevnetProcess.StartAsync(arguments))
        {
            Assert.Contains("(resumed)", devnet.Output, StringComparison.Ordinal);
            var clients = devnet.Endpoints.ToDictionary(e => e.ChainId, e => new ClusterJsonRpc(e.HttpUrl));
            try
            {
                // Messages whose send transaction made it into a block.
                var expected = new Dictionary<Hash256, SentTransaction>();
                foreach (var tx in sent)
                {
                    if (await clients[tx.Source].CallAsync("eth_getTransactionReceipt", tx.Hash.ToString()) is not { ValueKind: JsonValueKind.Object } receipt)
                        continue;
                    Assert.Equal("0x1", receipt.GetProperty("status").GetString());
                    var ids = receipt.GetProperty("logs").EnumerateArray()
                        .Where(l => Address.Parse(l.GetProperty("address").GetString()!) == Messenger
                            && Hash256.Parse(l.GetProperty("topics")[0].GetString()!) == MessageSentTopic)
                        .Select(l => Hash256.Parse(l.GetProperty("topics")[1].GetString()!)).ToList();
                    Assert.Single(ids);
                    Assert.True(expected.TryAdd(ids[0], tx), $"two send transactions share message id {ids[0]}");
                }
                output.WriteLine($"{expected.Count} of {sent.Count} send transactions have a receipt after the restart");
                Assert.True(expected.Count >= KillAfterMessages / 2, $"only {expected.Count} messages were committed before the kill");

                // Automine delivers in the sending slot; give any leftover a moment to go out.
                var any = clients.Values.First();
                List<JsonElement> messages = [];
                for (var attempt = 0; attempt < 100; attempt++)
                {
                    messages = await AllMessagesAsync(any);
                    if (messages.All(m => m.GetProperty("status").GetString() != "pending")) break;
                    await Task.Delay(100);
                }

                var listed = messages.Select(m => Hash256.Parse(m.GetProperty("id").GetString()!)).ToList();
                Assert.Equal(listed.Count, listed.Distinct().Count()); // no message listed twice
                Assert.Equal(expected.Keys.OrderBy(h => h.ToString()), listed.OrderBy(h => h.ToString())); // none lost, none extra
                foreach (var message in messages)
                {
                    var id = Hash256.Parse(message.GetProperty("id").GetString()!);
                    Assert.True(message.GetProperty("status").GetString() == "relayed", $"message {id} is {message.GetRawText()}");
                    Assert.Equal(expected[id].Destination, ulong.Parse(message.GetProperty("destinationChainId").GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }

                // Exactly once on chain: each receiver counted the messages delivered to it.
                foreach (var (chainId, receiver) in receivers)
                {
                    var count = await clients[chainId].CallAsync("eth_call",
                        new Dictionary<string, string> { ["to"] = receiver.ToString(), ["data"] = Hex.Encode(Abi.Call("count()")) }, "latest");
                    int delivered = expected.Values.Count(m => m.Destination == chainId);
                    Assert.Equal((ulong)delivered, (ulong)UInt256.FromBigEndian(Hex.Decode(count.GetString()!)));
                }
            }
            finally
            {
                foreach (var rpc in clients.Values) rpc.Dispose();
            }
            Assert.Equal(0, await devnet.StopAsync());
        }

        // Phase 3: every chain's blocks re-executed from genesis give the stored roots.
        var settings = ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Chains = ChainCount, BasePort = 0, DataDirectory = _dataDir });
        using var database = ClusterDatabase.Open(settings.DatabasePath!);
        Assert.Equal(["ok"], database.CheckIntegrity());
        // The protocol modules the devnet ran: their predeploys are in genesis and their native contracts in the blocks.
        await using var cluster = NodeCluster.Create(settings.Options, database, Thalamus.Cli.Hosting.ProtocolModules.Create(settings));
        Assert.True(cluster.Resumed);
        var reports = ClusterReplayer.VerifyCluster(cluster);
        Assert.Equal(ChainCount, reports.Count);
        foreach (var report in reports)
        {
            output.WriteLine(report.ToString());
            Assert.True(report.IsClean, report.ToString() + Environment.NewLine + string.Join(Environment.NewLine, report.Mismatches.Take(10)));
            Assert.Equal(cluster.GetChain(report.ChainId).Head.Number + 1, report.BlocksChecked);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed record SentTransaction(ulong Source, ulong Destination, Hash256 Hash);

    internal static Transaction Sign(ulong chainId, ulong nonce, Address? to, byte[] data, DevAccount from, ulong gas, UInt256 value = default) =>
        TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = 1_000_000_000UL,
            MaxFeePerGas = 100_000_000_000UL,
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data,
        }, from.PrivateKey);

    private static byte[] MessageReceiverCode()
    {
        using var artifact = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.ContractsDirectory, "artifacts", "MessageReceiver.json")));
        return Hex.Decode(artifact.RootElement.GetProperty("bytecode").GetString()!);
    }

    internal static async Task<ulong> NonceAsync(ClusterJsonRpc rpc, Address address)
    {
        var result = await rpc.CallAsync("eth_getTransactionCount", address.ToString(), "latest");
        return ulong.Parse(result.GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    internal static async Task<JsonElement?> ReceiptWithinAsync(ClusterJsonRpc rpc, Hash256 hash, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            var receipt = await rpc.CallAsync("eth_getTransactionReceipt", hash.ToString());
            if (receipt.ValueKind == JsonValueKind.Object) return receipt;
            await Task.Delay(50);
        }
        return null;
    }

    /// <summary>cluster_getMessages, every page.</summary>
    private static async Task<List<JsonElement>> AllMessagesAsync(ClusterJsonRpc rpc)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var query = new Dictionary<string, object?> { ["limit"] = 1000, ["cursor"] = cursor };
            var page = await rpc.CallAsync("cluster_getMessages", query);
            all.AddRange(page.GetProperty("messages").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return all;
    }
}
