using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Thalamus.Integration.Tests;

/// <summary>
/// A <c>thalamus devnet</c> running as a separate process, ready (its banner ended with "Ready.")
/// once <see cref="StartAsync"/> returns; the endpoints come from the banner's table of chains.
/// Disposal stops it with SIGTERM (a clean shutdown), then kills it if it does not exit in time;
/// <see cref="KillHard"/> is the crash (SIGKILL, no shutdown at all).
/// </summary>
internal sealed partial class ClusterDevnetProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<ClusterChainEndpoint> _endpoints = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClusterDevnetProcess(Process process) => _process = process;

    /// <summary>The chains in the banner's order (chain id and HTTP URL).</summary>
    public IReadOnlyList<ClusterChainEndpoint> Endpoints
    {
        get { lock (_output) return [.. _endpoints]; }
    }

    /// <summary>Everything the devnet printed so far (stdout and stderr).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>thalamus devnet</c> with these arguments (pass <c>--base-port 0</c> for free ports).</summary>
    public static async Task<ClusterDevnetProcess> StartAsync(params string[] arguments)
    {
        var info = ClusterCliLauncher.StartInfo();
        info.ArgumentList.Add("devnet");
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = Path.GetTempPath();

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var devnet = new ClusterDevnetProcess(process);
        process.OutputDataReceived += (_, e) => devnet.Append(e.Data);
        process.ErrorDataReceived += (_, e) => devnet.Append(e.Data);
        process.Exited += (_, _) => devnet._ready.TrySetException(new InvalidOperationException("thalamus devnet exited before it was ready."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var finished = await Task.WhenAny(devnet._ready.Task, Task.Delay(StartTimeout));
            if (finished != devnet._ready.Task)
                throw new TimeoutException($"thalamus devnet did not print \"Ready.\" within {StartTimeout.TotalSeconds:0} s.{Environment.NewLine}{devnet.Output}");
            try
            {
                await devnet._ready.Task;
            }
            catch (InvalidOperationException e)
            {
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"{e.Message} Exit code {process.ExitCode}.{Environment.NewLine}{devnet.Output}", e);
            }
            if (devnet.Endpoints.Count == 0)
                throw new InvalidOperationException($"thalamus devnet printed no table of chains.{Environment.NewLine}{devnet.Output}");
        }
        catch
        {
            await devnet.DisposeAsync();
            throw;
        }
        return devnet;
    }

    /// <summary>kill -9: the process dies at once, mid-slot if it is in one.</summary>
    public async Task KillHardAsync()
    {
        if (_process.HasExited)
            return;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = Kill(_process.Id, 9);
        else
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait: the devnet finishes its slot, closes the database and exits 0.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
                _ = Kill(_process.Id, 15);
            using var wait = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await _process.WaitForExitAsync();
            }
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            _output.AppendLine(line);
            var row = TableRow().Match(line);
            if (row.Success)
                _endpoints.Add(new ClusterChainEndpoint(ulong.Parse(row.Groups["id"].Value, CultureInfo.InvariantCulture), new Uri(row.Groups["http"].Value)));
        }
        if (line.StartsWith("Ready.", StringComparison.Ordinal))
            _ready.TrySetResult();
    }

    /// <summary>A row of the banner's table: chain id, name, block time, head, HTTP URL, WebSocket URL.</summary>
    [GeneratedRegex(@"^(?<id>\d+)\s+\S+\s+\S+\s+#\d+\s+(?<http>https?://\S+)\s+wss?://\S+\s*$")]
    private static partial Regex TableRow();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
