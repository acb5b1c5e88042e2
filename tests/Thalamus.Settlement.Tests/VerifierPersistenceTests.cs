using static Thalamus.Settlement.Tests.SettlementTestKit;

namespace Thalamus.Settlement.Tests;

/// <summary>A verifier with a data directory keeps its place: restarted, it resumes without re-executing from genesis.</summary>
public sealed class VerifierPersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-verifier-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_restarted_verifier_resumes_from_its_data_directory_and_re_executes_only_the_new_batches()
    {
        await using var kit = new SettlementTestKit(slotsPerBatch: 2);
        var (a, b) = (kit.Chain(0), kit.Chain(1));
        for (var i = 0; i < 4; i++) Transfer(kit.Chain(i % 2), 0, 1);
        SendMessage(a, b.ChainId, 0);
        kit.Module.PostPending(flush: true);
        var first = new SettlementVerifier(kit.Contract, Rules, dataDirectory: _directory);
        var checkedFirst = first.Sync();
        var before = first.Status();
        Assert.True(before.BlocksExecuted >= 5, $"{before.BlocksExecuted} blocks");
        Assert.Null(first.ResumedAtSlot);

        // More slots settle while the verifier is down; a new one on the same directory resumes where the first stopped.
        Transfer(a, 1, 2);
        Transfer(b, 1, 2);
        kit.Module.PostPending(flush: true);
        var resumed = new SettlementVerifier(kit.Contract, Rules, dataDirectory: _directory);
        Assert.Equal(before.NextSlot, resumed.ResumedAtSlot);
        Assert.Equal(before.ChainHeads, resumed.Status().ChainHeads);
        Assert.Equal(before.BatchesValid, resumed.Status().BatchesValid);

        Assert.Equal(1, resumed.Sync());
        var after = resumed.Status();
        Assert.Equal(2UL, after.BlocksExecuted); // only the new batch's blocks, not the chains from genesis again
        Assert.Equal((ulong)checkedFirst + 1, after.BatchesValid);
        Assert.All(resumed.Verdicts.Values, v => Assert.True(v.Valid, v.Reason));
        foreach (var chain in kit.Cluster.Chains) Assert.Equal(chain.Head.Number, after.ChainHeads[chain.ChainId]);
    }

    [Fact]
    public async Task A_saved_place_that_does_not_decode_is_refused_with_a_clear_error_naming_the_file_and_left_as_it_is()
    {
        await using var kit = new SettlementTestKit();
        var place = Path.Combine(_directory, "place.rlp");
        await File.WriteAllBytesAsync(place, [0xde, 0xad, 0xbe, 0xef]);

        var refused = Assert.Throws<SettlementDataException>(() => new SettlementVerifier(kit.Contract, Rules, dataDirectory: _directory));

        Assert.StartsWith($"the verifier's place {place} does not decode (", refused.Message);
        Assert.EndsWith("); move it away to re-derive from the parent", refused.Message);
        Assert.Equal([0xde, 0xad, 0xbe, 0xef], await File.ReadAllBytesAsync(place));
    }
}
