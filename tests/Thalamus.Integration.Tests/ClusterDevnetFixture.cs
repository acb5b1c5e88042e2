using Xunit;

namespace Thalamus.Integration.Tests;

/// <summary>
/// One running <c>thalamus devnet</c> (3 automining chains on free ports, Delta 1 s, in memory)
/// shared by a test class; started lazily, so a skipped class starts none.
/// </summary>
public sealed class ClusterDevnetFixture : IAsyncLifetime
{
    internal static readonly string[] Arguments = ["--chains", "3", "--base-port", "0", "--delta", "1s", "--ephemeral"];

    private ClusterDevnetProcess? _devnet;
    private Exception? _startError;
    private readonly SemaphoreSlim _gate = new(1, 1);

    internal async Task<ClusterDevnetProcess> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_startError is not null)
                throw new InvalidOperationException("thalamus devnet failed to start for an earlier test.", _startError);
            if (_devnet is null)
            {
                try
                {
                    _devnet = await ClusterDevnetProcess.StartAsync(Arguments);
                }
                catch (Exception e)
                {
                    _startError = e;
                    throw;
                }
            }
            return _devnet;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_devnet is not null)
            await _devnet.DisposeAsync();
        _gate.Dispose();
    }
}
