using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Ddpn;
using Thalamus.Ddpn.Strategy;
using Thalamus.Dlx;

namespace Thalamus.Cli.Commands;

/// <summary><c>thalamus ddpn submit|jobs</c>: DLX jobs on a running cluster's virtualization units (docs/ddpn.md).</summary>
public static class DdpnCommand
{
    public static Command Create()
    {
        var command = new Command("ddpn", "The distributed processing network: submit a DLX program to a running cluster, list its jobs.");
        command.Subcommands.Add(Submit());
        command.Subcommands.Add(Jobs());
        return command;
    }

    private static Option<string> RpcOption() => new("--rpc") { Description = "JSON-RPC endpoint of any member chain", DefaultValueFactory = _ => "http://127.0.0.1:8545" };

    private static Command Submit()
    {
        var program = new Argument<string>("program") { Description = "a program image (.dlx) or assembly source" };
        var input = new Option<string[]>("--input", "-i") { Description = "an input argument: text, 0xHEX or @file (repeatable)", AllowMultipleArgumentsPerToken = false };
        var alpha = new Option<double>("--alpha") { Description = "the offer's preference: 1 = time only, 0 = cost only", DefaultValueFactory = _ => 0.5 };
        var rpc = RpcOption();
        var gas = new Option<long>("--gas") { Description = "the job's DLX gas limit", DefaultValueFactory = _ => 1L << 40 };
        var schedule = new Option<string>("--schedule")
        {
            Description = "sequential: one machine, a share of the work on each chain, the state carried from chain to chain; " +
                "parallel: the program's .segment parts run on the chains at once and are joined on the first",
            DefaultValueFactory = _ => "sequential",
        };
        schedule.AcceptOnlyFromAmong("sequential", "parallel");
        var command = new Command("submit", "Post an offer for a DLX program, submit it (and its inputs) in chunks, run it across the cluster's chains and print its output.");
        command.Arguments.Add(program);
        command.Options.Add(input);
        command.Options.Add(alpha);
        command.Options.Add(rpc);
        command.Options.Add(gas);
        command.Options.Add(schedule);
        command.SetAction(result => DlxCliSupport.Guard(() => DdpnProgress.Run(progress => SubmitAsync(result.GetValue(program)!, result.GetValue(input) ?? [],
            result.GetValue(alpha), new Uri(result.GetValue(rpc)!), result.GetValue(gas), result.GetValue(schedule) == "parallel", progress)).GetAwaiter().GetResult()));
        return command;
    }

    private static Command Jobs()
    {
        var rpc = RpcOption();
        var command = new Command("jobs", "List the jobs of every chain's virtualization unit.");
        command.Options.Add(rpc);
        command.SetAction(result => DlxCliSupport.Guard(() => JobsAsync(new Uri(result.GetValue(rpc)!)).GetAwaiter().GetResult()));
        return command;
    }

    private sealed record ChainInfo(ulong ChainId, Uri Rpc, int MaxTransactionBytes, ulong GasLimit);

    private static async Task<List<ChainInfo>> Chains(HttpClient http, Uri rpc, DevAccount key)
    {
        using var probe = new DdpnRpcClient(http, rpc, 0, key);
        var chains = (await probe.Request("cluster_chains"))!.AsArray();
        return [.. chains.Select(c => new ChainInfo(Convert.ToUInt64(c!["chainId"]!.GetValue<string>(), 16), new Uri(c["rpcUrl"]!.GetValue<string>()),
            (int)Convert.ToUInt64(c["maxTransactionBytes"]!.ToString().Replace("0x", ""), c["maxTransactionBytes"]!.ToString().StartsWith("0x") ? 16 : 10),
            Convert.ToUInt64(c["blockGasLimit"]!.ToString().Replace("0x", ""), c["blockGasLimit"]!.ToString().StartsWith("0x") ? 16 : 10)))];
    }

    private static async Task<int> SubmitAsync(string path, string[] inputTexts, double alpha, Uri rpc, long gasLimit, bool parallel, DdpnProgress progress)
    {
        var key = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 1)[0];
        using var http = new HttpClient();
        var chains = await Chains(http, rpc, key);
        var image = DlxCliSupport.LoadProgram(path);
        var inputs = inputTexts.Select(DlxCliSupport.DecodeInput).ToArray();
        var clients = chains.Select(c => new DdpnRpcClient(http, c.Rpc, c.ChainId, key)).ToArray();
        var first = clients[0];
        // Chained submission at the first chain's transaction size limit (every chain takes chunks that fit the smallest).
        var limit = Math.Min(chains.Min(c => c.MaxTransactionBytes) - 288, 60 * 1024) / 32 * 32;
        int ChunkCount(byte[] data, string what) => DlxChunker.Split(data, limit, System.Text.Encoding.UTF8.GetBytes(what)).Count;

        // The client's estimate: the whole run locally (what the offer's segments and the check at the end use).
        long[] segmentGas;
        byte[] expected;
        Hash256? expectedState = null;
        long totalGas;
        if (parallel)
        {
            var run = DlxParallelExecutor.Run(image, inputs, new DlxMachineOptions { GasLimit = gasLimit });
            if (image.SegmentEntries.Count == 0) throw new InvalidOperationException("--schedule parallel needs a program with .segment parts");
            if (!run.Succeeded) throw new InvalidOperationException($"the local run of the segments failed: {run.Error}");
            segmentGas = [.. run.Segments.Select(x => Math.Max(1, x.GasUsed))];
            (expected, totalGas) = (run.Output, run.TotalGas);
            progress.Note($"local run: {run.Segments.Count} segments and the join, {run.TotalGas} DLX gas");
        }
        else
        {
            var local = DlxMachine.Load(image, inputs, new DlxMachineOptions { GasLimit = gasLimit });
            local.Run();
            var share = Math.Max(1, local.GasUsed / chains.Count);
            segmentGas = [.. Enumerable.Repeat(share, chains.Count)];
            expected = local.Output.ToArray();
            (expectedState, totalGas) = (new Hash256(local.ComputeStateHash()), local.GasUsed);
            progress.Note($"local run: {local.Status}, {local.GasUsed} DLX gas, {local.Instructions} instructions");
        }
        var homes = parallel ? segmentGas.Select((_, i) => clients[i % clients.Length]).ToArray() : clients;
        var used = homes.Append(first).Distinct().ToArray();
        var chunkTotal = (parallel ? used.Length : 1) * (ChunkCount(image.ToBytes(), "program") + inputs.Select((x, i) => ChunkCount(x, $"input {i}")).Sum());
        progress.Plan(chunkTotal, parallel ? segmentGas.Length + 1 : chains.Count, totalGas);

        var offer = await PostOffer(first, chains, image, segmentGas, alpha, (ulong)totalGas + 1, progress);

        async Task<Hash256> Upload(DdpnRpcClient client, byte[] data, string what)
        {
            var chunks = DlxChunker.Split(data, limit, System.Text.Encoding.UTF8.GetBytes(what));
            var id = new Hash256(SHA256.HashData(chunks[0]));
            // The same data sent before (same first chunk, same id) is reused, or resumed after the chunks the unit has.
            var known = new AbiReader(await client.Call(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.GetSubmission, id))).UInt64(1);
            if (known == 0) await client.Send(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.BeginSubmission, AbiValue.Bytes(chunks[0])), 3_000_000);
            for (var i = 0; i < (int)Math.Max(1, known); i++) progress.ChunkSent(what, i, chunks.Count, client.ChainId);
            for (var i = (int)Math.Max(1, known); i < chunks.Count; i++)
            {
                await client.Send(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.ContinueSubmission, id, AbiValue.Bytes(chunks[i])), 6_000_000);
                progress.ChunkSent(what, i, chunks.Count, client.ChainId);
            }
            return id;
        }
        async Task<(Hash256 Program, List<Hash256> Inputs)> UploadAll(DdpnRpcClient client)
        {
            var programId = await Upload(client, image.ToBytes(), "program");
            await client.Send(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.RegisterProgram, programId), 6_000_000);
            var ids = new List<Hash256>();
            for (var i = 0; i < inputs.Length; i++) ids.Add(await Upload(client, inputs[i], $"input {i}"));
            return (programId, ids);
        }
        async Task<DdpnJobInfo> Info(DdpnRpcClient client, Hash256 job) => DdpnJobInfo.Decode(await client.Call(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.GetJob, job)));
        async Task<JsonObject> Step(DdpnRpcClient client, byte[] data, ulong gas)
        {
            var receipt = await client.Send(DdpnAddresses.Unit, data, gas);
            progress.Block(client.ChainId, Convert.ToUInt64(receipt["blockNumber"]!.GetValue<string>(), 16));
            return receipt;
        }
        ulong RunGas(DdpnRpcClient client) => chains.Single(c => c.ChainId == client.ChainId).GasLimit * 9 / 10;
        // Runs the job on its chain until it reaches its target share of DLX gas (or ends).
        async Task<DdpnJobInfo> RunUntil(DdpnRpcClient client, Hash256 job, long target, string label)
        {
            while (true)
            {
                var info = await Info(client, job);
                if (info.Status is DlxStatus.Halted or DlxStatus.Faulted or DlxStatus.OutOfGas || (long)info.DlxGasUsed >= target) return info;
                var budget = target == long.MaxValue ? ulong.MaxValue : (ulong)(target - (long)info.DlxGasUsed);
                await Step(client, Abi.Call(DdpnUnitAbi.Run, job, budget), RunGas(client));
                var after = await Info(client, job);
                progress.GasDone((long)(after.DlxGasUsed - info.DlxGasUsed), $"[chain {client.ChainId}] {label} run {after.Runs}: {after.DlxGasUsed} DLX gas, {after.Status}");
            }
        }
        async Task<int> Finish(DdpnRpcClient client, Hash256 job, DdpnJobInfo now)
        {
            var output = new AbiReader(await client.Call(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.GetOutput, job))).Bytes(0);
            var same = output.AsSpan().SequenceEqual(expected) && (expectedState is null || now.StateHash == expectedState);
            progress.Note($"job {job}: {now.Status} on chain {client.ChainId} after {now.Runs} runs");
            if (offer is { } posted)
            {
                // The client closes its offer: the best strategist is paid (after the Pythias' verdict when validators are registered), the rest comes back.
                await first.Send(DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.CloseOffer, posted), 1_000_000);
                progress.Note($"offer {posted} closed");
            }
            progress.Finish(System.Text.Encoding.UTF8.GetString(output), $"job {job}: {now.Status} on chain {client.ChainId}; output hash {now.OutputHash}; " +
                (same ? (expectedState is null ? "output equals the local run" : "output and final state equal the local run") : "DIFFERS from the local run"));
            return same && now.Status == DlxStatus.Halted ? 0 : 1;
        }

        if (parallel)
        {
            // Every chain that runs a segment (and the join chain) gets the program and the inputs; each chain runs its segments one
            // after another, the chains at once; halted segments move to the first chain, where the join runs.
            var uploads = await Task.WhenAll(used.Select(UploadAll));
            var at = used.Select((c, i) => (c.ChainId, uploads[i])).ToDictionary(x => x.ChainId, x => x.Item2);
            var jobs = new Hash256[segmentGas.Length];
            await Task.WhenAll(used.Select(async client =>
            {
                var (programId, inputIds) = at[client.ChainId];
                for (var k = 0; k < segmentGas.Length; k++)
                {
                    if (homes[k] != client) continue;
                    var created = await Step(client, Abi.Call(DdpnUnitAbi.CreateJob, programId, AbiValue.Array([.. inputIds.Select(x => (AbiValue)x)]), (ulong)gasLimit, (ulong)(k + 1)), 29_000_000);
                    jobs[k] = DdpnRpcClient.Logs(created).Single(l => l.Topic0 == DdpnUnitAbi.JobCreated).Topic1;
                    var info = await RunUntil(client, jobs[k], long.MaxValue, $"segment {k + 1}");
                    if (info.Status != DlxStatus.Halted) throw new InvalidOperationException($"segment {k + 1} ended {info.Status} on chain {client.ChainId}");
                    if (client != first) await Step(client, Abi.Call(DdpnUnitAbi.Transfer, jobs[k], first.ChainId), RunGas(client));
                    progress.SegmentDone($"[chain {client.ChainId}] segment {k + 1} halted{(client != first ? $", moved to chain {first.ChainId}" : "")}");
                }
            }));
            var (program0, inputs0) = at[first.ChainId];
            var joined = await Step(first, Abi.Call(DdpnUnitAbi.CreateJoin, program0, AbiValue.Array([.. inputs0.Select(x => (AbiValue)x)]),
                AbiValue.Array([.. jobs.Select(j => (AbiValue)j)]), (ulong)gasLimit), 29_000_000);
            var join = DdpnRpcClient.Logs(joined).Single(l => l.Topic0 == DdpnUnitAbi.JobCreated).Topic1;
            var done = await RunUntil(first, join, long.MaxValue, "join");
            progress.SegmentDone($"[chain {first.ChainId}] join {done.Status}");
            return await Finish(first, join, done);
        }

        var (programId1, inputIds1) = await UploadAll(first);
        var job1 = DdpnRpcClient.Logs(await Step(first, Abi.Call(DdpnUnitAbi.CreateJob, programId1, AbiValue.Array([.. inputIds1.Select(x => (AbiValue)x)]), (ulong)gasLimit, 0UL), 29_000_000))
            .Single(l => l.Topic0 == DdpnUnitAbi.JobCreated).Topic1;
        progress.Note($"job {job1} created on chain {first.ChainId}");
        // A share of the work on each chain, the state carried from one to the next.
        for (var c = 0; c < clients.Length; c++)
        {
            var client = clients[c];
            var now = await RunUntil(client, job1, c == clients.Length - 1 ? long.MaxValue : segmentGas[0] * (c + 1), "job");
            if (c == clients.Length - 1 || now.Status is DlxStatus.Halted or DlxStatus.Faulted or DlxStatus.OutOfGas)
            {
                progress.SegmentDone($"[chain {client.ChainId}] {now.Status}");
                return await Finish(client, job1, now);
            }
            await Step(client, Abi.Call(DdpnUnitAbi.Transfer, job1, clients[c + 1].ChainId), RunGas(client));
            progress.SegmentDone($"[chain {client.ChainId}] state {now.StateHash} moved to chain {clients[c + 1].ChainId}");
        }
        return 1;
    }

    /// <summary>
    /// The offer (management unit, through the escrow that collects <paramref name="maxCost"/> of the payment token) and the reference
    /// strategy. Without a payment token on the first chain, or without the funds, the job runs without an offer (said on standard error).
    /// </summary>
    private static async Task<Hash256?> PostOffer(DdpnRpcClient first, List<ChainInfo> chains, DlxProgramImage image, long[] segmentGas, double alpha, ulong maxCost, DdpnProgress progress)
    {
        var token = new AbiReader(await first.Call(DdpnAddresses.Escrow, Abi.Call("token()"))).Address(0);
        var code = (await first.Request("eth_getCode", token.ToString(), "latest"))!.GetValue<string>();
        if (code is "0x" or "")
        {
            progress.Note($"no offer posted: no payment token at {token} on chain {first.ChainId}; the job runs without one");
            return null;
        }
        Hash256? offer = null;
        try
        {
            await first.Send(token, Abi.Call("approve(address,uint256)", DdpnAddresses.Escrow, maxCost), 200_000);
            var posted = await first.Send(DdpnAddresses.Escrow, Abi.Call("postOffer(bytes32,uint256[],uint256[],uint256,uint256)", new Hash256(image.ComputeHash()),
                AbiValue.Array([.. segmentGas.Select(g => (AbiValue)(ulong)g)]), AbiValue.Array([.. chains.Select(c => (AbiValue)c.ChainId)]), maxCost,
                (ulong)Math.Round(Math.Clamp(alpha, 0, 1) * 1e6)), 1_000_000);
            var seq = DdpnRpcClient.Logs(posted).Single(l => l.Topic0 == ManagementUnit.OperationQueued).Topic1.ToUInt256();
            offer = ManagementUnit.OfferId(first.ChainId, (ulong)seq);
            var strategyChains = chains.Select(c => new StrategyChain(c.ChainId, c.GasLimit * (ulong)DdpnGas.DlxGasPerEvmGas, 1)).ToArray();
            var strategy = ReferenceStrategist.Optimize(new StrategyOffer(segmentGas, chains.Select(c => c.ChainId).ToHashSet(), 0, 0, maxCost, alpha), strategyChains);
            progress.Note($"offer {offer} posted on chain {first.ChainId} (alpha {alpha}, {maxCost} held in escrow); reference strategy: {string.Join(",", strategy?.Chains ?? [])}");
            if (strategy is null) return offer;
            var id = offer.Value;
            // The offer is applied with the chain's next block (on an automining chain: the next transaction's); the strategy is checked against it.
            for (var wait = 0; wait < 8; wait++)
            {
                if (new AbiReader(await first.Call(DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.GetOffer, id))).UInt64(0) != 0) break;
                await first.Send(DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Digest), 100_000);
            }
            await first.Send(DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, id, AbiValue.Array([.. strategy.Chains.Select(c => (AbiValue)c)])), 1_000_000);
            return offer;
        }
        catch (InvalidOperationException e)
        {
            progress.Note(offer is null ? $"no offer posted: {e.Message}" : $"no strategy proposed for offer {offer}: {e.Message}");
            return offer;
        }
    }

    private static async Task<int> JobsAsync(Uri rpc)
    {
        var key = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 1)[0];
        using var http = new HttpClient();
        foreach (var chain in await Chains(http, rpc, key))
        {
            using var client = new DdpnRpcClient(http, chain.Rpc, chain.ChainId, key);
            var logs = (await client.Request("eth_getLogs", new { fromBlock = "0x0", toBlock = "latest", address = DdpnAddresses.Unit.ToString(),
                topics = new[] { DdpnUnitAbi.JobCreated.ToString() } }))!.AsArray();
            foreach (var log in logs)
            {
                var job = Hash256.Parse(log!["topics"]![1]!.GetValue<string>());
                var info = DdpnJobInfo.Decode(await client.Call(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.GetJob, job)));
                Console.WriteLine($"{job} created on {chain.ChainId}: {info.Kind} {info.Status}, {info.Runs} runs, {info.DlxGasUsed} DLX gas, " +
                    (info.Location == DdpnJobLocation.Moved ? $"moved to chain {info.TransferredTo}" : "here"));
            }
        }
        return 0;
    }
}
