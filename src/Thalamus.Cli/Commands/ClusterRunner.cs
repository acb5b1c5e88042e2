using System.Globalization;
using Thalamus.Cli.Configuration;
using Thalamus.Cli.Hosting;
using Thalamus.Cluster;
using Thalamus.Core;

namespace Thalamus.Cli.Commands;

/// <summary>
/// Runs a node-cluster for <c>thalamus devnet</c> and <c>thalamus node --config</c>: starts it,
/// prints the supersim-like table of chains, the dev accounts, Delta, the predeploys and the
/// storage, and on SIGINT/SIGTERM stops in order (servers, scheduler, database).
/// Exit codes: 0 after a clean stop, 2 for a configuration the cluster refuses, 1 when it cannot start.
/// </summary>
public static class ClusterRunner
{
    /// <param name="json">Print the endpoints as one JSON object (<see cref="WriteEndpointsJson"/>) instead of the table.</param>
    /// <param name="endpointsFile">Also write that JSON to this file once every chain answers (removed at a clean stop).</param>
    public static int Run(ClusterLaunchSettings settings, bool quiet = false, bool json = false, string? endpointsFile = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            return RunAsync(settings, quiet, json, endpointsFile).GetAwaiter().GetResult();
        }
        catch (ClusterConfigurationException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
        catch (Exception e) when (HostFailure.IsUserFacing(e))
        {
            Console.Error.WriteLine("error: " + HostFailure.Describe(e));
            return 1;
        }
    }

    private static async Task<int> RunAsync(ClusterLaunchSettings settings, bool quiet, bool json, string? endpointsFile)
    {
        using var signal = new ShutdownSignal();
        ClusterHost host;
        try
        {
            host = await ClusterHost.StartAsync(settings, signal.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (signal.Token.IsCancellationRequested)
        {
            return 0; // Ctrl-C while starting: everything started was already stopped.
        }
        await using (host.ConfigureAwait(false))
        {
            if (endpointsFile is not null)
            {
                // Written whole, then renamed: a script polling for the file never reads half of it.
                var temporary = endpointsFile + ".tmp";
                File.WriteAllText(temporary, EndpointsJson(settings, host));
                File.Move(temporary, endpointsFile, overwrite: true);
            }
            if (json)
            {
                Console.Out.WriteLine(EndpointsJson(settings, host));
                Console.Out.Flush();
            }
            else
            {
                PrintBanner(Console.Out, settings, host, quiet);
            }
            await signal.WaitAsync().ConfigureAwait(false);
            if (endpointsFile is not null) File.Delete(endpointsFile);
            Console.Error.WriteLine("shutting down: finishing in-flight requests and the current slot...");
            await host.StopAsync().ConfigureAwait(false);
            foreach (var chain in host.Cluster.Chains)
                Console.Error.WriteLine($"chain {chain.ChainId} stopped at block #{chain.Head.Number} {chain.Head.Hash}");
            if (settings.DumpStatePath is { } dumpPath)
            {
                StateDumpFile.WriteCluster(dumpPath, host.Cluster.Chains);
                Console.Error.WriteLine($"state of {host.Cluster.Chains.Count} chain(s) written to {dumpPath}");
            }
        }
        return 0;
    }

    /// <summary>The start-up banner; the last line ("Ready. ...") is what scripts wait for.</summary>
    public static void PrintBanner(TextWriter o, ClusterLaunchSettings settings, ClusterHost host, bool quiet = false)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(host);
        var endpoints = host.Endpoints;
        o.WriteLine($"Thalamus node-cluster: {endpoints.Count} member chain{(endpoints.Count == 1 ? "" : "s")}" + (settings.ConfigPath is { } path ? $" ({path})" : ""));
        o.WriteLine();
        var nameWidth = Math.Max(12, endpoints.Max(e => e.Chain.Profile.Name.Length)) + 2;
        var httpWidth = Math.Max(24, endpoints.Max(e => Url(e.HttpUrl).Length)) + 2;
        o.WriteLine($"{"CHAIN ID",-10}{"NAME".PadRight(nameWidth)}{"BLOCK TIME",-12}{"HEAD",-10}{"HTTP".PadRight(httpWidth)}WEBSOCKET");
        foreach (var e in endpoints)
        {
            var profile = e.Chain.Profile;
            var blockTime = profile.BlockTime > TimeSpan.Zero ? DurationText.Format(profile.BlockTime) : "automine";
            var head = "#" + e.Chain.Head.Number.ToString(CultureInfo.InvariantCulture);
            o.WriteLine($"{e.Chain.ChainId,-10}{profile.Name.PadRight(nameWidth)}{blockTime,-12}{head,-10}{Url(e.HttpUrl).PadRight(httpWidth)}{Url(e.WebSocketUrl)}");
        }
        o.WriteLine();
        var options = settings.Options;
        if (!quiet)
        {
            if (settings.Dev)
            {
                o.WriteLine($"Dev accounts ({EthText(options.AccountBalanceWei)} ETH each at genesis, on every chain; unlocked for eth_sendTransaction)");
                o.WriteLine("==================");
                for (var i = 0; i < options.Accounts.Count; i++)
                    o.WriteLine($"({i}) {options.Accounts[i].Address.ToChecksumString()}  {options.Accounts[i].PrivateKeyHex}");
                o.WriteLine($"Mnemonic: {settings.Mnemonic}");
            }
            else
            {
                // Production: the keys stay with whoever holds the mnemonic; the node unlocks nothing.
                o.WriteLine($"Accounts funded at genesis ({EthText(options.AccountBalanceWei)} ETH each, on every chain; not unlocked)");
                o.WriteLine("==================");
                for (var i = 0; i < options.Accounts.Count; i++)
                    o.WriteLine($"({i}) {options.Accounts[i].Address.ToChecksumString()}");
            }
            o.WriteLine();
            o.WriteLine("Predeploys (same address on every chain)");
            o.WriteLine("==================");
            var predeploys = host.Cluster.Predeploys;
            var width = predeploys.Max(p => p.Key.Length);
            foreach (var (name, address) in predeploys) o.WriteLine($"{name.PadRight(width)}  {address.ToChecksumString()}");
            o.WriteLine();
        }
        o.WriteLine($"Delta:    {DurationText.Format(host.Cluster.Delta)} (in force; a message sent at T runs on its destination by T + Delta)");
        o.WriteLine(settings.Dev
            ? "Mode:     dev (as open as anvil: dev namespaces, unlocked accounts, operator methods on every endpoint)"
            : $"Mode:     production (serves {string.Join(",", settings.Access.Namespaces)}; no dev namespaces, no unlocked accounts; operator methods only on the admin endpoint)");
        if (host.AdminUrl is { } admin)
            o.WriteLine($"Admin:    {Url(admin)} (operator methods; every request needs a JWT signed with {settings.Admin!.JwtSecretPath}{(host.CreatedJwtSecret is not null ? ", created now" : "")})");
        if (host.Parent is { } parent && host.Cluster.Modules.OfType<Thalamus.Settlement.SettlementModule>().FirstOrDefault() is { } settlement)
            o.WriteLine($"Parent:   chain {parent.Parent.ChainId} at {Url(parent.Url)}{(parent.Embedded ? " (embedded)" : "")}; settlement contract {settlement.Contract.Address.ToChecksumString()}, " +
                $"{settings.Settlement!.SlotsPerBatch} slots a batch, challenge window {DurationText.Format(settings.Settlement.ChallengeWindow)}" +
                (settings.Settlement.FaultSlot is { } fault ? $", FAULT injected at slot {fault}" : ""));
        o.WriteLine($"Storage:  {(settings.DatabasePath is { } db ? db + (host.Cluster.Resumed ? " (resumed)" : " (new genesis)") : "in memory")}");
        o.WriteLine();
        o.WriteLine("Ready. Ctrl-C stops every chain.");
        o.Flush();
    }

    /// <summary>
    /// The endpoints for scripts: <c>{pid, chains: [{chainId, name, blockTime, http, ws}], accounts:
    /// [{address, privateKey}], mnemonic, delta, predeploys: {…}}</c> on one line.
    /// </summary>
    public static string EndpointsJson(ClusterLaunchSettings settings, ClusterHost host)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(host);
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("pid", Environment.ProcessId);
            w.WriteStartArray("chains");
            foreach (var e in host.Endpoints)
            {
                w.WriteStartObject();
                w.WriteNumber("chainId", e.Chain.ChainId);
                w.WriteString("name", e.Chain.Profile.Name);
                w.WriteString("blockTime", e.Chain.Profile.BlockTime > TimeSpan.Zero ? DurationText.Format(e.Chain.Profile.BlockTime) : "automine");
                w.WriteString("http", Url(e.HttpUrl));
                w.WriteString("ws", Url(e.WebSocketUrl));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("accounts");
            foreach (var account in settings.Options.Accounts)
            {
                w.WriteStartObject();
                w.WriteString("address", account.Address.ToChecksumString());
                w.WriteString("privateKey", account.PrivateKeyHex);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("mnemonic", settings.Mnemonic);
            w.WriteString("delta", DurationText.Format(host.Cluster.Delta));
            w.WriteStartObject("predeploys");
            foreach (var (name, address) in host.Cluster.Predeploys) w.WriteString(name, address.ToChecksumString());
            w.WriteEndObject();
            if (host.Parent is { } parent && host.Cluster.Modules.OfType<Thalamus.Settlement.SettlementModule>().FirstOrDefault() is { } settlement)
            {
                w.WriteStartObject("parent");
                w.WriteNumber("chainId", parent.Parent.ChainId);
                w.WriteString("http", Url(parent.Url));
                w.WriteBoolean("embedded", parent.Embedded);
                w.WriteString("settlement", settlement.Contract.Address.ToChecksumString());
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Url(Uri uri) => uri.ToString().TrimEnd('/');

    private static string EthText(UInt256 wei)
    {
        var value = wei.ToBigInteger();
        var whole = System.Numerics.BigInteger.DivRem(value, System.Numerics.BigInteger.Pow(10, 18), out var fraction);
        return fraction.IsZero ? whole.ToString(CultureInfo.InvariantCulture) : ((decimal)value / 1_000_000_000_000_000_000m).ToString(CultureInfo.InvariantCulture);
    }
}
