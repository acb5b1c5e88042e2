using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Cluster.Replay;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Settlement;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus verify --parent URL --settlement ADDRESS</c>: a verifier in its own process, on any machine that reaches the
/// parent chain. It rebuilds every member chain from the parent's data alone (the genesis section and every batch's
/// calldata), re-executes each block with the shared block executor and the cluster's replay rules, prints a line per
/// batch and move, challenges a false batch (with <c>--challenger-key</c>) and rules on challenges (with
/// <c>--arbiter-key</c>). <c>--status-port</c> serves its progress read-only as JSON (GET /). With <c>--data-dir</c> its
/// place and its chains' state are saved after every read of the parent and a restart resumes there; without, its place
/// is in memory and a restarted verifier re-derives from the parent, which is the source of truth.
/// Exit codes: 0 (stopped, or --once with every batch valid), 1 (--once with a false batch), 2 (bad arguments).
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var parent = new Option<string>("--parent") { Description = "the parent chain's JSON-RPC URL", Required = true };
        var contract = new Option<string>("--settlement") { Description = "the settlement contract's address on the parent", Required = true };
        var challenger = new Option<string?>("--challenger-key") { Description = "a funded parent key: challenge false batches with it" };
        var arbiter = new Option<string?>("--arbiter-key") { Description = "a funded parent key: register as an arbiter (with the bond) and rule on challenges" };
        var statusPort = new Option<int?>("--status-port") { Description = "serve the verifier's status as JSON on this port (GET /)" };
        var interval = new Option<string?>("--interval") { Description = "how often to read the parent (default 500ms)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "keep the verifier's place and its chains' state in this directory: a restart resumes there" };
        var once = new Option<bool>("--once") { Description = "verify up to the parent's head, print a summary and exit (1 if a batch is false)" };
        var command = new Command("verify", "Follow a cluster's settlement from the parent chain alone: re-execute every batch, challenge a false one.");
        foreach (var option in new Option[] { parent, contract, challenger, arbiter, statusPort, interval, once, dataDir }) command.Options.Add(option);
        command.SetAction(result =>
        {
            try
            {
                var url = Uri.TryCreate(result.GetValue(parent), UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
                    ? u : throw new ArgumentException($"--parent {result.GetValue(parent)} is not an http(s) URL");
                var address = Address.TryParse(result.GetValue(contract), out var a) ? a : throw new ArgumentException($"--settlement {result.GetValue(contract)} is not an address");
                var period = DevnetCommand.ParseDuration("--interval", result.GetValue(interval)) ?? TimeSpan.FromMilliseconds(500);
                ParentAccount? Key(string? hex, string flag) =>
                    hex is null ? null : Hex.TryDecode(hex, out var key) && key.Length == 32 ? new ParentAccount(key) : throw new ArgumentException($"{flag} is not a 32-byte hex key");
                return Run(url, address, Key(result.GetValue(challenger), "--challenger-key"), Key(result.GetValue(arbiter), "--arbiter-key"),
                    result.GetValue(statusPort), period, result.GetValue(once), result.GetValue(dataDir));
            }
            catch (SettlementDataException e)
            {
                // A saved place that does not decode: say which file, leave it as it is.
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
            catch (Exception e) when (e is ArgumentException or Configuration.ClusterConfigException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
        });
        return command;
    }

    private static readonly NativeContracts VerifierNatives = ClusterReplayer.DefaultNativeContracts.With([Governance.GovernanceUpgrader.Instance]);

    /// <summary>
    /// The cluster's replay rules: CrossChainCall, the governance's upgrader (approved predeploy upgrades are system
    /// transactions to it, docs/governance.md) and the sections' recorded calls.
    /// </summary>
    public static ReplayRules Rules { get; } = new()
    {
        NativeContracts = _ => VerifierNatives,
        PrepareReplay = ClusterReplayer.PrepareReplay,
    };

    private static int Run(Uri url, Address address, ParentAccount? challenger, ParentAccount? arbiter, int? statusPort, TimeSpan period, bool once,
        string? dataDirectory)
    {
        using var parent = new JsonRpcParentChain(url);
        var verifier = new SettlementVerifier(new SettlementContract(parent, address), Rules, challenger, arbiter, dataDirectory);
        if (verifier.ResumedAtSlot is { } resumed) Console.Out.WriteLine($"resumed from {dataDirectory} at settlement slot {resumed} (parent block {verifier.Status().ParentBlock})");
        var clock = Stopwatch.StartNew();
        verifier.Progress += line => Console.Out.WriteLine($"[{clock.Elapsed.TotalSeconds,8:0.000}s] {line}");
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        VerifierStatus status = verifier.Status();
        using var listener = statusPort is { } port ? StartStatus(port, () => status) : null;
        Console.Out.WriteLine($"verifying settlement {address.ToChecksumString()} on {url}" +
            (challenger is null ? "" : $"; challenger {challenger.Address.ToChecksumString()}") + (arbiter is null ? "" : $"; arbiter {arbiter.Address.ToChecksumString()}") +
            (statusPort is { } p ? $"; status on http://127.0.0.1:{p}/" : ""));
        var registered = arbiter is null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!registered)
                {
                    verifier.RegisterArbiterIfNeeded();
                    registered = true;
                }
                var before = verifier.Status();
                var batches = verifier.Sync();
                status = verifier.Status();
                if (batches > 0)
                {
                    var seconds = status.ExecutionSeconds - before.ExecutionSeconds;
                    var blocks = status.BlocksExecuted - before.BlocksExecuted;
                    var gas = status.GasExecuted - before.GasExecuted;
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"synced to parent block {status.ParentBlock}: {status.BatchesValid} valid, {status.BatchesInvalid} false; next slot {status.NextSlot}; " +
                        $"{blocks} blocks re-executed in {seconds:0.000} s ({(seconds > 0 ? blocks / seconds : 0):0} blocks/s, {(seconds > 0 ? gas / seconds / 1e6 : 0):0.0} Mgas/s)"));
                }
                if (once) return status.BatchesInvalid == 0 ? 0 : 1;
            }
            catch (ParentChainException e)
            {
                // The parent is unreachable or answered nonsense: say so, keep the place, try again.
                Console.Error.WriteLine("parent: " + e.Message);
                if (once) return 1;
            }
            stop.Token.WaitHandle.WaitOne(period);
        }
        return 0;
    }

    private static HttpListener StartStatus(int port, Func<VerifierStatus> status)
    {
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                var body = JsonSerializer.SerializeToUtf8Bytes(status());
                context.Response.ContentType = "application/json";
                context.Response.StatusCode = context.Request.HttpMethod == "GET" ? 200 : 405;
                if (context.Request.HttpMethod == "GET") await context.Response.OutputStream.WriteAsync(body).ConfigureAwait(false);
                context.Response.Close();
            }
        });
        return listener;
    }
}
