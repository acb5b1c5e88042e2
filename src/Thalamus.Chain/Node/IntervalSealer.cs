namespace Thalamus.Chain;

/// <summary>
/// Drives <see cref="MemberChain.Tick"/> from a background timer so that interval mining happens
/// in a host process. The chain itself never reads the wall clock; this is the host's side.
/// </summary>
public sealed class IntervalSealer : IAsyncDisposable
{
    private readonly MemberChain _chain;
    private readonly TimeSpan _resolution;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Fires when a tick throws (the loop keeps going).</summary>
    public event Action<Exception>? Error;

    public IntervalSealer(MemberChain chain, TimeSpan? resolution = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _chain = chain;
        _resolution = resolution ?? TimeSpan.FromMilliseconds(50);
    }

    public void Start() => _loop ??= Task.Run(RunAsync);

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_resolution);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    _chain.Tick();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Error?.Invoke(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
