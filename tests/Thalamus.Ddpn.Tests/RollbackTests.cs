using Thalamus.Tests;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Modules;
using Thalamus.Storage;
using static Thalamus.Ddpn.Tests.DdpnTestKit;

namespace Thalamus.Ddpn.Tests;

/// <summary>
/// A cluster rollback that discards the block which queued a management operation: every chain that applied it is rolled back
/// too (the global order is an input the module carries between chains), the operation leaves the global order and the rows,
/// and the user's transaction, run again, queues it once more and every chain applies it once.
/// </summary>
public sealed class RollbackTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-ddpn-rollback-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100);

    private static ClusterChainOptions[] Chains => [new() { ChainId = 901 }, new() { ChainId = 902 }, new() { ChainId = 903 }];

    private const int Client = 1, Pythia = 4;

    private static readonly UInt256 Funds = new(1_000_000), StakeAmount = new(500);

    /// <summary>Chain 901's outbox: 0 = the Pythia's stake, 1 = the offer (queued by the block the tests roll back).</summary>
    private static readonly Hash256 Offer = ManagementUnit.OfferId(901, 1);

    private sealed class SimulatedCrash(ulong chainId) : Exception($"simulated crash after chain {chainId} was rewound");

    private static TransactionReceipt Send(MemberChain chain, int account, Address to, byte[] data)
    {
        var receipt = chain.GetReceipt(chain.SendTransaction(DevTransactions.Sign(chain, Accounts[account], to, data, 1_000_000)))!;
        Assert.True(receipt.Success);
        return receipt;
    }

    /// <summary>One block on every chain (a call that changes nothing): each applies what the last slots queued.</summary>
    private static void Nudge(DdpnTestKit kit)
    {
        foreach (var chain in kit.Cluster.Chains) Send(chain, 0, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Digest));
    }

    /// <summary>A stake every chain applies, then the offer (the bad block), then one block on every chain that applies the offer.</summary>
    private static TransactionReceipt Run(DdpnTestKit kit)
    {
        var a = kit[0];
        DeployToken(a);
        foreach (var (account, amount) in new[] { (Client, Funds), (Pythia, StakeAmount) })
        {
            Send(a, 0, Token, TokenTransfer(Accounts[account].Address, amount));
            Send(a, account, Token, ApproveEscrow(amount));
        }
        Send(a, Pythia, DdpnAddresses.Escrow, EscrowStake(StakeAmount));
        Nudge(kit);
        var post = Send(a, Client, DdpnAddresses.Escrow, EscrowPostOffer([1_000], [901, 902], Funds, 500_000));
        Nudge(kit);
        foreach (var chain in kit.Cluster.Chains) Assert.Equal(ManagementUnit.StatusOpen, OfferStatus(chain, Offer));
        return post;
    }

    private static ulong OfferStatus(MemberChain chain, Hash256 offer) => new AbiReader(ManagementView(chain, Abi.EncodeCall(ManagementUnit.GetOffer, offer))).UInt64(0);

    private static (ulong Applied, Hash256 Digest) Digest(MemberChain chain)
    {
        var r = new AbiReader(ManagementView(chain, Abi.EncodeCall(ManagementUnit.Digest)));
        return (r.UInt64(0), r.Bytes32(1));
    }

    private static (ulong Chain, ulong Seq) Origin(byte[] op) => (new AbiReader(op).UInt64(0), new AbiReader(op).UInt64(1));

    private static bool IsOffer(byte[] op) => Origin(op) == (901, 1);


    /// <summary>Every chain has applied the whole global order, with one digest.</summary>
    private static void AssertEveryChainAppliedTheWholeOrderOnce(DdpnTestKit kit)
    {
        var digests = kit.Cluster.Chains.Select(Digest).Distinct().ToList();
        Assert.Equal((ulong)kit.Module.Queue.Count, Assert.Single(digests).Applied);
    }

    [Fact]
    public async Task A_rollback_that_discards_the_block_which_queued_an_offer_drops_it_from_the_global_order_and_every_chain_applies_it_again_once()
    {
        await using var kit = new DdpnTestKit(Chains, new ManualTimeProvider(Start));
        var post = Run(kit);
        var before = kit.Module.Queue.ToList();
        var index = before.FindIndex(IsOffer);
        var applying = kit.Cluster.Chains.Skip(1).Select(c => c.Head.Number).ToList();
        List<byte[]>? atRollback = null;
        ulong[]? statusAtRollback = null;
        kit.Cluster.RolledBack += _ =>
        {
            atRollback = [.. kit.Module.Queue];
            statusAtRollback = [.. kit.Cluster.Chains.Select(c => OfferStatus(c, Offer))];
        };

        var rollback = kit.Cluster.RollBack(901, post.BlockNumber, "block proven invalid");

        // The chains that applied the offer are discarded from the block that applied it (their nudge), with the module's reason.
        Assert.Equal(post.BlockNumber, rollback.FirstDiscarded(901));
        for (var i = 0; i < 2; i++)
        {
            var chain = kit.Cluster.Chains[i + 1].ChainId;
            Assert.Equal(applying[i], rollback.FirstDiscarded(chain));
            Assert.Contains($"ddpn: applied operation {index} of the global order, chain 901's outbox entry 1", rollback.Discarded.Single(d => d.ChainId == chain).Why);
        }
        // Right after the rollback, before anything ran again: the offer is in no chain's state and not in the global order.
        Assert.Equal(before.Where(op => !IsOffer(op)), atRollback!);
        Assert.All(statusAtRollback!, status => Assert.Equal(0UL, status));
        Assert.Contains(post.TransactionHash, rollback.Reinserted);
        Assert.Empty(rollback.Dropped);

        // The client's transaction ran again: the offer is queued once more, and every chain applies it once.
        Nudge(kit);
        Assert.Single(kit.Module.Queue, IsOffer);
        AssertEveryChainAppliedTheWholeOrderOnce(kit);
        foreach (var chain in kit.Cluster.Chains) Assert.Equal(ManagementUnit.StatusOpen, OfferStatus(chain, Offer));
        // The escrow holds the stake and the offer once; the client paid once.
        Assert.Equal(StakeAmount + Funds, TokenBalance(kit[0], DdpnAddresses.Escrow));
        Assert.Equal(UInt256.Zero, TokenBalance(kit[0], Accounts[Client].Address));
        // ddpn_management tells the same order.
        using var rpc = new Thalamus.Rpc.RpcDispatcher(new Thalamus.Rpc.MemberChainBackend(kit[1]), new Thalamus.Rpc.RpcServerOptions { Methods = kit.Cluster.RpcMethods });
        var management = Thalamus.Rpc.Tests.RpcTestClient.Result(rpc, "ddpn_management", "[902]");
        Assert.Equal((ulong)kit.Module.Queue.Count, Convert.ToUInt64(management.GetProperty("queued").GetString(), 16));
        Assert.Equal((ulong)kit.Module.Queue.Count, Convert.ToUInt64(management.GetProperty("applied").GetString(), 16));
    }

    [Fact]
    public async Task A_rollback_before_any_other_chain_applied_the_offer_discards_only_the_chain_that_queued_it()
    {
        await using var kit = new DdpnTestKit(Chains, new ManualTimeProvider(Start));
        var a = kit[0];
        DeployToken(a);
        Send(a, 0, Token, TokenTransfer(Accounts[Client].Address, Funds));
        Send(a, Client, Token, ApproveEscrow(Funds));
        var post = Send(a, Client, DdpnAddresses.Escrow, EscrowPostOffer([1_000], [901, 902], Funds, 500_000));
        var heads = kit.Cluster.Chains.Skip(1).Select(c => c.Head.Hash).ToList();
        // No stake here: the offer is chain 901's outbox entry 0.
        var offer = ManagementUnit.OfferId(901, 0);
        bool IsThisOffer(byte[] op) => Origin(op) == (901, 0);
        Assert.Single(kit.Module.Queue, IsThisOffer);

        var rollback = kit.Cluster.RollBack(901, post.BlockNumber, "block proven invalid");

        // Nobody else consumed it: the other chains keep every block, and the operation, queued again by the re-run, is there once.
        Assert.Equal(901UL, Assert.Single(rollback.Discarded).ChainId);
        Assert.Equal(heads, kit.Cluster.Chains.Skip(1).Select(c => c.Head.Hash));
        Assert.Single(kit.Module.Queue, IsThisOffer);
        Nudge(kit);
        AssertEveryChainAppliedTheWholeOrderOnce(kit);
        foreach (var chain in kit.Cluster.Chains) Assert.Equal(ManagementUnit.StatusOpen, OfferStatus(chain, offer));
    }

    /// <summary>The escrow's payout cursor (slot 2): how many payouts of the replicated list this chain's escrow has made.</summary>
    private static UInt256 PayoutCursor(MemberChain chain) => chain.LiveState.GetStorage(DdpnAddresses.Escrow, new UInt256(2));

    [Fact]
    public async Task A_payout_made_by_a_discarded_block_is_made_again_once_by_the_next_block()
    {
        await using var kit = new DdpnTestKit(Chains, new ManualTimeProvider(Start));
        Run(kit);
        var a = kit[0];
        // No strategy: the close gives the client its whole escrow back, a payout the node makes from 901's escrow a block later.
        Send(a, Client, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, Offer));
        Nudge(kit);
        Nudge(kit);
        Assert.Equal(Funds, TokenBalance(a, Accounts[Client].Address));
        var payBlock = Enumerable.Range(1, (int)a.Head.Number).Select(n => a.Store.GetBlock((ulong)n)!)
            .Single(b => b.Transactions.Any(t => t.To == DdpnAddresses.Escrow && t.ResolveSender() == DdpnModule.Account.Address));
        var paid = PayoutCursor(a);
        (UInt256 Client, UInt256 Cursor)? atRollback = null;
        kit.Cluster.RolledBack += _ => atRollback = (TokenBalance(a, Accounts[Client].Address), PayoutCursor(a));

        var rollback = kit.Cluster.RollBack(901, payBlock.Number, "block proven invalid");

        // Only 901 goes (its discarded blocks queued nothing); right after, the refund is undone and the cursor back.
        Assert.Equal(901UL, Assert.Single(rollback.Discarded).ChainId);
        Assert.Equal((UInt256.Zero, paid - UInt256.One), atRollback);
        // The next block (the re-run) pays it again, once: the client whole, the escrow holding only the stake.
        Assert.Equal(Funds, TokenBalance(a, Accounts[Client].Address));
        Assert.Equal(StakeAmount, TokenBalance(a, DdpnAddresses.Escrow));
        Assert.Equal(paid, PayoutCursor(a));
        Nudge(kit);
        Assert.Equal(Funds, TokenBalance(a, Accounts[Client].Address));
        AssertEveryChainAppliedTheWholeOrderOnce(kit);
    }

    [Fact]
    public async Task The_vote_deadline_of_a_close_a_discarded_block_queued_goes_with_it_and_the_close_run_again_times_out_once()
    {
        using var database = ClusterDatabase.Open(Path.Combine(_directory, "deadline.db"));
        await using var kit = new DdpnTestKit(Chains, new ManualTimeProvider(Start), new DdpnOptions { PaymentToken = Token, VoteTimeoutSlots = 20 }, database);
        Run(kit);
        var a = kit[0];
        Send(kit[1], 2, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, Offer, AbiValue.Array(902UL)));
        Nudge(kit);
        // The only Pythia is drawn by the close and never votes.
        var close = Send(a, Client, DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, Offer));
        Nudge(kit);
        Assert.All(kit.Cluster.Chains, c => Assert.Equal(ManagementUnit.StatusVerifying, OfferStatus(c, Offer)));
        static bool IsClose(byte[] op) => new AbiReader(op).UInt64(2) == ManagementUnit.KindClose;
        static int Deadlines(ClusterDatabase database) => database.ReadModuleState(DdpnModule.ModuleName).Count(r => r.Key[0] == (byte)'t');
        Assert.Equal(1, Deadlines(database));
        (int Closes, int Deadlines)? atRollback = null;
        kit.Cluster.RolledBack += _ => atRollback = (kit.Module.Queue.Count(IsClose), Deadlines(database));

        var rollback = kit.Cluster.RollBack(901, close.BlockNumber, "block proven invalid");

        // Right after: neither the close nor its deadline (row); then the client's close, run again, is queued and noted again.
        Assert.Equal((0, 0), atRollback);
        Assert.Contains(close.TransactionHash, rollback.Reinserted);
        Assert.Single(kit.Module.Queue, IsClose);
        Assert.Equal(1, Deadlines(database));
        for (var i = 0; i < 20 && OfferStatus(a, Offer) != ManagementUnit.StatusClosed; i++) Nudge(kit);
        Nudge(kit);
        // Timed out once: the silent Pythia lost one step on every chain, the client has its escrow back.
        Assert.Single(kit.Module.Queue, op => new AbiReader(op).UInt64(2) == ManagementUnit.KindTimeout);
        AssertEveryChainAppliedTheWholeOrderOnce(kit);
        foreach (var chain in kit.Cluster.Chains)
        {
            Assert.Equal(ManagementUnit.StatusClosed, OfferStatus(chain, Offer));
            Assert.Equal(ManagementUnit.InitialReliability - 50_000,
                new AbiReader(ManagementView(chain, Abi.EncodeCall(ManagementUnit.ReliabilityOf, Accounts[Pythia].Address))).UInt64(0));
        }
        Assert.Equal(Funds, TokenBalance(a, Accounts[Client].Address));
        Assert.Equal(0, Deadlines(database));
    }

    [Fact]
    public async Task After_a_rollback_and_a_restart_the_global_order_read_from_the_rows_equals_the_one_before_the_restart()
    {
        var path = Path.Combine(_directory, "restart.db");
        List<byte[]> before;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new DdpnTestKit(Chains, new ManualTimeProvider(Start), database: database);
            var post = Run(kit);
            kit.Cluster.RollBack(901, post.BlockNumber, "block proven invalid");
            Nudge(kit);
            before = [.. kit.Module.Queue];
            Assert.Single(before, IsOffer);
        }
        using (var database = ClusterDatabase.Open(path))
        {
            // One row per operation, none left over from the order before the rollback.
            Assert.Equal(before.Count, database.ReadModuleState(DdpnModule.ModuleName).Count(r => r.Key[0] == (byte)'q'));
            await using var kit = new DdpnTestKit(Chains, new ManualTimeProvider(Start), database: database);
            Assert.Equal(before, kit.Module.Queue);
            // Nothing is applied twice after the restart.
            Nudge(kit);
            Assert.Equal(before, kit.Module.Queue);
            AssertEveryChainAppliedTheWholeOrderOnce(kit);
            foreach (var chain in kit.Cluster.Chains) Assert.Equal(ManagementUnit.StatusOpen, OfferStatus(chain, Offer));
        }
    }

    [Fact]
    public async Task A_rollback_a_crash_interrupted_is_finished_by_the_restart_with_the_global_order_of_a_clean_one()
    {
        List<byte[]> cleanOrder;
        (ulong, Hash256)[] cleanHeads;
        // The reference: the same blocks, a restart (a start counts its slots from 0 again, and the chains' profiles follow that
        // count), then a clean rollback.
        var cleanPath = Path.Combine(_directory, "clean.db");
        ulong badBlock;
        using (var database = ClusterDatabase.Open(cleanPath))
        {
            await using var kit = new DdpnTestKit(Chains, new ManualTimeProvider(Start), database: database);
            badBlock = Run(kit).BlockNumber;
        }
        using (var database = ClusterDatabase.Open(cleanPath))
        {
            await using var kit = new DdpnTestKit(Chains, new ManualTimeProvider(Start), database: database);
            kit.Cluster.RollBack(901, badBlock, "block proven invalid");
            cleanOrder = [.. kit.Module.Queue];
            cleanHeads = [.. kit.Cluster.Chains.Select(c => (c.Head.Number, c.Head.Hash))];
        }

        var path = Path.Combine(_directory, "crashed.db");
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new DdpnTestKit(Chains, new ManualTimeProvider(Start), database: database);
            var post = Run(kit);
            kit.Cluster.AfterChainRewound = id => throw new SimulatedCrash(id);
            Assert.Throws<SimulatedCrash>(() => kit.Cluster.RollBack(901, post.BlockNumber, "block proven invalid"));
            // The module was not told: its rows still hold the offer.
            Assert.Single(kit.Module.Queue, IsOffer);
        }
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new DdpnTestKit(Chains, new ManualTimeProvider(Start), database: database);
            Assert.True(kit.Cluster.Status().Rollback!.Resumed);
            Assert.Equal(cleanOrder, kit.Module.Queue);
            Assert.Equal(cleanHeads, kit.Cluster.Chains.Select(c => (c.Head.Number, c.Head.Hash)));
            Nudge(kit);
            Assert.Single(kit.Module.Queue, IsOffer);
            AssertEveryChainAppliedTheWholeOrderOnce(kit);
        }
    }
}
