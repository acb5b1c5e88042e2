using System.Globalization;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.State;
using Thalamus.Storage.CrashHarness;
using Xunit;

namespace Thalamus.Storage.Tests;

/// <summary>
/// kill -9 for real: the harness commits in a loop in its own process and prints what it
/// committed; it is killed with SIGKILL at a random moment, several times over the same file.
/// Everything printed must be in the reopened database, intact, nothing half-written, and the
/// next run must resume where the store says.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();
    private readonly Random _random = new(20240601);

    public void Dispose() => _dir.Dispose();

    private string DatabasePath => _dir.File("node.db");

    private static ClusterDatabase Reopen(string path)
    {
        var database = ClusterDatabase.Open(path, new ClusterDatabaseOptions { VerifyIntegrityOnOpen = true });
        Assert.Equal(["ok"], database.CheckIntegrity());
        return database;
    }

    private static List<ulong> Numbers(IEnumerable<string> lines, string prefix) =>
        lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => ulong.Parse(l[prefix.Length..], CultureInfo.InvariantCulture)).ToList();

    /// <summary>Lets the harness reach <paramref name="lines"/> lines with <paramref name="prefix"/>, then kills it 0-3 ms later.</summary>
    private void RunAndKill(HarnessProcess harness, string prefix, int lines)
    {
        harness.WaitForLines(prefix, lines, Patience);
        var delay = _random.Next(0, 4);
        if (delay > 0) Thread.Sleep(delay);
        harness.KillHard();
    }

    [Fact]
    public void Synthetic_blocks_reported_committed_survive_SIGKILL()
    {
        const int txs = 100;
        ulong lastHead = 0;
        for (var round = 0; round < 5; round++)
        {
            List<ulong> reported;
            using (var harness = HarnessProcess.Start("synthetic", DatabasePath, txs.ToString(CultureInfo.InvariantCulture), "-1"))
            {
                // Aimed at the commit: right after the harness announced it.
                RunAndKill(harness, "begin ", 8 + round * 3);
                Assert.Contains($"resumed head {lastHead}", harness.Lines);
                reported = Numbers(harness.Lines, "committed ");
            }

            using var database = Reopen(DatabasePath);
            var store = database.GetChainStore(1);
            var head = store.HeadNumber!.Value;
            var lastReported = reported.Count == 0 ? 0 : reported.Max();
            Assert.True(head >= lastReported, $"head #{head} is below the reported #{lastReported}");
            Assert.True(head <= lastReported + 1, "at most the block being committed at the kill may be there unreported");
            Assert.Equal(0, StoreVerifier.RowsAbove(DatabasePath, 1, head));
            StoreVerifier.VerifySyntheticChain(store, txs);
            lastHead = head;
        }
    }

    [Fact]
    public void Slots_commit_every_chain_or_none_across_SIGKILL()
    {
        const int chains = 3;
        ulong lastHead = 0;
        for (var round = 0; round < 5; round++)
        {
            List<ulong> reported;
            using (var harness = HarnessProcess.Start("slots", DatabasePath, chains.ToString(CultureInfo.InvariantCulture), "40", "-1"))
            {
                RunAndKill(harness, "begin ", 8 + round * 3);
                Assert.Contains($"resumed head {lastHead}", harness.Lines);
                reported = Numbers(harness.Lines, "slot ");
            }

            using var database = Reopen(DatabasePath);
            var heads = Enumerable.Range(1, chains).Select(id => database.GetChainStore((ulong)id).HeadNumber!.Value).ToList();
            Assert.True(heads.Distinct().Count() == 1, $"chain heads differ after the kill: {string.Join(", ", heads)}");
            Assert.True(heads[0] >= (reported.Count == 0 ? 0 : reported.Max()));
            for (var id = 1UL; id <= chains; id++)
            {
                Assert.Equal(0, StoreVerifier.RowsAbove(DatabasePath, id, heads[0]));
                StoreVerifier.VerifySyntheticChain(database.GetChainStore(id), 40);
            }
            lastHead = heads[0];
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(25)]
    public void Every_transaction_that_got_a_receipt_survives_SIGKILL_of_a_member_chain(int batch)
    {
        var confirmed = new Dictionary<Hash256, (ulong Block, ulong Nonce)>();
        for (var round = 0; round < 3; round++)
        {
            using (var harness = HarnessProcess.Start("memberchain", DatabasePath, batch.ToString(CultureInfo.InvariantCulture), "-1"))
            {
                RunAndKill(harness, "receipt ", confirmed.Count + 40 + round * 10);
                var resumed = harness.Lines.First(l => l.StartsWith("resumed ", StringComparison.Ordinal)).Split(' ');
                // "resumed head H nonce N": the restart picks up after everything confirmed before.
                var resumedNonce = ulong.Parse(resumed[4], CultureInfo.InvariantCulture);
                Assert.True(confirmed.Count == 0 || resumedNonce > confirmed.Values.Max(v => v.Nonce));
                foreach (var line in harness.Lines.Where(l => l.StartsWith("receipt ", StringComparison.Ordinal)))
                {
                    var parts = line.Split(' ');
                    confirmed[Hash256.Parse(parts[1])] = (ulong.Parse(parts[2], CultureInfo.InvariantCulture), ulong.Parse(parts[3], CultureInfo.InvariantCulture));
                }
            }

            using var database = Reopen(DatabasePath);
            var store = database.GetChainStore(MemberChainLoad.ChainId);
            var head = store.GetHeader(store.HeadNumber!.Value)!;
            Assert.Equal(0, StoreVerifier.RowsAbove(DatabasePath, MemberChainLoad.ChainId, head.Number));
            var state = new WorldState(store.StateNodes, head.StateRoot);
            foreach (var (hash, (block, nonce)) in confirmed)
            {
                var receipt = store.GetReceipt(hash);
                Assert.NotNull(receipt);
                Assert.True(receipt.Success);
                Assert.Equal(block, receipt.BlockNumber);
                Assert.Contains(store.GetBlock(block)!.Transactions, tx => tx.Hash == hash);
                Assert.Equal(MemberChainLoad.Amount(nonce), state.GetBalance(MemberChainLoad.Recipient(nonce)));
            }
            Assert.True(state.GetNonce(MemberChainLoad.SenderAddress) > confirmed.Values.Max(v => v.Nonce));
            TrieWalker.WalkState(store.StateNodes, head.StateRoot);
        }

        // And the chain opens on the store as a MemberChain, at the same head and root.
        using (var database = Reopen(DatabasePath))
        {
            var store = database.GetChainStore(MemberChainLoad.ChainId);
            var headNumber = store.HeadNumber!.Value;
            var chain = new MemberChain(MemberChainLoad.Profile(automine: true), MemberChainLoad.Genesis(), store);
            Assert.Equal(headNumber, chain.Head.Number);
            Assert.Equal(store.GetHeader(headNumber)!.StateRoot, chain.Head.StateRoot);
        }
    }
}
