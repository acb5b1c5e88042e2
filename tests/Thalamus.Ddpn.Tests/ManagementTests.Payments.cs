using System.Numerics;
using Thalamus.Chain;
using Thalamus.Core;
using static Thalamus.Ddpn.Tests.DdpnTestKit;

namespace Thalamus.Ddpn.Tests;

/// <summary>Who is paid for an offer (the strategist and the chains that run its segments) and the Pythias' vote timeout.</summary>
public sealed partial class ManagementTests
{
    private static readonly Address PayeeA = Address.Parse("0x00000000000000000000000000000000000c0901"), PayeeB = Address.Parse("0x00000000000000000000000000000000000c0902");

    private static Address[] DrawnFor(MemberChain chain, Hash256 offer)
    {
        var reader = new AbiReader(ManagementView(chain, Abi.EncodeCall(ManagementUnit.DrawnOf, offer))).Array(0, out var count);
        var drawn = new Address[count];
        for (var i = 0; i < count; i++) drawn[i] = reader.Address(i);
        return drawn;
    }

    private static ulong OfferStatus(MemberChain chain, Hash256 offer) => new AbiReader(ManagementView(chain, Abi.EncodeCall(ManagementUnit.GetOffer, offer))).UInt64(0);

    private static UInt256 Earnings(MemberChain chain, ulong chainId) => new AbiReader(ManagementView(chain, Abi.EncodeCall(ManagementUnit.EarningsOf, chainId))).Word(0);

    [Fact]
    public async Task The_payment_is_split_between_the_strategist_and_the_chains_that_ran_the_segments_by_their_DLX_gas_exactly_to_the_wei()
    {
        var clock = new ManualTimeProvider(Start);
        // 30% to the chains; chain 903 has no payee, so it takes no share.
        var options = new DdpnOptions { PaymentToken = Token, ChainSharePpm = 300_000, ChainPayees = new Dictionary<ulong, Address> { [901] = PayeeA, [902] = PayeeB } };
        await using var kit = ThreeChains(clock, options);
        kit.Cluster.Start();
        var chains = kit.Cluster.Chains;
        var a = chains[0];
        var offer = ManagementUnit.OfferId(901, 0);
        var slots = new OfferSlots(kit, clock, offer);
        var snapshots = slots.Snapshots;
        Task<List<TransactionReceipt>> Tick(params (int Chain, int Account, Address? To, byte[] Data)[] sends) => slots.Tick(sends);
        await FundAccounts(Tick, []);

        ulong[] segments = [3_000_007, 1_000_003, 499_999, 250_001];
        ulong[] placement = [901, 902, 902, 903];
        var maxCost = new UInt256(40_000_000);
        await Tick((0, Client, DdpnAddresses.Escrow, EscrowPostOffer(segments, [901, 902, 903], maxCost, 500_000)));
        await Tick();
        await Tick((1, Strategist, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array([.. placement.Select(c => (AbiValue)c)]))));
        await Tick();
        var placed = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.PlacementOf, offer))).Array(0, out var placedCount);
        var stored = new ulong[placedCount];
        for (var i = 0; i < placedCount; i++) stored[i] = placed.UInt64(i);
        Assert.Equal(placement, stored);
        // No Pythia registered: the close pays on the node's validation.
        await Tick((2, Client, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, offer)));
        await Tick();
        await Tick();
        Assert.Equal(ManagementUnit.StatusClosed, OfferStatus(a, offer));

        // The split by the documented rule, recomputed here in integers: pool = floor(cost x 0.3); each paid chain floor(pool x its gas / all gas).
        var cost = new BigInteger(new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.GetOffer, offer))).UInt64(6));
        Assert.True(cost > 0);
        var pool = cost * 300_000 / 1_000_000;
        var allGas = new BigInteger(segments.Aggregate(0UL, (x, y) => x + y));
        var toA = pool * segments[0] / allGas;
        var toB = pool * (segments[1] + segments[2]) / allGas;
        var toStrategist = cost - toA - toB;
        Assert.True(toA > 0 && toB > 0 && toStrategist > cost / 2, $"{toA} {toB} {toStrategist}");
        Assert.Equal(UInt256.FromBigInteger(toA), TokenBalance(a, PayeeA));
        Assert.Equal(UInt256.FromBigInteger(toB), TokenBalance(a, PayeeB));
        Assert.Equal(UInt256.FromBigInteger(toStrategist), TokenBalance(a, Accounts[Strategist].Address));
        Assert.Equal(ClientFunds - UInt256.FromBigInteger(cost), TokenBalance(a, Accounts[Client].Address));
        // Every token unit accounted for: the escrow is empty and the parts add up to the payment.
        Assert.Equal(UInt256.Zero, TokenBalance(a, DdpnAddresses.Escrow));
        Assert.Equal(UInt256.FromBigInteger(cost), TokenBalance(a, PayeeA) + TokenBalance(a, PayeeB) + TokenBalance(a, Accounts[Strategist].Address));
        // The same decision on every chain: each chain's earnings, and chain 903 (no payee) none.
        foreach (var chain in chains)
        {
            Assert.Equal(UInt256.FromBigInteger(toA), Earnings(chain, 901));
            Assert.Equal(UInt256.FromBigInteger(toB), Earnings(chain, 902));
            Assert.Equal(UInt256.Zero, Earnings(chain, 903));
        }
        // ddpn_getOffer shows the placement that shared the payment.
        using var rpc = new Thalamus.Rpc.RpcDispatcher(new Thalamus.Rpc.MemberChainBackend(chains[2]), new Thalamus.Rpc.RpcServerOptions { Methods = kit.Cluster.RpcMethods });
        var record = Thalamus.Rpc.Tests.RpcTestClient.Result(rpc, "ddpn_getOffer", $"[903, \"{offer}\"]");
        Assert.Equal(placement, record.GetProperty("placement").EnumerateArray().Select(e => Convert.ToUInt64(e.GetString(), 16)));
                output.WriteLine($"cost {cost}: strategist {toStrategist}, chain 901 {toA}, chain 902 {toB}; {snapshots.Count} slots compared");
    }

    [Fact]
    public async Task A_silent_pythia_loses_reliability_at_the_vote_timeout_and_the_verdict_comes_from_the_votes_cast()
    {
        var clock = new ManualTimeProvider(Start);
        const ulong timeout = 4;
        await using var kit = ThreeChains(clock, new DdpnOptions { PaymentToken = Token, VoteTimeoutSlots = timeout });
        kit.Cluster.Start();
        var chains = kit.Cluster.Chains;
        var a = chains[0];
        // Chain 901's outbox: 0-3 = the stakes, 4 = the offer.
        var offer = ManagementUnit.OfferId(901, 4);
        var slots = new OfferSlots(kit, clock, offer);
        Task<List<TransactionReceipt>> Tick(params (int Chain, int Account, Address? To, byte[] Data)[] sends) => slots.Tick(sends);
        UInt256[] stakes = [new(1_000), new(1_100), new(1_200), new(1_300)];
        await FundAccounts(Tick, stakes);
        await Tick([.. stakes.Select((s, p) => (0, 4 + p, (Address?)DdpnAddresses.Escrow, EscrowStake(s)))]);
        var maxCost = new UInt256(10_000_000);
        await Tick((0, Client, DdpnAddresses.Escrow, EscrowPostOffer([2_000_000], [901, 902], maxCost, 500_000)));
        await Tick();
        await Tick((1, Strategist, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(902UL))));
        await Tick();
        await Tick((0, Client, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, offer)));
        await Tick();

        var drawn = DrawnFor(a, offer);
        Assert.Equal(ManagementUnit.PythiaDrawSize, drawn.Length);
        var voters = drawn.Select(d => Enumerable.Range(0, Accounts.Count).Single(i => Accounts[i].Address == d)).ToArray();
        var silent = voters[^1];
        var outsider = Enumerable.Range(4, 4).Single(p => !voters.Contains(p));
        // Two of the three vote (valid); the third never does.
        await Tick((0, voters[0], DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Vote, offer, true)),
            (1, voters[1], DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Vote, offer, true)));
        await Tick();
        Assert.Equal(ManagementUnit.StatusVerifying, OfferStatus(a, offer));
        Assert.Equal(UInt256.Zero, TokenBalance(a, Accounts[Strategist].Address));
        var waited = 0;
        while (OfferStatus(a, offer) == ManagementUnit.StatusVerifying)
        {
            Assert.True(++waited <= (int)timeout + 2, $"still under verification {waited} slots later");
            await Tick();
        }
        await Tick();

        // The silent Pythia lost reliability as a disagreeing one; the two who voted agreed with the verdict of the votes cast (valid).
        Assert.Equal(ManagementUnit.InitialReliability - 50_000, Reliability(a, silent));
        Assert.All(voters[..2], v => Assert.Equal(ManagementUnit.InitialReliability + 50_000, Reliability(a, v)));
        Assert.Equal(ManagementUnit.InitialReliability, Reliability(a, outsider));
        var closed = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.GetOffer, offer)));
        Assert.Equal(ManagementUnit.StatusClosed, closed.UInt64(0));
        Assert.Equal(2UL, closed.UInt64(9));
        var cost = new UInt256(closed.UInt64(6));
        // Default share: half to the chains, but no chain has a payee here, so the strategist gets the whole cost.
        Assert.Equal(cost, TokenBalance(a, Accounts[Strategist].Address));
        Assert.Equal(ClientFunds - cost, TokenBalance(a, Accounts[Client].Address));
        // A vote after the timeout is refused: the offer is closed.
        Assert.Equal($"DDPN: offer {offer} is closed", ReasonFrom(chains[2], silent, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Vote, offer, true)));
        output.WriteLine($"closed {waited} slots after the votes; silent {Reliability(a, silent)}, voters {Reliability(a, voters[0])}, {Reliability(a, voters[1])}");
    }

    [Fact]
    public async Task Below_the_quorum_at_the_vote_timeout_there_is_no_verdict_and_the_client_gets_its_whole_escrow_back()
    {
        var clock = new ManualTimeProvider(Start);
        await using var kit = ThreeChains(clock, new DdpnOptions { PaymentToken = Token, VoteTimeoutSlots = 3 });
        kit.Cluster.Start();
        var a = kit.Cluster.Chains[0];
        var offer = ManagementUnit.OfferId(901, 3);
        var slots = new OfferSlots(kit, clock, offer);
        Task<List<TransactionReceipt>> Tick(params (int Chain, int Account, Address? To, byte[] Data)[] sends) => slots.Tick(sends);
        UInt256[] stakes = [new(1_000), new(1_000), new(1_000)];
        await FundAccounts(Tick, stakes);
        await Tick([.. stakes.Select((s, p) => (0, 4 + p, (Address?)DdpnAddresses.Escrow, EscrowStake(s)))]);
        await Tick((0, Client, DdpnAddresses.Escrow, EscrowPostOffer([2_000_000], [901], new UInt256(10_000_000), 500_000)));
        await Tick();
        await Tick((2, Strategist, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(901UL))));
        await Tick();
        await Tick((0, Client, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, offer)));
        await Tick();
        var drawn = DrawnFor(a, offer);
        Assert.Equal(3, drawn.Length);
        var voter = Enumerable.Range(0, Accounts.Count).Single(i => Accounts[i].Address == drawn[0]);
        // One vote of three: not a quorum.
        await Tick((1, voter, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Vote, offer, true)));
        for (var i = 0; i < 8 && OfferStatus(a, offer) == ManagementUnit.StatusVerifying; i++) await Tick();
        await Tick();

        Assert.Equal(ManagementUnit.StatusClosed, OfferStatus(a, offer));
        Assert.Equal(ClientFunds, TokenBalance(a, Accounts[Client].Address));
        Assert.Equal(UInt256.Zero, TokenBalance(a, Accounts[Strategist].Address));
        // The two silent ones lost reliability; the one who voted kept its own (no verdict to agree with).
        Assert.Equal(ManagementUnit.InitialReliability, Reliability(a, voter));
        Assert.All(drawn[1..], d => Assert.Equal(ManagementUnit.InitialReliability - 50_000,
            new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.ReliabilityOf, d))).UInt64(0)));
    }
}
