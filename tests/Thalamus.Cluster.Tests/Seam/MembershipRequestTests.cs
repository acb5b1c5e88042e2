using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;

namespace Thalamus.Cluster.Tests.Seam;

/// <summary>A module asks the cluster to add or remove a chain (a governance decision); the cluster does it between slots.</summary>
public sealed class MembershipRequestTests
{
    /// <summary>Asks for the queued changes at the next committed slot and records the outcomes.</summary>
    private sealed class RequestingModule : IClusterModule
    {
        private IClusterHost? _host;

        public string Name => "requesting";

        public Queue<MembershipChange> ToRequest { get; } = new();

        public List<(ulong Chain, bool Remove, string? Refusal, int MembersDuringSlot)> Outcomes { get; } = [];

        public int MembersAtSlot { get; private set; }

        public void Attach(IClusterHost host) => _host = host;

        public void SlotCommitted(CommittedSlot slot)
        {
            MembersAtSlot = _host!.Chains.Count;
            while (ToRequest.TryDequeue(out var change))
                _host.RequestMembershipChange(new MembershipChange
                {
                    ChainId = change.ChainId, Remove = change.Remove, Name = change.Name, BlockTime = change.BlockTime,
                    Completed = (c, refusal) => Outcomes.Add((c.ChainId, c.Remove, refusal, MembersAtSlot)),
                });
        }
    }

    [Fact]
    public async Task A_module_request_adds_and_removes_chains_after_the_slot_and_reports_refusals_with_the_reason()
    {
        var module = new RequestingModule();
        await using var cluster = NodeCluster.Create(new ClusterOptions
        {
            Chains = [new ClusterChainOptions { ChainId = 901 }, new ClusterChainOptions { ChainId = 902 }],
            Accounts = ClusterTestKit.Accounts,
            GenesisTimestamp = 1_700_000_000,
        }, modules: [module]);
        void Transfer(ulong chainId)
        {
            var chain = cluster.GetChain(chainId);
            Assert.True(chain.GetReceipt(chain.SendTransaction(Thalamus.Tests.DevTransactions.Sign(chain, ClusterTestKit.Accounts[1], ClusterTestKit.Accounts[3].Address, [], 21_000)))!.Success);
        }
        module.ToRequest.Enqueue(new MembershipChange { ChainId = 903, Name = "joined" });
        module.ToRequest.Enqueue(new MembershipChange { ChainId = 905, BlockTime = TimeSpan.FromSeconds(5) });
        module.ToRequest.Enqueue(new MembershipChange { ChainId = 902, Remove = true });

        Transfer(901);

        Assert.Equal([901UL, 903UL], cluster.Chains.Select(c => c.ChainId));
        Assert.Equal("joined", cluster.GetChain(903).Profile.Name);
        Assert.Equal(3, module.Outcomes.Count);
        // Carried out after the slot: during it the cluster still had its two chains.
        Assert.All(module.Outcomes, o => Assert.Equal(2, o.MembersDuringSlot));
        Assert.Null(module.Outcomes[0].Refusal);
        Assert.Contains("shorter than chain 905's block time", module.Outcomes[1].Refusal);
        Assert.Null(module.Outcomes[2].Refusal);

        module.ToRequest.Enqueue(new MembershipChange { ChainId = 903, Remove = true });
        module.ToRequest.Enqueue(new MembershipChange { ChainId = 901, Remove = true });
        Transfer(901);
        Assert.Null(module.Outcomes[3].Refusal);
        Assert.Equal("chain 901 is the cluster's last chain", module.Outcomes[4].Refusal);
        Assert.Equal([901UL], cluster.Chains.Select(c => c.ChainId));
    }
}
