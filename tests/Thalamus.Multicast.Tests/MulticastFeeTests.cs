using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Multicast.Tests;

/// <summary>The publish fees the Multicaster collects: withdrawn by the fee owner the node wrote in genesis, and by no one else.</summary>
public sealed class MulticastFeeTests
{
    private static UInt256 Balance(MulticastKit kit, Address account) => kit[0].GetBalance(account, BlockSelector.Latest);

    [Fact]
    public async Task Collected_fees_are_withdrawn_by_the_fee_owner_only_and_never_beyond_what_was_collected()
    {
        var owner = MulticastKit.Accounts[1].Address;
        await using var kit = new MulticastKit(chains: 2, feeOwner: owner);
        var channel = kit.CreateChannel(kit[0]);
        Assert.True(kit.Subscribe(kit[1], channel, kit.Deploy(kit[1], "MulticastSubscriber")).Success);
        kit.Drain();
        var fee = kit.Quote(kit[0], channel, 32);
        Assert.False(fee.IsZero);
        kit.Publish(kit[0], channel, MulticastKit.CallMessage(1));
        kit.Drain();
        Assert.Equal(fee, Balance(kit, MulticastPredeploys.Multicaster));
        Assert.Equal(owner, Address.FromUInt256(kit.Word(kit[0], MulticastPredeploys.Multicaster, "feeOwner()")));

        var recipient = MulticastKit.Accounts[3].Address;
        string Withdraw(int account, UInt256 amount) =>
            kit.Refusal(kit[0], account, MulticastPredeploys.Multicaster, Abi.Call("withdrawFees(address,uint256)", recipient, amount));
        Assert.Equal("Multicaster: only the fee owner withdraws", Withdraw(2, fee));
        Assert.Equal($"Multicaster: withdrawal of {fee + UInt256.One} wei exceeds the {fee} wei collected", Withdraw(1, fee + UInt256.One));
        Assert.Equal("Multicaster: only the fee owner withdraws",
            kit.Refusal(kit[0], 2, MulticastPredeploys.Multicaster, Abi.Call("setFeeOwner(address)", MulticastKit.Accounts[2].Address)));
        Assert.Equal(fee, Balance(kit, MulticastPredeploys.Multicaster));

        var before = Balance(kit, recipient);
        Assert.True(kit.Send(kit[0], 1, MulticastPredeploys.Multicaster, Abi.Call("withdrawFees(address,uint256)", recipient, fee)).Success);
        Assert.Equal(before + fee, Balance(kit, recipient));
        Assert.True(Balance(kit, MulticastPredeploys.Multicaster).IsZero);

        // The owner hands over; the old owner is refused from then on.
        Assert.True(kit.Send(kit[0], 1, MulticastPredeploys.Multicaster, Abi.Call("setFeeOwner(address)", MulticastKit.Accounts[2].Address)).Success);
        Assert.Equal("Multicaster: only the fee owner withdraws", Withdraw(1, UInt256.Zero));
    }

    [Fact]
    public async Task Without_a_fee_owner_no_one_withdraws_and_the_reason_says_so()
    {
        await using var kit = new MulticastKit(chains: 2);
        Assert.Equal("Multicaster: no fee owner is set (the node's multicast fee owner)",
            kit.Refusal(kit[0], 0, MulticastPredeploys.Multicaster, Abi.Call("withdrawFees(address,uint256)", MulticastKit.Accounts[0].Address, 0UL)));
    }
}
