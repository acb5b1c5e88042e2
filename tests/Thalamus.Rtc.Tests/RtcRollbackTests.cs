using Thalamus.Tests;
using Thalamus.Chain;
using Thalamus.Cluster.Tests;
using Thalamus.Core;
using Thalamus.Storage;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rtc.Tests;

/// <summary>
/// The cluster rolls member chains back (settlement's verdict): the RTC index, the address book and the node's expiries follow
/// the kept blocks, what the node did in a discarded block is done again once, and a replicated registration goes with its block.
/// </summary>
public sealed class RtcRollbackTests : IDisposable
{
    private const ulong B = 902;
    private const ulong External = 31_337;
    private const ulong Fee = 1_000;
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100);
    private static Address User => RtcCluster.Accounts[1].Address;

    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-rtc-rollback-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private sealed class SimulatedCrash(ulong chainId) : Exception($"simulated crash after chain {chainId} was rewound");

    private static RtcCluster Cluster(int chains = 2, ClusterDatabase? database = null, RtcOptions? options = null, TimeSpan[]? blockTimes = null) =>
        new(chains, database, blockTimes, options, genesisTimestamp: 1_700_000_000, time: new ManualTimeProvider(Start));

    /// <summary>Sends a transaction to <paramref name="chain"/> and seals a block for it (an interval chain waits otherwise).</summary>
    private static TransactionReceipt SendAndMine(MemberChain chain, int account, Address? to, byte[] data, ulong gas = 6_000_000)
    {
        var hash = chain.SendTransaction(DevTransactions.Sign(chain, RtcCluster.Accounts[account], to, data, gas, default));
        chain.Mine();
        var receipt = chain.GetReceipt(hash);
        Assert.True(receipt is { Success: true }, $"transaction {hash} failed");
        return receipt!;
    }

    /// <summary>
    /// A (an interval chain: it seals only when asked) registers a name for a contract it deploys; B and C replicate it. Returns
    /// the registering block.
    /// </summary>
    private static ulong RegisterOnA(RtcCluster rtc)
    {
        var a = rtc[0];
        var vault = SendAndMine(a, 0, null, RtcCluster.CreationCode("RtcOwnedVault")).ContractAddress!.Value;
        var registered = SendAndMine(a, 0, RtcPredeploys.AddressBook, Abi.Call("register(string,address)", AbiValue.String("vault"), vault));
        Drain(rtc);
        Assert.True(ResolvesOn(rtc, rtc[1], "vault") && ResolvesOn(rtc, rtc[2], "vault"));
        return registered.BlockNumber;
    }

    private static string Resolve(RtcCluster rtc, string name)
    {
        using var rpc = rtc.Rpc();
        return Result(rpc, "thalamus_resolveName", $"[\"{name}\"]").GetRawText();
    }

    /// <summary>An async RTC from A depositing 9 into a vault on B (its delivery is a message B's next block consumes).</summary>
    private static (Hash256 Id, TransactionReceipt Receipt, Address Vault) SendDeposit(RtcCluster rtc)
    {
        var (a, b) = (rtc[0], rtc[1]);
        var vault = rtc.Deploy(b, "RtcVault");
        var receipt = rtc.Send(a, 1, RtcPredeploys.Gateway,
            RtcCluster.Rtc(atomic: false, 0, RtcCluster.CallObject(B, vault, Abi.Call("deposit(address,uint256)", User, 9UL))));
        Assert.True(receipt.Success);
        var id = RtcCluster.RtcIdOf(receipt);
        Assert.Equal(RtcStatus.Ack, rtc.Module.GetRtc(id)!.Status);
        return (id, receipt, vault);
    }

    private static string Rtcs(RtcCluster rtc)
    {
        using var rpc = rtc.Rpc();
        return Result(rpc, "thalamus_getRtcs", "[{\"limit\":1000}]").GetRawText();
    }

    private static List<ulong> ReplicatedFrom(MemberChain chain, ulong origin) =>
        [.. chain.GetLogs(new LogFilter { FromBlock = 1, ToBlock = chain.Head.Number, Addresses = [RtcPredeploys.AddressBook] })
            .Where(l => l.Topics[0] == AddressBook.Replicated && l.Topics[1].ToUInt256() == new UInt256(origin)).Select(l => l.BlockNumber)];

    private static bool ResolvesOn(RtcCluster rtc, MemberChain chain, string name) =>
        rtc.Call(chain, RtcPredeploys.AddressBook, Abi.Call("resolve(string)", AbiValue.String(name))).Success;

    /// <summary>Mines every chain the module has work for, until none has.</summary>
    private static void Drain(RtcCluster rtc)
    {
        for (var round = 0; round < 100 && rtc.Cluster.Chains.Any(rtc.Module.HasPendingWork); round++)
            foreach (var chain in rtc.Cluster.Chains)
                if (rtc.Module.HasPendingWork(chain)) chain.Mine();
    }

    [Fact]
    public async Task A_rollback_that_discards_the_block_which_sent_an_rtc_forgets_it_and_its_re_execution_is_indexed_once()
    {
        await using var rtc = Cluster();
        var (a, b) = (rtc[0], rtc[1]);
        var (id, receipt, vault) = SendDeposit(rtc);
        Assert.Equal(new UInt256(9), rtc.Word(b, vault, "deposits(address)", User));
        // The send goes back to A's pool; A seals it again only when asked, so what the rollback alone did shows.
        a.SetAutomine(false);

        var rollback = rtc.Cluster.RollBack(a.ChainId, receipt.BlockNumber, "block proven invalid");

        Assert.Contains("consumed message", rollback.Discarded.Single(d => d.ChainId == b.ChainId).Why);
        Assert.Equal([receipt.TransactionHash], rollback.Reinserted);
        // Gone from the index and the RPC (and from B's vault).
        Assert.Null(rtc.Module.GetRtc(id));
        using (var rpc = rtc.Rpc())
            Assert.Equal(System.Text.Json.JsonValueKind.Null, Result(rpc, "thalamus_getRtc", $"[\"{id}\"]").ValueKind);
        Assert.Empty(rtc.Module.GetRtcs(new RtcQuery()).Page);
        Assert.Equal(UInt256.Zero, rtc.Word(b, vault, "deposits(address)", User));

        // The send runs again: one RTC in the index, acked, deposited once.
        a.SetAutomine(true);
        if (rtc.Module.GetRtc(id) is { Status: RtcStatus.Pending }) Drain(rtc);
        var record = Assert.Single(rtc.Module.GetRtcs(new RtcQuery()).Page);
        Assert.Equal(id, record.Id);
        Assert.Equal(RtcStatus.Ack, record.Status);
        Assert.Equal(receipt.BlockNumber, record.SentBlockNumber);
        Assert.Equal(new UInt256(9), rtc.Word(b, vault, "deposits(address)", User));
    }

    [Fact]
    public async Task A_rollback_that_discards_the_block_which_replicated_a_name_replicates_it_again_once()
    {
        await using var rtc = Cluster(chains: 3);
        var (a, b) = (rtc[0], rtc[1]);
        var vault = rtc.Deploy(b, "RtcOwnedVault");
        Assert.True(rtc.Send(b, 0, RtcPredeploys.AddressBook, Abi.Call("register(string,address)", AbiValue.String("vault"), vault)).Success);
        Drain(rtc);
        var replicated = Assert.Single(ReplicatedFrom(a, B));

        var rollback = rtc.Cluster.RollBack(a.ChainId, replicated, "block proven invalid");

        Assert.Equal(a.ChainId, Assert.Single(rollback.Discarded).ChainId);
        Assert.False(ResolvesOn(rtc, a, "vault"));
        Assert.True(rtc.Module.HasPendingWork(a));

        Drain(rtc);
        Assert.True(ResolvesOn(rtc, a, "vault"));
        Assert.Single(ReplicatedFrom(a, B));
        Assert.Equal(UInt256.One, rtc.Word(a, RtcPredeploys.AddressBook, "applied(uint256)", B));
    }

    [Fact]
    public async Task A_rollback_that_discards_the_registering_block_takes_the_name_off_the_chains_that_replicated_it()
    {
        await using var rtc = Cluster(chains: 3);
        var (a, b, c) = (rtc[0], rtc[1], rtc[2]);
        var vault = rtc.Deploy(b, "RtcOwnedVault");
        var registered = rtc.Send(b, 0, RtcPredeploys.AddressBook, Abi.Call("register(string,address)", AbiValue.String("vault"), vault));
        Drain(rtc);
        Assert.True(ResolvesOn(rtc, a, "vault"));
        b.SetAutomine(false);

        var rollback = rtc.Cluster.RollBack(b.ChainId, registered.BlockNumber, "block proven invalid");

        // The blocks of A and C that replicated it consumed it (the module's answer to the taint): they went too.
        foreach (var chain in new[] { a, c })
            Assert.Equal($"rtc: applied address-book registration 1 made by chain {B} at or after its block {registered.BlockNumber}",
                rollback.Discarded.Single(d => d.ChainId == chain.ChainId).Why);
        Assert.False(ResolvesOn(rtc, a, "vault"));
        Assert.False(ResolvesOn(rtc, c, "vault"));
        Assert.Null(rtc.Module.ResolveName("vault"));
        Assert.False(rtc.Module.HasPendingWork(a));

        // Registered again; replicated once to each chain.
        b.SetAutomine(true);
        Drain(rtc);
        Assert.Equal((B, vault), rtc.Module.ResolveName("vault") is { } e ? (e.ChainId, e.Target) : default);
        Assert.True(ResolvesOn(rtc, a, "vault") && ResolvesOn(rtc, c, "vault"));
        Assert.Single(ReplicatedFrom(a, B));
        Assert.Single(ReplicatedFrom(c, B));
    }

    [Fact]
    public async Task A_rollback_that_discards_the_nodes_expiry_of_an_external_rtc_expires_it_again_once()
    {
        // An external chain nobody serves (its relayer is never started): the RTC waits until the node expires it.
        var relayerKey = Hex.Decode("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        var options = new RtcOptions
        {
            External = [new ExternalChainOptions
            {
                ChainId = External,
                Rpc = new Uri("http://127.0.0.1:9/"),
                Gateway = new Address(Hex.Decode("0x00000000000000000000000000000000000a11ce")),
                Relayers = [new RelayerOptions { Name = "nobody", PrivateKey = relayerKey, FeeWei = new UInt256(Fee) }],
            }],
            StartRelayers = false,
        };
        await using var rtc = Cluster(options: options);
        var a = rtc[0];
        const ulong wei = 12_345;
        var custody = new UInt256(wei + Fee); // the reserved value and the provider's fee, held by A's gateway
        rtc.Send(a, 3, RtcCluster.Accounts[3].Address, []); // the head's timestamp follows the clock from here
        var deadline = a.Head.Timestamp + 3;
        var sent = rtc.Send(a, 1, RtcPredeploys.Gateway,
            RtcCluster.Rtc(atomic: false, deadline, RtcCluster.NativeCall(External, User, [], wei)), value: custody);
        Assert.True(sent.Success);
        Assert.Equal(custody, a.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest));
        var id = RtcCluster.RtcIdOf(sent);
        while (rtc.Module.GetRtc(id)!.Status == RtcStatus.Pending) rtc.Send(a, 3, RtcCluster.Accounts[3].Address, []);
        var expiredIn = rtc.Module.GetRtc(id)!.SettledBlockNumber!.Value;
        Assert.Equal(1, ExpiriesOn(a, id));
        var userAfter = a.GetBalance(User, BlockSelector.Latest);
        a.SetAutomine(false);

        var rollback = rtc.Cluster.RollBack(a.ChainId, expiredIn, "block proven invalid");

        Assert.Equal(a.ChainId, Assert.Single(rollback.Discarded).ChainId);
        Assert.Equal(RtcStatus.Pending, rtc.Module.GetRtc(id)!.Status);
        Assert.Null(rtc.Module.GetRtc(id)!.SettledBlockNumber);
        Assert.Equal(0, ExpiriesOn(a, id));
        Assert.Equal(custody, a.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest));
        Assert.True(rtc.Module.HasPendingWork(a));

        // The node's expireRtc is proposed again, once; the value and the fee go back once.
        a.SetAutomine(true);
        Drain(rtc);
        Assert.Equal(RtcStatus.Expired, rtc.Module.GetRtc(id)!.Status);
        Assert.Equal(1, ExpiriesOn(a, id));
        Assert.Equal(UInt256.Zero, a.GetBalance(RtcPredeploys.Gateway, BlockSelector.Latest));
        Assert.Equal(userAfter, a.GetBalance(User, BlockSelector.Latest));
    }

    private static int ExpiriesOn(MemberChain chain, Hash256 id)
    {
        var data = Abi.Call("expireRtc(bytes32)", id);
        var count = 0;
        for (ulong n = 1; n <= chain.Head.Number; n++)
            foreach (var tx in chain.Store.GetBlock(n)!.Transactions)
                if (tx.To == RtcPredeploys.Gateway && tx.Data.AsSpan().SequenceEqual(data) && tx.RecoverSender() == RtcPredeploys.Account.Address) count++;
        return count;
    }

    [Fact]
    public async Task After_a_rollback_a_restart_rebuilds_the_same_rtc_index()
    {
        var path = Path.Combine(_directory, "restart.db");
        string before;
        Hash256 id;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var rtc = Cluster(database: database);
            var (first, _, vault) = SendDeposit(rtc);
            var second = rtc.Send(rtc[0], 1, RtcPredeploys.Gateway,
                RtcCluster.Rtc(atomic: false, 0, RtcCluster.CallObject(B, vault, Abi.Call("deposit(address,uint256)", User, 4UL))));
            id = RtcCluster.RtcIdOf(second);
            rtc[0].SetAutomine(false);
            rtc.Cluster.RollBack(rtc[0].ChainId, second.BlockNumber, "block proven invalid");
            Assert.Null(rtc.Module.GetRtc(id));
            Assert.Equal(RtcStatus.Ack, rtc.Module.GetRtc(first)!.Status);
            before = Rtcs(rtc);
        }

        using (var database = ClusterDatabase.Open(path))
        {
            await using var rtc = Cluster(database: database);
            Assert.Equal(before, Rtcs(rtc));
            Assert.Null(rtc.Module.GetRtc(id));
        }
    }

    [Fact]
    public async Task A_rollback_a_crash_interrupted_after_the_first_chain_leaves_no_stale_replication_mark_and_the_name_is_replicated_again_once()
    {
        TimeSpan[] blockTimes = [TimeSpan.FromHours(1), TimeSpan.Zero, TimeSpan.Zero];
        string clean;
        List<ulong>[] cleanReplicated;
        using (var database = ClusterDatabase.Open(Path.Combine(_directory, "clean-book.db")))
        {
            await using var rtc = Cluster(database: database, blockTimes: blockTimes);
            var registered = RegisterOnA(rtc);
            var rollback = rtc.Cluster.RollBack(rtc[0].ChainId, registered, "block proven invalid");
            Assert.Equal(3, rollback.Discarded.Count);
            rtc[0].Mine(); // the registration, back in A's pool, runs again
            Drain(rtc);
            clean = Resolve(rtc, "vault");
            cleanReplicated = [ReplicatedFrom(rtc[1], 901), ReplicatedFrom(rtc[2], 901)];
        }

        var path = Path.Combine(_directory, "crashed-book.db");
        using (var database = ClusterDatabase.Open(path))
        {
            await using var rtc = Cluster(database: database, blockTimes: blockTimes);
            var registered = RegisterOnA(rtc);
            var heads = rtc.Cluster.Chains.Select(c => c.Head.Number).ToArray();
            rtc.Cluster.AfterChainRewound = chainId => throw new SimulatedCrash(chainId);
            Assert.Throws<SimulatedCrash>(() => rtc.Cluster.RollBack(rtc[0].ChainId, registered, "block proven invalid"));
            // Torn: A rewound, B and C still hold their replications.
            Assert.Equal(registered - 1, rtc[0].Store.HeadNumber);
            Assert.Equal(heads[1], rtc[1].Store.HeadNumber);
            Assert.Equal(heads[2], rtc[2].Store.HeadNumber);
        }

        using (var database = ClusterDatabase.Open(path))
        {
            // The start rebuilt the book from the torn chains (B and C still marked as having applied A's registration), then
            // finished the rollback and rebuilt it again from the kept blocks: the marks are gone with B's and C's blocks.
            await using var rtc = Cluster(database: database, blockTimes: blockTimes);
            Assert.True(rtc.Cluster.Status().Rollback!.Resumed);
            Assert.Null(rtc.Module.ResolveName("vault"));
            Assert.False(ResolvesOn(rtc, rtc[1], "vault"));
            rtc[0].Mine();
            Drain(rtc);
            Assert.Equal(clean, Resolve(rtc, "vault"));
            Assert.True(ResolvesOn(rtc, rtc[1], "vault") && ResolvesOn(rtc, rtc[2], "vault"));
            Assert.Equal(cleanReplicated, [ReplicatedFrom(rtc[1], 901), ReplicatedFrom(rtc[2], 901)]);
            Assert.Single(ReplicatedFrom(rtc[1], 901));
        }
    }

    [Fact]
    public async Task A_rollback_a_crash_interrupted_between_two_chains_ends_with_the_rtc_index_of_a_clean_rollback()
    {
        string clean;
        using (var database = ClusterDatabase.Open(Path.Combine(_directory, "clean.db")))
        {
            await using var rtc = Cluster(database: database);
            var (_, receipt, _) = SendDeposit(rtc);
            rtc.Cluster.RollBack(rtc[0].ChainId, receipt.BlockNumber, "block proven invalid");
            Drain(rtc);
            clean = Rtcs(rtc);
        }

        var path = Path.Combine(_directory, "crashed.db");
        Hash256 id;
        Address vault;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var rtc = Cluster(database: database);
            (id, var receipt, vault) = SendDeposit(rtc);
            var bHead = rtc[1].Head.Number;
            rtc.Cluster.AfterChainRewound = chainId => throw new SimulatedCrash(chainId);
            Assert.Throws<SimulatedCrash>(() => rtc.Cluster.RollBack(rtc[0].ChainId, receipt.BlockNumber, "block proven invalid"));
            Assert.Equal(receipt.BlockNumber - 1, rtc[0].Store.HeadNumber);
            Assert.Equal(bHead, rtc[1].Store.HeadNumber);
        }

        using (var database = ClusterDatabase.Open(path))
        {
            await using var rtc = Cluster(database: database);
            Assert.True(rtc.Cluster.Status().Rollback!.Resumed);
            Drain(rtc);
            Assert.Equal(clean, Rtcs(rtc));
            Assert.Equal(RtcStatus.Ack, Assert.Single(rtc.Module.GetRtcs(new RtcQuery()).Page).Status);
            Assert.Equal(id, rtc.Module.GetRtcs(new RtcQuery()).Page[0].Id);
            Assert.Equal(new UInt256(9), rtc.Word(rtc[1], vault, "deposits(address)", User));
        }
    }
}
