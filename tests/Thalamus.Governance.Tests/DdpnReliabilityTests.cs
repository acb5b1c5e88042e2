using System.Numerics;
using Thalamus.Core;
using Thalamus.Ddpn;
using static Thalamus.Governance.Tests.GovernanceTestKit;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Governance.Tests;

/// <summary>
/// Where the DDPN runs, the Pythia weights of OLYMPUS and elections take reliability from its management unit (0x…51) at call
/// time, not from the node's reports; without the DDPN, the reports count (EconomyCycleTests).
/// </summary>
public sealed class DdpnReliabilityTests
{
    private const ulong Day = 24 * 3600;

    private static BigInteger Balance(GovernanceTestKit kit, int account) => kit.HermesOf(Accounts[account].Address).ToBigInteger();

    private static BigInteger Balance(GovernanceTestKit kit, Address account) => kit.HermesOf(account).ToBigInteger();

    /// <summary>The unit's reliability of an account, in millionths.</summary>
    private static UInt256 DdpnReliability(GovernanceTestKit kit, int account) =>
        kit.Word(DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ReliabilityOf, Accounts[account].Address));

    /// <summary>Stakes in the DDPN through its escrow (in Hermes, the DDPN's payment token) and lets the node apply the operation on every chain.</summary>
    private static void StakeInDdpn(GovernanceTestKit kit, int account)
    {
        var amount = Tokens(1_000);
        kit.Send(account, G.Hermes, Abi.Call("approve(address,uint256)", DdpnAddresses.Escrow, amount));
        kit.Send(account, DdpnAddresses.Escrow, Abi.Call("stake(uint256)", amount), gas: 1_000_000);
        // The operation is queued at this block's slot and applied in a later block (a few blocks at most).
        for (var i = 0; i < 4 && DdpnReliability(kit, account).IsZero; i++) kit.Send(9, Accounts[8].Address, [], gas: 21_000);
        Assert.Equal(new UInt256(ManagementUnit.InitialReliability), DdpnReliability(kit, account));
    }

    /// <summary>Pays OLYMPUS's balance out at its due time and checks every part against the rule with the reliabilities given; returns the Pythians' amounts.</summary>
    private static BigInteger[] PayOut(GovernanceTestKit kit, (int Account, BigInteger Stake, BigInteger ReliabilityBps)[] pythians)
    {
        kit.Home.SetNextBlockTimestamp((ulong)kit.Word(G.Olympus, Abi.Call("nextPayout()")));
        var total = Balance(kit, G.Olympus);
        var before = pythians.Select(p => Balance(kit, p.Account)).ToArray();
        var agoraBefore = Balance(kit, G.Timelock);
        kit.Send(9, G.Olympus, Abi.Call("distribute()"));
        var share = total * 75 / 100;
        var grants = total * 15 / 100;
        var weights = pythians.Select(p => p.Stake * p.ReliabilityBps).ToArray();
        var sum = weights.Aggregate(BigInteger.Zero, (a, b) => a + b);
        var last = Array.FindLastIndex(weights, w => w > 0);
        BigInteger paid = 0;
        var amounts = new BigInteger[pythians.Length];
        for (var i = 0; i < pythians.Length; i++)
        {
            amounts[i] = weights[i] == 0 ? 0 : i == last ? share - paid : share * weights[i] / sum;
            paid += amounts[i];
            Assert.Equal(before[i] + amounts[i], Balance(kit, pythians[i].Account));
        }
        Assert.Equal(agoraBefore + (total - paid - grants), Balance(kit, G.Timelock));
        Assert.Equal(BigInteger.Zero, Balance(kit, G.Olympus));
        return amounts;
    }

    [Fact]
    public async Task A_pythia_whose_ddpn_reliability_changes_gets_the_changed_weight_in_the_next_olympus_payout_exact_to_the_wei()
    {
        await using var kit = new GovernanceTestKit(otherModules: [new DdpnModule(new DdpnOptions { PaymentToken = G.Hermes })]);
        kit.StakeEveryone();
        foreach (var pythia in new[] { 1, 2, 3 }) kit.Send(pythia, G.Staking, Abi.Call("registerPythia()"));
        // The node reports reliabilities too; with the DDPN running they are not what counts.
        kit.Module.ReportPythia(Accounts[1].Address, 7 * (uint)Day, 9_000);
        kit.Module.ReportPythia(Accounts[2].Address, 7 * (uint)Day, 7_000);
        kit.Module.ReportPythia(Accounts[3].Address, 7 * (uint)Day, 10_000);
        StakeInDdpn(kit, 1);
        StakeInDdpn(kit, 2);
        // Pythia 3 is no DDPN validator yet: reliability 0 from the DDPN, whatever the node reported.
        var ddpnBps = (BigInteger)(ulong)DdpnReliability(kit, 1) / 100;
        var three = new AbiReader(kit.View(G.Staking, Abi.Call("reliabilityOf(address)", Accounts[3].Address)));
        Assert.Equal((0UL, true), (three.UInt64(0), three.Bool(1)));
        var one = new AbiReader(kit.View(G.Staking, Abi.Call("pythia(address)", Accounts[1].Address)));
        Assert.Equal((ulong)ddpnBps, one.UInt64(2));
        Assert.Equal(7 * Day, one.UInt64(1));

        kit.Send(9, G.Olympus, Abi.Call("distribute()"));
        kit.Send(5, G.Hermes, Abi.Call("transfer(address,uint256)", G.Olympus, Tokens(1_000_003) + new UInt256(7)));
        var first = PayOut(kit, [(1, 2_000_000, ddpnBps), (2, 500_000, ddpnBps), (3, 500_000, 0)]);
        Assert.Equal(BigInteger.Zero, first[2]);

        // Pythia 3 joins the DDPN's validators: its reliability there changes from 0 to the initial 0.5, and the next payout weighs it so.
        StakeInDdpn(kit, 3);
        three = new AbiReader(kit.View(G.Staking, Abi.Call("reliabilityOf(address)", Accounts[3].Address)));
        Assert.Equal(((ulong)ddpnBps, true), (three.UInt64(0), three.Bool(1)));
        kit.Send(6, G.Hermes, Abi.Call("transfer(address,uint256)", G.Olympus, Tokens(12_345) + UInt256.One));
        var second = PayOut(kit, [(1, 2_000_000, ddpnBps), (2, 500_000, ddpnBps), (3, 500_000, ddpnBps)]);
        Assert.True(second[2] > 0);
    }

    /// <summary>A unit view on the home chain.</summary>
    private static AbiReader Unit(GovernanceTestKit kit, byte[] call) => new(kit.View(DdpnAddresses.Management, call));

    /// <summary>Blocks on the home chain until <paramref name="done"/> holds (the node applies queued DDPN operations a block or two later).</summary>
    private static void Until(GovernanceTestKit kit, Func<bool> done, string what)
    {
        for (var i = 0; i < 6 && !done(); i++) kit.Send(9, Accounts[8].Address, [], gas: 21_000);
        Assert.True(done(), what);
    }

    [Fact]
    public async Task A_pythia_outvoted_in_a_ddpn_verdict_loses_weight_in_the_next_olympus_payout_and_the_honest_ones_gain_exact_to_the_wei()
    {
        await using var kit = new GovernanceTestKit(otherModules: [new DdpnModule(new DdpnOptions { PaymentToken = G.Hermes })]);
        kit.StakeEveryone();
        foreach (var pythia in new[] { 1, 2, 3 })
        {
            kit.Send(pythia, G.Staking, Abi.Call("registerPythia()"));
            StakeInDdpn(kit, pythia);
        }

        // A DDPN job: client 9's offer, strategist 5's strategy, then the close draws the three Pythias, who vote.
        const int Client = 9, Strategist = 5;
        var offer = ManagementUnit.OfferId(HomeId, Unit(kit, Abi.EncodeCall(ManagementUnit.OutboxLength)).UInt64(0));
        var maxCost = new UInt256(10_000_000);
        kit.Send(Client, G.Hermes, Abi.Call("approve(address,uint256)", DdpnAddresses.Escrow, maxCost));
        kit.Send(Client, DdpnAddresses.Escrow, Abi.Call("postOffer(bytes32,uint256[],uint256[],uint256,uint256)", Hash256.Zero,
            AbiValue.Array(3_000_000UL, 1_000_000UL), AbiValue.Array(901UL, 902UL), maxCost, 800_000UL), gas: 1_000_000);
        Until(kit, () => Unit(kit, Abi.EncodeCall(ManagementUnit.GetOffer, offer)).UInt64(0) == ManagementUnit.StatusOpen, "the offer is open");
        kit.Send(Strategist, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(901UL, 902UL)), gas: 1_000_000);
        Until(kit, () => Unit(kit, Abi.EncodeCall(ManagementUnit.GetOffer, offer)).Address(4) == Accounts[Strategist].Address, "the strategy is the best");
        kit.Send(Client, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, offer), gas: 1_000_000);
        Until(kit, () => Unit(kit, Abi.EncodeCall(ManagementUnit.GetOffer, offer)).UInt64(0) == ManagementUnit.StatusVerifying, "the offer is under verification");
        // Pythia 3 calls the valid strategy invalid; 1 and 2 find it valid.
        foreach (var pythia in new[] { 1, 2, 3 })
            kit.Send(pythia, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Vote, offer, pythia != 3), gas: 1_000_000);
        Until(kit, () => Unit(kit, Abi.EncodeCall(ManagementUnit.GetOffer, offer)).UInt64(0) == ManagementUnit.StatusClosed, "the verdict closed the offer");

        var millionths = new[] { 1, 2, 3 }.Select(p => (ulong)DdpnReliability(kit, p)).ToArray();
        Assert.True(millionths[0] > ManagementUnit.InitialReliability && millionths[1] > ManagementUnit.InitialReliability, string.Join(",", millionths));
        Assert.True(millionths[2] < ManagementUnit.InitialReliability, string.Join(",", millionths));
        var bps = millionths.Select(m => (BigInteger)(m / 100)).ToArray();
        Assert.Equal((ulong)bps[2], new AbiReader(kit.View(G.Staking, Abi.Call("pythia(address)", Accounts[3].Address))).UInt64(2));

        kit.Send(9, G.Olympus, Abi.Call("distribute()"));
        kit.Send(5, G.Hermes, Abi.Call("transfer(address,uint256)", G.Olympus, Tokens(1_000_003) + new UInt256(7)));
        PayOut(kit, [(1, 2_000_000, bps[0]), (2, 500_000, bps[1]), (3, 500_000, bps[2])]);
    }
}
