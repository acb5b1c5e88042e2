using System.Runtime.InteropServices;

namespace Thalamus.Cli.Hosting;

/// <summary>Turns SIGINT (Ctrl-C) and SIGTERM into a cancellation, so hosts shut down in order.</summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    public ShutdownSignal()
    {
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>Completes when a signal arrives.</summary>
    public async Task WaitAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true; // we shut down ourselves
        _stop.Cancel();
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
    }
}
