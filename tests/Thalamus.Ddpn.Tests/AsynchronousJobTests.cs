using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Dlx;
using Xunit.Abstractions;
using static Thalamus.Ddpn.Tests.DdpnTestKit;

namespace Thalamus.Ddpn.Tests;

/// <summary>
/// Independent segments (<c>.segment</c>) on three interval chains at once, joined on one, against the
/// synchronous schedule of the same job (one segment after another). Time is counted in block intervals
/// of the cluster's clock: each tick, every transaction whose inputs are ready is sent, then one block
/// interval passes and every chain seals.
/// </summary>
public sealed class AsynchronousJobTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class Driver(DdpnTestKit kit, ManualTimeProvider clock)
    {
        public int Ticks { get; private set; }

        public async Task<List<TransactionReceipt>> Tick(params (MemberChain Chain, byte[] Data)[] sends)
        {
            var nonces = new Dictionary<ulong, ulong>();
            var hashes = new List<(MemberChain, Hash256)>();
            foreach (var (chain, data) in sends)
            {
                var nonce = nonces.TryGetValue(chain.ChainId, out var n) ? n : chain.GetTransactionCount(Accounts[0].Address, BlockSelector.Pending);
                nonces[chain.ChainId] = nonce + 1;
                hashes.Add((chain, chain.SendTransaction(Sign(chain, 0, data, 7_000_000, nonce))));
            }
            clock.Advance(TimeSpan.FromSeconds(1));
            Ticks++;
            var receipts = new List<TransactionReceipt>();
            foreach (var (chain, hash) in hashes)
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                TransactionReceipt? receipt;
                while ((receipt = chain.GetReceipt(hash)) is null)
                {
                    if (DateTime.UtcNow > deadline) throw new TimeoutException($"not mined on chain {chain.ChainId}");
                    await Task.Delay(10);
                }
                Assert.True(receipt.Success, $"refused on chain {chain.ChainId}");
                receipts.Add(receipt);
            }
            _ = kit;
            return receipts;
        }
    }

    private static Hash256 JobOf(TransactionReceipt receipt) => Assert.Single(receipt.Logs, l => l.Topics[0] == DdpnUnitAbi.JobCreated).Topics[1];

    [Fact]
    public async Task Segments_running_on_three_chains_at_once_finish_in_fewer_blocks_than_the_synchronous_schedule_with_the_same_output()
    {
        var image = Assemble("parallel_primes.s");
        var local = DlxParallelExecutor.Run(image, []);
        Assert.True(local.Succeeded);
        var budget = (ulong)(local.Segments.Max(s => s.GasUsed) / 3 + 1);
        var asyncRun = await RunSchedule(image, budget, asynchronous: true);
        var syncRun = await RunSchedule(image, budget, asynchronous: false);
        Assert.Equal(local.Output, asyncRun.Output);
        Assert.Equal(local.Output, syncRun.Output);
        output.WriteLine($"parallel_primes, 4 segments, {budget} DLX gas per block: asynchronous {asyncRun.Ticks} blocks, synchronous {syncRun.Ticks} blocks");
        Assert.True(asyncRun.Ticks < syncRun.Ticks, $"asynchronous {asyncRun.Ticks} blocks, synchronous {syncRun.Ticks}");
    }

    private static async Task<(byte[] Output, int Ticks)> RunSchedule(DlxProgramImage image, ulong budget, bool asynchronous)
    {
        var clock = new ManualTimeProvider(Start);
        await using var kit = new DdpnTestKit([.. Enumerable.Range(0, 3).Select(i => new ClusterChainOptions { ChainId = 901 + (ulong)i, BlockTime = TimeSpan.FromSeconds(1) })],
            time: clock);
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        // Setup (not counted): the program registered on every chain.
        kit.Cluster.Start();
        var setup = new Driver(kit, clock);
        var program = Hash256.Zero;
        foreach (var chain in new[] { a, b, c })
        {
            var chunks = DlxChunker.Split(image.ToBytes(), 4096);
            program = new Hash256(System.Security.Cryptography.SHA256.HashData(chunks[0]));
            await setup.Tick((chain, Abi.Call(DdpnUnitAbi.BeginSubmission, AbiValue.Bytes(chunks[0]))));
            await setup.Tick((chain, Abi.Call(DdpnUnitAbi.RegisterProgram, program)));
        }
        var driver = new Driver(kit, clock);
        MemberChain[] home = [a, b, c, a];
        var jobs = new Hash256[4];

        async Task RunSegments(int[] segments)
        {
            var created = await driver.Tick([.. segments.Select(i => (home[i], Abi.Call(DdpnUnitAbi.CreateJob, program, AbiValue.Array(), 1UL << 40, (ulong)(i + 1))))]);
            for (var k = 0; k < segments.Length; k++) jobs[segments[k]] = JobOf(created[k]);
            while (true)
            {
                var pending = segments.Where(i => Job(home[i], jobs[i]).Status != DlxStatus.Halted).ToArray();
                if (pending.Length == 0) break;
                await driver.Tick([.. pending.Select(i => (home[i], Abi.Call(DdpnUnitAbi.Run, jobs[i], budget)))]);
            }
            var away = segments.Where(i => home[i] != a).ToArray();
            if (away.Length > 0) await driver.Tick([.. away.Select(i => (home[i], Abi.Call(DdpnUnitAbi.Transfer, jobs[i], a.ChainId)))]);
        }

        if (asynchronous) await RunSegments([0, 1, 2, 3]);
        else
            for (var i = 0; i < 4; i++) await RunSegments([i]);
        var join = JobOf((await driver.Tick((a, Abi.Call(DdpnUnitAbi.CreateJoin, program, AbiValue.Array(),
            AbiValue.Array([.. jobs.Select(j => (AbiValue)j)]), 1UL << 40))))[0]);
        while (Job(a, join).Status != DlxStatus.Halted) await driver.Tick((a, Abi.Call(DdpnUnitAbi.Run, join, budget)));
        return (Output(a, join), driver.Ticks);
    }
}
