using System.Globalization;
using Thalamus.Modules;

namespace Thalamus.Cluster;

// The cluster's own run-time parameters: the delivery bound Delta in force. It starts at ClusterOptions.EffectiveDelta and
// changes between slots when a module asks (IClusterHost.RequestDeltaChange, e.g. a governance decision). Admission control
// reads the Delta in force when it admits a send: the destination block it reserves within that bound is the promise, kept
// whatever Delta later becomes (a block delivers what was admitted for it first). The halt rule keeps, per halted chain, the
// Delta in force when it halted (the bound of the last messages it sent).
public sealed partial class NodeCluster
{
    /// <summary>The longest Delta a change may set (as the CLI's durations: beyond a day is a typo).</summary>
    public static readonly TimeSpan MaxDelta = TimeSpan.FromDays(1);

    private long _deltaMs;

    /// <summary>The slot from which the Delta in force holds (0: from the start, the configured one).</summary>
    private ulong _deltaSinceSlot;

    /// <summary>Delta changes asked for a later slot than the next, applied when a slot with their activation number starts.</summary>
    private readonly List<DeltaChange> _scheduledDeltaChanges = [];

    /// <summary>The Delta in force under the lock (the configured one until a change took effect).</summary>
    private long DeltaMs => _deltaMs;

    /// <summary>The delivery bound in force: sends admitted from now on run on their destination within it.</summary>
    public TimeSpan Delta
    {
        get
        {
            lock (SyncRoot) return TimeSpan.FromMilliseconds(_deltaMs);
        }
    }

    /// <summary>Null when the cluster can take <paramref name="delta"/> as its bound with its members now, else why not.</summary>
    internal string? CheckDelta(TimeSpan delta)
    {
        var ms = delta.TotalMilliseconds;
        if (!(ms >= 1)) return string.Create(CultureInfo.InvariantCulture, $"a Delta of {ms} ms is not a positive number of milliseconds");
        if (delta > MaxDelta) return string.Create(CultureInfo.InvariantCulture, $"a Delta of {ms} ms is longer than the longest, {MaxDelta.TotalMilliseconds} ms (a day)");
        foreach (var member in _members)
            if (member.Options.BlockTime > delta)
                return string.Create(CultureInfo.InvariantCulture,
                    $"a Delta of {ms} ms is shorter than chain {member.ChainId}'s block time ({member.Options.BlockTime.TotalMilliseconds} ms): its next block could come too late");
        return null;
    }

    /// <summary>Between slots (the next one is <c>_slot + 1</c>): a change due by then takes effect now, a later one waits for its slot.</summary>
    private void ApplyDeltaChange(DeltaChange change)
    {
        if (change.ActivationSlot > _slot + 1)
        {
            _scheduledDeltaChanges.Add(change);
            return;
        }
        TakeDelta(change, _slot + 1);
    }

    /// <summary>At the start of slot <c>_slot</c>: the scheduled changes due now, in the order asked.</summary>
    private void ApplyScheduledDeltaChanges()
    {
        if (_scheduledDeltaChanges.Count == 0) return;
        var due = _scheduledDeltaChanges.Where(c => c.ActivationSlot <= _slot).ToList();
        foreach (var change in due)
        {
            _scheduledDeltaChanges.Remove(change);
            TakeDelta(change, _slot);
        }
    }

    /// <summary>Checks the change against the members now (a chain admitted since it was asked counts) and, if it fits, puts it in force.</summary>
    private void TakeDelta(DeltaChange change, ulong fromSlot)
    {
        var refusal = CheckDelta(change.Delta);
        if (refusal is null)
        {
            _deltaMs = (long)change.Delta.TotalMilliseconds;
            _deltaSinceSlot = fromSlot;
        }
        change.Completed?.Invoke(change, refusal);
    }
}
