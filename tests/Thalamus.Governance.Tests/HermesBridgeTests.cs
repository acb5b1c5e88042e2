using System.Numerics;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Cluster.Replay;
using Thalamus.Core;
using Thalamus.Ddpn;
using Thalamus.Tests;
using static Thalamus.Governance.Tests.GovernanceTestKit;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Governance.Tests;

/// <summary>
/// Hermes is an ERC-7802 cluster token: the ClusterTokenBridge (0x…28) burns it on the origin chain and mints it on
/// the destination; nothing else mints across chains, and the supply summed over every chain moves only by staking.
/// </summary>
public sealed class HermesBridgeTests
{
    private static readonly Address Bridge = ClusterPredeploys.TokenBridge;

    /// <summary>type(IERC7802).interfaceId = crosschainMint ^ crosschainBurn, as the word bytes4 encodes to (left-aligned).</summary>
    private static readonly UInt256 Erc7802InterfaceId = InterfaceId(
        Abi.Selector("crosschainMint(address,uint256)").Value ^ Abi.Selector("crosschainBurn(address,uint256)").Value);

    private static UInt256 InterfaceId(uint id)
    {
        var word = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(word, id);
        return UInt256.FromBigEndian(word);
    }

    private static UInt256 Word(MemberChain chain, Address to, byte[] data)
    {
        var result = chain.Call(new CallRequest { To = to, Data = data, Gas = 5_000_000 }, BlockSelector.Latest);
        Assert.True(result.Success, result.Error);
        return UInt256.FromBigEndian(result.ReturnData.AsSpan(0, 32));
    }

    private static UInt256 HermesOf(MemberChain chain, int account) => Word(chain, G.Hermes, Abi.Call("balanceOf(address)", Accounts[account].Address));

    private static UInt256 Supply(MemberChain chain) => Word(chain, G.Hermes, Abi.Call("totalSupply()"));

    private static BigInteger SupplyEverywhere(NodeCluster cluster) =>
        cluster.Chains.Aggregate(BigInteger.Zero, (sum, chain) => sum + Supply(chain).ToBigInteger());

    private static byte[] SendErc20(int to, UInt256 amount, ulong destination) =>
        Abi.Call("sendERC20(address,address,uint256,uint256)", G.Hermes, Accounts[to].Address, amount, destination);

    /// <summary>The revert data a call from <paramref name="account"/> gets on <paramref name="chain"/> now.</summary>
    private static byte[] Refusal(MemberChain chain, int account, Address to, byte[] data)
    {
        var result = chain.Call(new CallRequest { From = Accounts[account].Address, To = to, Data = data, Gas = 5_000_000 }, BlockSelector.Latest);
        Assert.False(result.Success, $"the call to {to} on chain {chain.ChainId} succeeded");
        return result.ReturnData;
    }

    [Fact]
    public async Task Hermes_moves_between_chains_through_the_token_bridge_and_the_supply_summed_over_every_chain_is_conserved_to_the_wei()
    {
        await using var kit = new GovernanceTestKit(chains: 3);
        var (home, b, c) = (kit.Home, kit.Cluster.GetChain(902), kit.Cluster.GetChain(903));
        var before = SupplyEverywhere(kit.Cluster);
        Assert.Equal(GovernanceGenesis.HermesInitialSupply.ToBigInteger(), before);
        var start0 = HermesOf(home, 0);

        // Odd amounts, to the wei: 901 -> 902 (account 5), 902 -> 903 (account 6), 903 -> 901 (account 0).
        var first = UInt256.Parse("1234567890123456789012");
        var second = UInt256.Parse("234567890123456789001");
        var third = UInt256.Parse("34567890123456789");
        var sent = kit.Send(home, 0, Bridge, SendErc20(5, first, 902));
        Assert.Contains(sent.Logs, l => l.Address == G.Hermes && l.Topics[0] == Abi.EventTopic("CrosschainBurn(address,uint256,address)"));
        Assert.Equal(first, HermesOf(b, 5));
        Assert.Equal(first, Supply(b));
        Assert.Equal(GovernanceGenesis.HermesInitialSupply - first, Supply(home));
        kit.Send(b, 5, Bridge, SendErc20(6, second, 903));
        kit.Send(c, 6, Bridge, SendErc20(0, third, 901));

        Assert.Equal(start0 - first + third, HermesOf(home, 0));
        Assert.Equal(first - second, HermesOf(b, 5));
        Assert.Equal(second - third, HermesOf(c, 6));
        Assert.Equal(first - second, Supply(b));
        Assert.Equal(second - third, Supply(c));
        Assert.Equal(before, SupplyEverywhere(kit.Cluster));
        Assert.Equal(3, kit.Cluster.AllMessages().Count);
        Assert.All(kit.Cluster.AllMessages(), m => Assert.Equal(MessageStatus.Relayed, m.Status));

        // More than the balance on 902: the burn reverts, nothing is sent, the supply stays.
        var tooMuch = first;
        var hash = b.SendTransaction(DevTransactions.Sign(b, Accounts[5], Bridge, SendErc20(6, tooMuch, 903), 3_000_000));
        Assert.False(b.GetReceipt(hash)!.Success);
        Assert.Equal(3, kit.Cluster.AllMessages().Count);
        Assert.Equal(before, SupplyEverywhere(kit.Cluster));

        // Staking Athena still mints Hermes on the home chain, exactly 10 per Athena; it is the only way the sum grows.
        kit.Stake(0, Tokens(1_000));
        Assert.Equal(before + Tokens(10_000).ToBigInteger(), SupplyEverywhere(kit.Cluster));
        Assert.Equal(start0 - first + third + Tokens(10_000), HermesOf(home, 0));
        foreach (var report in ClusterReplayer.VerifyCluster(kit.Cluster)) Assert.True(report.IsClean, report.ToString());
    }

    [Fact]
    public async Task Only_the_cluster_token_bridge_mints_or_burns_hermes_across_chains_and_only_the_staking_contract_mints_new_supply()
    {
        await using var kit = new GovernanceTestKit();
        var b = kit.Cluster.GetChain(902);
        foreach (var chain in kit.Cluster.Chains)
        {
            // ERC-165: the bridge's probe accepts Hermes as an ERC-7802 token.
            Assert.Equal(UInt256.One, Word(chain, G.Hermes, Abi.Call("supportsInterface(bytes4)", Erc7802InterfaceId)));
            var mint = Refusal(chain, 0, G.Hermes, Abi.Call("crosschainMint(address,uint256)", Accounts[0].Address, Tokens(1)));
            Assert.Equal(Abi.Call("HermesNotBridge(address)", Accounts[0].Address), mint);
            var burn = Refusal(chain, 0, G.Hermes, Abi.Call("crosschainBurn(address,uint256)", Accounts[1].Address, Tokens(1)));
            Assert.Equal(Abi.Call("HermesNotBridge(address)", Accounts[0].Address), burn);
            var minted = Refusal(chain, 0, G.Hermes, Abi.Call("mint(address,uint256)", Accounts[0].Address, Tokens(1)));
            Assert.Equal(Abi.Call("HermesNotMinter(address)", Accounts[0].Address), minted);
        }
        Assert.Equal(G.Staking.ToUInt256(), Word(kit.Home, G.Hermes, Abi.Call("minter()")));
        Assert.Equal(UInt256.Zero, Word(b, G.Hermes, Abi.Call("minter()")));
        // To its own chain the messenger refuses, and the burn is undone with it.
        var hash = kit.Home.SendTransaction(DevTransactions.Sign(kit.Home, Accounts[0], Bridge, SendErc20(1, Tokens(1), HomeId), 3_000_000));
        Assert.False(kit.Home.GetReceipt(hash)!.Success);
        Assert.Equal("ClusterMessenger: same chain", Abi.DecodeRevertReason(Refusal(kit.Home, 0, Bridge, SendErc20(1, Tokens(1), HomeId))));
        Assert.Equal(GovernanceGenesis.HermesInitialSupply, Supply(kit.Home));
        Assert.Empty(kit.Cluster.AllMessages());
    }

    [Fact]
    public async Task Hermes_bridged_to_another_chain_pays_a_ddpn_offer_into_that_chain_s_escrow()
    {
        // Governance and the DDPN together; the DDPN's default payment token is Hermes at 0x…70.
        var ddpn = new DdpnModule(new DdpnOptions());
        Assert.Equal(G.Hermes, ddpn.Options.PaymentToken);
        await using var kit = new GovernanceTestKit(otherModules: [ddpn]);
        var b = kit.Cluster.GetChain(902);
        const int client = 9;
        var funds = Tokens(250);
        kit.Send(kit.Home, 0, Bridge, SendErc20(client, funds, 902));
        Assert.Equal(funds, HermesOf(b, client));

        var maxCost = Tokens(100);
        kit.Send(b, client, G.Hermes, Abi.Call("approve(address,uint256)", DdpnAddresses.Escrow, maxCost));
        var posted = kit.Send(b, client, DdpnAddresses.Escrow, Abi.Call("postOffer(bytes32,uint256[],uint256[],uint256,uint256)", Hash256.Zero,
            AbiValue.Array(3_000_000UL), AbiValue.Array(901UL, 902UL), maxCost, 500_000UL), gas: 5_000_000);
        Assert.Contains(posted.Logs, l => l.Address == DdpnAddresses.Management && l.Topics[0] == ManagementUnit.OperationQueued);
        Assert.Equal(funds - maxCost, HermesOf(b, client));
        Assert.Equal(maxCost, Word(b, G.Hermes, Abi.Call("balanceOf(address)", DdpnAddresses.Escrow)));
        // The escrow holds Hermes where it was paid: the home chain's escrow has none.
        Assert.Equal(UInt256.Zero, Word(kit.Home, G.Hermes, Abi.Call("balanceOf(address)", DdpnAddresses.Escrow)));
        Assert.Equal(GovernanceGenesis.HermesInitialSupply.ToBigInteger(), SupplyEverywhere(kit.Cluster));

        // The offer (902's first outbox operation) is applied to every chain's management unit, open, with the Hermes it escrowed.
        var offer = ManagementUnit.OfferId(902, 0);
        UInt256 OfferStatus(MemberChain chain) => Word(chain, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.GetOffer, offer));
        for (var round = 0; round < 4 && kit.Cluster.Chains.Any(chain => OfferStatus(chain) != new UInt256(ManagementUnit.StatusOpen)); round++)
        {
            foreach (var chain in kit.Cluster.Chains) kit.Send(chain, 0, Accounts[0].Address, []);
        }
        Assert.All(kit.Cluster.Chains, chain => Assert.Equal(new UInt256(ManagementUnit.StatusOpen), OfferStatus(chain)));
    }
}
