using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;
using Thalamus.Storage;

namespace Thalamus.Cluster.Tests;

/// <summary>
/// A rollback is crash-safe across chains: its intent is stored before the first chain is rewound, and a start that finds it
/// finishes the rollback before anything else, so every chain ends where a clean rollback leaves it.
/// </summary>
public sealed class RollbackCrashTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-rollback-crash-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static readonly Address Somebody = new(Hex.Decode("0x00000000000000000000000000000000000b0b00"));

    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100);

    /// <summary>Stands for the process dying: thrown by the fault injection point, caught by nobody in the cluster.</summary>
    private sealed class SimulatedCrash(ulong chainId) : Exception($"simulated crash after chain {chainId} was rewound");

    /// <summary>Counts its RolledBack calls and stores one row per rollback (the slot and the chains discarded), with the rollback.</summary>
    private sealed class RecordingModule : IClusterModule
    {
        public const string ModuleName = "recording";

        public List<ClusterRollback> Calls { get; } = [];

        public IReadOnlyList<(byte[] Key, byte[] Value)> RowsAtAttach { get; private set; } = [];

        public string Name => ModuleName;

        public void Attach(IClusterHost host) => RowsAtAttach = host.ReadState(ModuleName);

        public void RolledBack(ClusterRollback rollback)
        {
            Calls.Add(rollback);
            rollback.State.Put(ModuleName, "rolledBack"u8, System.Text.Encoding.UTF8.GetBytes(string.Join(",", rollback.Discarded.Select(d => $"{d.ChainId}:{d.FromNumber}"))));
        }
    }

    /// <summary>The scenario of RollbackTests' first test: A's bad block sends a message B's next block consumes; B and C go on.</summary>
    private sealed record Scenario(ulong BadBlock, Hash256 SendTx, Hash256 BTransfer);

    private static byte[] SendMessage(ulong destination, Address target, string text) =>
        Abi.Call("sendMessage(uint256,address,bytes)", destination, target, AbiValue.Bytes(Abi.Call("receiveMessage(string)", AbiValue.String(text))));

    private static Scenario Run(ClusterTestKit kit)
    {
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var receiver = kit.Deploy(b, "MessageReceiver");
        kit.Send(c, 2, Somebody, []);
        kit.Send(a, 2, Somebody, []);
        var send = kit.Send(a, 1, ClusterPredeploys.Messenger, SendMessage(b.ChainId, receiver, "tainted"));
        var bTransfer = kit.Send(b, 3, Somebody, []);
        kit.Send(c, 3, Somebody, []);
        return new Scenario(send.BlockNumber, send.TransactionHash, bTransfer.TransactionHash);
    }

    private static (ulong Number, Hash256 Hash, Hash256 Root)[] Heads(ClusterTestKit kit) =>
        [.. kit.Cluster.Chains.Select(c => (c.Head.Number, c.Head.Hash, c.Head.StateRoot))];

    private static (Hash256 Id, MessageStatus Status, ulong? Delivered)[] Messages(ClusterTestKit kit) =>
        [.. kit.Cluster.AllMessages().Select(m => (m.Id, m.Status, m.DeliveredBlockNumber))];

    /// <summary>Every block of every chain, by hash: what the chains hold, not only their heads.</summary>
    private static Hash256[][] Blocks(ClusterTestKit kit) =>
        [.. kit.Cluster.Chains.Select(c => Enumerable.Range(0, (int)c.Head.Number + 1).Select(n => c.Store.GetBlock((ulong)n)!.Hash).ToArray())];

    [Fact]
    public async Task A_crash_between_two_chains_rewinds_is_finished_by_the_restart_and_every_chain_ends_as_after_a_clean_rollback()
    {
        // The clean rollback, on its own database and the same (manual) clock: the reference.
        (ulong, Hash256, Hash256)[] cleanHeads;
        Hash256[][] cleanBlocks;
        (Hash256, MessageStatus, ulong?)[] cleanMessages;
        ClusterRollback clean;
        using (var database = ClusterDatabase.Open(Path.Combine(_directory, "clean.db")))
        {
            await using var kit = new ClusterTestKit(chains: 3, database: database, time: new ManualTimeProvider(Start));
            var scenario = Run(kit);
            clean = kit.Cluster.RollBack(kit[0].ChainId, scenario.BadBlock, "block proven invalid");
            cleanHeads = Heads(kit);
            cleanBlocks = Blocks(kit);
            cleanMessages = Messages(kit);
        }

        var path = Path.Combine(_directory, "crashed.db");
        Scenario crashed;
        var recordingBefore = new RecordingModule();
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 3, database: database, time: new ManualTimeProvider(Start), modules: [recordingBefore]);
            var (a, b) = (kit[0], kit[1]);
            crashed = Run(kit);
            var bHead = b.Head.Number;
            kit.Cluster.AfterChainRewound = id => throw new SimulatedCrash(id);

            var crash = Assert.Throws<SimulatedCrash>(() => kit.Cluster.RollBack(a.ChainId, crashed.BadBlock, "block proven invalid"));

            // The crash left the cluster torn: A rewound (on disk), B not; no module was told.
            Assert.Equal($"simulated crash after chain {a.ChainId} was rewound", crash.Message);
            Assert.Equal(crashed.BadBlock - 1, a.Store.HeadNumber);
            Assert.Equal(bHead, b.Store.HeadNumber);
            Assert.Empty(recordingBefore.Calls);
            Assert.Null(kit.Cluster.Status().Rollback);
        }

        var recording = new RecordingModule();
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 3, database: database, time: new ManualTimeProvider(Start), modules: [recording]);

            // The start finished the rollback before anything else: every chain as after the clean one, block by block,
            // the users' transactions re-executed, the message index rebuilt, and the modules told once, with the rows they had.
            Assert.Equal(cleanHeads, Heads(kit));
            Assert.Equal(cleanBlocks, Blocks(kit));
            Assert.Equal(cleanMessages, Messages(kit));
            var rollback = kit.Cluster.Status().Rollback;
            Assert.NotNull(rollback);
            Assert.True(rollback.Resumed);
            Assert.False(clean.Resumed);
            Assert.Equal(clean.Request, rollback.Request);
            Assert.Equal(clean.Discarded, rollback.Discarded);
            Assert.Equal(clean.Reinserted.Order(), rollback.Reinserted.Order());
            Assert.Equal([crashed.SendTx, crashed.BTransfer], rollback.Reinserted.Order());
            Assert.Empty(rollback.Dropped);
            Assert.Empty(recording.RowsAtAttach);
            Assert.Same(rollback, Assert.Single(recording.Calls));
            Assert.Empty(kit.Cluster.StoredModuleKeys(RollbackIntent.Module));
        }

        // The intent went with the modules' rows: a further start rolls nothing back and finds the module's row.
        var again = new RecordingModule();
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 3, database: database, time: new ManualTimeProvider(Start), modules: [again]);
            Assert.Equal(cleanHeads, Heads(kit));
            Assert.Null(kit.Cluster.Status().Rollback);
            Assert.Empty(again.Calls);
            var row = Assert.Single(again.RowsAtAttach);
            Assert.Equal(string.Join(",", clean.Discarded.Select(d => $"{d.ChainId}:{d.FromNumber}")), System.Text.Encoding.UTF8.GetString(row.Value));
        }
    }

    [Fact]
    public async Task A_crash_after_every_chain_was_rewound_but_before_the_modules_rows_committed_is_finished_once_by_the_restart()
    {
        var path = Path.Combine(_directory, "late.db");
        Scenario scenario;
        (ulong, Hash256, Hash256)[] rewound;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 3, database: database, time: new ManualTimeProvider(Start));
            scenario = Run(kit);
            var last = kit[1].ChainId;
            kit.Cluster.AfterChainRewound = id =>
            {
                if (id == last) throw new SimulatedCrash(id);
            };
            Assert.Throws<SimulatedCrash>(() => kit.Cluster.RollBack(kit[0].ChainId, scenario.BadBlock, "block proven invalid"));
            rewound = Heads(kit);
        }

        var recording = new RecordingModule();
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 3, database: database, time: new ManualTimeProvider(Start), modules: [recording]);

            // Nothing left to rewind: the chains kept the blocks the rollback keeps, the users' transactions ran again on top.
            var rollback = Assert.Single(recording.Calls);
            Assert.True(rollback.Resumed);
            Assert.Equal([scenario.SendTx, scenario.BTransfer], rollback.Reinserted.Order());
            for (var i = 0; i < 2; i++)
                Assert.Equal(rewound[i].Item2, kit[i].Store.GetBlock(rewound[i].Item1)!.Hash);
            Assert.Equal(rewound[2], Heads(kit)[2]);
            Assert.True(kit[0].GetReceipt(scenario.SendTx)!.Success);
            Assert.NotNull(kit[1].GetReceipt(scenario.BTransfer));
            var message = Assert.Single(kit.Cluster.AllMessages());
            Assert.Equal(MessageStatus.Relayed, message.Status);
        }
    }

    [Fact]
    public async Task A_rollback_that_failed_part_way_in_a_running_node_is_finished_before_its_next_block_is_sealed()
    {
        await using var kit = new ClusterTestKit(chains: 3, time: new ManualTimeProvider(Start));
        var (a, b) = (kit[0], kit[1]);
        var scenario = Run(kit);
        var bHead = b.Head.Number;
        kit.Cluster.AfterChainRewound = id => throw new SimulatedCrash(id);
        Assert.Throws<SimulatedCrash>(() => kit.Cluster.RollBack(a.ChainId, scenario.BadBlock, "block proven invalid"));
        Assert.Equal(bHead, b.Head.Number);
        kit.Cluster.AfterChainRewound = null;

        // The next transaction's slot first completes the rollback (B is rewound, the users' transactions go back), then seals.
        var transfer = kit.Send(kit[2], 0, Somebody, []);

        Assert.True(transfer.Success);
        var rollback = kit.Cluster.Status().Rollback;
        Assert.NotNull(rollback);
        Assert.Equal(scenario.BadBlock, rollback.FirstDiscarded(a.ChainId));
        Assert.NotNull(rollback.FirstDiscarded(b.ChainId));
        Assert.Equal([scenario.SendTx, scenario.BTransfer], rollback.Reinserted.Order());
        Assert.True(a.GetReceipt(scenario.SendTx)!.Success);
        Assert.Equal(MessageStatus.Relayed, Assert.Single(kit.Cluster.AllMessages()).Status);
    }

    [Fact]
    public async Task A_stored_rollback_intent_that_cannot_be_read_stops_the_start_with_the_reason_and_is_left_in_place()
    {
        var path = Path.Combine(_directory, "bad.db");
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new ClusterTestKit(chains: 2, database: database);
            kit.Send(kit[0], 0, Somebody, []);
            using var batch = database.BeginSlot();
            batch.PutModuleState(RollbackIntent.Module, RollbackIntent.Key, [7, 1, 2]);
            batch.Commit();
        }
        using (var database = ClusterDatabase.Open(path))
        {
            var refused = Assert.Throws<StorageException>(() => new ClusterTestKit(chains: 2, database: database));
            Assert.Equal("the stored rollback intent (3 bytes) cannot be read: version 7; this build reads version 1", refused.Message);
            Assert.Single(database.ReadModuleState(RollbackIntent.Module));
        }
    }
}
