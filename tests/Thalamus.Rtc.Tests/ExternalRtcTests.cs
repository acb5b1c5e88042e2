using System.Globalization;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Integration.Tests;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rtc.Tests;

/// <summary>
/// RTCs from a cluster chain to a real anvil outside the cluster and back: the same gateway deployed there
/// (constructor with its trusted relayers), carried by relayers inside the node.
/// </summary>
public sealed class ExternalRtcTests
{
    private const ulong A = ExternalRig.A;
    private const ulong External = ExternalRig.External;
    private const ulong Wei = ExternalRig.Wei;

    private static Address User => ExternalRig.User;

    [AnvilFact]
    public async Task An_rtc_to_an_external_anvil_runs_there_and_its_ack_comes_back_with_the_result()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: true);
        var (id, _) = rig.SendDeposit(deadlineSeconds: 120, amount: 5);

        var record = await rig.WaitForStatusAsync(id, RtcStatus.Ack);
        // deposit returns the user's total there, read by the gateway on anvil and carried back in the ACK.
        Assert.Equal(new UInt256(5), new AbiReader(record.Results![0]).Word(0));
        Assert.Equal(new UInt256(5), await rig.AnvilWordAsync(rig.Vault, "deposits(address)", User));
        // The call on anvil saw the RTC's sender and origin chain (the executor's context), and the value it carried.
        Assert.Equal(User.ToUInt256(), await rig.AnvilWordAsync(rig.Vault, "lastRtcSender()"));
        Assert.Equal(new UInt256(A), await rig.AnvilWordAsync(rig.Vault, "lastSourceChainId()"));
        Assert.Equal(new UInt256(Wei), await rig.AnvilWordAsync(rig.Vault, "received()"));
        Assert.Equal(UInt256.One, await rig.AnvilWordAsync(rig.AnvilGateway, "delivered(bytes32)", id));
        // The preferred relayer carried it both ways; the origin keeps the value it escrowed (paid out on anvil).
        Assert.Equal((1, 1), (rig.Relayer(0).Deliveries, rig.Relayer(0).Answers));
        Assert.Equal(new UInt256(Wei), rig.Origin.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest));

        var json = Result(rig.Rtc.Rpc(), "thalamus_getRtc", $"[\"{id}\"]");
        Assert.Equal("ACK", json.GetProperty("status").GetString());
        Assert.Equal($"{User}@eip155:901", json.GetProperty("sender7828").GetString()); // ERC-7828
        Assert.Equal(JsonValueKind.Null, json.GetProperty("senderName").ValueKind); // the user has no name in the book
        Assert.Equal("0x" + External.ToString("x", CultureInfo.InvariantCulture), json.GetProperty("destinationChainId").GetString());
    }

    [AnvilFact]
    public async Task An_external_rtc_without_an_answer_is_expired_by_the_node_after_three_times_its_deadline_span_and_its_value_goes_back()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false); // the relayers are stopped
        var before = rig.Origin.GetBalance(User, BlockSelector.Latest);
        var (id, receipt) = rig.SendDeposit(deadlineSeconds: 3, amount: 1);
        var fee = new UInt256(receipt.GasUsed) * receipt.EffectiveGasPrice;
        Assert.Equal(RtcStatus.Pending, rig.Rtc.Module.GetRtc(id)!.Status);
        Assert.Equal(before - fee - new UInt256(Wei), rig.Origin.GetBalance(User, BlockSelector.Latest));

        var sentAt = rig.Origin.Store.GetHeader(receipt.BlockNumber)!.Timestamp;
        var deadline = rig.Rtc.Module.GetRtc(id)!.Deadline;
        var expiresAt = sentAt + 3 * (deadline - sentAt);
        // Other users' blocks (nobody calls expireRtc): until 3 x the deadline's span has passed the RTC stays PENDING.
        while (rig.Origin.Head.Timestamp <= expiresAt)
        {
            Assert.Equal(RtcStatus.Pending, rig.Rtc.Module.GetRtc(id)!.Status);
            rig.Rtc.Send(rig.Origin, 3, RtcCluster.Accounts[3].Address, []);
        }
        // The first block after it carries the node's expireRtc, a system transaction of the rtc module's account.
        var record = rig.Rtc.Module.GetRtc(id)!;
        Assert.Equal(RtcStatus.Expired, record.Status);
        Assert.Equal(rig.Origin.Head.Number, record.SettledBlockNumber);
        var expiry = rig.Origin.GetTransaction(record.SettledTransactionHash!.Value)!.Value.tx;
        Assert.Equal(RtcPredeploys.Account.Address, expiry.RecoverSender());
        Assert.Equal(RtcPredeploys.Gateway, expiry.To);
        Assert.Equal(Abi.Call("expireRtc(bytes32)", id), expiry.Data);
        Assert.Equal("Thalamus: the RTC is not pending",
            Abi.DecodeRevertReason(rig.Rtc.Call(rig.Origin, RtcPredeploys.Gateway, Abi.Call("expireRtc(bytes32)", id), account: 2).ReturnData));
        Assert.Equal(before - fee, rig.Origin.GetBalance(User, BlockSelector.Latest)); // to the wei
        Assert.Equal(UInt256.Zero, rig.Origin.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest));

        // A relayer that comes back late does not carry an RTC that is no longer pending.
        await rig.Relayer(0).StepAsync();
        Assert.Equal(0, rig.Relayer(0).Deliveries);
        Assert.Equal(UInt256.Zero, await rig.AnvilWordAsync(rig.AnvilGateway, "delivered(bytes32)", id));

        // The destination itself refuses it after its deadline: it answers NACK (ignored by the origin, already EXPIRED).
        await rig.Anvil.CallAsync("evm_increaseTime", 60);
        var delivery = receipt.Logs.Single(l => l.Topics[0] == RtcLogs.RtcOutbound);
        var ok = await rig.SendOnAnvilAsync(rig.Keys[1], rig.AnvilGateway, new AbiReader(delivery.Data).Bytes(1));
        Assert.True(ok);
        var executed = await rig.AnvilLogsAsync(Abi.EventTopic("RtcExecuted(bytes32,uint256,bool)"));
        Assert.Equal(UInt256.Zero, new AbiReader(Hex.Decode(executed.Single().GetProperty("data").GetString()!)).Word(0));
        Assert.Equal(UInt256.Zero, await rig.AnvilWordAsync(rig.Vault, "deposits(address)", User));
        await rig.Relayer(1).StepAsync();
        Assert.Equal(0, rig.Relayer(1).Answers);
        Assert.Equal(RtcStatus.Expired, rig.Rtc.Module.GetRtc(id)!.Status);
    }

    [AnvilFact]
    public async Task On_an_idle_origin_the_node_seals_the_first_block_past_the_expiry_and_expires_an_unanswered_external_rtc()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false); // the relayers are stopped
        var before = rig.Origin.GetBalance(User, BlockSelector.Latest);
        var (id, receipt) = rig.SendDeposit(deadlineSeconds: 2, amount: 1);
        var fee = new UInt256(receipt.GasUsed) * receipt.EffectiveGasPrice;
        var sentAt = rig.Origin.Store.GetHeader(receipt.BlockNumber)!.Timestamp;
        var expiresAt = sentAt + 3 * (rig.Rtc.Module.GetRtc(id)!.Deadline - sentAt);

        rig.Rtc.Cluster.Start(); // the cluster's scheduler; nobody sends a transaction from here on
        var record = await rig.WaitForStatusAsync(id, RtcStatus.Expired);

        // The automining origin sealed for the expiry alone: one block, the first past it, with only the node's expireRtc.
        var settled = rig.Origin.Store.GetHeader(record.SettledBlockNumber!.Value)!;
        Assert.Equal(receipt.BlockNumber + 1, settled.Number);
        Assert.True(settled.Timestamp > expiresAt, $"expired in a block at {settled.Timestamp}, not after {expiresAt}");
        var expiry = rig.Origin.GetTransaction(record.SettledTransactionHash!.Value)!.Value.tx;
        Assert.Equal(RtcPredeploys.Account.Address, expiry.RecoverSender());
        Assert.Equal(before - fee, rig.Origin.GetBalance(User, BlockSelector.Latest)); // the escrowed value is back, to the wei
        Assert.Equal(UInt256.Zero, rig.Origin.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest));
    }

    [AnvilFact]
    public async Task A_failed_expiry_of_the_node_is_proposed_again_with_twice_the_gas_and_then_expires_the_rtc()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false); // the relayers are stopped
        // The RTC's sender is a contract whose receive (the refund) needs ~133,000 gas.
        var greedy = rig.Rtc.Deploy(rig.Origin, "RtcGreedySender");
        var call = RtcCluster.NativeCall(External, rig.Vault, Abi.Call("deposit(address,uint256)", User, 1UL), Wei);
        var rtc = RtcCluster.Rtc(atomic: false, rig.Origin.Head.Timestamp + 2, call);
        var receipt = rig.Rtc.Send(rig.Origin, 1, greedy, Abi.Call("forward(address,bytes)", RtcPredeploys.Gateway, AbiValue.Bytes(rtc)), value: new UInt256(Wei));
        Assert.True(receipt.Success);
        var id = RtcCluster.RtcIdOf(receipt);
        Assert.Equal(greedy, rig.Rtc.Module.GetRtc(id)!.Sender);

        rig.Rtc.Cluster.Start();
        var record = await rig.WaitForStatusAsync(id, RtcStatus.Expired);

        // Every expireRtc the node sent, in order: the first ran out of gas in the sender's receive, the next (twice the gas) expired it.
        var expiries = new List<(ulong Gas, bool Ok)>();
        for (var number = receipt.BlockNumber + 1; number <= record.SettledBlockNumber; number++)
        {
            foreach (var tx in rig.Origin.GetBlock(BlockSelector.FromNumber(number))!.Transactions)
                if (tx.RecoverSender() == RtcPredeploys.Account.Address) expiries.Add((tx.GasLimit, rig.Origin.GetReceipt(tx.Hash)!.Success));
        }
        const ulong first = RtcModule.ExpireGas + RtcModule.ExpireGasPerCall;
        Assert.Equal([(first, false), (2 * first, true)], expiries);
        Assert.Equal(new UInt256(Wei), rig.Rtc.Word(rig.Origin, greedy, "refunded()"));
        Assert.Equal(new UInt256(Wei), rig.Origin.GetBalance(greedy, BlockSelector.Latest));
        Assert.Equal(UInt256.Zero, rig.Origin.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest));
    }

    [AnvilFact]
    public async Task When_the_preferred_relayer_is_down_the_next_one_delivers_the_rtc_once()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false);
        var (id, _) = rig.SendDeposit(deadlineSeconds: 120, amount: 3);
        rig.Relayer(1).Start(); // the preferred relayer (rank 0) never runs

        var record = await rig.WaitForStatusAsync(id, RtcStatus.Ack);
        Assert.Equal(new UInt256(3), new AbiReader(record.Results![0]).Word(0));
        Assert.Equal((0, 0), (rig.Relayer(0).Deliveries, rig.Relayer(0).Answers));
        Assert.Equal((1, 1), (rig.Relayer(1).Deliveries, rig.Relayer(1).Answers));
        Assert.Single(await rig.AnvilLogsAsync(Abi.EventTopic("RtcExecuted(bytes32,uint256,bool)")));
        Assert.Equal(new UInt256(3), await rig.AnvilWordAsync(rig.Vault, "deposits(address)", User));
    }

    [AnvilFact]
    public async Task A_relayer_killed_after_delivering_is_replaced_by_the_next_which_carries_the_answer_without_delivering_again()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false);
        var (id, receipt) = rig.SendDeposit(deadlineSeconds: 120, amount: 4);
        await rig.Relayer(0).DeliverAsync(); // delivers, then is killed before it carries the answer back
        Assert.Equal(1, rig.Relayer(0).Deliveries);
        await rig.Relayer(0).DisposeAsync();
        Assert.Equal(RtcStatus.Pending, rig.Rtc.Module.GetRtc(id)!.Status);

        rig.Relayer(1).Start();
        await rig.WaitForStatusAsync(id, RtcStatus.Ack);
        Assert.Equal((0, 1), (rig.Relayer(1).Deliveries, rig.Relayer(1).Answers));
        Assert.Single(await rig.AnvilLogsAsync(Abi.EventTopic("RtcExecuted(bytes32,uint256,bool)")));
        Assert.Equal(new UInt256(4), await rig.AnvilWordAsync(rig.Vault, "deposits(address)", User));

        // A second delivery of the same id is refused by the destination gateway.
        var delivery = new AbiReader(receipt.Logs.Single(l => l.Topics[0] == RtcLogs.RtcOutbound).Data).Bytes(1);
        var refusal = await rig.AnvilCallFailureAsync(rig.Keys[0], rig.AnvilGateway, delivery);
        Assert.Contains("Thalamus: the RTC was delivered already", refusal, StringComparison.Ordinal);
    }

    [AnvilFact]
    public async Task Only_a_trusted_relayer_delivers_on_the_external_gateway_or_answers_on_the_cluster()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false);
        var (id, receipt) = rig.SendDeposit(deadlineSeconds: 120, amount: 1);
        var delivery = new AbiReader(receipt.Logs.Single(l => l.Topics[0] == RtcLogs.RtcOutbound).Data).Bytes(1);
        var stranger = Keccak256.Compute("stranger"u8).Bytes.ToArray();
        Assert.Contains("Thalamus: only a trusted relayer", await rig.AnvilCallFailureAsync(stranger, rig.AnvilGateway, delivery), StringComparison.Ordinal);

        var forged = Abi.Call("settleExternal(bytes32,bool,uint256,bytes,bytes[],uint256[],address)",
            id, true, UInt256.MaxValue, AbiValue.Bytes([]), AbiValue.Array(), AbiValue.Array(), RtcCluster.Accounts[2].Address);
        var answer = rig.Rtc.Call(rig.Origin, RtcPredeploys.Gateway, forged, account: 2);
        Assert.Equal("Thalamus: only a trusted relayer of the RTC's destination chain", Abi.DecodeRevertReason(answer.ReturnData));
        Assert.Equal(RtcStatus.Pending, rig.Rtc.Module.GetRtc(id)!.Status);
    }

    [AnvilFact]
    public async Task Bad_external_rtcs_are_refused_with_the_reason_and_nothing_is_reserved()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false);
        var call = RtcCluster.CallObject(External, rig.Vault, Abi.Call("add(address,uint256)", User, 1UL));
        var deadline = rig.Origin.Head.Timestamp + 60;
        Assert.Equal("Thalamus: chain 31337 is outside the cluster: an RTC to it is async",
            Reason(rig.Rtc.Call(rig.Origin, RtcPredeploys.Gateway, RtcCluster.Rtc(atomic: true, deadline, call), account: 1)));
        Assert.Equal("Thalamus: an RTC to chain 31337 (outside the cluster) needs a deadline",
            Reason(rig.Rtc.Call(rig.Origin, RtcPredeploys.Gateway, RtcCluster.Rtc(atomic: false, 0, call), account: 1)));
        var unknown = RtcCluster.CallObject(31338, rig.Vault, []);
        Assert.Equal("Thalamus: chain 31338 is not a member of this cluster",
            Reason(rig.Rtc.Call(rig.Origin, RtcPredeploys.Gateway, RtcCluster.Rtc(atomic: false, deadline, unknown), account: 1)));
        Assert.Empty(rig.Rtc.Module.GetRtcs(new RtcQuery()).Page);
    }

    [AnvilFact]
    public async Task Quotes_list_every_provider_and_the_sender_picks_the_cheapest_the_fastest_or_one_by_name()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false, quotes: [(1_000, 500), (10, 9_000)]);
        var quotes = rig.Rtc.Call(rig.Origin, RtcPredeploys.Gateway, Abi.Call("quoteRtc(uint256)", External));
        Assert.True(quotes.Success);
        var list = new AbiReader(quotes.ReturnData).Array(0, out var count);
        Assert.Equal(2, count);
        Assert.Equal(ExternalRig.Name("a"), list.Bytes32(0));
        Assert.Equal(rig.Relayer(0).Address.ToUInt256(), list.Word(1));
        Assert.Equal((new UInt256(1_000), new UInt256(500)), (list.Word(2), list.Word(3)));
        Assert.Equal(ExternalRig.Name("b"), list.Bytes32(4));
        Assert.Equal((new UInt256(10), new UInt256(9_000)), (list.Word(6), list.Word(7)));
        var cluster = new AbiReader(rig.Rtc.Call(rig.Origin, RtcPredeploys.Gateway, Abi.Call("quoteRtc(uint256)", A)).ReturnData).Array(0, out var one);
        Assert.Equal((1, ExternalRig.Name("cluster")), (one, cluster.Bytes32(0)));

        // The sender pays the fee of the provider first in its order (a: 1,000 wei, b: 10 wei) on top of the value.
        Address[] Order(string? preference, ulong fee) => [.. rig.Rtc.Module.ProvidersOf(rig.SendDeposit(120, 1, preference, fee).Id)!];
        var (a, b) = (rig.Relayer(0).Address, rig.Relayer(1).Address);
        Assert.Equal([a, b], Order(null, 1_000));
        Assert.Equal([b, a], Order("cheapest", 10));
        Assert.Equal([a, b], Order("fastest", 1_000));
        Assert.Equal([b, a], Order("b", 10));
        Assert.Equal(new UInt256(4 * Wei + 2_020), rig.Origin.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest)); // every value and fee held

        var unknown = ExternalRig.Via(false, rig.Origin.Head.Timestamp + 60, "zeta", RtcCluster.CallObject(External, rig.Vault, []));
        Assert.Equal("Thalamus: chain 31337 has no provider named zeta",
            Reason(rig.Rtc.Call(rig.Origin, RtcPredeploys.Gateway, unknown, account: 1)));
        var inCluster = ExternalRig.Via(true, 0, "a", RtcCluster.CallObject(A, rig.Vault, []));
        Assert.Equal("Thalamus: chain 901 has no provider named a",
            Reason(rig.Rtc.Call(rig.Origin, RtcPredeploys.Gateway, inCluster, account: 1)));
    }

    [AnvilFact]
    public async Task An_rtc_sent_via_a_named_provider_is_carried_by_it_while_the_default_one_stands_by()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: true);
        var (id, _) = rig.SendDeposit(deadlineSeconds: 120, amount: 2, preference: "b");
        await rig.WaitForStatusAsync(id, RtcStatus.Ack);
        Assert.Equal((1, 1), (rig.Relayer(1).Deliveries, rig.Relayer(1).Answers));
        Assert.Equal((0, 0), (rig.Relayer(0).Deliveries, rig.Relayer(0).Answers));
        Assert.Single(await rig.AnvilLogsAsync(Abi.EventTopic("RtcExecuted(bytes32,uint256,bool)")));
    }

    private static string? Reason(CallResult result)
    {
        Assert.False(result.Success);
        return Abi.DecodeRevertReason(result.ReturnData);
    }
}
