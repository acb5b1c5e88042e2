using System.Security.Cryptography;

namespace Thalamus.Dlx;

/// <summary>
/// Runs a program declared as independent segments (<c>.segment label</c>; docs/dlx.md, "Segments"):
/// each segment starts on its own fresh machine at its label with the program's inputs and a copy of
/// the unit's storage, so segments cannot see each other and may run in parallel. Then the join (the
/// program's entry) runs with inputs = program inputs followed by each segment's output in declaration
/// order, on the storage with every segment's changes merged (two segments changing one key is an
/// error: they were not independent). The result does not depend on scheduling.
/// </summary>
public static class DlxParallelExecutor
{
    public static DlxParallelResult Run(DlxProgramImage image, IReadOnlyList<byte[]> inputs, DlxMachineOptions? options = null,
        DlxExecutionMode mode = DlxExecutionMode.Asynchronous, IReadOnlyDictionary<uint, byte[]>? storage = null)
    {
        options ??= DlxMachineOptions.Default;
        storage ??= new Dictionary<uint, byte[]>();
        int n = image.SegmentEntries.Count;
        var results = new DlxSegmentResult[n];
        var machines = new DlxMachine[n];
        void RunSegment(int i)
        {
            var machine = DlxMachine.Load(image, inputs, options, storage, image.SegmentEntries[i]);
            machine.Run();
            machines[i] = machine;
            results[i] = Summarize(i, image.SegmentEntries[i], machine);
        }
        if (mode == DlxExecutionMode.Asynchronous && n > 1) Parallel.For(0, n, RunSegment);
        else for (int i = 0; i < n; i++) RunSegment(i);

        string? error = null;
        var failed = results.FirstOrDefault(r => !r.Halted);
        if (failed is not null)
            error = $"segment {failed.Index + 1} (entry 0x{failed.Entry:x8}) did not halt: {failed.Status}{(failed.Fault != DlxFault.None ? $" ({failed.Fault})" : "")}";

        var merged = new SortedDictionary<uint, byte[]>(storage.ToDictionary());
        if (error is null)
        {
            var changedBy = new Dictionary<uint, int>();
            for (int i = 0; i < n && error is null; i++)
            {
                var after = machines[i].Storage;
                var keys = after.Keys.Concat(storage.Keys).Distinct().Order();
                foreach (var key in keys)
                {
                    bool had = storage.TryGetValue(key, out var before), has = after.TryGetValue(key, out var now);
                    if (had == has && (!had || before!.AsSpan().SequenceEqual(now))) continue;
                    if (changedBy.TryGetValue(key, out int other))
                    {
                        error = $"segments {other + 1} and {i + 1} both change storage key {key}: they are not independent";
                        break;
                    }
                    changedBy[key] = i;
                    if (has) merged[key] = now!;
                    else merged.Remove(key);
                }
            }
        }

        DlxSegmentResult? join = null;
        if (error is null)
        {
            var joinInputs = inputs.Concat(results.Select(r => r.Output)).ToArray();
            var machine = DlxMachine.Load(image, joinInputs, options, merged);
            machine.Run();
            join = Summarize(-1, image.Entry, machine);
            merged = new SortedDictionary<uint, byte[]>(machine.Storage.ToDictionary());
            if (!join.Halted) error = $"the join (entry 0x{image.Entry:x8}) did not halt: {join.Status}{(join.Fault != DlxFault.None ? $" ({join.Fault})" : "")}";
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("DLXJ"u8);
        foreach (var r in results) hash.AppendData(r.StateHash);
        if (join is not null) hash.AppendData(join.StateHash);
        return new DlxParallelResult(results, join, error, merged, hash.GetHashAndReset());
    }

    private static DlxSegmentResult Summarize(int index, uint entry, DlxMachine machine) =>
        new(index, entry, machine.Status, machine.Fault, machine.Output.ToArray(), machine.GasUsed, machine.Instructions, machine.ComputeStateHash());
}
