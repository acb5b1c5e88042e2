using Thalamus.Core;

namespace Thalamus.Cluster;

/// <summary>
/// The delivery capacity of every destination's next blocks, and who holds it. A message is admitted
/// only into a block of its destination that falls within Delta of its send and still has room: it
/// reserves the delivery's gas limit there (the worst case), so every admitted message fits by
/// construction. A block delivers what was admitted for it (or for earlier blocks) first, then pulls
/// later admissions forward while its budget lasts by what the deliveries really used, which frees
/// their reservations for new sends. Not thread-safe: used under the cluster's lock.
/// </summary>
internal sealed class DeliveryBudget
{
    /// <summary>Per destination: gas reserved in each block number not sealed yet.</summary>
    private readonly Dictionary<ulong, Dictionary<ulong, ulong>> _reserved = [];

    /// <summary>Admitted by a transaction of a block being built, not indexed yet: message id to (destination, block).</summary>
    private readonly Dictionary<Hash256, (ulong Destination, ulong Block)> _admitted = [];

    private readonly Dictionary<ulong, Counters> _counters = [];

    /// <summary>Changes whenever a destination seals a block (its capacity moves on): deferred senders try again.</summary>
    public long Epoch { get; private set; }

    public sealed class Counters
    {
        public long Admitted;
        public long Deferred;
        public long Refused;
    }

    public Counters CountersOf(ulong destination)
    {
        if (!_counters.TryGetValue(destination, out var counters)) _counters[destination] = counters = new Counters();
        return counters;
    }

    public ulong ReservedIn(ulong destination, ulong block) =>
        _reserved.TryGetValue(destination, out var blocks) ? blocks.GetValueOrDefault(block) : 0;

    /// <summary>
    /// Reserves <paramref name="gas"/> in the earliest of blocks <paramref name="first"/> … first + count − 1
    /// of <paramref name="destination"/> with room in <paramref name="budget"/>; false when none has.
    /// </summary>
    public bool TryReserve(ulong destination, ulong first, int count, ulong budget, ulong gas, out ulong block)
    {
        if (!_reserved.TryGetValue(destination, out var blocks)) _reserved[destination] = blocks = [];
        for (var i = 0; i < count; i++)
        {
            block = first + (ulong)i;
            var used = blocks.GetValueOrDefault(block);
            if (used + gas > budget) continue;
            blocks[block] = used + gas;
            return true;
        }
        block = 0;
        return false;
    }

    /// <summary>Reserves in the earliest block from <paramref name="first"/> on with room, however far (messages admitted without a window).</summary>
    public ulong ReserveEarliest(ulong destination, ulong first, ulong budget, ulong gas)
    {
        for (var block = first; ; block++)
            if (TryReserve(destination, block, 1, budget, gas, out _)) return block;
    }

    public void Release(ulong destination, ulong block, ulong gas)
    {
        if (!_reserved.TryGetValue(destination, out var blocks) || !blocks.TryGetValue(block, out var used)) return;
        if (used <= gas) blocks.Remove(block);
        else blocks[block] = used - gas;
    }

    /// <summary>Forgets every reservation (a rollback discarded blocks they named; pending messages are admitted again).</summary>
    public void ClearReservations()
    {
        _reserved.Clear();
        _admitted.Clear();
        Epoch++;
    }

    /// <summary>Remembers which block a sent (not yet indexed) message was admitted into.</summary>
    public void NoteAdmitted(in Hash256 id, ulong destination, ulong block) => _admitted[id] = (destination, block);

    public bool IsAdmitted(in Hash256 id) => _admitted.ContainsKey(id);

    /// <summary>The block the message was admitted into when its sending transaction ran, if it was.</summary>
    public ulong? TakeAdmitted(in Hash256 id) => _admitted.Remove(id, out var admitted) ? admitted.Block : null;

    /// <summary>Forgets an admission whose sending block failed to build (its reservation goes too).</summary>
    public void Forget(in Hash256 id, ulong gas)
    {
        if (_admitted.Remove(id, out var admitted)) Release(admitted.Destination, admitted.Block, gas);
    }

    /// <summary>The destination sealed <paramref name="block"/>: it and every earlier block are closed.</summary>
    public void Close(ulong destination, ulong block)
    {
        Epoch++;
        if (!_reserved.TryGetValue(destination, out var blocks) || blocks.Count == 0) return;
        List<ulong>? closed = null;
        foreach (var number in blocks.Keys)
            if (number <= block) (closed ??= []).Add(number);
        if (closed is not null)
            foreach (var number in closed) blocks.Remove(number);
    }
}
