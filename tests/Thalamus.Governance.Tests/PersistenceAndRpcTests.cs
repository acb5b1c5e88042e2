using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Rpc;

using Thalamus.Storage;
using Thalamus.Tests;
using static Thalamus.Rpc.Tests.RpcTestClient;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Governance.Tests;

/// <summary>The decisions survive a restart (rebuilt from the home chain) and are served over governance_*.</summary>
public sealed class PersistenceAndRpcTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-gov-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static Proposal Admit(ulong chainId) =>
        Proposal.Single(G.Decisions, Abi.Call("admitChain(uint64,uint64,uint64,string)", chainId, 0UL, 30_000_000UL, AbiValue.String("delta")), $"admit {chainId}");

    [Fact]
    public async Task A_chain_admitted_by_vote_is_a_member_again_after_a_restart_with_its_blocks()
    {
        var path = Path.Combine(_directory, "cluster.db");
        ulong head;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new GovernanceTestKit(database: database);
            kit.StakeEveryone();
            var proposal = Admit(903);
            kit.PassAndQueue(proposal, 0, 0, 1);
            kit.Execute(proposal);
            kit.Send(kit.Cluster.GetChain(903), 2, GovernanceTestKit.Accounts[3].Address, [], gas: 21_000);
            head = kit.Cluster.GetChain(903).Head.Number;
            Assert.Equal(1UL, head);
        }
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new GovernanceTestKit(database: database);

            var c = kit.Cluster.GetChain(903);
            Assert.Equal(head, c.Head.Number);
            var decision = Assert.Single(kit.Module.Decisions);
            Assert.Equal((DecisionKind.Admission, DecisionStatus.Carried, 903UL), (decision.Kind, decision.Status, decision.ChainId));
            kit.Send(c, 2, GovernanceTestKit.Accounts[3].Address, [], gas: 21_000);
            Assert.Equal(head + 1, c.Head.Number);
        }
    }

    [Fact]
    public async Task An_applied_upgrade_and_gas_limit_are_in_force_after_a_restart_and_eth_getCode_serves_the_new_code()
    {
        var path = Path.Combine(_directory, "cluster.db");
        byte[] code = Hex.Decode("0x602a60005260206000f3");
        var gasKey = GovernanceParameters.GasLimit;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new GovernanceTestKit(database: database);
            kit.StakeEveryone();
            var upgradeChange = new Hash256(kit.View(G.Decisions, Abi.Call("upgradeChangeId(address,bytes32,uint256)", G.Hermes, Keccak256.Compute(code), 5UL)));
            var gasChange = new Hash256(kit.View(G.Decisions, Abi.Call("parameterChangeId(bytes32,uint256,uint256)", gasKey, 25_000_000UL, 5UL)));
            for (var member = 0; member < 3; member++)
            {
                kit.Send(member, G.Gerousia, Abi.Call("approve(bytes32)", upgradeChange));
                kit.Send(member, G.Gerousia, Abi.Call("approve(bytes32)", gasChange));
            }
            var proposal = new Proposal([G.Decisions, G.Decisions],
                [Abi.Call("approveUpgrade(address,bytes,uint256)", G.Hermes, AbiValue.Bytes(code), 5UL), Abi.Call("setParameter(bytes32,uint256,uint256)", gasKey, 25_000_000UL, 5UL)],
                "upgrade Hermes and the gas limit");
            kit.PassAndQueue(proposal, 0, 0, 1);
            kit.Execute(proposal);
            foreach (var chain in kit.Cluster.Chains) kit.Send(chain, 2, GovernanceTestKit.Accounts[3].Address, [], gas: 21_000);
            Assert.All(kit.Module.Decisions, d => Assert.Equal(DecisionStatus.Carried, d.Status));
        }
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new GovernanceTestKit(database: database);

            Assert.Equal([DecisionKind.Upgrade, DecisionKind.Parameter], kit.Module.Decisions.Select(d => d.Kind));
            Assert.All(kit.Module.Decisions, d => Assert.Equal(DecisionStatus.Carried, d.Status));
            foreach (var chain in kit.Cluster.Chains)
            {
                var head = chain.Head.Number;
                kit.Send(chain, 2, GovernanceTestKit.Accounts[3].Address, [], gas: 21_000);
                Assert.Equal(head + 1, chain.Head.Number);
                Assert.Equal(25_000_000UL, chain.Head.GasLimit);
                // No second upgrade transaction: the code is already there.
                Assert.Single(chain.GetBlock(BlockSelector.Latest)!.Transactions);
                using var rpc = new RpcDispatcher(new MemberChainBackend(chain), new RpcServerOptions { Methods = kit.Cluster.RpcMethods });
                Assert.Equal(Hex.Encode(code), Result(rpc, "eth_getCode", $"[\"{G.Hermes}\", \"latest\"]").GetString());
            }
        }
    }

    [Fact]
    public async Task Governance_rpc_methods_report_the_contracts_the_members_and_the_decisions_carried_out()
    {
        await using var kit = new GovernanceTestKit();
        kit.StakeEveryone();
        var proposal = Admit(903);
        kit.PassAndQueue(proposal, 0, 0, 1);
        var executed = kit.Execute(proposal);
        using var rpc = new RpcDispatcher(new MemberChainBackend(kit.Cluster.GetChain(902)), new RpcServerOptions { Methods = kit.Cluster.RpcMethods });

        var status = Result(rpc, "governance_status");
        Assert.True(status.GetProperty("enabled").GetBoolean());
        Assert.Equal("0x385", status.GetProperty("homeChainId").GetString());
        Assert.Equal(["0x385", "0x386", "0x387"], status.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("0x4200000000000000000000000000000000000070", status.GetProperty("contracts").GetProperty("Hermes").GetString());
        Assert.Equal(G.Decisions.ToString(), status.GetProperty("contracts").GetProperty("ClusterDecisions").GetString());
        // Session 1 (from genesis, 28 days, proposals in its first 14), at the home chain's head.
        var session = status.GetProperty("session");
        Assert.Equal("0x1", session.GetProperty("number").GetString());
        Assert.Equal($"0x{GovernanceTestKit.Genesis:x}", session.GetProperty("start").GetString());
        Assert.Equal($"0x{GovernanceTestKit.Genesis + 14 * 24 * 3600:x}", session.GetProperty("proposalsUntil").GetString());
        Assert.Equal($"0x{GovernanceTestKit.Genesis + 28 * 24 * 3600:x}", session.GetProperty("end").GetString());
        Assert.True(session.GetProperty("open").GetBoolean());
        var decision = Assert.Single(Result(rpc, "governance_decisions").EnumerateArray());
        Assert.Equal("admission", decision.GetProperty("kind").GetString());
        Assert.Equal("carried", decision.GetProperty("status").GetString());
        Assert.Equal("0x387", decision.GetProperty("chainId").GetString());
        Assert.Equal(executed.TransactionHash.ToString(), decision.GetProperty("transactionHash").GetString());
        Assert.Empty(Result(rpc, "governance_decisions", "[1]").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, Result(rpc, "governance_profileScore", $"[\"0x386\", \"{Hash256.Zero}\"]").ValueKind);
        var (code, message, _) = Error(rpc, "governance_profileScore", "[\"0x386\"]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("key", message);
    }

    [Fact]
    public async Task Hermes_is_at_its_predeploy_address_on_every_chain_and_the_initial_supply_only_on_the_home_chain()
    {
        await using var kit = new GovernanceTestKit();
        var b = kit.Cluster.GetChain(902);
        var supplyHome = kit.Word(G.Hermes, Abi.Call("totalSupply()"));
        Assert.Equal(GovernanceGenesis.HermesInitialSupply, supplyHome);
        Assert.Equal(supplyHome / new UInt256(10), kit.HermesOf(GovernanceTestKit.Accounts[4].Address));
        var onB = b.Call(new CallRequest { To = G.Hermes, Data = Abi.Call("totalSupply()") }, BlockSelector.Latest);
        Assert.True(onB.Success);
        Assert.Equal(UInt256.Zero, UInt256.FromBigEndian(onB.ReturnData));
        var symbol = b.Call(new CallRequest { To = G.Hermes, Data = Abi.Call("symbol()") }, BlockSelector.Latest);
        Assert.Equal("HRM", System.Text.Encoding.UTF8.GetString(symbol.ReturnData.AsSpan(64, 3)));
        // The governance stack lives on the home chain only.
        Assert.Empty(b.GetCode(G.Governor, BlockSelector.Latest));
        Assert.NotEmpty(kit.Home.GetCode(G.Governor, BlockSelector.Latest));
    }
}
