using Thalamus.Chain;
using Thalamus.Cluster.Replay;
using Thalamus.Core;
using Thalamus.Storage;

namespace Thalamus.Cluster.Tests;

/// <summary>anvil's block setters and impersonated transactions against the cluster replayer and a restart.</summary>
public sealed class DevToolsReplayTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-devtools-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static Transaction Unsigned(MemberChain chain, Address from, Address? to, byte[] data, ulong gas = 3_000_000) => new()
    {
        Type = TxType.DynamicFee,
        ChainId = chain.ChainId,
        Nonce = chain.GetTransactionCount(from, BlockSelector.Pending),
        MaxFeePerGas = new UInt256(100_000_000_000),
        MaxPriorityFeePerGas = new UInt256(1_000_000_000),
        GasLimit = gas,
        To = to,
        Data = data,
    };

    [Fact]
    public async Task Cluster_verification_agrees_after_setCoinbase_setBlockGasLimit_and_setNextBlockBaseFeePerGas()
    {
        await using var kit = new ClusterTestKit(chains: 2);
        var (a, b) = (kit[0], kit[1]);
        var caller = kit.Deploy(a, "SyncCaller");
        var counter = kit.Deploy(b, "RemoteCounter");

        var coinbase = Address.Parse("0x00000000000000000000000000000000c0ffee00");
        a.SetCoinbase(coinbase);
        a.SetBlockGasLimit(12_345_678);
        a.SetNextBlockBaseFeePerGas(new UInt256(7_000_000_000));
        var receipt = kit.Send(a, 1, caller, Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, counter, new UInt256(4)));
        Assert.True(receipt.Success);
        var block = a.GetBlock(BlockSelector.Latest)!;
        Assert.Equal(coinbase, block.Header.Coinbase);
        Assert.Equal(12_345_678UL, block.Header.GasLimit);
        Assert.Equal(new UInt256(7_000_000_000), block.Header.BaseFeePerGas);
        Assert.True(kit.Send(a, 2, caller, Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, counter, new UInt256(1))).Success);

        // The tips went to the new coinbase, and every block still replays from genesis to the same roots.
        Assert.True(a.GetBalance(coinbase, BlockSelector.Latest) > UInt256.Zero);
        ReplayTests.AssertClean(ClusterReplayer.VerifyCluster(kit.Cluster));
    }

    [Fact]
    public async Task An_impersonated_transaction_keeps_its_sender_in_the_block_after_a_restart_and_in_the_replayer()
    {
        var path = Path.Combine(_directory, "cluster.db");
        var sender = ClusterTestKit.Accounts[3].Address;
        Hash256 hash;
        Address counter;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 2, database: database);
            var a = kit[0];
            counter = kit.Deploy(a, "RemoteCounter");
            hash = a.SendTransaction(TransactionSigner.Impersonate(Unsigned(a, sender, counter, Abi.Call("increment(uint256)", new UInt256(7))), sender));
            var receipt = a.GetReceipt(hash)!;
            Assert.True(receipt.Success);
            Assert.Equal(sender, receipt.From);
            Assert.Equal(sender, new AbiReader(kit.Call(a, counter, Abi.Call("lastCaller()"))).Address(0));
        }

        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 2, database: database);
            var a = kit[0];
            Assert.True(kit.Cluster.Resumed);
            // Decoded from the store: the marker names the sender, no key or side record needed.
            var (tx, location) = a.GetTransaction(hash)!.Value;
            Assert.NotNull(location);
            Assert.True(tx.HasImpersonationSignature);
            Assert.False(tx.IsImpersonated);
            Assert.Equal(sender, tx.ResolveSender());
            Assert.Equal(sender, a.GetReceipt(hash)!.From);
            ReplayTests.AssertClean(ClusterReplayer.VerifyCluster(kit.Cluster));

            // The chain goes on: the next impersonated transaction takes the next nonce.
            var next = a.SendTransaction(TransactionSigner.Impersonate(Unsigned(a, sender, counter, Abi.Call("increment(uint256)", new UInt256(1))), sender));
            Assert.True(a.GetReceipt(next)!.Success);
            Assert.Equal(new UInt256(8), kit.CallWord(a, counter, "value()"));
            Assert.Equal(2UL, a.GetTransactionCount(sender, BlockSelector.Latest));
        }
    }

    [Fact]
    public async Task Reset_and_setChainId_are_refused_on_a_cluster_member_with_the_reason()
    {
        await using var kit = new ClusterTestKit(chains: 2);
        var reset = Assert.Throws<ChainException>(() => kit[0].Reset());
        Assert.Contains("anvil_reset is not available on chain 901: it is a member of a node-cluster", reset.Message);
        var chainId = Assert.Throws<ChainException>(() => kit[0].SetChainId(5));
        Assert.Contains("anvil_setChainId is not available on chain 901: in a node-cluster the chain id is the member's identity", chainId.Message);
        Assert.Equal(901UL, kit[0].ChainId);
    }
}
