using System.CommandLine;
using System.Diagnostics;
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
        var command = new Command("submit", "Post an offer for a DLX program, submit it (and its inputs) in chunks, run it across the cluster's chains and print its output.");
        command.Arguments.Add(program);
        command.Options.Add(input);
        command.Options.Add(alpha);
        command.Options.Add(rpc);
        command.Options.Add(gas);
        command.SetAction(result => DlxCliSupport.Guard(() => SubmitAsync(result.GetValue(program)!, result.GetValue(input) ?? [], result.GetValue(alpha),
            new Uri(result.GetValue(rpc)!), result.GetValue(gas)).GetAwaiter().GetResult()));
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

    private static async Task<int> SubmitAsync(string path, string[] inputTexts, double alpha, Uri rpc, long gasLimit)
    {
        var key = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 1)[0];
        using var http = new HttpClient();
        var chains = await Chains(http, rpc, key);
        var image = DlxCliSupport.LoadProgram(path);
        var inputs = inputTexts.Select(DlxCliSupport.DecodeInput).ToArray();
        // The client's estimate: the whole run locally (what the offer's segments and the check at the end use).
        var local = DlxMachine.Load(image, inputs, new DlxMachineOptions { GasLimit = gasLimit });
        local.Run();
        Console.Error.WriteLine($"local run: {local.Status}, {local.GasUsed} DLX gas, {local.Instructions} instructions");
        var clients = chains.Select(c => new DdpnRpcClient(http, c.Rpc, c.ChainId, key)).ToArray();
        var first = clients[0];
        var share = Math.Max(1, local.GasUsed / chains.Count);

        // The offer (management unit): the job as one segment per chain, any chain allowed, the reference strategy.
        var strategyChains = chains.Select(c => new StrategyChain(c.ChainId, c.GasLimit * (ulong)DdpnGas.DlxGasPerEvmGas, 1)).ToArray();
        var segmentGas = Enumerable.Repeat(share, chains.Count).ToArray();
        var maxCost = (ulong)(local.GasUsed + 1);
        await first.Send(DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.Fund, maxCost), 1_000_000);
        var posted = await first.Send(DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.PostOffer, new Hash256(image.ComputeHash()),
            AbiValue.Array([.. segmentGas.Select(g => (AbiValue)(ulong)g)]), AbiValue.Array([.. chains.Select(c => (AbiValue)c.ChainId)]), maxCost,
            (ulong)Math.Round(Math.Clamp(alpha, 0, 1) * 1e6)), 1_000_000);
        var seq = DdpnRpcClient.Logs(posted).Single(l => l.Topic0 == ManagementUnit.OperationQueued).Topic1.ToUInt256();
        var offer = ManagementUnit.OfferId(first.ChainId, (ulong)seq);
        var strategy = ReferenceStrategist.Optimize(new StrategyOffer(segmentGas, chains.Select(c => c.ChainId).ToHashSet(), 0, 0, maxCost, alpha), strategyChains);
        if (strategy is not null)
            await first.Send(DdpnAddresses.Management, Abi.EncodeCall(ManagementUnit.ProposeStrategy, offer, AbiValue.Array([.. strategy.Chains.Select(c => (AbiValue)c)])), 1_000_000);
        Console.Error.WriteLine($"offer {offer} posted on chain {first.ChainId} (alpha {alpha}); reference strategy: {string.Join(",", strategy?.Chains ?? [])}");

        // Chained submission to the first chain, at its transaction size limit.
        var limit = Math.Min(chains[0].MaxTransactionBytes - 288, 60 * 1024) / 32 * 32;
        async Task<Hash256> Upload(byte[] data, string what)
        {
            var chunks = DlxChunker.Split(data, limit, System.Text.Encoding.UTF8.GetBytes(what));
            var id = new Hash256(SHA256.HashData(chunks[0]));
            var clock = Stopwatch.StartNew();
            await first.Send(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.BeginSubmission, AbiValue.Bytes(chunks[0])), 3_000_000);
            for (var i = 1; i < chunks.Count; i++)
            {
                await first.Send(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.ContinueSubmission, id, AbiValue.Bytes(chunks[i])), 6_000_000);
                if (i % 32 == 0 || i == chunks.Count - 1) Console.Error.Write($"\r{what}: chunk {i + 1}/{chunks.Count} on chain {first.ChainId}   ");
            }
            Console.Error.WriteLine($"\r{what}: {data.Length} bytes in {chunks.Count} chunk(s) of {limit} bytes, {clock.Elapsed.TotalSeconds:F1} s; submission {id}");
            return id;
        }
        var programId = await Upload(image.ToBytes(), "program");
        await first.Send(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.RegisterProgram, programId), 6_000_000);
        var inputIds = new List<Hash256>();
        for (var i = 0; i < inputs.Length; i++) inputIds.Add(await Upload(inputs[i], $"input {i}"));
        var created = await first.Send(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.CreateJob, programId, AbiValue.Array([.. inputIds.Select(x => (AbiValue)x)]), (ulong)gasLimit, 0UL), 29_000_000);
        var job = DdpnRpcClient.Logs(created).Single(l => l.Topic0 == DdpnUnitAbi.JobCreated).Topic1;
        Console.Error.WriteLine($"job {job} created on chain {first.ChainId}");

        // A share of the work on each chain, the state carried from one to the next.
        for (var c = 0; c < clients.Length; c++)
        {
            var client = clients[c];
            var target = c == clients.Length - 1 ? long.MaxValue : share * (c + 1);
            while (true)
            {
                var info = DdpnJobInfo.Decode(await client.Call(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.GetJob, job)));
                if (info.Status is DlxStatus.Halted or DlxStatus.Faulted or DlxStatus.OutOfGas || (long)info.DlxGasUsed >= target) break;
                var budget = target == long.MaxValue ? ulong.MaxValue : (ulong)(target - (long)info.DlxGasUsed);
                await client.Send(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.Run, job, budget), (ulong)(chains[c].GasLimit * 9 / 10));
                var after = DdpnJobInfo.Decode(await client.Call(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.GetJob, job)));
                Console.Error.WriteLine($"[chain {client.ChainId}] run {after.Runs}: {after.DlxGasUsed} DLX gas so far ({100.0 * after.DlxGasUsed / Math.Max(1, local.GasUsed):F0}%), {after.Status}, state {after.StateHash}");
            }
            var now = DdpnJobInfo.Decode(await client.Call(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.GetJob, job)));
            if (c == clients.Length - 1 || now.Status is DlxStatus.Halted or DlxStatus.Faulted or DlxStatus.OutOfGas)
            {
                var output = new AbiReader(await client.Call(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.GetOutput, job))).Bytes(0);
                Console.Out.Write(System.Text.Encoding.UTF8.GetString(output));
                var same = output.AsSpan().SequenceEqual(local.Output) && now.StateHash == new Hash256(local.ComputeStateHash());
                Console.Error.WriteLine($"job {job}: {now.Status} on chain {client.ChainId} after {now.Runs} runs; output hash {now.OutputHash}; " +
                    (same ? "output and final state equal the local run" : "DIFFERS from the local run"));
                return same && now.Status == DlxStatus.Halted ? 0 : 1;
            }
            await client.Send(DdpnAddresses.Unit, Abi.Call(DdpnUnitAbi.Transfer, job, clients[c + 1].ChainId), (ulong)(chains[c].GasLimit * 9 / 10));
            Console.Error.WriteLine($"[chain {client.ChainId}] state {now.StateHash} moved to chain {clients[c + 1].ChainId}");
        }
        return 1;
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
