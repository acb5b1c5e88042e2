using System.Globalization;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Rpc;
using Thalamus.Rpc.Tests;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Cluster.Tests;

/// <summary>The cluster_* methods' JSON shapes and how they reach the backend, over a fake cluster.</summary>
public sealed class ClusterMethodTests : IDisposable
{
    private readonly FakeCluster _cluster = new();
    private readonly RpcDispatcher _dispatcher;
    private readonly RpcDispatcher _singleChain = new(new FakeBackend());

    public ClusterMethodTests()
    {
        _dispatcher = new RpcDispatcher(new FakeBackend(), new RpcServerOptions { Methods = FakeCluster.Methods(_cluster) });
    }

    public void Dispose()
    {
        _dispatcher.Dispose();
        _singleChain.Dispose();
    }

    internal static string Q(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    internal static string[] Names(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public void Chains_list_every_member_with_hex_chain_values_and_plain_number_settings()
    {
        _cluster.Chains =
        [
            new ClusterChainInfo
            {
                ChainId = 901, Name = "alpha", RpcUrl = new Uri("http://127.0.0.1:9545"), WebSocketUrl = new Uri("ws://127.0.0.1:9545"),
                BlockTime = TimeSpan.FromSeconds(2), BlockGasLimit = 30_000_000, MaxTransactionBytes = 131_072, HeadNumber = 17, Halted = false,
            },
            new ClusterChainInfo
            {
                ChainId = 902, Name = "beta", BlockTime = TimeSpan.Zero, BlockGasLimit = 60_000_000, MaxTransactionBytes = 1024,
                HeadNumber = 0, Halted = true,
            },
            new ClusterChainInfo
            {
                ChainId = 903, Name = "gamma", BlockTime = TimeSpan.FromMilliseconds(250), BlockGasLimit = 1, MaxTransactionBytes = 1,
                HeadNumber = ulong.MaxValue, Halted = false,
            },
        ];
        var result = Result(_dispatcher, "cluster_chains");
        Assert.Equal(JsonValueKind.Array, result.ValueKind);
        Assert.Equal(_cluster.Chains.Count, result.GetArrayLength());
        for (var i = 0; i < _cluster.Chains.Count; i++)
        {
            var expected = _cluster.Chains[i];
            var chain = result[i];
            Assert.Equal(["chainId", "name", "rpcUrl", "wsUrl", "blockTime", "blockGasLimit", "maxTransactionBytes", "head", "halted"], Names(chain));
            Assert.Equal(Q(expected.ChainId), chain.GetProperty("chainId").GetString());
            Assert.Equal(expected.Name, chain.GetProperty("name").GetString());
            Assert.Equal(expected.RpcUrl?.OriginalString, chain.GetProperty("rpcUrl").GetString());
            Assert.Equal(expected.WebSocketUrl?.OriginalString, chain.GetProperty("wsUrl").GetString());
            Assert.Equal(JsonValueKind.Number, chain.GetProperty("blockTime").ValueKind);
            Assert.Equal((decimal)expected.BlockTime.TotalSeconds, chain.GetProperty("blockTime").GetDecimal());
            Assert.Equal(Q(expected.BlockGasLimit), chain.GetProperty("blockGasLimit").GetString());
            Assert.Equal(expected.MaxTransactionBytes, chain.GetProperty("maxTransactionBytes").GetInt32());
            Assert.Equal(Q(expected.HeadNumber), chain.GetProperty("head").GetString());
            Assert.Equal(expected.Halted, chain.GetProperty("halted").GetBoolean());
        }
        Assert.Equal(JsonValueKind.Null, result[1].GetProperty("rpcUrl").ValueKind);
        Assert.Equal("2", result[0].GetProperty("blockTime").GetRawText()); // whole seconds stay integers
    }

    [Fact]
    public void Status_reports_time_liveness_and_what_holds_each_chain()
    {
        _cluster.Status = new ClusterStatus
        {
            LogicalTimeMs = 14_000, DeltaMs = 2_000, Slot = 7, Live = false,
            Reason = "chain 902 halted at 12000 ms; 901 holds at 14000 ms", PendingMessages = 3,
            Chains =
            [
                new ClusterChainStatus { ChainId = 901, HeadNumber = 7, HeadTimestamp = 1_700_000_014, Halted = false, HeldBy = [902], PendingInbound = 1,
                    DeliveryBudgetGas = 15_000_000, DeliveryReservedGas = 4_000_000, SendsAdmitted = 9, SendsDeferred = 3, SendsRefused = 1 },
                new ClusterChainStatus { ChainId = 902, HeadNumber = 6, HeadTimestamp = 1_700_000_012, Halted = true, HaltedAtMs = 12_000, PendingInbound = 2 },
            ],
        };
        var result = Result(_dispatcher, "cluster_status");
        AssertStatus(_cluster.Status, result);
        Assert.Equal([Q(902)], result.GetProperty("chains")[0].GetProperty("heldBy").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("chains")[0].GetProperty("haltedAtMs").ValueKind);
    }

    [Fact]
    public void The_status_names_the_last_rollback_what_it_discarded_and_why_and_the_transactions_it_could_not_put_back()
    {
        var back = Keccak256.Compute([1]);
        var lost = Keccak256.Compute([2]);
        _cluster.Status = _cluster.Status with
        {
            Rollback = new Modules.ClusterRollback
            {
                Request = new Modules.RollbackRequest(901, 5, "block proven invalid"), Slot = 9, TimeMs = 1_234,
                Discarded = [new Modules.DiscardedBlocks(901, 5, 7, "the invalid block and its chain's later blocks"), new Modules.DiscardedBlocks(902, 4, 4, "consumed message 0x01")],
                Reinserted = [back], Dropped = [new Modules.DroppedTransaction(902, lost, "nonce too low")], State = NoModuleState.Instance,
                Resumed = true,
            },
        };
        var rollback = Result(_dispatcher, "cluster_status").GetProperty("rollback");

        Assert.Equal(["chainId", "fromBlock", "reason", "slot", "timeMs", "resumed", "discarded", "reinserted", "dropped"], Names(rollback));
        Assert.True(rollback.GetProperty("resumed").GetBoolean());
        Assert.Equal((Q(901), Q(5), "block proven invalid"), (rollback.GetProperty("chainId").GetString(), rollback.GetProperty("fromBlock").GetString(), rollback.GetProperty("reason").GetString()));
        var discarded = rollback.GetProperty("discarded");
        Assert.Equal((Q(902), Q(4), Q(4), "consumed message 0x01"), (discarded[1].GetProperty("chainId").GetString(), discarded[1].GetProperty("fromBlock").GetString(),
            discarded[1].GetProperty("toBlock").GetString(), discarded[1].GetProperty("why").GetString()));
        Assert.Equal(back.ToString(), Assert.Single(rollback.GetProperty("reinserted").EnumerateArray()).GetString());
        var dropped = Assert.Single(rollback.GetProperty("dropped").EnumerateArray());
        Assert.Equal((lost.ToString(), "nonce too low"), (dropped.GetProperty("hash").GetString(), dropped.GetProperty("reason").GetString()));
    }

    private sealed class NoModuleState : Modules.IModuleState
    {
        public static NoModuleState Instance { get; } = new();
        public bool IsPersistent => false;
        public void Put(string module, ReadOnlySpan<byte> key, byte[]? value)
        {
        }
    }

    [Fact]
    public void A_live_status_has_a_null_reason()
    {
        _cluster.Status = _cluster.Status with { Live = true, Reason = null };
        var result = Result(_dispatcher, "cluster_status");
        AssertStatus(_cluster.Status, result);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("reason").ValueKind);
    }

    internal static void AssertStatus(ClusterStatus expected, JsonElement status)
    {
        Assert.Equal(["logicalTimeMs", "deltaMs", "deltaSinceSlot", "slot", "live", "reason", "pendingMessages", "chains", "rollback"], Names(status));
        if (expected.Rollback is null) Assert.Equal(JsonValueKind.Null, status.GetProperty("rollback").ValueKind);
        Assert.Equal(expected.LogicalTimeMs, status.GetProperty("logicalTimeMs").GetInt64());
        Assert.Equal(expected.DeltaMs, status.GetProperty("deltaMs").GetInt64());
        Assert.Equal(expected.DeltaSinceSlot, status.GetProperty("deltaSinceSlot").GetUInt64());
        Assert.Equal(expected.Slot, status.GetProperty("slot").GetUInt64());
        Assert.Equal(expected.Live, status.GetProperty("live").GetBoolean());
        Assert.Equal(expected.Reason, status.GetProperty("reason").GetString());
        Assert.Equal(expected.PendingMessages, status.GetProperty("pendingMessages").GetInt32());
        var chains = status.GetProperty("chains");
        Assert.Equal(expected.Chains.Count, chains.GetArrayLength());
        for (var i = 0; i < expected.Chains.Count; i++)
        {
            var e = expected.Chains[i];
            var c = chains[i];
            Assert.Equal(["chainId", "head", "headTimestamp", "halted", "haltedAtMs", "held", "heldBy", "pendingInbound", "delivery"], Names(c));
            Assert.Equal(Q(e.ChainId), c.GetProperty("chainId").GetString());
            Assert.Equal(Q(e.HeadNumber), c.GetProperty("head").GetString());
            Assert.Equal(Q(e.HeadTimestamp), c.GetProperty("headTimestamp").GetString());
            Assert.Equal(e.Halted, c.GetProperty("halted").GetBoolean());
            var haltedAt = c.GetProperty("haltedAtMs");
            Assert.Equal(e.HaltedAtMs, haltedAt.ValueKind == JsonValueKind.Null ? null : haltedAt.GetInt64());
            Assert.Equal(e.Held, c.GetProperty("held").GetBoolean());
            Assert.Equal(e.HeldBy.Select(Q), c.GetProperty("heldBy").EnumerateArray().Select(x => x.GetString()!));
            Assert.Equal(e.PendingInbound, c.GetProperty("pendingInbound").GetInt32());
            var delivery = c.GetProperty("delivery");
            Assert.Equal(["budgetGas", "nextBlockReservedGas", "nextBlockFreeGas", "admitted", "deferred", "refused"], Names(delivery));
            Assert.Equal(e.DeliveryBudgetGas, delivery.GetProperty("budgetGas").GetUInt64());
            Assert.Equal(e.DeliveryReservedGas, delivery.GetProperty("nextBlockReservedGas").GetUInt64());
            Assert.Equal(e.DeliveryBudgetGas - e.DeliveryReservedGas, delivery.GetProperty("nextBlockFreeGas").GetUInt64());
            Assert.Equal(e.SendsAdmitted, delivery.GetProperty("admitted").GetInt64());
            Assert.Equal(e.SendsDeferred, delivery.GetProperty("deferred").GetInt64());
            Assert.Equal(e.SendsRefused, delivery.GetProperty("refused").GetInt64());
        }
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("relayed")]
    [InlineData("failed")]
    [InlineData("returned")]
    public void GetMessage_writes_the_message_and_its_outcome(string status)
    {
        var message = FakeCluster.MakeMessage(5, status);
        _cluster.Messages.Add(message);
        var result = Result(_dispatcher, "cluster_getMessage", $"[\"{message.Id}\"]");
        AssertMessage(message, result);
        Assert.Equal(message.Id, _cluster.LastMessageId);
    }

    [Fact]
    public void GetMessage_of_an_unknown_id_is_null()
    {
        _cluster.Messages.Add(FakeCluster.MakeMessage(1, "relayed"));
        var unknown = Keccak256.Compute("nobody sent this"u8);
        Assert.Equal(JsonValueKind.Null, Result(_dispatcher, "cluster_getMessage", $"[\"{unknown}\"]").ValueKind);
        Assert.Equal(unknown, _cluster.LastMessageId);
    }

    internal static void AssertMessage(ClusterMessage expected, JsonElement message)
    {
        Assert.Equal(
            ["id", "sourceChainId", "destinationChainId", "sender", "target", "data", "nonce", "sentBlockNumber", "sentTransactionHash",
             "sentAtMs", "deltaMs", "status", "deliveredBlockNumber", "deliveryTransactionHash", "deliveredAtMs", "revertData",
             "returnPending", "returnedBlockNumber", "returnTransactionHash", "returnHookOk"],
            Names(message));
        Assert.Equal(expected.Id.ToString(), message.GetProperty("id").GetString());
        Assert.Equal(Q(expected.SourceChainId), message.GetProperty("sourceChainId").GetString());
        Assert.Equal(Q(expected.DestinationChainId), message.GetProperty("destinationChainId").GetString());
        Assert.Equal(expected.Sender.ToString(), message.GetProperty("sender").GetString());
        Assert.Equal(expected.Target.ToString(), message.GetProperty("target").GetString());
        Assert.Equal(Hex.Encode(expected.Data), message.GetProperty("data").GetString());
        Assert.Equal(expected.Nonce.ToHexString(), message.GetProperty("nonce").GetString());
        Assert.Equal(Q(expected.SentBlockNumber), message.GetProperty("sentBlockNumber").GetString());
        Assert.Equal(expected.SentTransactionHash.ToString(), message.GetProperty("sentTransactionHash").GetString());
        Assert.Equal(expected.SentAtMs, message.GetProperty("sentAtMs").GetInt64());
        var delta = message.GetProperty("deltaMs");
        Assert.Equal(expected.DeltaMs, delta.ValueKind == JsonValueKind.Null ? null : delta.GetInt64());
        Assert.Equal(expected.Status.ToString().ToLowerInvariant(), message.GetProperty("status").GetString());
        Assert.Equal(expected.DeliveredBlockNumber is { } b ? Q(b) : null, message.GetProperty("deliveredBlockNumber").GetString());
        Assert.Equal(expected.DeliveryTransactionHash?.ToString(), message.GetProperty("deliveryTransactionHash").GetString());
        var deliveredAt = message.GetProperty("deliveredAtMs");
        Assert.Equal(expected.DeliveredAtMs, deliveredAt.ValueKind == JsonValueKind.Null ? null : deliveredAt.GetInt64());
        Assert.Equal(expected.RevertData is { } r ? Hex.Encode(r) : null, message.GetProperty("revertData").GetString());
        Assert.Equal(expected.ReturnPending, message.GetProperty("returnPending").GetBoolean());
        Assert.Equal(expected.ReturnedBlockNumber is { } rb ? Q(rb) : null, message.GetProperty("returnedBlockNumber").GetString());
        Assert.Equal(expected.ReturnTransactionHash?.ToString(), message.GetProperty("returnTransactionHash").GetString());
        var hookOk = message.GetProperty("returnHookOk");
        Assert.Equal(expected.ReturnHookOk, hookOk.ValueKind == JsonValueKind.Null ? null : hookOk.GetBoolean());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[null]")]
    [InlineData("[{}]")]
    [InlineData("[{\"sender\":null,\"status\":null,\"cursor\":null,\"limit\":null}]")]
    public void GetMessages_without_filters_asks_for_the_first_default_page(string parameters)
    {
        for (var i = 0; i < 3; i++) _cluster.Messages.Add(FakeCluster.MakeMessage(i, "pending"));
        var result = Result(_dispatcher, "cluster_getMessages", parameters);
        Assert.Equal(new ClusterMessageQuery(), _cluster.LastQuery);
        Assert.Equal(ClusterRpcMethods.DefaultMessagePage, _cluster.LastQuery!.Limit);
        Assert.Equal(["messages", "nextCursor"], Names(result));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("nextCursor").ValueKind);
        Assert.Equal(3, result.GetProperty("messages").GetArrayLength());
        for (var i = 0; i < 3; i++) AssertMessage(_cluster.Messages[i], result.GetProperty("messages")[i]);
    }

    [Fact]
    public void GetMessages_passes_every_filter_to_the_backend()
    {
        var sender = Address.Parse("0x00000000000000000000000000000000000000f1");
        Result(_dispatcher, "cluster_getMessages",
            $$"""[{"sender":"{{sender}}","sourceChainId":"0x385","destinationChainId":902,"status":"failed","cursor":"after:0","limit":"0x3e8"}]""");
        Assert.Equal(
            new ClusterMessageQuery { Sender = sender, SourceChainId = 901, DestinationChainId = 902, Status = MessageStatus.Failed, Cursor = "after:0", Limit = 1000 },
            _cluster.LastQuery);
    }

    [Fact]
    public void GetMessages_filters_reach_the_result()
    {
        var a = Address.Parse("0x00000000000000000000000000000000000000a1");
        for (var i = 0; i < 10; i++)
            _cluster.Messages.Add(FakeCluster.MakeMessage(i, i % 2 == 0 ? "relayed" : "failed", i < 5 ? a : Address.Zero));
        var result = Result(_dispatcher, "cluster_getMessages", $$"""[{"sender":"{{a}}","status":"relayed"}]""");
        var expected = _cluster.Messages.Where(m => m.Sender == a && m.Status == MessageStatus.Relayed).ToList();
        Assert.Equal(expected.Select(m => m.Id.ToString()), result.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public void Paging_with_next_cursor_returns_every_message_once_in_order() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), Prop.ForAll(
            Gen.Choose(0, 40).ToArbitrary(), Gen.Choose(1, 12).ToArbitrary(), (count, limit) =>
            {
                var cluster = new FakeCluster();
                for (var i = 0; i < count; i++) cluster.Messages.Add(FakeCluster.MakeMessage(i, "pending"));
                using var rpc = new RpcDispatcher(new FakeBackend(), new RpcServerOptions { Methods = FakeCluster.Methods(cluster) });
                var seen = new List<string>();
                string? cursor = null;
                var pages = 0;
                do
                {
                    var query = cursor is null ? $$"""[{"limit":{{limit}}}]""" : $$"""[{"limit":{{limit}},"cursor":"{{cursor}}"}]""";
                    var page = Result(rpc, "cluster_getMessages", query);
                    Assert.Equal(cursor, cluster.LastQuery!.Cursor); // the opaque cursor reaches the backend unchanged
                    Assert.True(page.GetProperty("messages").GetArrayLength() <= limit);
                    seen.AddRange(page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetString()!));
                    cursor = page.GetProperty("nextCursor").GetString();
                    pages++;
                }
                while (cursor is not null && pages <= count + 1);
                return cursor is null && seen.SequenceEqual(cluster.Messages.Select(m => m.Id.ToString()));
            }));

    [Theory]
    [InlineData("cluster_haltChain")]
    [InlineData("cluster_resumeChain")]
    public void Halt_and_resume_take_the_chain_id_and_return_the_status(string method)
    {
        foreach (var chainId in new[] { "\"0x386\"", "902", "\"902\"" })
        {
            _cluster.ChainCalls.Clear();
            var result = Result(_dispatcher, method, $"[{chainId}]");
            Assert.Equal([(method, 902UL)], _cluster.ChainCalls);
            AssertStatus(_cluster.Status, result);
        }
    }

    [Fact]
    public void A_chain_exception_from_the_backend_keeps_its_code_message_and_data()
    {
        var (code, message, data) = Error(_dispatcher, "cluster_haltChain", "[\"0x1\"]");
        Assert.Equal(ChainException.InvalidParamsCode, code);
        Assert.Equal("unknown chain 1", message);
        Assert.Null(data);

        _cluster.Messages.Add(FakeCluster.MakeMessage(0, "pending"));
        (code, message, _) = Error(_dispatcher, "cluster_getMessages", "[{\"cursor\":\"not-a-cursor\"}]");
        Assert.Equal(ChainException.InvalidParamsCode, code);
        Assert.Equal("invalid cursor \"not-a-cursor\"", message);
    }

    [Fact]
    public void Without_a_cluster_every_cluster_method_is_method_not_found()
    {
        foreach (var method in ClusterRpcMethods.Names)
        {
            var (code, message, _) = Error(_singleChain, method, method.EndsWith("Chain", StringComparison.Ordinal) ? "[\"0x385\"]" : "[]");
            Assert.Equal(RpcErrorCodes.MethodNotFound, code);
            Assert.Equal($"the method {method} does not exist/is not available", message);
        }
    }

    [Fact]
    public void Rpc_modules_lists_cluster_only_when_the_node_runs_one()
    {
        Assert.Equal("1.0", Result(_dispatcher, "rpc_modules").GetProperty("cluster").GetString());
        Assert.False(Result(_singleChain, "rpc_modules").TryGetProperty("cluster", out _));
        Assert.True(Result(_singleChain, "rpc_modules").TryGetProperty("eth", out _));
    }

    [Fact]
    public void Every_cluster_method_is_registered_and_answers_with_a_cluster()
    {
        Assert.Equal(ClusterRpcMethods.Names, FakeCluster.Methods(_cluster).Methods);
        _cluster.Messages.Add(FakeCluster.MakeMessage(0, "pending"));
        foreach (var method in ClusterRpcMethods.Names)
        {
            var parameters = method switch
            {
                "cluster_getMessage" => $"[\"{_cluster.Messages[0].Id}\"]",
                "cluster_haltChain" or "cluster_resumeChain" => "[\"0x385\"]",
                "cluster_increaseTime" => "[60]",
                _ => "[]",
            };
            Assert.False(Request(_dispatcher, method, parameters).TryGetProperty("error", out var error), $"{method}: {error}");
        }
    }
}
