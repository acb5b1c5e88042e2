using Thalamus.Tests;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Xunit.Abstractions;
using static Thalamus.Ddpn.Tests.DdpnTestKit;

namespace Thalamus.Ddpn.Tests;

/// <summary>The management units hold the same order book, balances and chain profiles on every chain after every slot.</summary>
public sealed class ManagementTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static byte[] ManagementView(MemberChain chain, byte[] data)
    {
        var result = chain.Call(new CallRequest { To = DdpnAddresses.Management, Data = data, Gas = 10_000_000 }, BlockSelector.Latest);
        Assert.True(result.Success, result.Error);
        return result.ReturnData;
    }

    /// <summary>Everything a management unit holds that the test touches, as bytes.</summary>
    private static string Snapshot(MemberChain chain, Hash256 offer)
    {
        var parts = new List<byte[]> { ManagementView(chain, Abi.EncodeCall(ManagementUnit.Digest)), ManagementView(chain, Abi.EncodeCall(ManagementUnit.GetOffer, offer)) };
        foreach (var account in Accounts) parts.Add(ManagementView(chain, Abi.EncodeCall(ManagementUnit.BalanceOf, account.Address)));
        foreach (var id in new ulong[] { 901, 902, 903 }) parts.Add(ManagementView(chain, Abi.EncodeCall(ManagementUnit.GetProfile, id)));
        return string.Join("|", parts.Select(Convert.ToHexString));
    }

    [Fact]
    public async Task Offers_strategies_balances_and_profiles_are_the_same_on_every_chain_after_every_slot()
    {
        var clock = new ManualTimeProvider(Start);
        await using var kit = new DdpnTestKit([.. Enumerable.Range(0, 3).Select(i => new ClusterChainOptions { ChainId = 901 + (ulong)i, BlockTime = TimeSpan.FromSeconds(1) })],
            time: clock);
        kit.Cluster.Start();
        var chains = kit.Cluster.Chains;
        // Chain 902's outbox: 0 = the fund of account 2, 1 = the offer.
        var offer = ManagementUnit.OfferId(902, 1);
        var snapshots = new List<string>();

        Task<List<TransactionReceipt>> Tick(params (int Chain, int Account, byte[] Data)[] sends) => TickAll(kit, clock, offer, snapshots, sends);

        await Tick();
        await Tick((0, 1, Abi.EncodeCall(ManagementUnit.Fund, 20_000_000UL)), (1, 2, Abi.EncodeCall(ManagementUnit.Fund, 50UL)));
        await Tick((1, 1, Abi.EncodeCall(ManagementUnit.PostOffer, Hash256.Zero, AbiValue.Array(3_000_000UL, 1_000_000UL),
            AbiValue.Array(901UL, 902UL, 903UL), 10_000_000UL, 800_000UL)));
        await Tick();
        var strategies = await Tick(
            (2, 2, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(901UL, 902UL))),
            (0, 3, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(999UL, 902UL))));
        await Tick();
        await Tick((0, 1, Abi.EncodeCall(ManagementUnit.CloseOffer, offer)));
        await Tick();
        await Tick();

        var a = chains[0];
        var digestNow = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.Digest)));
        Assert.Equal((ulong)kit.Module.Queue.Count, digestNow.UInt64(0));
        var closed = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.GetOffer, offer)));
        Assert.Equal(2UL, closed.UInt64(0));
        Assert.Equal(Accounts[1].Address, closed.Address(1));
        Assert.Equal(Accounts[2].Address, closed.Address(4));
        Assert.Equal(1UL, closed.UInt64(7)); // valid strategies: the one naming chain 999 was not
        var paid = closed.UInt64(6);
        Assert.True(paid > 0 && paid <= 10_000_000, $"{paid}");
        var client = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.BalanceOf, Accounts[1].Address)));
        Assert.Equal(20_000_000UL - paid, client.UInt64(0));
        Assert.Equal(0UL, client.UInt64(1));
        Assert.Equal(50UL + paid, new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.BalanceOf, Accounts[2].Address))).UInt64(0));
        // The strategy naming an unknown chain was rejected with its reason, on every chain.
        foreach (var chain in chains)
        {
            var rejected = chain.GetLogs(new LogFilter { Addresses = [DdpnAddresses.Management], Topics = [new[] { ManagementUnit.OperationRejected }] });
            var reason = new AbiReader(Assert.Single(rejected).Data).String(1);
            Assert.Equal($"DDPN: strategy for offer {offer} rejected: segment 1: unknown chain 999", reason);
        }
        Assert.True(snapshots.Distinct().Count() > 3);
        output.WriteLine($"{snapshots.Count} slots compared; {kit.Module.Queue.Count} operations in the global order");
    }

    /// <summary>Sends, lets one block interval pass (every chain seals), and checks that every chain holds the same management state.</summary>
    private static async Task<List<TransactionReceipt>> TickAll(DdpnTestKit kit, ManualTimeProvider clock, Hash256 offer, List<string> snapshots,
        params (int Chain, int Account, byte[] Data)[] sends)
    {
        var chains = kit.Cluster.Chains;
        var heads = chains.Select(c => c.Head.Number).ToArray();
        var hashes = sends.Select(s => (chains[s.Chain], chains[s.Chain].SendTransaction(SignTo(chains[s.Chain], s.Account, s.Data)))).ToList();
        clock.Advance(TimeSpan.FromSeconds(1));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (chains.Select((c, i) => c.Head.Number > heads[i]).Any(x => !x) || hashes.Any(h => h.Item1.GetReceipt(h.Item2) is null))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the chains did not seal");
            await Task.Delay(10);
        }
        var views = chains.Select(c => Snapshot(c, offer)).ToArray();
        Assert.All(views, v => Assert.Equal(views[0], v));
        snapshots.Add(views[0]);
        return [.. hashes.Select(h => h.Item1.GetReceipt(h.Item2)!)];
    }

    [Fact]
    public async Task An_offer_over_the_balance_a_strategy_over_the_cost_range_and_a_stranger_closing_are_rejected_and_the_client_gets_its_funds_back()
    {
        var clock = new ManualTimeProvider(Start);
        await using var kit = new DdpnTestKit([.. Enumerable.Range(0, 3).Select(i => new ClusterChainOptions { ChainId = 901 + (ulong)i, BlockTime = TimeSpan.FromSeconds(1) })],
            time: clock);
        kit.Cluster.Start();
        var a = kit.Cluster.Chains[0];
        // Chain 901's outbox: 0 = fund, 1 = an offer over the balance, 2 = an offer within it.
        var (tooBig, offer) = (ManagementUnit.OfferId(901, 1), ManagementUnit.OfferId(901, 2));
        var snapshots = new List<string>();
        Task<List<TransactionReceipt>> Tick(params (int Chain, int Account, byte[] Data)[] sends) => TickAll(kit, clock, offer, snapshots, sends);
        byte[] Post(ulong maxCost) => Abi.EncodeCall(ManagementUnit.PostOffer, Hash256.Zero, AbiValue.Array(3_000_000UL), AbiValue.Array(901UL, 902UL), maxCost, 500_000UL);

        await Tick((0, 1, Abi.EncodeCall(ManagementUnit.Fund, 1_000UL)));
        await Tick((0, 1, Post(5_000)));
        await Tick((0, 1, Post(1_000)));
        await Tick();
        // 3,000,000 DLX gas at a price of at least 1 costs more than the offer's 1,000.
        await Tick((1, 2, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(902UL))), (2, 3, Abi.EncodeCall(ManagementUnit.CloseOffer, offer)));
        await Tick((0, 1, Abi.EncodeCall(ManagementUnit.CloseOffer, offer)));
        await Tick();

        var reasons = kit.Cluster.Chains.Select(chain => chain.GetLogs(new LogFilter { Addresses = [DdpnAddresses.Management], Topics = [new[] { ManagementUnit.OperationRejected }] })
            .Select(l => new AbiReader(l.Data).String(1)).ToArray()).ToArray();
        Assert.All(reasons, r => Assert.Equal(reasons[0], r));
        Assert.Equal(3, reasons[0].Length);
        Assert.Equal("DDPN: the client holds 1000 credits, less than the offer's maximum cost 5000", reasons[0][0]);
        Assert.StartsWith($"DDPN: strategy for offer {offer} rejected: the strategy costs ", reasons[0][1]);
        Assert.EndsWith("outside the offer's range 0..1000", reasons[0][1]);
        Assert.Equal($"DDPN: only the client {Accounts[1].Address} closes offer {offer}", reasons[0][2]);
        Assert.Equal(0UL, new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.GetOffer, tooBig))).UInt64(0));
        var closed = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.GetOffer, offer)));
        Assert.Equal(2UL, closed.UInt64(0));
        Assert.Equal(0UL, closed.UInt64(7));
        var client = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.BalanceOf, Accounts[1].Address)));
        Assert.Equal((1_000UL, 0UL), (client.UInt64(0), client.UInt64(1)));
        // applyOps is the node's alone.
        var refused = a.Call(new CallRequest { From = Accounts[0].Address, To = DdpnAddresses.Management, Data = Abi.EncodeCall(ManagementUnit.ApplyOps, 0UL, AbiValue.Array()) }, BlockSelector.Latest);
        Assert.Equal("DDPN: applyOps is only for the node's system account thalamus.ddpn", Abi.DecodeRevertReason(refused.ReturnData));
    }

    private static Transaction SignTo(MemberChain chain, int account, byte[] data)
    {
        var key = Accounts[account];
        return DevTransactions.Sign(chain, key, DdpnAddresses.Management, data, 1_000_000);
    }
}
