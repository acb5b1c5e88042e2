using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Integration.Tests;

namespace Thalamus.Rtc.Tests;

/// <summary>
/// The fee a provider quotes (quoteRtc) is charged to the sender of an RTC to an external chain, held by the origin
/// gateway, and paid to the relayer that delivered the RTC when its answer settles (ACK or NACK), or refunded to
/// the sender when it expires. Every balance is checked to the wei.
/// </summary>
public sealed class ProviderFeeTests
{
    private const ulong Wei = ExternalRig.Wei;
    private const ulong FeeA = 1_000;
    private const ulong FeeB = 10;
    private static readonly (ulong, ulong)[] Quotes = [(FeeA, 500), (FeeB, 9_000)];

    private static Address User => ExternalRig.User;

    [AnvilFact]
    public async Task The_quoted_fee_is_held_by_the_gateway_and_paid_to_the_relayer_that_delivered_the_rtc_when_its_ack_settles()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false, quotes: Quotes);
        var relayer = rig.Relayer(0);
        var (userBefore, relayerBefore) = (Balance(rig, User), Balance(rig, relayer.Address));
        var (id, receipt) = rig.SendDeposit(deadlineSeconds: 120, amount: 5, fee: FeeA);
        var sendGas = new UInt256(receipt.GasUsed) * receipt.EffectiveGasPrice;
        Assert.Equal(userBefore - sendGas - new UInt256(Wei + FeeA), Balance(rig, User));
        Assert.Equal(new UInt256(Wei + FeeA), Balance(rig, RtcPredeploys.Gateway)); // value and fee held while PENDING

        relayer.Start();
        var record = await rig.WaitForStatusAsync(id, RtcStatus.Ack);

        var answerGas = rig.GasCost(record.SettledTransactionHash!.Value);
        Assert.Equal(relayerBefore + new UInt256(FeeA) - answerGas, Balance(rig, relayer.Address));
        Assert.Equal(new UInt256(Wei), Balance(rig, RtcPredeploys.Gateway)); // the value stays in custody (paid out on anvil), the fee left
        Assert.Equal(userBefore - sendGas - new UInt256(Wei + FeeA), Balance(rig, User));
        var paid = rig.Origin.GetReceipt(record.SettledTransactionHash!.Value)!.Logs.Single(l => l.Topics[0] == FeePaid);
        Assert.Equal((id, relayer.Address.ToUInt256(), new UInt256(FeeA)), (paid.Topics[1], paid.Topics[2].ToUInt256(), new AbiReader(paid.Data).Word(0)));
    }

    [AnvilFact]
    public async Task On_a_nack_the_value_goes_back_to_the_sender_and_the_fee_to_the_relayer_that_delivered()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false, quotes: Quotes);
        var relayer = rig.Relayer(0);
        var (userBefore, relayerBefore) = (Balance(rig, User), Balance(rig, relayer.Address));
        // deposit(user, 0) reverts on anvil: "RtcVault: nothing to deposit".
        var (id, receipt) = rig.SendDeposit(deadlineSeconds: 120, amount: 0, fee: FeeA);
        var sendGas = new UInt256(receipt.GasUsed) * receipt.EffectiveGasPrice;

        relayer.Start();
        var record = await rig.WaitForStatusAsync(id, RtcStatus.Nack);

        Assert.Equal("RtcVault: nothing to deposit", Abi.DecodeRevertReason(record.Reason!));
        Assert.Equal(userBefore - sendGas - new UInt256(FeeA), Balance(rig, User)); // the value is back, the fee spent
        Assert.Equal(relayerBefore + new UInt256(FeeA) - rig.GasCost(record.SettledTransactionHash!.Value), Balance(rig, relayer.Address));
        Assert.Equal(UInt256.Zero, Balance(rig, RtcPredeploys.Gateway));
    }

    [AnvilFact]
    public async Task The_fee_goes_to_the_relayer_that_delivered_even_when_another_one_carries_the_answer_back()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false, quotes: Quotes);
        var (a, b) = (rig.Relayer(0), rig.Relayer(1));
        var (aBefore, bBefore) = (Balance(rig, a.Address), Balance(rig, b.Address));
        var (id, _) = rig.SendDeposit(deadlineSeconds: 120, amount: 4, fee: FeeA);
        await a.DeliverAsync(); // a delivers on anvil, then is killed before it carries the answer
        await a.DisposeAsync();

        b.Start();
        var record = await rig.WaitForStatusAsync(id, RtcStatus.Ack);

        Assert.Equal((0, 1), (b.Deliveries, b.Answers));
        Assert.Equal(aBefore + new UInt256(FeeA), Balance(rig, a.Address)); // a sent nothing on the origin: exactly the fee
        Assert.Equal(bBefore - rig.GasCost(record.SettledTransactionHash!.Value), Balance(rig, b.Address)); // b paid the answer's gas only
        Assert.Equal(new UInt256(Wei), Balance(rig, RtcPredeploys.Gateway));
    }

    [AnvilFact]
    public async Task An_expired_rtc_gives_the_sender_back_its_value_and_the_fee()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false, quotes: Quotes); // nobody carries it
        var before = Balance(rig, User);
        var (id, receipt) = rig.SendDeposit(deadlineSeconds: 2, amount: 1, preference: "cheapest", fee: FeeB);
        var sendGas = new UInt256(receipt.GasUsed) * receipt.EffectiveGasPrice;
        Assert.Equal(before - sendGas - new UInt256(Wei + FeeB), Balance(rig, User));

        rig.Rtc.Cluster.Start(); // the node's expireRtc, in the first block past 3 x the deadline's span
        await rig.WaitForStatusAsync(id, RtcStatus.Expired);

        Assert.Equal(before - sendGas, Balance(rig, User)); // to the wei
        Assert.Equal(UInt256.Zero, Balance(rig, RtcPredeploys.Gateway));
    }

    [AnvilFact]
    public async Task An_rtc_whose_value_does_not_pay_the_providers_fee_is_refused_with_the_fee_named_and_nothing_is_reserved()
    {
        await using var rig = await ExternalRig.StartAsync(startRelayers: false, quotes: Quotes);
        var before = Balance(rig, User);
        var call = RtcCluster.NativeCall(ExternalRig.External, rig.Vault, Abi.Call("deposit(address,uint256)", User, 1UL), Wei);
        var deadline = rig.Origin.Head.Timestamp + 60;
        foreach (var (data, value, reason) in new[]
        {
            (RtcCluster.Rtc(atomic: false, deadline, call), Wei,
                "Thalamus: msg.value 777 differs from the RTC's native amounts 777 plus the fee 1000 of provider a"),
            (ExternalRig.Via(false, deadline, "cheapest", call), Wei + FeeA,
                "Thalamus: msg.value 1777 differs from the RTC's native amounts 777 plus the fee 10 of provider b"),
        })
        {
            var result = rig.Origin.Call(new CallRequest { To = RtcPredeploys.Gateway, Data = data, From = User, Value = new UInt256(value), Gas = 3_000_000 }, BlockSelector.Latest);
            Assert.False(result.Success);
            Assert.Equal(reason, Abi.DecodeRevertReason(result.ReturnData));
            var receipt = rig.Rtc.Send(rig.Origin, 1, RtcPredeploys.Gateway, data, value: new UInt256(value));
            Assert.False(receipt.Success);
            before -= new UInt256(receipt.GasUsed) * receipt.EffectiveGasPrice;
        }
        Assert.Equal(before, Balance(rig, User)); // only gas spent
        Assert.Equal(UInt256.Zero, Balance(rig, RtcPredeploys.Gateway));
        Assert.Empty(rig.Rtc.Module.GetRtcs(new RtcQuery()).Page);
    }

    private static readonly Hash256 FeePaid = Abi.EventTopic("RtcFeePaid(bytes32,address,uint256)");

    private static UInt256 Balance(ExternalRig rig, Address account) => rig.Origin.GetBalance(account, BlockSelector.Latest);
}
