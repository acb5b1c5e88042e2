using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;
using Thalamus.Rpc;
using Thalamus.Storage;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rtc.Tests;

/// <summary>The rtc module in a real cluster: the gateway in genesis, its membership oracle, RTCs and their index over RPC.</summary>
public sealed class RtcModuleTests : IDisposable
{
    private const ulong A = 901;
    private const ulong B = 902;

    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-rtc-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static Address User => RtcCluster.Accounts[1].Address;

    [Fact]
    public async Task The_gateway_is_in_every_chain_genesis_named_Thalamus_and_its_system_account_is_funded()
    {
        await using var rtc = new RtcCluster(chains: 2);
        foreach (var chain in rtc.Cluster.Chains)
        {
            Assert.Equal(RtcPredeploys.GatewayRuntimeCode, chain.GetCode(RtcPredeploys.Gateway, BlockSelector.Latest));
            Assert.NotEmpty(chain.GetCode(RtcPredeploys.Executor, BlockSelector.Latest));
            Assert.Equal(SystemAccount.GenesisBalance, chain.GetBalance(RtcPredeploys.Account.Address, BlockSelector.Latest));
        }
        Assert.Contains(new KeyValuePair<string, Address>("Thalamus", RtcPredeploys.Gateway), rtc.Cluster.Predeploys);
        Assert.Contains(new KeyValuePair<string, Address>("ThalamusExecutor", RtcPredeploys.Executor), rtc.Cluster.Predeploys);
        // ERC-7786: no attribute is supported, so supportsAttribute answers false (and OpenZeppelin's link check passes).
        Assert.Equal(UInt256.Zero, rtc.Word(rtc[0], RtcPredeploys.Gateway, "supportsAttribute(bytes4)", UInt256.Zero));
    }

    [Fact]
    public async Task The_gateway_knows_the_member_chains_including_one_added_later_and_no_other()
    {
        await using var rtc = new RtcCluster(chains: 2);
        var a = rtc[0];
        Assert.Equal(UInt256.One, rtc.Word(a, RtcPredeploys.Gateway, "isMember(uint256)", B));
        Assert.Equal(UInt256.One, rtc.Word(a, RtcPredeploys.Gateway, "isMember(uint256)", A));
        Assert.Equal(UInt256.Zero, rtc.Word(a, RtcPredeploys.Gateway, "isMember(uint256)", 903UL));
        rtc.Cluster.AddChain(new Cluster.ClusterChainOptions { ChainId = 903 });
        Assert.Equal(UInt256.One, rtc.Word(a, RtcPredeploys.Gateway, "isMember(uint256)", 903UL));
    }

    [Fact]
    public async Task An_rtc_to_an_unknown_chain_is_refused_with_the_reason_and_creates_nothing()
    {
        await using var rtc = new RtcCluster(chains: 2);
        var a = rtc[0];
        var nextId = rtc.Call(a, RtcPredeploys.Gateway, Abi.Call("nextId()")).ReturnData;
        var data = RtcCluster.Rtc(atomic: true, 0, RtcCluster.CallObject(777, User, []));

        var simulated = rtc.Call(a, RtcPredeploys.Gateway, data, account: 1);
        Assert.False(simulated.Success);
        Assert.Equal("Thalamus: chain 777 is not a member of this cluster", Abi.DecodeRevertReason(simulated.ReturnData));
        var receipt = rtc.Send(a, 1, RtcPredeploys.Gateway, data);
        Assert.False(receipt.Success);
        Assert.Equal(nextId, rtc.Call(a, RtcPredeploys.Gateway, Abi.Call("nextId()")).ReturnData);
        Assert.Empty(rtc.Module.GetRtcs(new RtcQuery()).Page);
    }

    [Fact]
    public async Task An_atomic_rtc_whose_second_call_fails_undoes_the_first_on_the_other_chain_and_is_nacked_with_the_reason()
    {
        await using var rtc = new RtcCluster(chains: 2);
        var (a, b) = (rtc[0], rtc[1]);
        var vaultA = rtc.Deploy(a, "RtcVault");
        var vaultB = rtc.Deploy(b, "RtcVault");
        var deposit = (ulong amount) => Abi.Call("deposit(address,uint256)", User, amount);

        var receipt = rtc.Send(a, 1, RtcPredeploys.Gateway,
            RtcCluster.Rtc(atomic: true, 0, RtcCluster.CallObject(B, vaultB, deposit(5)), RtcCluster.CallObject(A, vaultA, deposit(0))));
        Assert.True(receipt.Success);
        var id = RtcCluster.RtcIdOf(receipt);

        Assert.Equal(UInt256.Zero, rtc.Word(b, vaultB, "deposits(address)", User));
        Assert.Equal(UInt256.Zero, rtc.Word(a, vaultA, "deposits(address)", User));
        var record = rtc.Module.GetRtc(id)!;
        Assert.Equal(RtcStatus.Nack, record.Status);
        Assert.Equal(1UL, record.FailedCall);
        Assert.Equal("RtcVault: nothing to deposit", Abi.DecodeRevertReason(record.Reason));
        Assert.Equal([B, A], record.ChainIds);

        // The same RTC with a valid second call commits on both chains, and the ACK carries both results.
        var ok = rtc.Send(a, 1, RtcPredeploys.Gateway,
            RtcCluster.Rtc(atomic: true, 0, RtcCluster.CallObject(B, vaultB, deposit(5)), RtcCluster.CallObject(A, vaultA, deposit(7))));
        var acked = rtc.Module.GetRtc(RtcCluster.RtcIdOf(ok))!;
        Assert.Equal(RtcStatus.Ack, acked.Status);
        Assert.Equal(new UInt256(5), new AbiReader(acked.Results![0]).Word(0));
        Assert.Equal(new UInt256(7), new AbiReader(acked.Results![1]).Word(0));
        Assert.Equal(new UInt256(5), rtc.Word(b, vaultB, "deposits(address)", User));
        Assert.Equal(User, Address.FromUInt256(rtc.Word(b, vaultB, "lastRtcSender()")));
        Assert.Equal(new UInt256(A), rtc.Word(b, vaultB, "lastSourceChainId()"));
    }

    [Fact]
    public async Task An_async_rtc_is_acked_through_the_messenger_and_its_index_is_rebuilt_from_the_chains_after_a_restart()
    {
        var path = Path.Combine(_directory, "cluster.db");
        Hash256 acked, nacked;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var rtc = new RtcCluster(chains: 2, database);
            var (a, b) = (rtc[0], rtc[1]);
            var vaultB = rtc.Deploy(b, "RtcVault");
            acked = RtcCluster.RtcIdOf(rtc.Send(a, 1, RtcPredeploys.Gateway,
                RtcCluster.Rtc(atomic: false, 0, RtcCluster.CallObject(B, vaultB, Abi.Call("deposit(address,uint256)", User, 9UL)))));
            nacked = RtcCluster.RtcIdOf(rtc.Send(a, 1, RtcPredeploys.Gateway,
                RtcCluster.Rtc(atomic: false, 0, RtcCluster.CallObject(B, vaultB, Abi.Call("deposit(address,uint256)", User, 0UL)))));
            // Automining chains deliver in the same slot: the answers are back when the sends return.
            Assert.Equal(RtcStatus.Ack, rtc.Module.GetRtc(acked)!.Status);
            Assert.Equal(RtcStatus.Nack, rtc.Module.GetRtc(nacked)!.Status);
            Assert.Equal(new UInt256(9), rtc.Word(b, vaultB, "deposits(address)", User));
            Assert.Equal(new UInt256(2), StatusOnChain(rtc, a, acked)); // Status.Ack
            Assert.Equal(new UInt256(3), StatusOnChain(rtc, a, nacked)); // Status.Nack
        }
        using (var database = ClusterDatabase.Open(path))
        {
            await using var rtc = new RtcCluster(chains: 2, database);
            Assert.True(rtc.Module.LogsReadAtStart > 0);
            var record = rtc.Module.GetRtc(acked)!;
            Assert.Equal(RtcStatus.Ack, record.Status);
            Assert.Equal(B, record.DestinationChainId);
            Assert.True(record.ExecutedOk);
            Assert.Equal(new UInt256(9), new AbiReader(record.Results![0]).Word(0));
            var failed = rtc.Module.GetRtc(nacked)!;
            Assert.Equal(RtcStatus.Nack, failed.Status);
            Assert.Equal("RtcVault: nothing to deposit", Abi.DecodeRevertReason(failed.Reason));

            using var rpc = rtc.Rpc();
            var json = Result(rpc, "thalamus_getRtc", $"[\"{nacked}\"]");
            Assert.Equal("NACK", json.GetProperty("status").GetString());
            Assert.Equal("RtcVault: nothing to deposit", json.GetProperty("reasonText").GetString());
            Assert.Equal("0x0", json.GetProperty("failedCall").GetString());
            var page = Result(rpc, "thalamus_getRtcs", "[{\"status\":\"ACK\",\"limit\":1}]");
            Assert.Equal(acked.ToString(), page.GetProperty("rtcs")[0].GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task An_async_rtc_without_an_answer_may_be_expired_after_three_times_its_deadline_span_and_its_value_goes_back()
    {
        // B seals once an hour: the RTC waits there, unanswered, while A automines.
        await using var rtc = new RtcCluster(blockTimes: [TimeSpan.Zero, TimeSpan.FromHours(1)]);
        var a = rtc[0];
        var wei = new UInt256(12_345);
        rtc.Send(a, 3, RtcCluster.Accounts[3].Address, []); // the head's timestamp follows the clock from here
        var deadline = a.Head.Timestamp + 20;
        var receipt = rtc.Send(a, 1, RtcPredeploys.Gateway,
            RtcCluster.Rtc(atomic: false, deadline, RtcCluster.NativeCall(B, User, [], 12_345)), value: wei);
        Assert.True(receipt.Success);
        var id = RtcCluster.RtcIdOf(receipt);
        Assert.Equal(RtcStatus.Pending, rtc.Module.GetRtc(id)!.Status);
        Assert.Equal(wei, a.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest));

        var sentAt = a.Store.GetHeader(receipt.BlockNumber)!.Timestamp;
        var expiresAt = sentAt + 3 * (deadline - sentAt);
        var early = rtc.Call(a, RtcPredeploys.Gateway, Abi.Call("expireRtc(bytes32)", id), account: 2);
        Assert.Equal($"Thalamus: the RTC may expire after {expiresAt} (3 x its deadline's span)", Abi.DecodeRevertReason(early.ReturnData));

        // Automined blocks are at least a second apart: a few blocks pass the expiry.
        while (a.Head.Timestamp <= expiresAt) rtc.Send(a, 3, RtcCluster.Accounts[3].Address, []);
        var userBefore = a.GetBalance(User, BlockSelector.Latest);
        var expired = rtc.Send(a, 2, RtcPredeploys.Gateway, Abi.Call("expireRtc(bytes32)", id));
        Assert.True(expired.Success);
        Assert.Equal(RtcStatus.Expired, rtc.Module.GetRtc(id)!.Status);
        Assert.Equal(new UInt256(4), StatusOnChain(rtc, a, id)); // Status.Expired
        Assert.Equal(UInt256.Zero, a.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest));
        Assert.Equal(userBefore + wei, a.GetBalance(User, BlockSelector.Latest));
        Assert.Equal("Thalamus: the RTC is not pending",
            Abi.DecodeRevertReason(rtc.Call(a, RtcPredeploys.Gateway, Abi.Call("expireRtc(bytes32)", id)).ReturnData));
    }

    [Fact]
    public async Task Thalamus_getRtcs_refuses_bad_filters_with_the_field_and_the_reason()
    {
        await using var rtc = new RtcCluster(chains: 2);
        using var rpc = rtc.Rpc();
        var (code, message, _) = Error(rpc, "thalamus_getRtcs", "[{\"status\":\"DONE\"}]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("field \"status\": unknown status \"DONE\", want PENDING, ACK, NACK, EXPIRED", message);
        Assert.Contains("unknown field \"destination\"", Error(rpc, "thalamus_getRtcs", "[{\"destination\":1}]").Message);
        Assert.Contains("limit 0 is out of range", Error(rpc, "thalamus_getRtcs", "[{\"limit\":0}]").Message);
        Assert.Contains("invalid cursor 'x'", Error(rpc, "thalamus_getRtcs", "[{\"cursor\":\"x\"}]").Message);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, Result(rpc, "thalamus_getRtc", $"[\"{Hash256.Zero}\"]").ValueKind);
    }

    private static UInt256 StatusOnChain(RtcCluster rtc, MemberChain chain, Hash256 id)
    {
        // rtcOf returns Record(sender, status, sentAt, deadline, destinationChainId, callCount): status is word 1.
        var result = rtc.Call(chain, RtcPredeploys.Gateway, Abi.Call("rtcOf(bytes32)", id));
        Assert.True(result.Success);
        return new AbiReader(result.ReturnData).Word(1);
    }
}
