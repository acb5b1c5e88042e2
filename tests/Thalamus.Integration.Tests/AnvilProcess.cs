using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Thalamus.Integration.Tests;

/// <summary>
/// A real anvil (npm <c>@foundry-rs/anvil</c> 1.7.1, installed by <c>npm ci</c> in bench/load) on a
/// free loopback port, ready once <see cref="StartAsync"/> returns; disposal kills it.
/// </summary>
internal sealed class AnvilProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AnvilProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>The anvil binary of bench/load's node_modules, or null when it is not installed.</summary>
    public static string? Executable
    {
        get
        {
            var path = Path.Combine(RepositoryPaths.Root, "bench", "load", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
            return File.Exists(path) ? path : null;
        }
    }

    public const string MissingReason = "anvil is not installed: run `npm ci --no-audit --no-fund` in bench/load (./thalamus does it)";

    public Uri Url { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="arguments">More of anvil's flags (e.g. <c>--block-time 1</c>).</param>
    public static async Task<AnvilProcess> StartAsync(params string[] arguments)
    {
        var executable = Executable ?? throw new InvalidOperationException(MissingReason);
        var port = FreePort();
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments])
            info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var anvil = new AnvilProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => anvil.Append(e.Data);
        process.ErrorDataReceived += (_, e) => anvil.Append(e.Data);
        process.Exited += (_, _) => anvil._ready.TrySetException(new InvalidOperationException("anvil exited before it was ready: " + anvil.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = await Task.WhenAny(anvil._ready.Task, Task.Delay(StartTimeout));
        if (finished != anvil._ready.Task)
        {
            await anvil.DisposeAsync();
            throw new TimeoutException($"anvil did not listen within {StartTimeout.TotalSeconds:0} s: {anvil.Output}");
        }
        await anvil._ready.Task;
        return anvil;
    }

    /// <summary>
    /// The receipt of <paramref name="hash"/> once mined: anvil 1.7 answers <c>eth_sendTransaction</c>
    /// before its automine has sealed the block, so a read right after may not see the transaction yet.
    /// </summary>
    public static async Task<System.Text.Json.JsonElement> MinedReceipt(ClusterJsonRpc rpc, string? hash)
    {
        for (var attempt = 0; ; attempt++)
        {
            var receipt = await rpc.CallAsync("eth_getTransactionReceipt", hash);
            if (receipt.ValueKind != System.Text.Json.JsonValueKind.Null || attempt == 200) return receipt;
            await Task.Delay(50);
        }
    }

    /// <summary>Stops anvil now (the remote going away mid-test).</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (line.Contains("Listening on", StringComparison.Ordinal)) _ready.TrySetResult();
    }
}

/// <summary>A fact skipped, with the reason, when the anvil binary is not installed.</summary>
public sealed class AnvilFactAttribute : FactAttribute
{
    public AnvilFactAttribute()
    {
        if (AnvilProcess.Executable is null) Skip = AnvilProcess.MissingReason;
    }
}
