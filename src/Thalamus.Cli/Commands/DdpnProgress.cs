using Spectre.Console;

namespace Thalamus.Cli.Commands;

/// <summary>
/// What <c>thalamus ddpn submit</c> reports while a job runs: chunks submitted, segments done (with the chains they ran on), DLX gas
/// against the local estimate, and the blocks the job's transactions took. On a terminal a Spectre.Console progress display
/// (on standard error, so standard output carries only the job's output); when standard error is redirected, plain lines.
/// </summary>
internal abstract class DdpnProgress
{
    private readonly HashSet<(ulong Chain, ulong Block)> _blocks = [];
    private readonly SortedSet<ulong> _chains = [];
    private readonly Lock _lock = new();

    private int _chunks, _chunksTotal, _segments, _segmentsTotal;
    private long _gas, _gasTotal;

    protected int Chunks => Volatile.Read(ref _chunks);

    protected int ChunksTotal => _chunksTotal;

    protected int Segments => Volatile.Read(ref _segments);

    protected int SegmentsTotal => _segmentsTotal;

    protected long Gas => Volatile.Read(ref _gas);

    protected long GasTotal => _gasTotal;

    protected int BlockCount
    {
        get
        {
            lock (_lock) return _blocks.Count;
        }
    }

    protected string ChainList
    {
        get
        {
            lock (_lock) return string.Join(",", _chains);
        }
    }

    private (string Output, string Summary)? _result;

    /// <summary>Runs <paramref name="work"/> under the display that fits the console; the job's output goes to standard output once the display has ended.</summary>
    public static async Task<int> Run(Func<DdpnProgress, Task<int>> work)
    {
        DdpnProgress? progress = null;
        var code = 0;
        if (Console.IsErrorRedirected) code = await work(progress = new Plain()).ConfigureAwait(false);
        else
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            await console.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context => code = await work(progress = new Fancy(context)).ConfigureAwait(false)).ConfigureAwait(false);
        }
        if (progress?._result is var (output, summary))
        {
            Console.Out.Write(output);
            Console.Error.WriteLine(summary);
        }
        return code;
    }

    /// <summary>The job's output (for standard output) and the check against the local run (for standard error).</summary>
    public void Finish(string output, string summary) => _result = (output, summary);

    public void Plan(int chunks, int segments, long gas)
    {
        _chunksTotal = chunks;
        _segmentsTotal = segments;
        _gasTotal = Math.Max(1, gas);
        Changed(null);
    }

    public void ChunkSent(string what, int index, int count, ulong chain)
    {
        Interlocked.Increment(ref _chunks);
        Changed(index == count - 1 || index % 32 == 0 ? $"{what}: chunk {index + 1}/{count} on chain {chain}" : null);
    }

    /// <summary>A transaction of the job (a run, a transfer, a join) landed in <paramref name="block"/> of <paramref name="chain"/>.</summary>
    public void Block(ulong chain, ulong block)
    {
        lock (_lock)
        {
            _blocks.Add((chain, block));
            _chains.Add(chain);
        }
    }

    public void GasDone(long delta, string note)
    {
        Interlocked.Add(ref _gas, delta);
        Changed(note);
    }

    public void SegmentDone(string note)
    {
        Interlocked.Increment(ref _segments);
        Changed(note);
    }

    public void Note(string note) => Changed(note);

    protected abstract void Changed(string? note);

    private sealed class Plain : DdpnProgress
    {
        protected override void Changed(string? note)
        {
            if (note is null) return;
            Console.Error.WriteLine($"{note}  [chunks {Chunks}/{ChunksTotal}, segments {Segments}/{SegmentsTotal}, chains {ChainList}, blocks {BlockCount}, " +
                $"{100.0 * Gas / Math.Max(1, GasTotal):F0}% of the DLX gas]");
        }
    }

    private sealed class Fancy(ProgressContext context) : DdpnProgress
    {
        private readonly ProgressTask _chunkBar = context.AddTask("chunks", maxValue: 1);
        private readonly ProgressTask _segmentBar = context.AddTask("segments", maxValue: 1);
        private readonly ProgressTask _gasBar = context.AddTask("DLX gas", maxValue: 1);
        private readonly ProgressTask _noteLine = context.AddTask("starting", maxValue: 1);

        protected override void Changed(string? note)
        {
            _chunkBar.MaxValue = Math.Max(1, ChunksTotal);
            _chunkBar.Value = Chunks;
            _chunkBar.Description = $"chunks {Chunks}/{ChunksTotal}";
            _segmentBar.MaxValue = Math.Max(1, SegmentsTotal);
            _segmentBar.Value = Segments;
            _segmentBar.Description = Markup.Escape($"segments {Segments}/{SegmentsTotal} on chains [{ChainList}], {BlockCount} blocks");
            _gasBar.MaxValue = Math.Max(1, GasTotal);
            _gasBar.Value = Math.Min(Gas, GasTotal);
            _gasBar.Description = $"DLX gas {Gas:N0}";
            if (note is not null) _noteLine.Description = Markup.Escape(note);
            context.Refresh();
        }
    }
}
