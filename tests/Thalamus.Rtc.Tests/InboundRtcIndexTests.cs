using System.Globalization;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Storage;
using Thalamus.Tests;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rtc.Tests;

/// <summary>
/// Inbound RTCs in the node's index without an external chain: a configured relayer of external chain 31337 (never
/// started) sends <c>deliverExternal</c> to 901's gateway itself, as it would after reading the external gateway's
/// <c>RtcOutbound</c>; the index follows the delivery's <c>RtcAnswered</c> and rebuilds it from the chain.
/// </summary>
public sealed class InboundRtcIndexTests : IDisposable
{
    private const ulong A = 901;
    private const ulong External = 31_337;
    private const ulong Wei = 777;
    private const string DeliverExternal =
        "deliverExternal(uint256,bytes32,address,((uint256,address,bytes,uint8,address,uint256,uint256,address,uint64,bool)[],(uint16,uint16,uint16,uint32)[],bool,uint64))";
    private static readonly byte[] RelayerKey = Keccak256.Compute("thalamus.test.inbound.relayer"u8).Bytes.ToArray();
    /// <summary>The RTC's sender on the external chain (any address: only the relayer vouches for it).</summary>
    private static readonly Address Sender = new(Hex.Decode("0x00000000000000000000000000000000005e4de2"));

    /// <summary>Before the clock's now: the first block follows the clock (the restart test opens the same genesis twice).</summary>
    private const ulong Genesis = 1_700_000_000;

    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-rtc-inbound-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static RtcOptions Options() => new()
    {
        External = [new ExternalChainOptions
        {
            ChainId = External,
            Rpc = new Uri("http://127.0.0.1:9/"),
            Gateway = new Address(Hex.Decode("0x00000000000000000000000000000000000a11ce")),
            Relayers = [new RelayerOptions { Name = "r", PrivateKey = RelayerKey }],
        }],
        StartRelayers = false,
    };

    /// <summary>A vault on 901 and the gateway holding <see cref="Wei"/> in custody (it pays the value an inbound RTC carries).</summary>
    private static Address Prepare(RtcCluster rtc)
    {
        var vault = rtc.Deploy(rtc[0], "RtcVault");
        Assert.True(rtc.Send(rtc[0], 3, RtcPredeploys.Gateway, [], value: new UInt256(Wei)).Success);
        return vault;
    }

    /// <summary>The relayer delivers RTC <paramref name="id"/>: RtcVault.deposit(sender, amount) on 901 carrying <see cref="Wei"/>.</summary>
    private static TransactionReceipt Deliver(MemberChain chain, Hash256 id, Address vault, ulong amount, ulong deadline)
    {
        var call = RtcCluster.NativeCall(A, vault, Abi.Call("deposit(address,uint256)", Sender, amount), Wei);
        var data = Abi.Call(DeliverExternal, External, id, Sender, AbiValue.Tuple(AbiValue.Array(call), AbiValue.Array(), false, deadline));
        var relayer = Secp256k1.PrivateKeyToAddress(RelayerKey);
        var hash = chain.SendTransaction(DevTransactions.Sign(chain, new DevAccount(0, RelayerKey, relayer), RtcPredeploys.Gateway, data, 5_000_000));
        var receipt = chain.GetReceipt(hash) ?? throw new InvalidOperationException($"delivery {hash} was not mined");
        Assert.True(receipt.Success, "the delivery reverted");
        return receipt;
    }

    private static Hash256 Id(string text) => Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(text));

    private static string Q(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string Rtcs(RtcCluster rtc, string query = "{}") => Result(rtc.Rpc(), "thalamus_getRtcs", $"[{query}]").GetRawText();

    [Fact]
    public async Task An_rtc_delivered_from_an_external_chain_is_in_the_index_with_its_origin_sender_delivery_and_results()
    {
        await using var rtc = new RtcCluster(chains: 1, options: Options(), genesisTimestamp: Genesis);
        var vault = Prepare(rtc);
        var id = Id("inbound ack");
        var deadline = rtc[0].Head.Timestamp + 3_600;
        var delivery = Deliver(rtc[0], id, vault, amount: 5, deadline);
        Assert.Equal(new UInt256(5), rtc.Word(rtc[0], vault, "deposits(address)", Sender));

        var json = Result(rtc.Rpc(), "thalamus_getRtc", $"[\"{id}\"]");
        Assert.True(json.GetProperty("inbound").GetBoolean());
        Assert.Equal(Q(External), json.GetProperty("originChainId").GetString());
        Assert.Equal(Sender.ToString(), json.GetProperty("sender").GetString());
        Assert.Equal($"{Sender}@eip155:{External}", json.GetProperty("sender7828").GetString());
        Assert.False(json.GetProperty("atomic").GetBoolean());
        Assert.Equal(Q(A), json.GetProperty("destinationChainId").GetString());
        Assert.Equal(new[] { Q(A) }, json.GetProperty("chainIds").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(Q(deadline), json.GetProperty("deadline").GetString());
        Assert.Equal("ACK", json.GetProperty("status").GetString());
        Assert.Equal(Q(delivery.BlockNumber), json.GetProperty("executedBlockNumber").GetString());
        Assert.Equal(delivery.TransactionHash.ToString(), json.GetProperty("executedTransactionHash").GetString());
        Assert.True(json.GetProperty("executedOk").GetBoolean());
        var result = Assert.Single(json.GetProperty("results").EnumerateArray());
        Assert.Equal(new UInt256(5), new AbiReader(Hex.Decode(result.GetString()!)).Word(0)); // deposit's return value
        // The send and the answer's settleExternal happened on the external chain: no relayer of this node carried them.
        Assert.Equal(JsonValueKind.Null, json.GetProperty("sentTransactionHash").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("settledTransactionHash").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("reason").ValueKind);

        // The filters see it as an RTC from the external chain to 901.
        Assert.Equal(id, rtc.Module.GetRtcs(new RtcQuery { OriginChainId = External, DestinationChainId = A, Sender = Sender, Status = RtcStatus.Ack, Atomic = false }).Page.Single().Id);
        Assert.Empty(rtc.Module.GetRtcs(new RtcQuery { OriginChainId = A }).Page);
        Assert.Empty(rtc.Module.GetRtcs(new RtcQuery { Status = RtcStatus.Pending }).Page);
    }

    [Fact]
    public async Task A_failed_call_and_a_delivery_after_the_deadline_are_indexed_as_nacks_with_their_reasons()
    {
        await using var rtc = new RtcCluster(chains: 1, options: Options(), genesisTimestamp: Genesis);
        var vault = Prepare(rtc);
        var failed = Id("inbound failing call");
        var late = Id("inbound late");
        Deliver(rtc[0], failed, vault, amount: 0, deadline: rtc[0].Head.Timestamp + 3_600); // deposit(sender, 0) reverts
        Deliver(rtc[0], late, vault, amount: 1, deadline: 1); // long past on 901

        var page = Result(rtc.Rpc(), "thalamus_getRtcs", $"[{{\"originChainId\":\"{Q(External)}\",\"status\":\"NACK\"}}]").GetProperty("rtcs");
        Assert.Equal(new[] { failed.ToString(), late.ToString() }, page.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var first = page[0];
        Assert.Equal(Q(0), first.GetProperty("failedCall").GetString());
        Assert.Equal("RtcVault: nothing to deposit", first.GetProperty("reasonText").GetString());
        Assert.False(first.GetProperty("executedOk").GetBoolean());
        var second = page[1];
        Assert.Equal(JsonValueKind.Null, second.GetProperty("failedCall").ValueKind); // the gateway refused the whole RTC
        Assert.StartsWith("Thalamus: RTC expired at 1", second.GetProperty("reasonText").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("results").ValueKind);
        Assert.Equal(UInt256.Zero, rtc.Word(rtc[0], vault, "deposits(address)", Sender)); // nothing ran
    }

    [Fact]
    public async Task A_restart_rebuilds_inbound_rtcs_from_the_member_chain_and_a_rollback_of_the_delivery_forgets_one()
    {
        var path = Path.Combine(_directory, "inbound.db");
        string before;
        Hash256 kept, undone;
        ulong undoneIn;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var rtc = new RtcCluster(chains: 1, database, options: Options(), genesisTimestamp: Genesis);
            var vault = Prepare(rtc);
            kept = Id("inbound kept");
            undone = Id("inbound undone");
            Deliver(rtc[0], kept, vault, amount: 2, deadline: rtc[0].Head.Timestamp + 3_600);
            undoneIn = Deliver(rtc[0], undone, vault, amount: 0, deadline: rtc[0].Head.Timestamp + 3_600).BlockNumber;
            before = Rtcs(rtc);
            Assert.Equal(2, rtc.Module.GetRtcs(new RtcQuery { OriginChainId = External }).Page.Count);
        }

        using (var database = ClusterDatabase.Open(path))
        {
            await using var rtc = new RtcCluster(chains: 1, database, options: Options(), genesisTimestamp: Genesis);
            Assert.Equal(before, Rtcs(rtc)); // the same index, byte for byte, read from the chain's logs

            rtc[0].SetAutomine(false);
            rtc.Cluster.RollBack(A, undoneIn, "block proven invalid");
            Assert.Null(rtc.Module.GetRtc(undone)); // its delivery waits in the pool again
            Assert.Equal(RtcStatus.Ack, rtc.Module.GetRtc(kept)!.Status);
            rtc[0].Mine();
            Assert.Equal(RtcStatus.Nack, rtc.Module.GetRtc(undone)!.Status); // delivered again, indexed once
            Assert.Equal(2, rtc.Module.GetRtcs(new RtcQuery { OriginChainId = External }).Page.Count);
        }
    }
}
