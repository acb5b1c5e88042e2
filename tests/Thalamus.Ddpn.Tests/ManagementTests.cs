using Thalamus.Tests;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Xunit.Abstractions;
using static Thalamus.Ddpn.Tests.DdpnTestKit;

namespace Thalamus.Ddpn.Tests;

/// <summary>
/// The management units hold the same order book, payments, Pythia validators and chain profiles on every chain after every slot;
/// payments are escrowed in an ERC-20 (a plain OpenZeppelin token standing in for Hermes) on the chain where they were paid.
/// </summary>
public sealed partial class ManagementTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Accounts: 0 holds the token, 1 the client, 2 and 3 strategists, 4-6 honest Pythias, 7 a dishonest Pythia with the largest stake.
    private const int Client = 1, Strategist = 2, Rival = 3, Dishonest = 7;

    private static readonly UInt256 ClientFunds = new(50_000_000);

    /// <summary>Everything a management unit holds that the tests touch, as bytes.</summary>
    private static string Snapshot(MemberChain chain, Hash256 offer)
    {
        var parts = new List<byte[]>
        {
            ManagementView(chain, Abi.EncodeCall(ManagementUnit.Digest)), ManagementView(chain, Abi.EncodeCall(ManagementUnit.GetOffer, offer)),
            ManagementView(chain, Abi.EncodeCall(ManagementUnit.DrawnOf, offer)), ManagementView(chain, Abi.EncodeCall(ManagementUnit.PayoutLength)),
        };
        foreach (var account in Accounts)
        {
            parts.Add(ManagementView(chain, Abi.EncodeCall(ManagementUnit.BalanceOf, account.Address)));
            parts.Add(ManagementView(chain, Abi.EncodeCall(ManagementUnit.StakeOf, account.Address)));
            parts.Add(ManagementView(chain, Abi.EncodeCall(ManagementUnit.ReliabilityOf, account.Address)));
        }
        foreach (var id in new ulong[] { 901, 902, 903 }) parts.Add(ManagementView(chain, Abi.EncodeCall(ManagementUnit.GetProfile, id)));
        return string.Join("|", parts.Select(Convert.ToHexString));
    }

    private static ulong Reliability(MemberChain chain, int account) =>
        new AbiReader(ManagementView(chain, Abi.EncodeCall(ManagementUnit.ReliabilityOf, Accounts[account].Address))).UInt64(0);

    private static DdpnTestKit ThreeChains(ManualTimeProvider clock, DdpnOptions? options = null) =>
        new([.. Enumerable.Range(0, 3).Select(i => new ClusterChainOptions { ChainId = 901 + (ulong)i, BlockTime = TimeSpan.FromSeconds(1) })], time: clock, options: options);

    /// <summary>The token on chain 901, funds for the client and the Pythias, approvals for the escrow.</summary>
    private static async Task FundAccounts(Func<(int Chain, int Account, Address? To, byte[] Data)[], Task<List<TransactionReceipt>>> tick, UInt256[] stakes)
    {
        await tick([(0, 0, null, TokenCreation())]);
        var transfers = new List<(int, int, Address?, byte[])> { (0, 0, Token, TokenTransfer(Accounts[Client].Address, ClientFunds)) };
        for (var p = 0; p < stakes.Length; p++) transfers.Add((0, 0, Token, TokenTransfer(Accounts[4 + p].Address, stakes[p])));
        await tick([.. transfers]);
        var approvals = new List<(int, int, Address?, byte[])> { (0, Client, Token, ApproveEscrow(ClientFunds)) };
        for (var p = 0; p < stakes.Length; p++) approvals.Add((0, 4 + p, Token, ApproveEscrow(stakes[p])));
        await tick([.. approvals]);
    }

    [Fact]
    public async Task A_dishonest_pythia_loses_reliability_the_honest_strategist_is_paid_and_every_chain_holds_the_same_state_after_every_slot()
    {
        var clock = new ManualTimeProvider(Start);
        await using var kit = ThreeChains(clock);
        kit.Cluster.Start();
        var chains = kit.Cluster.Chains;
        var a = chains[0];
        // Chain 901's outbox: 0-3 = the stakes, 4 = the offer.
        var offer = ManagementUnit.OfferId(901, 4);
        var slots = new OfferSlots(kit, clock, offer);
        var snapshots = slots.Snapshots;
        Task<List<TransactionReceipt>> Tick(params (int Chain, int Account, Address? To, byte[] Data)[] sends) => slots.Tick(sends);
        UInt256[] stakes = [new(1_000), new(1_200), new(1_500), new(40_000)];

        await FundAccounts(Tick, stakes);
        await Tick([.. stakes.Select((s, p) => (0, 4 + p, (Address?)DdpnAddresses.Escrow, EscrowStake(s)))]);
        var maxCost = new UInt256(10_000_000);
        await Tick((0, Client, DdpnAddresses.Escrow, EscrowPostOffer([3_000_000, 1_000_000], [901, 902, 903], maxCost, 800_000)));
        Assert.Equal(ClientFunds - maxCost, TokenBalance(a, Accounts[Client].Address));
        await Tick();
        Assert.All(Enumerable.Range(4, 4), p => Assert.Equal(ManagementUnit.InitialReliability, Reliability(a, p)));
        // Two strategies: both valid, the faster wins (alpha 0.8); a third naming an unknown chain is refused where it is sent.
        Assert.Equal($"DDPN: strategy for offer {offer} rejected: segment 1: unknown chain 999",
            ReasonFrom(chains[1], Rival, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(999UL, 902UL))));
        // The strategist's operation comes first in the global order (chain 902 before 903); the rival's, no better, does not displace it.
        await Tick((1, Strategist, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(901UL, 902UL))),
            (2, Rival, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(901UL, 901UL))));
        await Tick();
        Assert.Equal($"DDPN: only the client {Accounts[Client].Address} closes offer {offer}",
            ReasonFrom(a, Rival, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, offer)));
        await Tick((1, Client, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, offer)));
        await Tick();

        // Three of the four Pythias are drawn (stake 40%, prevrandao 20%, reliability 40%): the dishonest one's stake makes it certain.
        var drawnReader = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.DrawnOf, offer))).Array(0, out var drawnCount);
        var drawn = new Address[drawnCount];
        for (var i = 0; i < drawnCount; i++) drawn[i] = drawnReader.Address(i);
        Assert.Equal(ManagementUnit.PythiaDrawSize, drawn.Length);
        Assert.Contains(Accounts[Dishonest].Address, drawn);
        var voters = drawn.Select(d => Enumerable.Range(0, Accounts.Count).Single(i => Accounts[i].Address == d)).ToArray();
        var outsider = Enumerable.Range(4, 4).Single(p => !voters.Contains(p));
        Assert.Equal($"DDPN: {Accounts[outsider].Address} is not a Pythia drawn for offer {offer}",
            ReasonFrom(a, outsider, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Vote, offer, true)));
        // The honest ones check the strategy and find it valid; the dishonest one says it is not. Votes come on different chains.
        await Tick([.. voters.Select((v, i) => (i, v, (Address?)DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Vote, offer, v != Dishonest)))]);
        await Tick();
        await Tick();

        var closed = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.GetOffer, offer)));
        Assert.Equal(ManagementUnit.StatusClosed, closed.UInt64(0));
        Assert.Equal(Accounts[Strategist].Address, closed.Address(4));
        Assert.Equal(2UL, closed.UInt64(7));
        var cost = new UInt256(closed.UInt64(6));
        Assert.True(!cost.IsZero && cost <= maxCost, $"{cost}");
        Assert.True(Reliability(a, Dishonest) < ManagementUnit.InitialReliability);
        Assert.All(voters.Where(v => v != Dishonest), v => Assert.True(Reliability(a, v) > ManagementUnit.InitialReliability));
        Assert.Equal(ManagementUnit.InitialReliability, Reliability(a, outsider));
        // Paid in the token, to the wei: the strategist its strategy's cost, the client the rest of its escrow; the stakes stay in escrow.
        Assert.Equal(cost, TokenBalance(a, Accounts[Strategist].Address));
        Assert.Equal(ClientFunds - cost, TokenBalance(a, Accounts[Client].Address));
        Assert.Equal(stakes.Aggregate(UInt256.Zero, (x, y) => x + y), TokenBalance(a, DdpnAddresses.Escrow));
        Assert.True(snapshots.Distinct().Count() > 5);
        output.WriteLine($"{snapshots.Count} slots compared; {kit.Module.Queue.Count} operations in the global order; paid {cost}; " +
            $"reliability: dishonest {Reliability(a, Dishonest)}, honest {string.Join(", ", voters.Where(v => v != Dishonest).Select(v => Reliability(a, v)))}");
    }

    /// <summary>One offer followed slot by slot: each <see cref="Tick"/> sends, lets every chain seal once, asserts every send succeeded, and keeps the management state every chain agreed on.</summary>
    private sealed class OfferSlots(DdpnTestKit kit, ManualTimeProvider clock, Hash256 offer)
    {
        public List<string> Snapshots { get; } = [];

        public async Task<List<TransactionReceipt>> Tick((int Chain, int Account, Address? To, byte[] Data)[] sends)
        {
            var receipts = await TickAll(kit, clock, offer, Snapshots, sends);
            Assert.All(receipts, r => Assert.True(r.Success));
            return receipts;
        }
    }

    /// <summary>Sends, lets one block interval pass (every chain seals), and checks that every chain holds the same management state.</summary>
    private static async Task<List<TransactionReceipt>> TickAll(DdpnTestKit kit, ManualTimeProvider clock, Hash256 offer, List<string> snapshots,
        params (int Chain, int Account, Address? To, byte[] Data)[] sends)
    {
        var chains = kit.Cluster.Chains;
        var heads = chains.Select(c => c.Head.Number).ToArray();
        var hashes = sends.Select(s => (chains[s.Chain], chains[s.Chain].SendTransaction(DevTransactions.Sign(chains[s.Chain], Accounts[s.Account], s.To, s.Data, 3_000_000)))).ToList();
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
    public async Task Bad_offers_strategies_and_closes_revert_with_their_reasons_and_the_client_gets_its_tokens_back_to_the_wei()
    {
        var clock = new ManualTimeProvider(Start);
        await using var kit = ThreeChains(clock);
        kit.Cluster.Start();
        var (a, b) = (kit.Cluster.Chains[0], kit.Cluster.Chains[1]);
        // Chain 901's outbox: 0 = the offer (the refused one never queued).
        var offer = ManagementUnit.OfferId(901, 0);
        var slots = new OfferSlots(kit, clock, offer);
        var snapshots = slots.Snapshots;
        Task<List<TransactionReceipt>> Tick(params (int Chain, int Account, Address? To, byte[] Data)[] sends) => slots.Tick(sends);
        await FundAccounts(Tick, []);

        // Refused where they are sent: the escrow's transferFrom and the queued operation are one transaction, so nothing moves.
        Assert.Equal("DDPN: an offer has 1 to 256 segments, not 0", ReasonFrom(a, Client, DdpnAddresses.Escrow, EscrowPostOffer([], [901], new(1_000), 500_000)));
        Assert.Equal("DDPN: alpha is in millionths, at most 1000000, not 1000001", ReasonFrom(a, Client, DdpnAddresses.Escrow, EscrowPostOffer([5], [901], new(1_000), 1_000_001)));
        Assert.Equal("DDPN: no payment token on chain 902", ReasonFrom(b, Client, DdpnAddresses.Escrow, EscrowPostOffer([5], [901], new(1_000), 500_000)));
        Assert.Equal($"DDPN: postOffer goes through the escrow {DdpnAddresses.Escrow}, which collects the amount in the payment token",
            ReasonFrom(a, Client, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.PostOffer, Hash256.Zero, AbiValue.Array(5UL), AbiValue.Array(901UL), 1_000UL, 0UL)));
        Assert.Equal($"DDPN: escrowed is only for the escrow {DdpnAddresses.Escrow}",
            ReasonFrom(a, Client, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Escrowed, Accounts[Client].Address, AbiValue.Bytes(EscrowStake(new(5))))));
        Assert.Equal("DDPN: pay is only for the node's system account thalamus.ddpn",
            ReasonFrom(a, Client, DdpnAddresses.Escrow, Abi.Call("pay(uint256,uint256,address[],uint256[],uint256[])", 0UL, 0UL, AbiValue.Array(), AbiValue.Array(), AbiValue.Array())));
        var refused = await TickAll(kit, clock, offer, snapshots, (0, Client, DdpnAddresses.Escrow, EscrowPostOffer([], [901], new(1_000), 500_000)));
        Assert.False(Assert.Single(refused).Success);
        Assert.Equal(ClientFunds, TokenBalance(a, Accounts[Client].Address));

        // An offer of 1,000 for 3,000,000 DLX gas: no strategy fits its cost range.
        await Tick((0, Client, DdpnAddresses.Escrow, EscrowPostOffer([3_000_000], [901, 902], new(1_000), 500_000)));
        Assert.Equal(ClientFunds - new UInt256(1_000), TokenBalance(a, Accounts[Client].Address));
        await Tick();
        var overCost = ReasonFrom(b, Strategist, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(902UL)));
        Assert.StartsWith($"DDPN: strategy for offer {offer} rejected: the strategy costs ", overCost);
        Assert.EndsWith("outside the offer's range 0..1000", overCost);
        Assert.Equal($"DDPN: strategy for offer {offer} rejected: segment 1: unknown chain 999",
            ReasonFrom(b, Strategist, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(999UL))));
        Assert.Equal($"DDPN: strategy for offer {offer} rejected: segment 1: chain 903 is not allowed by the offer",
            ReasonFrom(b, Strategist, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(903UL))));
        Assert.Equal($"DDPN: only the client {Accounts[Client].Address} closes offer {offer}",
            ReasonFrom(b, Rival, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, offer)));
        Assert.Equal($"DDPN: offer {offer} is open, not under verification",
            ReasonFrom(b, 4, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Vote, offer, true)));
        await Tick((2, Client, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, offer)));
        await Tick();
        await Tick();

        var closed = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.GetOffer, offer)));
        Assert.Equal(ManagementUnit.StatusClosed, closed.UInt64(0));
        Assert.Equal(0UL, closed.UInt64(7));
        Assert.Equal(ClientFunds, TokenBalance(a, Accounts[Client].Address));
        Assert.Equal(UInt256.Zero, TokenBalance(a, DdpnAddresses.Escrow));
        Assert.Equal($"DDPN: offer {offer} is closed", ReasonFrom(a, Client, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, offer)));
        var client = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.BalanceOf, Accounts[Client].Address)));
        Assert.Equal((new UInt256(1_000), UInt256.Zero), (client.Word(0), client.Word(1)));
        // applyOps is the node's alone.
        Assert.Equal("DDPN: applyOps is only for the node's system account thalamus.ddpn",
            ReasonFrom(a, 0, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ApplyOps, 0UL, AbiValue.Array())));
    }

    [Fact]
    public async Task Every_function_of_the_Solidity_interface_IDdpnManagement_is_one_the_management_unit_knows()
    {
        await using var kit = new DdpnTestKit([new ClusterChainOptions { ChainId = 901 }]);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "artifacts", "IDdpnManagement.json")));
        var functions = json.RootElement.GetProperty("abi").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "function").ToArray();
        Assert.True(functions.Length >= 10);
        foreach (var function in functions)
        {
            var types = function.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("type").GetString()).ToArray();
            var signature = $"{function.GetProperty("name").GetString()}({string.Join(",", types)})";
            // Zero words for every argument: a known function may refuse them, but never as an unknown selector.
            var reason = ReasonFrom(kit[0], 1, DdpnAddresses.Management, [.. Abi.Selector(signature).ToArray(), .. new byte[32 * types.Length]]) ?? "";
            Assert.DoesNotContain("unknown function selector", reason, StringComparison.Ordinal);
        }
    }
}
