using System.Diagnostics;

namespace Thalamus.Storage.Tests;

/// <summary>The crash harness running as a separate process, its standard output collected line by line.</summary>
public sealed class HarnessProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly System.Text.StringBuilder _errors = new();

    private HarnessProcess(Process process)
    {
        _process = process;
    }

    public static HarnessProcess Start(params string[] args)
    {
        var harness = Path.Combine(AppContext.BaseDirectory, "Thalamus.Storage.CrashHarness.dll");
        if (!File.Exists(harness)) throw new FileNotFoundException("the crash harness is not next to the tests", harness);
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(harness);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = new Process { StartInfo = info };
        var result = new HarnessProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (result._lines)
            {
                result._lines.Add(e.Data);
                Monitor.PulseAll(result._lines);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (result._errors) result._errors.AppendLine(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines) return [.. _lines];
        }
    }

    public string Errors
    {
        get
        {
            lock (_errors) return _errors.ToString();
        }
    }

    /// <summary>Waits until <paramref name="count"/> lines start with <paramref name="prefix"/>; fails with the harness's stderr on exit or timeout.</summary>
    public void WaitForLines(string prefix, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = 0;
        var scanned = 0;
        lock (_lines)
        {
            while (true)
            {
                // Woken by every new line, so a kill can follow the awaited line within microseconds.
                for (; scanned < _lines.Count; scanned++)
                    if (_lines[scanned].StartsWith(prefix, StringComparison.Ordinal)) seen++;
                if (seen >= count) return;
                if (_process.HasExited)
                    throw new Xunit.Sdk.XunitException($"the harness exited with {_process.ExitCode} before printing {count} '{prefix}' lines:\n{Errors}");
                if (DateTime.UtcNow > deadline)
                    throw new Xunit.Sdk.XunitException($"the harness printed fewer than {count} '{prefix}' lines in {timeout}:\n{Errors}");
                Monitor.Wait(_lines, 50);
            }
        }
    }

    /// <summary>SIGKILL (no chance to clean up), then drains what it printed before dying.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) throw new Xunit.Sdk.XunitException($"the harness did not finish in {timeout}:\n{Errors}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) KillHard();
        _process.Dispose();
    }
}
