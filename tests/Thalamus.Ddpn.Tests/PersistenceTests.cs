using Thalamus.Tests;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Storage;
using static Thalamus.Ddpn.Tests.DdpnTestKit;

namespace Thalamus.Ddpn.Tests;

/// <summary>The module's global order of management operations survives a restart, and no chain applies an operation twice.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-ddpn-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static ClusterChainOptions[] Chains => [new() { ChainId = 901 }, new() { ChainId = 902 }];

    private static (ulong Applied, Hash256 Digest) Digest(MemberChain chain)
    {
        var result = chain.Call(new CallRequest { To = DdpnAddresses.Management, Data = Abi.EncodeCall(ManagementUnit.Digest) }, BlockSelector.Latest);
        var r = new AbiReader(result.ReturnData);
        return (r.UInt64(0), r.Bytes32(1));
    }

    private static void Send(MemberChain chain, int account, Address to, byte[] data)
    {
        var hash = chain.SendTransaction(DevTransactions.Sign(chain, Accounts[account], to, data, 1_000_000));
        Assert.True(chain.GetReceipt(hash)!.Success);
    }

    /// <summary>A Pythia stake through the escrow: a management operation that carries tokens.</summary>
    private static void Stake(MemberChain chain, int account, ulong amount) => Send(chain, account, DdpnAddresses.Escrow, EscrowStake(new UInt256(amount)));

    private static Transaction SignManagement(MemberChain chain, int account, byte[] data)
    {
        var key = Accounts[account];
        return DevTransactions.Sign(chain, key, DdpnAddresses.Management, data, 1_000_000);
    }

    [Fact]
    public async Task The_global_order_resumes_from_the_module_rows_after_a_restart_and_every_chain_converges_on_one_digest()
    {
        var path = Path.Combine(_directory, "cluster.db");
        List<byte[]> before;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new DdpnTestKit(Chains, database: database);
            foreach (var chain in kit.Cluster.Chains)
            {
                DeployToken(chain);
                foreach (var account in new[] { 1, 2, 3 })
                {
                    Send(chain, 0, Token, TokenTransfer(Accounts[account].Address, new UInt256(1_000)));
                    Send(chain, account, Token, ApproveEscrow(new UInt256(1_000)));
                }
            }
            Stake(kit[0], 1, 100);
            Stake(kit[1], 2, 200);
            Stake(kit[0], 1, 300);
            before = [.. kit.Module.Queue];
            Assert.True(before.Count >= 3);
        }
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new DdpnTestKit(Chains, database: database);
            Assert.Equal(before, kit.Module.Queue);
            // New operations after the restart; each chain's next blocks apply what it has not applied yet, exactly once.
            Stake(kit[1], 3, 400);
            Stake(kit[0], 3, 1);
            Stake(kit[1], 3, 1);
            // One more block on each chain (a call that changes nothing) applies what the last slots queued.
            foreach (var chain in kit.Cluster.Chains)
                Assert.True(chain.GetReceipt(chain.SendTransaction(SignManagement(chain, 0, Abi.EncodeCall(ManagementUnit.Digest))))!.Success);
            var (a, b) = (Digest(kit[0]), Digest(kit[1]));
            Assert.Equal(a, b);
            Assert.Equal((ulong)kit.Module.Queue.Count, a.Applied);
            foreach (var chain in kit.Cluster.Chains)
            {
                Assert.Equal(400UL, new AbiReader(ManagementView(chain, Abi.EncodeCall(ManagementUnit.StakeOf, Accounts[1].Address))).UInt64(0));
                Assert.Equal(402UL, new AbiReader(ManagementView(chain, Abi.EncodeCall(ManagementUnit.StakeOf, Accounts[3].Address))).UInt64(0));
            }
            Assert.Equal(new UInt256(400 + 1), TokenBalance(kit[0], DdpnAddresses.Escrow));
            Assert.Equal(new UInt256(200 + 400 + 1), TokenBalance(kit[1], DdpnAddresses.Escrow));
        }
    }

    private static ulong OfferStatus(MemberChain chain, Hash256 offer) => new AbiReader(ManagementView(chain, Abi.EncodeCall(ManagementUnit.GetOffer, offer))).UInt64(0);

    /// <summary>One block on every chain (a call that changes nothing): each applies what the last slots queued.</summary>
    private static void Nudge(DdpnTestKit kit)
    {
        foreach (var chain in kit.Cluster.Chains)
            Assert.True(chain.GetReceipt(chain.SendTransaction(SignManagement(chain, 0, Abi.EncodeCall(ManagementUnit.Digest))))!.Success);
    }

    [Fact]
    public async Task A_vote_deadline_survives_a_restart_and_times_out_once()
    {
        var path = Path.Combine(_directory, "timeout.db");
        var options = new DdpnOptions { PaymentToken = Token, VoteTimeoutSlots = 6 };
        // Chain 901's outbox: 0 = the Pythia's stake, 1 = the offer.
        var offer = ManagementUnit.OfferId(901, 1);
        var funds = new UInt256(1_000_000);
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new DdpnTestKit(Chains, database: database, options: options);
            var a = kit[0];
            DeployToken(a);
            foreach (var (account, amount) in new[] { (1, funds), (4, new UInt256(500)) })
            {
                Send(a, 0, Token, TokenTransfer(Accounts[account].Address, amount));
                Send(a, account, Token, ApproveEscrow(amount));
            }
            Stake(a, 4, 500);
            Send(a, 1, DdpnAddresses.Escrow, EscrowPostOffer([1_000], [901, 902], funds, 500_000));
            Nudge(kit);
            Send(kit[1], 2, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array(902UL)));
            Nudge(kit);
            Send(a, 1, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, offer));
            Nudge(kit);
            // The only Pythia is drawn and never votes; the node stops before the deadline.
            Assert.Equal(ManagementUnit.StatusVerifying, OfferStatus(a, offer));
            var drawn = new AbiReader(ManagementView(a, Abi.EncodeCall(ManagementUnit.DrawnOf, offer))).Array(0, out var drawnCount);
            Assert.Equal((1, Accounts[4].Address), (drawnCount, drawn.Address(0)));
        }
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new DdpnTestKit(Chains, database: database, options: options);
            var a = kit[0];
            for (var i = 0; i < 12 && OfferStatus(a, offer) == ManagementUnit.StatusVerifying; i++) Nudge(kit);
            Nudge(kit);
            Nudge(kit);
            // Timed out after the restart, once: below the quorum (0 of 1 voted), so the client has everything back and the silent Pythia lost one step.
            foreach (var chain in kit.Cluster.Chains)
            {
                Assert.Equal(ManagementUnit.StatusClosed, OfferStatus(chain, offer));
                Assert.Equal(ManagementUnit.InitialReliability - 50_000,
                    new AbiReader(ManagementView(chain, Abi.EncodeCall(ManagementUnit.ReliabilityOf, Accounts[4].Address))).UInt64(0));
            }
            Assert.Equal(funds, TokenBalance(a, Accounts[1].Address));
            Assert.Single(kit.Module.Queue, op => new AbiReader(op).UInt64(2) == ManagementUnit.KindTimeout);
        }
    }
}
