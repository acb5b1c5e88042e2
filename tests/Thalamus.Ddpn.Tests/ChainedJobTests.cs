using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Dlx;
using Xunit.Abstractions;
using static Thalamus.Ddpn.Tests.DdpnTestKit;

namespace Thalamus.Ddpn.Tests;

/// <summary>The first "must show": a 1 MB input submitted in chunks, its SHA-256 computed across three chains.</summary>
public sealed class ChainedJobTests(ITestOutputHelper output)
{
    /// <summary>The chunk size for a chain whose transactions are at most 2 KiB: a chunk, its ABI call and the signed envelope fit.</summary>
    private const int ChunkLimit = 1760;

    private const long GasLimit = 1L << 40;

    [Fact]
    public async Task A_1_MB_input_chunked_onto_a_2_KB_chain_is_hashed_across_three_chains_exactly_as_a_local_run()
    {
        await using var kit = new DdpnTestKit(
        [
            new ClusterChainOptions { ChainId = 901, MaxTransactionBytes = 2048 },
            new ClusterChainOptions { ChainId = 902 },
            new ClusterChainOptions { ChainId = 903 },
        ]);
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var image = Assemble("sha256.s");
        var input = new byte[1 << 20];
        new Random(14).NextBytes(input);
        var local = DlxMachine.Load(image, [input], new DlxMachineOptions { GasLimit = GasLimit });
        local.Run();
        Assert.Equal(DlxStatus.Halted, local.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(input)) + "\n", Encoding.ASCII.GetString(local.Output));

        var submit = Stopwatch.StartNew();
        var program = RegisterProgram(a, image, ChunkLimit);
        var inputId = Submit(a, input, ChunkLimit, "input");
        submit.Stop();
        var chunkCount = DlxChunker.Split(input, ChunkLimit, "input"u8).Count;
        Assert.True(chunkCount > 500, $"{chunkCount} chunks");
        var job = CreateJob(a, program, [inputId], GasLimit);

        // A third of the work on each chain; the state moves 901 -> 902 -> 903 in between.
        var logs = new List<LogRecord>();
        long evmGas = 0, runGas = 0, runInstructions = 0;
        var runTime = TimeSpan.Zero;
        var share = local.GasUsed / 3;
        void RunUntil(MemberChain chain, long target)
        {
            while (true)
            {
                var info = Job(chain, job);
                if (info.Status == DlxStatus.Halted || (long)info.DlxGasUsed >= target) return;
                var clock = Stopwatch.StartNew();
                var receipt = Send(chain, Abi.Call(DdpnUnitAbi.Run, job, (ulong)(target - (long)info.DlxGasUsed)));
                runTime += clock.Elapsed;
                logs.AddRange(receipt.Logs);
                evmGas += (long)receipt.GasUsed;
                runGas += (long)receipt.GasUsed;
                var executed = new AbiReader(Assert.Single(receipt.Logs, l => l.Topics[0] == DdpnUnitAbi.Executed).Data);
                runInstructions += (long)executed.UInt64(3);
            }
        }
        void Transfer(MemberChain from, MemberChain to)
        {
            var receipt = Send(from, Abi.Call(DdpnUnitAbi.Transfer, job, to.ChainId));
            logs.AddRange(receipt.Logs);
            evmGas += (long)receipt.GasUsed;
            var imported = Assert.Single(to.GetLogs(new LogFilter { FromBlock = to.Head.Number, ToBlock = to.Head.Number, Addresses = [DdpnAddresses.Unit] }),
                l => l.Topics[0] == DdpnUnitAbi.StateImported);
            logs.Add(imported);
        }

        RunUntil(a, share);
        Transfer(a, b);
        RunUntil(b, 2 * share);
        Transfer(b, c);
        RunUntil(c, long.MaxValue);

        // The output and the final state are those of the uninterrupted local run.
        var final = Job(c, job);
        Assert.Equal(DlxStatus.Halted, final.Status);
        Assert.Equal(local.Output.ToArray(), Output(c, job));
        Assert.Equal(new Hash256(local.ComputeStateHash()), final.StateHash);
        Assert.Equal((ulong)local.Instructions, final.Instructions);
        Assert.Equal(DdpnJobLocation.Moved, Job(a, job).Location);
        Assert.Equal(903UL, Job(b, job).TransferredTo);

        // The logger's hashes check out: program, input, every state before/after (across the transfers), output.
        Assert.Equal(new Hash256(image.ComputeHash()), final.ProgramHash);
        Assert.Equal(VirtualizationUnit.InputHashOf([input]), final.InputHash);
        Assert.Equal(new Hash256(SHA256.HashData(MachineState(c, job))), final.StateHash);
        Assert.Equal(new Hash256(SHA256.HashData(local.Output)), final.OutputHash);
        var initial = DlxMachine.Load(image, [input], new DlxMachineOptions { GasLimit = GasLimit });
        var current = new Hash256(initial.ComputeStateHash());
        var runs = 0;
        foreach (var log in logs)
        {
            if (log.Topics[1] != job) continue;
            var data = new AbiReader(log.Data);
            if (log.Topics[0] == DdpnUnitAbi.Executed)
            {
                Assert.Equal(current, data.Bytes32(0));
                current = data.Bytes32(1);
                runs++;
            }
            else if (log.Topics[0] == DdpnUnitAbi.StateExported || log.Topics[0] == DdpnUnitAbi.StateImported)
                Assert.Equal(current, data.Bytes32(1));
        }
        Assert.Equal(final.StateHash, current);
        Assert.Equal((ulong)runs, final.Runs);
        Assert.Contains(logs, l => l.Topics[0] == DdpnUnitAbi.JobFinished && new AbiReader(l.Data).Bytes32(2) == final.OutputHash);
        // The stored execution records (getExecution) chain up the same way across the three units, each chain holding its own runs.
        var previous = new Hash256(initial.ComputeStateHash());
        var chainsUsed = new HashSet<ulong>();
        for (ulong i = 0; i < final.Runs; i++)
        {
            var holder = new[] { a, b, c }.Single(chain => !Execution(chain, job, i).After.IsZero);
            chainsUsed.Add(holder.ChainId);
            var (before, after) = Execution(holder, job, i);
            Assert.Equal(previous, before);
            previous = after;
        }
        Assert.Equal(final.StateHash, previous);
        Assert.Equal(3, chainsUsed.Count);

        // Everything the job cost on the three chains: submission, registration, creation, runs, transfers.
        ulong total = 0, submissionGas = 0;
        foreach (var chain in new[] { a, b, c })
            for (ulong n = 1; n <= chain.Head.Number; n++)
                foreach (var tx in chain.Store.GetBlock(n)!.Transactions)
                {
                    if (tx.To != DdpnAddresses.Unit) continue;
                    var gasUsed = chain.GetReceipt(tx.Hash)!.GasUsed;
                    total += gasUsed;
                    if (tx.Data.AsSpan().StartsWith(Abi.Selector(DdpnUnitAbi.ContinueSubmission).ToArray()) || tx.Data.AsSpan().StartsWith(Abi.Selector(DdpnUnitAbi.BeginSubmission).ToArray()))
                        submissionGas += gasUsed;
                }
        output.WriteLine($"EVM gas of the whole 1 MB job: {total} (chained submission {submissionGas}, runs and transfers {evmGas})");
        output.WriteLine($"1 MB input: {chunkCount} chunks of {ChunkLimit} bytes on chain 901, submitted in {submit.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"job: {local.Instructions} DLX instructions, {local.GasUsed} DLX gas, {runs} runs on 3 chains, EVM gas of runs and transfers {evmGas}");
        output.WriteLine($"DLX instructions per EVM gas (runs): {(double)runInstructions / runGas:F3}");
        output.WriteLine($"on-chain MIPS (DLX instructions per second of wall time of the run transactions, sealing included): {runInstructions / runTime.TotalSeconds / 1e6:F1}");
    }

    [Fact]
    public async Task Every_chain_of_a_transferred_job_replays_alone_to_the_same_blocks()
    {
        await using var kit = new DdpnTestKit([new ClusterChainOptions { ChainId = 901 }, new ClusterChainOptions { ChainId = 902 }]);
        var image = Assemble("sort.s");
        var program = RegisterProgram(kit[0], image, 256);
        var input = Submit(kit[0], "9 3 7 1 8 2"u8.ToArray(), 256);
        var job = CreateJob(kit[0], program, [input], 10_000_000);
        Send(kit[0], Abi.Call(DdpnUnitAbi.Run, job, 300UL));
        Send(kit[0], Abi.Call(DdpnUnitAbi.Transfer, job, 902UL));
        Send(kit[1], Abi.Call(DdpnUnitAbi.Run, job, ulong.MaxValue));
        Assert.Equal(DlxStatus.Halted, Job(kit[1], job).Status);

        var reports = Thalamus.Cluster.Replay.ClusterReplayer.VerifyCluster(kit.Cluster);
        Assert.All(reports, r => Assert.Empty(r.Mismatches));
        Assert.All(reports, r => Assert.True(r.BlocksChecked > 1));
    }

    [Fact]
    public async Task A_job_stops_exactly_where_its_DLX_gas_runs_out_as_the_local_machine_does()
    {
        await using var kit = new DdpnTestKit([new ClusterChainOptions { ChainId = 901 }]);
        var image = Assemble("factorial.s");
        var full = DlxMachine.Load(image);
        full.Run();
        var limit = full.GasUsed / 2 + 1;
        var local = DlxMachine.Load(image, options: new DlxMachineOptions { GasLimit = limit });
        local.Run();
        Assert.Equal(DlxStatus.OutOfGas, local.Status);

        var program = RegisterProgram(kit[0], image, 4096);
        var job = CreateJob(kit[0], program, [], (ulong)limit);
        Send(kit[0], Abi.Call(DdpnUnitAbi.Run, job, ulong.MaxValue));
        var info = Job(kit[0], job);
        Assert.Equal(DlxStatus.OutOfGas, info.Status);
        Assert.Equal((ulong)local.GasUsed, info.DlxGasUsed);
        Assert.Equal(new Hash256(local.ComputeStateHash()), info.StateHash);
        Assert.Equal(local.Output.ToArray(), Output(kit[0], job));
        Assert.Equal($"DDPN: job {job} has finished (OutOfGas)", Reason(kit[0], Abi.Call(DdpnUnitAbi.Run, job, 1000UL)));
    }

    [Fact]
    public async Task A_job_gets_the_memory_limit_of_its_chain_profile_and_cannot_move_to_a_chain_with_less()
    {
        await using var kit = new DdpnTestKit([new ClusterChainOptions { ChainId = 901 }, new ClusterChainOptions { ChainId = 902 }],
            options: new DdpnOptions { MemoryLimits = new Dictionary<ulong, uint> { [901] = 1 << 20, [902] = 64 * 1024 } });
        var image = Assemble("factorial.s");
        var program = RegisterProgram(kit[0], image, 4096);
        var job = CreateJob(kit[0], program, [], 1_000_000);
        var state = DlxMachine.Restore(MachineState(kit[0], job));
        Assert.Equal(1u << 20, state.MemoryLimit);
        Assert.Equal($"DDPN: chain 902 refused job {job}: DDPN: job {job} needs {1 << 20} bytes of DLX memory; chain 902's profile allows {64 * 1024}",
            Reason(kit[0], Abi.Call(DdpnUnitAbi.Transfer, job, 902UL)));
    }
}
