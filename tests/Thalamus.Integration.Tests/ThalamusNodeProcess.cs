using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Thalamus.Integration.Tests;

/// <summary>
/// A <c>thalamus node --ephemeral --automine</c> running as a separate process on a free
/// loopback port, ready (it answered eth_chainId) once <see cref="StartAsync"/> returns. Disposal
/// stops it with SIGTERM (a clean shutdown), then kills it if it does not exit in time.
/// </summary>
internal sealed class ThalamusNodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ThalamusNodeProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri HttpUrl => new($"http://127.0.0.1:{Port}");

    public Uri WebSocketUrl => new($"ws://127.0.0.1:{Port}");

    /// <summary>Everything the node printed so far (stdout and stderr).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<ThalamusNodeProcess> StartAsync(params string[] extraArguments)
    {
        int port = FreeLoopbackPort();
        var info = ClusterCliLauncher.StartInfo();
        foreach (string argument in new[] { "node", "--ephemeral", "--automine", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(extraArguments))
            info.ArgumentList.Add(argument);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = Path.GetTempPath();

        var process = new Process { StartInfo = info };
        var node = new ThalamusNodeProcess(process, port);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await node.WaitUntilReadyAsync();
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the node finishes in-flight work and exits by itself.
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
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"thalamus node exited with code {_process.ExitCode} before it answered.{Environment.NewLine}{Output}");
            try
            {
                using var content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(HttpUrl, content);
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\"result\"", StringComparison.Ordinal))
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"thalamus node did not answer eth_chainId on {HttpUrl} within {StartTimeout.TotalSeconds:0} s.{Environment.NewLine}{Output}");
    }


    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
