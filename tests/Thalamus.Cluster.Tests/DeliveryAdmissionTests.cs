using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

/// <summary>Delta by admission control: a send is accepted only into a destination block within Delta that has room.</summary>
public sealed class DeliveryAdmissionTests
{
    /// <summary>Deliveries of 200,000 gas each, three per block by their limits.</summary>
    private const ulong DeliveryGas = 200_000;
    private const ulong Budget = 3 * DeliveryGas;

    private static byte[] Send(ulong destination, Address receiver, string text) =>
        ReplayTests.SendMessage(destination, receiver, Abi.Call("receiveMessage(string)", AbiValue.String(text)));

    private static Address DeployOnInterval(ClusterTestKit kit, MemberChain chain, string contract)
    {
        var hash = kit.SendNoWait(chain, 0, null, ClusterTestKit.CreationCode(contract), 6_000_000);
        chain.Mine();
        var receipt = chain.GetReceipt(hash);
        Assert.True(receipt is { Success: true }, $"deploying {contract} failed");
        return receipt!.ContractAddress!.Value;
    }

    [Fact]
    public async Task A_send_beyond_the_destination_s_capacity_within_delta_waits_in_the_pool_and_is_sent_in_a_later_block()
    {
        // Interval chains never started: blocks come from evm_mine, so every step is deterministic. Delta = one block time,
        // so a send at T may only use the destination's next block.
        await using var kit = new ClusterTestKit(blockTimes: [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)],
            deliveryGasLimit: DeliveryGas, deliveryGasBudget: Budget);
        var (a, b) = (kit[0], kit[1]);
        var receiver = DeployOnInterval(kit, b, "MessageReceiver");
        var hashes = new List<Hash256>();
        for (var account = 0; account < 4; account++)
            for (var i = 0; i < 2; i++)
                hashes.Add(kit.SendNoWait(a, account, ClusterPredeploys.Messenger, Send(b.ChainId, receiver, $"m{account}.{i}")));

        a.Mine();
        Assert.Equal(3, hashes.Count(h => a.GetReceipt(h) is not null));
        var status = kit.Cluster.Status().Chains.Single(c => c.ChainId == b.ChainId);
        Assert.Equal(Budget, status.DeliveryBudgetGas);
        Assert.Equal(Budget, status.DeliveryReservedGas);
        Assert.Equal(3, status.SendsAdmitted);
        Assert.True(status.SendsDeferred >= 1);

        // eth_call and eth_estimateGas of one more send say why it would wait.
        var request = new CallRequest { From = ClusterTestKit.Accounts[0].Address, To = ClusterPredeploys.Messenger, Data = Send(b.ChainId, receiver, "probe") };
        var call = Assert.Throws<ChainException>(() => a.Call(request, BlockSelector.Latest));
        Assert.Contains($"ClusterMessenger: destination {b.ChainId} inbox full for slot", call.Message);
        var estimate = Assert.Throws<ChainException>(() => a.EstimateGas(request, BlockSelector.Latest));
        Assert.Contains("inbox full", estimate.Message);

        // Each destination block frees the next; the waiting transactions go out in later blocks of A.
        for (var round = 0; round < 3; round++)
        {
            b.Mine();
            a.Mine();
        }
        b.Mine();
        Assert.All(hashes, h => Assert.True(a.GetReceipt(h) is { Success: true }));
        var messages = kit.Cluster.AllMessages();
        Assert.Equal(8, messages.Count);
        Assert.All(messages, m => Assert.Equal(MessageStatus.Relayed, m.Status));
        Assert.All(messages, m => Assert.True(m.DeliveredBlockNumber <= m.AdmittedForBlock, $"message {m.Id} ran after the block it was admitted for"));
        Assert.Equal(3, messages.Select(m => m.SentBlockNumber).Distinct().Count());
        Assert.Equal(new UInt256(8), kit.CallWord(b, receiver, "count()"));
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }

    [Fact]
    public async Task A_send_or_revert_to_a_full_inbox_reverts_with_the_reason_and_goes_through_once_there_is_room()
    {
        await using var kit = new ClusterTestKit(blockTimes: [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)],
            deliveryGasLimit: DeliveryGas, deliveryGasBudget: Budget);
        var (a, b) = (kit[0], kit[1]);
        var receiver = DeployOnInterval(kit, b, "MessageReceiver");
        for (var account = 0; account < 3; account++) kit.SendNoWait(a, account, ClusterPredeploys.Messenger, Send(b.ChainId, receiver, $"fill{account}"));
        a.Mine();
        Assert.Equal(3, kit.Cluster.AllMessages().Count);

        var orRevert = Abi.Call("sendMessageOrRevert(uint256,address,bytes)", b.ChainId, receiver,
            AbiValue.Bytes(Abi.Call("receiveMessage(string)", AbiValue.String("urgent"))));
        var request = new CallRequest { From = ClusterTestKit.Accounts[3].Address, To = ClusterPredeploys.Messenger, Data = orRevert };
        var simulated = a.Call(request, BlockSelector.Latest);
        Assert.True(simulated.Reverted);
        Assert.StartsWith($"ClusterMessenger: destination {b.ChainId} inbox full for slot", simulated.RevertReason);

        var refused = kit.SendNoWait(a, 3, ClusterPredeploys.Messenger, orRevert);
        a.Mine();
        Assert.False(a.GetReceipt(refused)!.Success);
        Assert.Equal(3, kit.Cluster.AllMessages().Count);
        var status = kit.Cluster.Status().Chains.Single(c => c.ChainId == b.ChainId);
        Assert.Equal(1, status.SendsRefused);
        Assert.Equal(3, status.SendsAdmitted);

        // B's next block delivers the three and frees the room: the same send now goes through.
        b.Mine();
        var accepted = kit.SendNoWait(a, 3, ClusterPredeploys.Messenger, orRevert);
        a.Mine();
        Assert.True(a.GetReceipt(accepted)!.Success);
        b.Mine();
        Assert.All(kit.Cluster.AllMessages(), m => Assert.Equal(MessageStatus.Relayed, m.Status));
        Assert.Equal(new UInt256(4), kit.CallWord(b, receiver, "count()"));
        // The admission answers are in A's sections: every chain re-executes alone to the same roots.
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }

    [Fact]
    public async Task A_message_sent_inside_a_synchronous_call_is_admitted_with_the_calling_transaction_which_waits_when_it_finds_no_room()
    {
        await using var kit = new ClusterTestKit(blockTimes: [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)],
            deliveryGasLimit: DeliveryGas, deliveryGasBudget: Budget);
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var receiver = DeployOnInterval(kit, c, "MessageReceiver");
        for (var account = 0; account < 3; account++) kit.SendNoWait(a, account, ClusterPredeploys.Messenger, Send(c.ChainId, receiver, $"fill{account}"));
        a.Mine();
        var bHead = b.Head.Number;
        var bNonce = kit.CallWord(b, ClusterPredeploys.Messenger, "messageNonce()");

        // A's transaction calls B's messenger synchronously, which sends to C: C's next block is full.
        var viaB = kit.SendNoWait(a, 3, ClusterPredeploys.CrossChainCall, RawContracts.CrossCall(b.ChainId, ClusterPredeploys.Messenger,
            Send(c.ChainId, receiver, "via B")));
        a.Mine();
        Assert.Null(a.GetReceipt(viaB));
        Assert.Equal(bHead, b.Head.Number);
        Assert.Equal(bNonce, kit.CallWord(b, ClusterPredeploys.Messenger, "messageNonce()"));
        Assert.Equal(3, kit.Cluster.AllMessages().Count);

        c.Mine();
        a.Mine();
        Assert.True(a.GetReceipt(viaB)!.Success);
        var message = Assert.Single(kit.Cluster.AllMessages(), m => m.SourceChainId == b.ChainId);
        Assert.Equal(c.Head.Number + 1, message.AdmittedForBlock);
        c.Mine();
        Assert.Equal(MessageStatus.Relayed, kit.Cluster.GetMessage(message.Id)!.Status);
        Assert.Equal(new UInt256(4), kit.CallWord(c, receiver, "count()"));
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }

    [Fact]
    public async Task A_block_pulls_later_admissions_forward_while_what_its_deliveries_really_use_leaves_room()
    {
        // Delta of three block times: a send may be admitted into any of the destination's next three blocks.
        await using var kit = new ClusterTestKit(blockTimes: [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)], delta: TimeSpan.FromSeconds(30),
            deliveryGasLimit: DeliveryGas, deliveryGasBudget: Budget);
        var (a, b) = (kit[0], kit[1]);
        var receiver = DeployOnInterval(kit, b, "MessageReceiver");
        for (var account = 0; account < 4; account++)
            for (var i = 0; i < 2; i++)
                kit.SendNoWait(a, account, ClusterPredeploys.Messenger, Send(b.ChainId, receiver, $"m{account}.{i}"));
        a.Mine();
        var messages = kit.Cluster.AllMessages();
        Assert.Equal(8, messages.Count);
        var first = b.Head.Number + 1;
        Assert.Equal([first, first + 1, first + 2], messages.Select(m => m.AdmittedForBlock!.Value).Distinct().Order());

        b.Mine();
        var delivered = messages.Count(m => m.DeliveredBlockNumber == first);
        var block = b.Store.GetBlock(first)!;
        // A delivery uses far less than its 200,000 limit, so the block runs more than the three admitted for it.
        Assert.True(delivered > 3, $"only {delivered} deliveries in block {first}");
        Assert.True(block.Header.GasUsed <= Budget, $"deliveries used {block.Header.GasUsed} gas, above the budget");
        b.Mine();
        b.Mine();
        Assert.All(messages, m => Assert.Equal(MessageStatus.Relayed, m.Status));
        Assert.All(messages, m => Assert.True(m.DeliveredBlockNumber <= m.AdmittedForBlock));
    }

    [Theory]
    [InlineData(100_000UL, "must be between the delivery gas limit (200000) and the block gas limit (30000000)")]
    [InlineData(40_000_000UL, "must be between the delivery gas limit (200000) and the block gas limit (30000000)")]
    public void A_delivery_budget_that_cannot_carry_one_delivery_or_exceeds_the_block_is_refused_at_start(ulong budget, string reason)
    {
        var options = new ClusterOptions
        {
            Chains = [new ClusterChainOptions { ChainId = 901 }],
            DeliveryGasLimit = DeliveryGas,
            DeliveryGasBudget = budget,
        };
        var error = Assert.Throws<ClusterConfigurationException>(() => NodeCluster.Create(options));
        Assert.Contains($"chain 901: the delivery gas budget ({budget}) {reason}", error.Message);
    }

    public static TheoryData<string> Shapes => ["interval", "mixed", "automine"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_flood_beyond_what_the_destination_s_blocks_carry_delivers_every_accepted_message_within_delta(string shape)
    {
        var interval = TimeSpan.FromMilliseconds(200);
        TimeSpan[] blockTimes = shape switch
        {
            "interval" => [interval, interval, interval],
            "mixed" => [TimeSpan.Zero, interval, TimeSpan.Zero],
            _ => [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero],
        };
        await using var kit = new ClusterTestKit(blockTimes: blockTimes, deliveryGasLimit: DeliveryGas, deliveryGasBudget: Budget);
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        kit.Cluster.Start();
        var deploy = kit.SendNoWait(b, 0, null, ClusterTestKit.CreationCode("MessageReceiver"), 6_000_000);
        var receiver = (await ClusterTestKit.WaitReceipt(b, deploy)).ContractAddress!.Value;

        // A and C send 64 messages to B at once; B's blocks carry three each.
        var sent = new List<(MemberChain Chain, Hash256 Hash)>();
        foreach (var source in new[] { a, c })
            for (var account = 0; account < 4; account++)
                for (var i = 0; i < 8; i++)
                    sent.Add((source, kit.SendNoWait(source, account, ClusterPredeploys.Messenger, Send(b.ChainId, receiver, $"{source.ChainId}.{account}.{i}"))));

        await ClusterTestKit.WaitUntil(() => sent.All(s => s.Chain.GetReceipt(s.Hash) is not null)
            && kit.Cluster.AllMessages().All(m => m.Status != MessageStatus.Pending), "every send and its delivery", TimeSpan.FromSeconds(60));
        await kit.Cluster.StopAsync();

        var deltaMs = (long)kit.Options.EffectiveDelta.TotalMilliseconds;
        var messages = kit.Cluster.AllMessages();
        Assert.Equal(64, messages.Count);
        Assert.All(sent, s => Assert.True(s.Chain.GetReceipt(s.Hash)!.Success));
        foreach (var m in messages)
        {
            Assert.Equal(MessageStatus.Relayed, m.Status);
            Assert.True(m.DeliveredBlockNumber <= m.AdmittedForBlock, $"message {m.Id} ran after the block it was admitted for");
            // By the cluster's clock (slot times) and by the chains' own block timestamps (whole seconds).
            Assert.True(m.DeliveredSlotMs - m.SentSlotMs <= deltaMs, $"message {m.Id}: sent at {m.SentSlotMs} ms, delivered at {m.DeliveredSlotMs} ms");
            // (An automining chain's timestamps rise by a second a block, ahead of the clock under load: they bound nothing there.)
            if (shape != "interval") continue;
            var sentAt = (long)kit.Cluster.GetChain(m.SourceChainId).Store.GetHeader(m.SentBlockNumber)!.Timestamp;
            var deliveredAt = (long)b.Store.GetHeader(m.DeliveredBlockNumber!.Value)!.Timestamp;
            Assert.True(deliveredAt - sentAt <= (long)Math.Ceiling(deltaMs / 1000.0), $"message {m.Id}: block timestamps {sentAt} -> {deliveredAt}");
        }
        Assert.Equal(new UInt256(64), kit.CallWord(b, receiver, "count()"));
        var status = kit.Cluster.Status().Chains.Single(s => s.ChainId == b.ChainId);
        Assert.Equal(64, status.SendsAdmitted);
        if (shape != "automine")
        {
            // More than B's blocks within Delta could carry: some sends waited and went out in later blocks of their chain.
            Assert.True(status.SendsDeferred > 0);
            Assert.True(messages.Where(m => m.SourceChainId == a.ChainId).Select(m => m.SentBlockNumber).Distinct().Count() > 1);
        }
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }
}
