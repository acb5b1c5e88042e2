using Xunit;

namespace Thalamus.Integration.Tests;

/// <summary>One running node shared by a test class (started lazily, so skipped classes start none).</summary>
public sealed class ThalamusNodeFixture : IAsyncLifetime
{
    private ThalamusNodeProcess? _node;
    private Exception? _startError;
    private readonly SemaphoreSlim _gate = new(1, 1);

    internal async Task<ThalamusNodeProcess> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_startError is not null)
                throw new InvalidOperationException("thalamus node failed to start for an earlier test.", _startError);
            if (_node is null)
            {
                try
                {
                    _node = await ThalamusNodeProcess.StartAsync();
                }
                catch (Exception e)
                {
                    _startError = e;
                    throw;
                }
            }
            return _node;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
        _gate.Dispose();
    }
}
