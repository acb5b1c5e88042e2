using System.Text;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

public sealed class ClusterTokenTests
{
    private static readonly UInt256 Supply = new(1_000_000);

    /// <summary>ClusterToken's init code with constructor(name, symbol, initialHolder, initialSupply, homeChainId).</summary>
    private static byte[] TokenInitCode(Address holder, ulong homeChainId)
    {
        static byte[] StringTail(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return [.. new UInt256((ulong)bytes.Length).ToBigEndian(), .. bytes, .. new byte[(32 - bytes.Length % 32) % 32]];
        }
        var name = StringTail("Cluster Token");
        var symbol = StringTail("CLT");
        byte[] head =
        [
            .. new UInt256(5 * 32).ToBigEndian(), .. new UInt256((ulong)(5 * 32 + name.Length)).ToBigEndian(),
            .. holder.ToUInt256().ToBigEndian(), .. Supply.ToBigEndian(), .. new UInt256(homeChainId).ToBigEndian(),
        ];
        return [.. ClusterTestKit.CreationCode("ClusterToken"), .. head, .. name, .. symbol];
    }

    private static Address Create2Address(byte[] salt, byte[] initCode)
    {
        byte[] preimage = [0xff, .. ClusterPredeploys.Create2Deployer.Bytes, .. salt, .. Keccak256.Compute(initCode).Bytes];
        return new Address(Keccak256.Compute(preimage).Bytes[12..]);
    }

    [Fact]
    public async Task A_cluster_token_at_one_address_moves_A_to_B_to_C_and_its_total_supply_is_conserved()
    {
        await using var kit = new ClusterTestKit(chains: 3);
        var chains = kit.Cluster.Chains;
        var holder = ClusterTestKit.Accounts[0].Address;
        var initCode = TokenInitCode(holder, chains[0].ChainId);
        var salt = Keccak256.Compute("thalamus.cluster-token.test"u8).Bytes.ToArray();
        var token = Create2Address(salt, initCode);
        foreach (var chain in chains)
        {
            Assert.True(kit.Send(chain, 0, ClusterPredeploys.Create2Deployer, [.. salt, .. initCode], 6_000_000).Success);
            Assert.NotEmpty(chain.GetCode(token, BlockSelector.Latest));
        }
        UInt256 Balance(int chain, int account) => kit.CallWord(chains[chain], token, "balanceOf(address)", ClusterTestKit.Accounts[account].Address);
        UInt256 TotalSupply(int chain) => kit.CallWord(chains[chain], token, "totalSupply()");
        Assert.Equal(Supply, Balance(0, 0));
        Assert.Equal(UInt256.Zero, TotalSupply(1));

        byte[] SendErc20(int to, ulong amount, ulong destination) => Abi.Call("sendERC20(address,address,uint256,uint256)",
            token, ClusterTestKit.Accounts[to].Address, new UInt256(amount), destination);
        Assert.True(kit.Send(chains[0], 0, ClusterPredeploys.TokenBridge, SendErc20(1, 300, chains[1].ChainId)).Success);
        Assert.True(kit.Send(chains[1], 1, ClusterPredeploys.TokenBridge, SendErc20(2, 120, chains[2].ChainId)).Success);
        Assert.True(kit.Send(chains[2], 2, ClusterPredeploys.TokenBridge, SendErc20(0, 20, chains[0].ChainId)).Success);

        Assert.Equal(new UInt256(1_000_000 - 300 + 20), Balance(0, 0));
        Assert.Equal(new UInt256(180), Balance(1, 1));
        Assert.Equal(new UInt256(100), Balance(2, 2));
        Assert.Equal(Supply, TotalSupply(0) + TotalSupply(1) + TotalSupply(2));
        Assert.Equal(new UInt256(180), TotalSupply(1));
        Assert.All(kit.Cluster.AllMessages(), m => Assert.Equal(MessageStatus.Relayed, m.Status));
        Assert.Equal(3, kit.Cluster.AllMessages().Count);

        // A transfer larger than the balance burns nothing and sends nothing.
        Assert.False(kit.Send(chains[1], 1, ClusterPredeploys.TokenBridge, SendErc20(2, 1_000, chains[2].ChainId)).Success);
        Assert.Equal(3, kit.Cluster.AllMessages().Count);
        Assert.Equal(Supply, TotalSupply(0) + TotalSupply(1) + TotalSupply(2));
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }
}
