namespace Thalamus.Cluster;

// The interval clock: one thread wakes when the earliest interval block is due and runs a slot in
// which every due chain seals (in configured order, so a slot is deterministic), and otherwise
// every few milliseconds to flush messages that an earlier slot had no rounds left for.
public sealed partial class NodeCluster
{
    private const int IdlePollMs = 50;

    private Thread? _scheduler;
    private volatile bool _stopping;
    private readonly ManualResetEventSlim _wake = new(false);

    /// <summary>Starts the scheduler thread (idempotent).</summary>
    public void Start()
    {
        lock (SyncRoot)
        {
            if (_scheduler is not null || _stopping) return;
            var now = LogicalTimeMs;
            foreach (var member in _members)
                // Never later than the due time sends were already admitted against (a block already due seals at once).
                if (!member.IsAutomine) member.NextDueMs = Math.Min(member.NextDueMs, now + (long)member.Options.BlockTime.TotalMilliseconds);
            _scheduler = new Thread(SchedulerLoop) { IsBackground = true, Name = "thalamus-cluster-scheduler" };
            _scheduler.Start();
        }
    }

    /// <summary>Stops the scheduler after the slot in progress; the chains stay usable for reads.</summary>
    public Task StopAsync()
    {
        _stopping = true;
        _wake.Set();
        var thread = _scheduler;
        return thread is null ? Task.CompletedTask : Task.Run(() => thread.Join());
    }

    private void SchedulerLoop()
    {
        while (!_stopping)
        {
            long waitMs;
            try
            {
                lock (SyncRoot) waitMs = RunDueSlotLocked();
            }
            catch (Exception e)
            {
                Error?.Invoke(e);
                waitMs = IdlePollMs;
            }
            _wake.Wait(TimeSpan.FromMilliseconds(Math.Clamp(waitMs, 1, IdlePollMs)));
            _wake.Reset();
        }
    }

    private bool HasOverdueIntervalBlock()
    {
        var now = LogicalTimeMs;
        foreach (var member in _members)
            if (!member.IsAutomine && member.NextDueMs <= now) return true;
        return false;
    }

    /// <summary>Runs the slot that is due, if any; returns how long to sleep until the next one.</summary>
    private long RunDueSlotLocked()
    {
        var now = LogicalTimeMs;
        var due = false;
        var next = long.MaxValue;
        foreach (var member in _members)
        {
            if (member.IsAutomine) continue;
            if (member.NextDueMs <= now) due = true;
            else next = Math.Min(next, member.NextDueMs);
        }
        var flush = !due && (_members.Any(m => m.IsAutomine && (_messages.HasWorkFor(m.ChainId) || SourcesHaveWorkFor(m)) && CanSealMember(m)) || HasDeferredToRetry());
        if (due || flush)
        {
            // An interval slot happens at its blocks' due time, however late the thread woke: the bound is on the schedule.
            long? slotTime = null;
            foreach (var member in _members)
                if (!member.IsAutomine && member.NextDueMs <= now) slotTime = Math.Min(slotTime ?? long.MaxValue, member.NextDueMs);
            RunInSlot(() =>
            {
                foreach (var member in _members)
                {
                    if (member.IsAutomine || member.NextDueMs > now) continue;
                    var blockTime = (long)member.Options.BlockTime.TotalMilliseconds;
                    member.NextDueMs += blockTime;
                    // After a pause (a halt, a debugger) seal once, not a burst of catch-up blocks.
                    if (member.NextDueMs <= now) member.NextDueMs = now + blockTime;
                    if (CanSealMember(member)) member.Chain.SealForCluster();
                }
                RetryDeferredLocked();
                return 0;
            }, slotTime);
            next = Math.Min(next, _members.Where(m => !m.IsAutomine).Select(m => m.NextDueMs).DefaultIfEmpty(long.MaxValue).Min());
        }
        return next == long.MaxValue ? IdlePollMs : next - LogicalTimeMs;
    }
}
