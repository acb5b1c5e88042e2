using System.Globalization;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Integration.Tests;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rtc.Tests;

/// <summary>
/// RTCs sent on the gateway of a real anvil outside the cluster to a cluster chain: the node's relayer sees the
/// anvil gateway's RtcOutbound, delivers it to the member chain's gateway (deliverExternal, once), and carries its
/// answer (RtcAnswered there) back to anvil's settleExternal.
/// </summary>
public sealed class InboundRtcTests
{
    private const ulong Wei = ExternalRig.Wei;
    private const int Ack = 2, Nack = 3, Expired = 4;

    [AnvilFact]
    public async Task An_rtc_sent_on_anvil_runs_on_a_cluster_chain_once_and_its_ack_goes_back_to_anvil()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: true);
        var inbound = await Inbound.StartAsync(rig);
        var (id, gas) = await inbound.SendDepositAsync(amount: 5, deadlineSeconds: 120);

        await rig.WaitForAnvilStatusAsync(id, Ack);

        // The call ran on 901 from the executor, with the RTC's sender and origin (anvil) in its context and the value it carried.
        Assert.Equal(new UInt256(5), rig.Rtc.Word(rig.Origin, inbound.Vault, "deposits(address)", inbound.Sender));
        Assert.Equal(inbound.Sender.ToUInt256(), rig.Rtc.Word(rig.Origin, inbound.Vault, "lastRtcSender()"));
        Assert.Equal(new UInt256(ExternalRig.External), rig.Rtc.Word(rig.Origin, inbound.Vault, "lastSourceChainId()"));
        Assert.Equal(new UInt256(Wei), rig.Rtc.Word(rig.Origin, inbound.Vault, "received()"));
        Assert.Equal(UInt256.Zero, rig.Origin.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest)); // paid out of 901's custody
        // The ACK on anvil carries the call's result; the value stays in anvil's gateway (lock/release), the sender paid it and gas.
        var acked = Assert.Single(await rig.AnvilLogsAsync(Abi.EventTopic("RtcAcked(bytes32,bytes[])")));
        var results = new AbiReader(Hex.Decode(acked.GetProperty("data").GetString()!)).Array(0, out var count);
        Assert.Equal((1, new UInt256(5)), (count, new AbiReader(results.Bytes(0)).Word(0)));
        Assert.Equal(inbound.SenderBefore - gas - new UInt256(Wei), await rig.AnvilBalanceAsync(inbound.Sender));
        Assert.Equal(inbound.GatewayBefore + new UInt256(Wei), await rig.AnvilBalanceAsync(rig.AnvilGateway));
        Assert.Equal((1, 1), (rig.Relayer(0).Deliveries, rig.Relayer(0).Answers));

        // The node's index shows it: from anvil's sender to 901, ACK with the result, the delivery on 901 and the settleExternal on anvil.
        var json = await IndexedAsync(rig, id, "ACK", acked);
        Assert.Equal($"{inbound.Sender}@eip155:{ExternalRig.External}", json.GetProperty("sender7828").GetString());
        Assert.Equal(new UInt256(5), new AbiReader(Hex.Decode(Assert.Single(json.GetProperty("results").EnumerateArray()).GetString()!)).Word(0));
        var filtered = Result(rig.Rtc.Rpc(), "thalamus_getRtcs", $"[{{\"originChainId\":\"{Q(ExternalRig.External)}\",\"status\":\"ACK\"}}]").GetProperty("rtcs");
        Assert.Equal(id.ToString(), Assert.Single(filtered.EnumerateArray()).GetProperty("id").GetString());
        Assert.Empty(rig.Rtc.Module.GetRtcs(new RtcQuery { OriginChainId = ExternalRig.External, Status = RtcStatus.Nack }).Page);

        // Exactly once: the cluster's gateway refuses a second delivery of the same id, from either relayer.
        Assert.Equal(UInt256.One, rig.Rtc.Word(rig.Origin, RtcPredeploys.Gateway, "delivered(bytes32)", id));
        var delivery = new AbiReader(Hex.Decode((await rig.AnvilLogsAsync(RtcLogs.RtcOutbound)).Single().GetProperty("data").GetString()!)).Bytes(1);
        var again = rig.Origin.Call(new CallRequest { To = RtcPredeploys.Gateway, Data = delivery, From = rig.Relayer(1).Address, Gas = 5_000_000 }, BlockSelector.Latest);
        Assert.False(again.Success);
        Assert.Equal("Thalamus: the RTC was delivered already", Abi.DecodeRevertReason(again.ReturnData));
        Assert.Equal(new UInt256(5), rig.Rtc.Word(rig.Origin, inbound.Vault, "deposits(address)", inbound.Sender));
    }

    [AnvilFact]
    public async Task An_rtc_from_anvil_whose_call_fails_on_the_cluster_chain_is_nacked_on_anvil_with_the_reason_and_its_value_back()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: true);
        var inbound = await Inbound.StartAsync(rig);
        var (id, gas) = await inbound.SendDepositAsync(amount: 0, deadlineSeconds: 120); // deposit(sender, 0) reverts

        await rig.WaitForAnvilStatusAsync(id, Nack);

        var nacked = Assert.Single(await rig.AnvilLogsAsync(Abi.EventTopic("RtcNacked(bytes32,uint256,bytes)")));
        var data = new AbiReader(Hex.Decode(nacked.GetProperty("data").GetString()!));
        Assert.Equal(UInt256.Zero, data.Word(0)); // call 0 failed
        Assert.Equal("RtcVault: nothing to deposit", Abi.DecodeRevertReason(data.Bytes(1)));
        var json = await IndexedAsync(rig, id, "NACK", nacked);
        Assert.Equal(Q(0), json.GetProperty("failedCall").GetString());
        Assert.Equal("RtcVault: nothing to deposit", json.GetProperty("reasonText").GetString());
        Assert.Equal(id.ToString(), Assert.Single(Result(rig.Rtc.Rpc(), "thalamus_getRtcs", "[{\"status\":\"NACK\"}]").GetProperty("rtcs").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(inbound.SenderBefore - gas, await rig.AnvilBalanceAsync(inbound.Sender)); // the value is back, to the wei
        Assert.Equal(inbound.GatewayBefore, await rig.AnvilBalanceAsync(rig.AnvilGateway));
        // Nothing stayed on 901: the call was undone and 901's custody still holds what it held.
        Assert.Equal(UInt256.Zero, rig.Rtc.Word(rig.Origin, inbound.Vault, "deposits(address)", inbound.Sender));
        Assert.Equal(new UInt256(Wei), rig.Origin.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest));
    }

    [AnvilFact]
    public async Task When_the_preferred_relayer_is_down_the_next_one_carries_an_rtc_from_anvil_both_ways()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false);
        var inbound = await Inbound.StartAsync(rig);
        var (id, _) = await inbound.SendDepositAsync(amount: 2, deadlineSeconds: 120);
        rig.Relayer(1).Start(); // the preferred relayer (rank 0) never runs

        await rig.WaitForAnvilStatusAsync(id, Ack);
        Assert.Equal((0, 0), (rig.Relayer(0).Deliveries, rig.Relayer(0).Answers));
        Assert.Equal((1, 1), (rig.Relayer(1).Deliveries, rig.Relayer(1).Answers));
        Assert.Equal(new UInt256(2), rig.Rtc.Word(rig.Origin, inbound.Vault, "deposits(address)", inbound.Sender));
    }

    [AnvilFact]
    public async Task An_rtc_from_anvil_delivered_after_its_deadline_is_refused_by_the_cluster_chain_and_nacked_on_anvil_with_its_value_back()
    {
        // Anvil's clock an hour behind the cluster's: a deadline a minute ahead on anvil has passed on 901.
        var behind = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3_600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var rig = await ExternalRig.StartAsync(startRelayers: true, anvilArguments: ["--timestamp", behind]);
        var inbound = await Inbound.StartAsync(rig);
        var (id, gas) = await inbound.SendDepositAsync(amount: 3, deadlineSeconds: 60);

        await rig.WaitForAnvilStatusAsync(id, Nack);

        var nacked = Assert.Single(await rig.AnvilLogsAsync(Abi.EventTopic("RtcNacked(bytes32,uint256,bytes)")));
        var reason = Abi.DecodeRevertReason(new AbiReader(Hex.Decode(nacked.GetProperty("data").GetString()!)).Bytes(1));
        Assert.StartsWith("Thalamus: RTC expired at ", reason, StringComparison.Ordinal);
        var json = await IndexedAsync(rig, id, "NACK", nacked);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("failedCall").ValueKind); // refused as a whole
        Assert.Equal(reason, json.GetProperty("reasonText").GetString());
        Assert.Equal(inbound.SenderBefore - gas, await rig.AnvilBalanceAsync(inbound.Sender)); // the value is back, to the wei
        Assert.Equal(UInt256.Zero, rig.Rtc.Word(rig.Origin, inbound.Vault, "deposits(address)", inbound.Sender)); // nothing ran on 901
        Assert.Equal(UInt256.One, rig.Rtc.Word(rig.Origin, RtcPredeploys.Gateway, "delivered(bytes32)", id)); // delivered once, refused
    }

    [AnvilFact]
    public async Task An_rtc_from_anvil_that_expired_there_is_not_carried_into_the_cluster()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false);
        var inbound = await Inbound.StartAsync(rig);
        var (id, gas) = await inbound.SendDepositAsync(amount: 1, deadlineSeconds: 5);
        var early = await Assert.ThrowsAsync<ClusterRpcException>(() =>
            rig.Anvil.CallAsync("eth_call", new { to = rig.AnvilGateway.ToString(), data = Hex.Encode(Abi.Call("expireRtc(bytes32)", id)) }, "latest"));
        Assert.Contains("Thalamus: the RTC may expire after", early.Message, StringComparison.Ordinal);

        // Anvil's time passes 3 x the deadline's span; anyone expires it there and the sender has its value back.
        await rig.Anvil.CallAsync("evm_increaseTime", 60);
        await rig.Anvil.CallAsync("evm_mine");
        var anyone = await rig.AnvilAccountAsync(2);
        var hash = (await rig.Anvil.CallAsync("eth_sendTransaction", new { from = anyone.ToString(), to = rig.AnvilGateway.ToString(), data = Hex.Encode(Abi.Call("expireRtc(bytes32)", id)), gas = "0x2dc6c0" })).GetString();
        Assert.Equal("0x1", (await AnvilProcess.MinedReceipt(rig.Anvil, hash)).GetProperty("status").GetString());
        Assert.Equal(Expired, await rig.AnvilStatusAsync(id));
        Assert.Equal(inbound.SenderBefore - gas, await rig.AnvilBalanceAsync(inbound.Sender));

        // A relayer that comes up now does not run it on 901.
        await rig.Relayer(0).StepAsync();
        Assert.Null(rig.Relayer(0).LastError);
        Assert.Equal(0, rig.Relayer(0).Deliveries);
        Assert.Equal(UInt256.Zero, rig.Rtc.Word(rig.Origin, RtcPredeploys.Gateway, "delivered(bytes32)", id));
        Assert.Equal(UInt256.Zero, rig.Rtc.Word(rig.Origin, inbound.Vault, "deposits(address)", inbound.Sender));
        Assert.Null(rig.Rtc.Module.GetRtc(id)); // never delivered: not in the node's index
    }

    private static string Q(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>
    /// thalamus_getRtc of inbound RTC <paramref name="id"/> once the relayer recorded the answer it carried to anvil: its origin,
    /// sender, destination and <paramref name="status"/>, the 901 transaction that ran it (its RtcAnswered), and anvil's
    /// settleExternal transaction (the one with <paramref name="outcome"/>, anvil's RtcAcked or RtcNacked log).
    /// </summary>
    private static async Task<JsonElement> IndexedAsync(ExternalRig rig, Hash256 id, string status, JsonElement outcome)
    {
        for (var attempt = 0; attempt < 600 && rig.Rtc.Module.GetRtc(id)?.SettledTransactionHash is null; attempt++) await Task.Delay(100);
        var json = Result(rig.Rtc.Rpc(), "thalamus_getRtc", $"[\"{id}\"]");
        Assert.True(json.GetProperty("inbound").GetBoolean());
        Assert.Equal(Q(ExternalRig.External), json.GetProperty("originChainId").GetString());
        Assert.Equal(Q(ExternalRig.A), json.GetProperty("destinationChainId").GetString());
        Assert.Equal(status, json.GetProperty("status").GetString());
        Assert.Equal(status == "ACK", json.GetProperty("executedOk").GetBoolean());
        var answered = Assert.Single(rig.Origin.GetLogs(new LogFilter { FromBlock = 1, ToBlock = rig.Origin.Head.Number, Addresses = [RtcPredeploys.Gateway] }),
            l => l.Topics[0] == RtcLogs.RtcAnswered);
        Assert.Equal(answered.TransactionHash.ToString(), json.GetProperty("executedTransactionHash").GetString());
        Assert.Equal(Q(answered.BlockNumber), json.GetProperty("executedBlockNumber").GetString());
        Assert.Equal(outcome.GetProperty("transactionHash").GetString(), json.GetProperty("settledTransactionHash").GetString());
        Assert.Equal(outcome.GetProperty("blockNumber").GetString(), json.GetProperty("settledBlockNumber").GetString());
        return json;
    }

    /// <summary>A vault on 901, the cluster gateway holding <see cref="Wei"/> (its custody pays the value an RTC carries there), and an anvil sender.</summary>
    private sealed class Inbound(ExternalRig rig, Address vault, Address sender, UInt256 senderBefore, UInt256 gatewayBefore)
    {
        public Address Vault => vault;
        public Address Sender => sender;
        public UInt256 SenderBefore => senderBefore;
        public UInt256 GatewayBefore => gatewayBefore;

        public static async Task<Inbound> StartAsync(ExternalRig rig)
        {
            var vault = rig.Rtc.Deploy(rig.Origin, "RtcVault");
            Assert.True(rig.Rtc.Send(rig.Origin, 3, RtcPredeploys.Gateway, [], value: new UInt256(Wei)).Success);
            var sender = await rig.AnvilAccountAsync(1);
            return new Inbound(rig, vault, sender, await rig.AnvilBalanceAsync(sender), await rig.AnvilBalanceAsync(rig.AnvilGateway));
        }

        /// <summary>sendRtc on anvil: RtcVault.deposit(sender, amount) on 901 carrying <see cref="Wei"/>.</summary>
        public async Task<(Hash256 Id, UInt256 GasCost)> SendDepositAsync(ulong amount, ulong deadlineSeconds)
        {
            var call = RtcCluster.NativeCall(ExternalRig.A, vault, Abi.Call("deposit(address,uint256)", sender, amount), Wei);
            var deadline = await rig.AnvilTimestampAsync() + deadlineSeconds;
            return await rig.SendRtcOnAnvilAsync(sender, RtcCluster.Rtc(atomic: false, deadline, call), new UInt256(Wei));
        }
    }
}
