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

    private static byte[] Refusal(MemberChain chain, Address from, Address to, byte[] data)
    {
        var result = chain.Call(new CallRequest { From = from, To = to, Data = data, Gas = 3_000_000 }, BlockSelector.Latest);
        Assert.False(result.Success, $"the call to {to} on chain {chain.ChainId} succeeded");
        return result.ReturnData;
    }

    private static byte[] ReturnMessage(ClusterMessage m, byte[] reason) =>
        Abi.Call("returnMessage(bytes32,uint256,uint256,address,address,bytes,bytes)", m.Id, m.DestinationChainId, m.Nonce, m.Sender, m.Target,
            AbiValue.Bytes(m.Data), AbiValue.Bytes(reason));

    [Fact]
    public async Task A_transfer_queued_to_a_removed_chain_is_minted_back_to_its_sender_once_and_the_supply_of_the_remaining_chains_is_conserved()
    {
        await using var kit = new ClusterTestKit(chains: 3);
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var holder = ClusterTestKit.Accounts[0].Address;
        var initCode = TokenInitCode(holder, a.ChainId);
        var salt = Keccak256.Compute("thalamus.cluster-token.return"u8).Bytes.ToArray();
        var token = Create2Address(salt, initCode);
        foreach (var chain in new[] { a, b, c }) Assert.True(kit.Send(chain, 0, ClusterPredeploys.Create2Deployer, [.. salt, .. initCode], 6_000_000).Success);
        UInt256 Balance(MemberChain chain, int account) => kit.CallWord(chain, token, "balanceOf(address)", ClusterTestKit.Accounts[account].Address);
        UInt256 TotalSupply(MemberChain chain) => kit.CallWord(chain, token, "totalSupply()");
        byte[] SendErc20(int to, ulong amount, ulong destination) => Abi.Call("sendERC20(address,address,uint256,uint256)",
            token, ClusterTestKit.Accounts[to].Address, new UInt256(amount), destination);
        // Some of it on B first, so both remaining chains hold supply.
        Assert.True(kit.Send(a, 0, ClusterPredeploys.TokenBridge, SendErc20(1, 1_000, b.ChainId)).Success);
        var supplyBefore = TotalSupply(a) + TotalSupply(b);
        var holderBefore = Balance(a, 0);

        // C stops: a bridge transfer and a plain account's message to it wait in the queue.
        kit.Cluster.HaltChain(c.ChainId);
        Assert.True(kit.Send(a, 0, ClusterPredeploys.TokenBridge, SendErc20(2, 300_007, c.ChainId)).Success);
        Assert.True(kit.Send(b, 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(c.ChainId, ClusterTestKit.Accounts[3].Address, [1])).Success);
        Assert.Equal(holderBefore - new UInt256(300_007), Balance(a, 0));
        var transfer = kit.Cluster.AllMessages()[^2];
        var plain = kit.Cluster.AllMessages()[^1];
        Assert.Equal(MessageStatus.Pending, transfer.Status);
        Assert.Equal(MessageStatus.Pending, plain.Status);

        kit.Cluster.RemoveChain(c.ChainId);

        // Returned in the removal's slot, on each message's own source chain.
        var reason = Abi.EncodeError($"ClusterMessenger: chain {c.ChainId} was removed from the cluster");
        Assert.Equal(holderBefore, Balance(a, 0));
        Assert.Equal(supplyBefore, TotalSupply(a) + TotalSupply(b));
        Assert.Equal(MessageStatus.Returned, transfer.Status);
        Assert.Equal(reason, transfer.RevertData);
        Assert.True(transfer.ReturnHookOk);
        Assert.False(transfer.ReturnPending);
        var returnReceipt = a.GetReceipt(transfer.ReturnTransactionHash!.Value)!;
        Assert.True(returnReceipt.Success);
        Assert.Equal(transfer.ReturnedBlockNumber, returnReceipt.BlockNumber);
        var returnedEvent = Assert.Single(returnReceipt.Logs, l => l.Address == ClusterPredeploys.TokenBridge);
        Assert.Equal(Abi.EventTopic("ReturnedERC20(address,address,address,uint256,uint256)"), returnedEvent.Topics[0]);
        // A sender without the hook: the return is recorded, the relayer's transaction does not revert.
        Assert.Equal(MessageStatus.Returned, plain.Status);
        Assert.False(plain.ReturnHookOk);
        var plainReceipt = b.GetReceipt(plain.ReturnTransactionHash!.Value)!;
        Assert.True(plainReceipt.Success);
        Assert.Equal(MessengerLogs.MessageReturned, Assert.Single(plainReceipt.Logs).Topics[0]);
        Assert.Equal(UInt256.One, kit.CallWord(a, ClusterPredeploys.Messenger, "returned(bytes32)", transfer.Id));
        Assert.Equal(UInt256.One, kit.CallWord(b, ClusterPredeploys.Messenger, "returned(bytes32)", plain.Id));

        // Once: the relayer itself cannot return it again, and later blocks do not.
        Assert.Equal(Abi.EncodeError("ClusterMessenger: already returned"), Refusal(a, ClusterPredeploys.Relayer, ClusterPredeploys.Messenger, ReturnMessage(transfer, reason)));
        Assert.True(kit.Send(a, 0, ClusterPredeploys.TokenBridge, SendErc20(1, 5, b.ChainId)).Success);
        Assert.Equal(holderBefore - new UInt256(5), Balance(a, 0));
        Assert.Equal(supplyBefore, TotalSupply(a) + TotalSupply(b));
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }

    [Fact]
    public async Task Only_the_relayer_returns_a_message_only_one_its_chain_sent_and_only_the_messenger_calls_the_bridge_hook()
    {
        await using var kit = new ClusterTestKit(chains: 2);
        var (a, b) = (kit[0], kit[1]);
        kit.Cluster.HaltChain(b.ChainId);
        Assert.True(kit.Send(a, 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(b.ChainId, ClusterTestKit.Accounts[3].Address, [1])).Success);
        var message = Assert.Single(kit.Cluster.AllMessages());
        var reason = Abi.EncodeError("test");
        var account = ClusterTestKit.Accounts[0].Address;

        Assert.Equal(Abi.EncodeError("ClusterMessenger: only relayer"), Refusal(a, account, ClusterPredeploys.Messenger, ReturnMessage(message, reason)));
        // A message of another chain (same content, B's chain id in the id) or with altered content is not this chain's.
        Assert.Equal(Abi.EncodeError("ClusterMessenger: not a message of this chain"),
            Refusal(b, ClusterPredeploys.Relayer, ClusterPredeploys.Messenger, ReturnMessage(message, reason)));
        var altered = Abi.Call("returnMessage(bytes32,uint256,uint256,address,address,bytes,bytes)", message.Id, message.DestinationChainId, message.Nonce,
            message.Sender, message.Target, AbiValue.Bytes([2]), AbiValue.Bytes(reason));
        Assert.Equal(Abi.EncodeError("ClusterMessenger: not a message of this chain"), Refusal(a, ClusterPredeploys.Relayer, ClusterPredeploys.Messenger, altered));
        var hook = Abi.Call("onClusterMessageReturned(bytes32,uint256,address,bytes,bytes)", message.Id, b.ChainId, ClusterPredeploys.TokenBridge,
            AbiValue.Bytes(Abi.Call("relayERC20(address,address,address,uint256)", account, account, account, new UInt256(1))), AbiValue.Bytes(reason));
        Assert.Equal(Abi.EncodeError("ClusterTokenBridge: only messenger"), Refusal(a, account, ClusterPredeploys.TokenBridge, hook));
        Assert.Equal(MessageStatus.Pending, message.Status);
    }
}
